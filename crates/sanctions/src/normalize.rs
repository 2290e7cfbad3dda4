//! Name normalisation: any script to lowercase ASCII words.
//!
//! Transliteration (Cyrillic, Greek, Arabic, CJK …) and diacritic removal both come from
//! `deunicode`, so "Мухаммад" becomes "mukhammad" and "Müller" becomes "muller"; the
//! remaining spelling differences ("mueller", "muhammad") are left to the fuzzy matcher.

/// Normalises a name to lowercase ASCII letters and digits in words separated by one space.
///
/// Apostrophes are dropped rather than treated as separators, because "O'Brien" and
/// "Obrien" (and the Arabic ʿayn, which transliterates to an apostrophe or backtick) are
/// spellings of one word. Idempotent: normalising the output again changes nothing.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        push_normalized(text, &mut out);
    } else {
        push_normalized(&deunicode::deunicode(text), &mut out);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn push_normalized(ascii: &str, out: &mut String) {
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '`' | '\u{2019}' | '\u{02bb}' | '\u{02bc}') {
            continue;
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
}

/// True when the text needed transliteration from a non-Latin script (not only accents).
pub(crate) fn has_non_latin_script(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic() && !is_latin(c))
}

/// True when the text has Latin letters with diacritics (or ligatures like ß, æ).
pub(crate) fn has_diacritics(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() && c.is_alphabetic() && is_latin(c))
}

fn is_latin(c: char) -> bool {
    // Basic Latin, Latin-1 Supplement, Latin Extended-A/B, IPA, Latin Extended Additional.
    matches!(c as u32, 0x0000..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_diacritics_fold_to_ascii() {
        assert_eq!(normalize("Müller"), "muller");
        assert_eq!(normalize("Мухаммад"), "mukhammad");
        assert_eq!(normalize("  DOE,   John-Paul "), "doe john paul");
        assert_eq!(normalize("O'Brien"), "obrien");
        assert_eq!(normalize("Αλέξανδρος"), "alexandros");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("...,"), "");
    }

    #[test]
    fn script_detection() {
        assert!(has_non_latin_script("Мухаммад"));
        assert!(!has_non_latin_script("Müller"));
        assert!(has_diacritics("Müller"));
        assert!(!has_diacritics("Muller"));
    }
}
