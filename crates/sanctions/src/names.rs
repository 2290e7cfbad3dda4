//! Splitting a normalised name into classified tokens for indexing and scoring.

use crate::normalize::normalize;
use crate::phonetic::{self, Code};

/// Names longer than this are company names or descriptions; later words add little.
pub(crate) const MAX_TOKENS: usize = 10;

/// How much a token can say about identity, which decides its weight and how it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenClass {
    /// An ordinary name word.
    Word,
    /// A single letter, as in "J. Doe": compatible with any word of that initial.
    Initial,
    /// Connectives such as "al", "bin", "van", "de": kept, but weigh little.
    Particle,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub text: Box<str>,
    pub class: TokenClass,
    /// Four-letter phonetic codes, the retrieval keys.
    pub codes: [Code; 2],
    /// The text with transliteration differences folded (see `phonetic::fold`).
    pub folded: Box<str>,
    /// Hashes of the full-length phonetic codes, for similarity.
    pub full_codes: [u64; 2],
    /// The index's number for this text, so a query can reuse a similarity it already
    /// computed; `NO_ID` for query tokens.
    pub id: u32,
    /// Neither the first nor the last word of the name (read "LAST, First Middle" as
    /// "First Middle LAST"): middle names and patronymics are the words most often left out.
    pub middle: bool,
}

pub(crate) const NO_ID: u32 = u32::MAX;

impl Token {
    /// A word built while scoring (two words read as one): it is compared, never looked
    /// up, so it needs no retrieval codes.
    pub fn for_comparison(text: &str) -> Token {
        let folded = phonetic::fold(text);
        let full_codes = phonetic::full_codes(&folded);
        Token {
            text: text.into(),
            class: TokenClass::Word,
            codes: [0, 0],
            folded: folded.into(),
            full_codes,
            id: NO_ID,
            middle: false,
        }
    }
}

