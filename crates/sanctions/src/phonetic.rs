//! Phonetic keys for name tokens: Double Metaphone (via `rphonetic`) after folding the
//! spelling differences that transliteration systems introduce.
//!
//! Double Metaphone is tuned for English spelling, so "mukhammad" (from Cyrillic) and
//! "muhammad" would get different codes; folding "kh" to "h", "zh"/"dj" to "j", "ph" to "f"
//! and so on first puts the usual romanisations of one name on one code.

use rphonetic::DoubleMetaphone;

/// A Double Metaphone code (at most four ASCII letters) packed into an integer; 0 is "none".
pub(crate) type Code = u32;

/// Folding rules applied in order; longer patterns first where they overlap.
const FOLDS: &[(&str, &str)] = &[
    ("x", "ks"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("tz", "s"),
    ("ts", "s"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
];

/// Romanisations of Cyrillic vowels at the start of a word ("Iurii"/"Yuri", "Iakov"/"Yakov").
const START_FOLDS: &[(&str, &str)] = &[("iu", "yu"), ("ia", "ya"), ("ie", "ye"), ("io", "yo"), ("e", "ye")];
/// Endings of the same name in different systems ("Yuriy"/"Yurii"/"Yury", "Sergey"/"Sergei").
const END_FOLDS: &[(&str, &str)] = &[("iy", "i"), ("ii", "i"), ("yi", "i"), ("ij", "i"), ("ey", "ei"), ("y", "i")];

/// The primary and alternate codes of a normalised token (the alternate is 0 when equal).
pub(crate) fn codes(token: &str) -> [Code; 2] {
    if token.is_empty() {
        return [0, 0];
    }
    if token.bytes().all(|b| b.is_ascii_digit()) {
        // Numbers (vessel and company names) have no sound; the digits themselves are the key.
        return [hash_digits(token), 0];
    }
    let folded = fold(token);
    let result = DoubleMetaphone::default().double_metaphone(&folded);
    let primary = pack(&result.primary());
    let alternate = pack(&result.alternate());
    if primary == 0 {
        // A token of vowels only ("ee", "ai") has an empty code; fall back to its letters.
        return [pack_letters(&folded), 0];
    }
    [primary, if alternate == primary { 0 } else { alternate }]
}

/// The token with transliteration differences folded away and doubled letters single, so
/// "Mukhammad", "Muhammad" and "Muhammed" come closer and "Iurii" becomes "yuri".
pub(crate) fn fold(token: &str) -> String {
    let mut text = token.to_owned();
    for (from, to) in START_FOLDS {
        if text.len() > from.len() + 1 && text.starts_with(from) {
            text.replace_range(..from.len(), to);
            break;
        }
    }
    for (from, to) in FOLDS {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    for (from, to) in END_FOLDS {
        if text.len() > from.len() + 2 && text.ends_with(from) {
            let at = text.len() - from.len();
            text.replace_range(at.., to);
            break;
        }
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// A hash of the untruncated Double Metaphone codes of a folded token: the four-letter
/// codes used for retrieval agree on any shared prefix ("Bogdanovich"/"Bogdansky"), the
/// full ones only for names that sound alike throughout.
pub(crate) fn full_codes(folded: &str) -> [u64; 2] {
    if folded.is_empty() || folded.bytes().all(|b| b.is_ascii_digit()) {
        return [0, 0];
    }
    let result = DoubleMetaphone::new(None).double_metaphone(folded);
    let hash = |code: &str| {
        code.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    };
    let (primary, alternate) = (result.primary(), result.alternate());
    if primary.is_empty() {
        return [0, 0];
    }
    [hash(&primary), if alternate == primary { 0 } else { hash(&alternate) }]
}

/// Packs up to four ASCII bytes; codes are never longer with the default maximum length.
pub(crate) fn pack(code: &str) -> Code {
    code.bytes().take(4).fold(0, |acc, b| (acc << 8) | Code::from(b))
}

fn pack_letters(text: &str) -> Code {
    pack(&text.to_ascii_uppercase())
}

fn hash_digits(digits: &str) -> Code {
    // Marked with a high bit no packed ASCII code has, so numbers never collide with letters.
    let hash = digits.bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    hash | 0x8000_0000
}

/// The codes obtained by deleting one letter from `code`, so that a single-letter typo in a
/// consonant ("Pertov" for "Petrov") still shares a key with the right spelling.
pub(crate) fn deletions(code: Code) -> impl Iterator<Item = Code> {
    let bytes = code.to_be_bytes();
    let letters: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
    let usable = letters.len() >= 3 && code & 0x8000_0000 == 0;
    (0..if usable { letters.len() } else { 0 }).map(move |skip| {
        letters.iter().enumerate().filter(|(i, _)| *i != skip).fold(0, |acc, (_, b)| (acc << 8) | Code::from(*b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares_code(a: &str, b: &str) -> bool {
        let (a, b) = (codes(a), codes(b));
        a.iter().any(|x| *x != 0 && b.contains(x))
    }

    #[test]
    fn romanisations_share_a_code() {
        assert!(shares_code("mukhammad", "muhammad"));
        assert!(shares_code("mohammed", "muhammad"));
        assert!(shares_code("muller", "mueller"));
        assert!(shares_code("khalid", "halid"));
        assert!(shares_code("qaddafi", "gaddafi"));
        assert!(shares_code("yusuf", "jusuf"));
        assert!(shares_code("jon", "john"));
        assert!(shares_code("deo", "doe"));
        assert!(shares_code("shcherbakov", "sherbakov"));
        assert_eq!(fold("iurii"), fold("yuri"));
        assert_eq!(fold("sergey"), fold("sergei"));
        assert_eq!(fold("mohammed"), "mohamed");
        assert!(!shares_code("petrov", "sidorov"));
    }

    #[test]
    fn deletions_bridge_a_consonant_swap() {
        let a: Vec<Code> = deletions(codes("petrov")[0]).collect();
        let b: Vec<Code> = deletions(codes("pertov")[0]).collect();
        assert!(a.iter().any(|x| b.contains(x)));
        assert_eq!(deletions(pack("MT")).count(), 0);
    }

    #[test]
    fn numbers_are_their_own_key() {
        assert_eq!(codes("1234"), codes("1234"));
        assert_ne!(codes("1234"), codes("1235"));
        assert_eq!(codes(""), [0, 0]);
    }
}