impl Token {
    pub fn new(text: &str, class: TokenClass) -> Token {
        let is_word = class == TokenClass::Word;
        let folded = if is_word { phonetic::fold(text) } else { text.to_owned() };
        let codes = if is_word { phonetic::codes(text) } else { [0, 0] };
        let full_codes = if is_word { phonetic::full_codes(&folded) } else { [0, 0] };
        Token { text: text.into(), class, codes, folded: folded.into(), full_codes, id: NO_ID, middle: false }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PreparedName {
    pub tokens: Vec<Token>,
}

impl PreparedName {
    pub fn has_words(&self) -> bool {
        self.tokens.iter().any(|t| t.class == TokenClass::Word)
    }
}

/// Titles, honorifics, generational suffixes and legal forms: they say nothing about who
/// someone is, and a customer rarely types the ones the list uses ("Lt. Gen.", "OOO").
const NOISE: &[&str] = &[
    "adm",
    "admiral",
    "ag",
    "bhd",
    "brig",
    "brigadier",
    "bv",
    "capt",
    "captain",
    "cjsc",
    "cmdr",
    "co",
    "col",
    "colonel",
    "commander",
    "company",
    "corp",
    "corporation",
    "dame",
    "dr",
    "esq",
    "fzc",
    "fzco",
    "fze",
    "gen",
    "general",
    "gmbh",
    "hadji",
    "haji",
    "hajji",
    "hon",
    "ii",
    "iii",
    "imam",
    "inc",
    "incorporated",
    "iv",
    "jr",
    "jsc",
    "limited",
    "llc",
    "llp",
    "lord",
    "lt",
    "ltd",
    "maj",
    "major",
    "maulana",
    "maulvi",
    "mawlawi",
    "miss",
    "mr",
    "mrs",
    "ms",
    "mulla",
    "mullah",
    "mx",
    "nv",
    "oao",
    "ojsc",
    "ooo",
    "pao",
    "phd",
    "pjsc",
    "plc",
    "prof",
    "pte",
    "pty",
    "pvt",
    "rev",
    "sa",
    "sae",
    "sarl",
    "sas",
    "sgt",
    "shaikh",
    "shaykh",
    "sheik",
    "sheikh",
    "sir",
    "sl",
    "spa",
    "sr",
    "srl",
    "zao",
];

/// Legal forms that are written with dots between the letters.
const SPELLED_LEGAL_FORMS: &[&str] =
    &["ag", "bv", "co", "llc", "llp", "lp", "nv", "plc", "sa", "sae", "sarl", "sas", "sl", "spa", "srl"];

/// Articles and patronymic connectives of Arabic, Dutch, German, Romance and other names.
const PARTICLES: &[&str] = &[
    "abu", "ad", "al", "an", "ar", "as", "ash", "at", "az", "ben", "bin", "bint", "binti", "da", "das", "de", "del",
    "della", "den", "der", "di", "dos", "du", "el", "ibn", "la", "le", "of", "the", "ul", "um", "umm", "van", "von",
];

/// Abbreviations that stand for one common name in the lists and in customer data.
const EXPANSIONS: &[(&str, &str)] = &[("md", "mohammed"), ("mohd", "mohammed"), ("muhd", "muhammad")];

/// "S.A." and "L.L.C." normalise to single letters; at the end of a name they are a legal
/// form, not initials.
fn drop_spelled_legal_form(words: &mut Vec<&str>) {
    let letters = words.iter().rev().take_while(|w| w.len() == 1).count();
    if letters < 2 || letters == words.len() {
        return;
    }
    let spelled: String = words[words.len() - letters..].concat();
    if SPELLED_LEGAL_FORMS.contains(&spelled.as_str()) {
        words.truncate(words.len() - letters);
    }
}

/// Legal forms long enough that a misspelling of them is still recognisable.
const LONG_LEGAL_FORMS: &[&str] =
    &["cjsc", "company", "corporation", "gmbh", "incorporated", "limited", "ojsc", "pjsc"];

/// "Companny" or "PJSSC" at the end of a company name is the legal form mistyped, not a word
/// of the name to be matched.
fn drop_misspelt_legal_form(words: &mut Vec<&str>) {
    let Some(last) = words.last() else { return };
    if words.len() < 2 || last.len() < 4 {
        return;
    }
    let allowed = if last.len() >= 7 { 2 } else { 1 };
    if LONG_LEGAL_FORMS.iter().any(|form| strsim::osa_distance(form, last) <= allowed) {
        words.pop();
    }
}

pub(crate) fn prepare(raw: &str) -> PreparedName {
    let normalized = match raw.split_once(',') {
        // "DOE, John Michael": the family name goes last, so that position means the same
        // in every list's convention.
        Some((family, given)) if !family.trim().is_empty() && !given.contains(',') => {
            normalize(&format!("{given} {family}"))
        }
        _ => normalize(raw),
    };
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    let meaningful: Vec<&str> = words.iter().copied().filter(|w| NOISE.binary_search(w).is_err()).collect();
    // A name made only of noise words ("General Company") is still that name.
    let words = if meaningful.is_empty() {
        words
    } else {
        let mut words = meaningful;
        drop_spelled_legal_form(&mut words);
        drop_misspelt_legal_form(&mut words);
        words
    };
    let mut tokens: Vec<Token> = words
        .into_iter()
        .take(MAX_TOKENS)
        .map(|w| {
            let text = EXPANSIONS.iter().find(|(abbr, _)| *abbr == w).map_or(w, |(_, full)| *full);
            let class = if PARTICLES.binary_search(&text).is_ok() {
                TokenClass::Particle
            } else if text.len() == 1 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
                TokenClass::Initial
            } else {
                TokenClass::Word
            };
            Token::new(text, class)
        })
        .collect();
    let count = tokens.len();
    for (i, token) in tokens.iter_mut().enumerate() {
        token.middle = i > 0 && i + 1 < count;
    }
    PreparedName { tokens }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(NOISE.windows(2).all(|w| w[0] < w[1]));
        assert!(PARTICLES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn classifies_tokens() {
        let name = prepare("Dr. J. Abdul-Rahman bin Al-Hashimi Jr");
        let classes: Vec<(&str, TokenClass)> = name.tokens.iter().map(|t| (&*t.text, t.class)).collect();
        assert_eq!(
            classes,
            vec![
                ("j", TokenClass::Initial),
                ("abdul", TokenClass::Word),
                ("rahman", TokenClass::Word),
                ("bin", TokenClass::Particle),
                ("al", TokenClass::Particle),
                ("hashimi", TokenClass::Word),
            ]
        );
    }

    #[test]
    fn noise_only_names_are_kept() {
        let name = prepare("General Company");
        assert_eq!(name.tokens.len(), 2);
        assert!(name.has_words());
        assert!(!prepare("Mr.").tokens.is_empty());
        assert!(prepare("  ").tokens.is_empty());
    }

    #[test]
    fn spelled_legal_forms_are_dropped() {
        let texts = |name: &str| prepare(name).tokens.iter().map(|t| t.text.to_string()).collect::<Vec<_>>();
        assert_eq!(texts("Sahara Industries S.A."), vec!["sahara", "industries"]);
        assert_eq!(texts("Acme L.L.C."), vec!["acme"]);
        assert_eq!(texts("Tolkien J. R."), vec!["tolkien", "j", "r"]);
        assert_eq!(texts("Orient Engineering Compauy"), vec!["orient", "engineering"]);
        assert_eq!(texts("Royal Industries PJSSC"), vec!["royal", "industries"]);
        assert_eq!(texts("Anna Limonova"), vec!["anna", "limonova"]);
    }

    #[test]
    fn abbreviations_expand() {
        assert_eq!(&*prepare("Mohd Ali").tokens[0].text, "mohammed");
    }
}
