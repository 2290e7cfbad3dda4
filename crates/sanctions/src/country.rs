//! Turning the countries the lists write out ("Iran (Islamic Republic of)", "Russia",
//! "IRQ", "Syrian") into ISO 3166 alpha-2 codes, so a query's country can be compared.

use crate::country_table::{COUNTRY_NAMES, ISO2_CODES};

/// The alpha-2 code for a country name, alpha-2/alpha-3 code or demonym, if known.
pub fn to_iso2(raw: &str) -> Option<&'static str> {
    let trimmed = raw.trim();
    if trimmed.len() == 2 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        let upper = trimmed.to_ascii_uppercase();
        return ISO2_CODES.binary_search(&upper.as_str()).ok().map(|i| ISO2_CODES[i]);
    }
    let key = country_key(trimmed);
    if let Some(code) = lookup(&key) {
        return Some(code);
    }
    // "Iran (Islamic Republic of)" and "Korea, Democratic People's Republic of": the lists
    // append qualifiers in brackets or after a comma.
    let without_brackets = country_key(&strip_brackets(trimmed));
    if let Some(code) = lookup(&without_brackets) {
        return Some(code);
    }
    let head = trimmed.split([',', '(']).next().map(country_key).unwrap_or_default();
    lookup(&head)
}

/// The alpha-2 code where one is derivable, else the trimmed text as written; `None` for
/// an empty or placeholder value.
pub fn normalize_country(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || matches!(trimmed.to_ascii_lowercase().as_str(), "-0-" | "unknown" | "00" | "n/a") {
        return None;
    }
    Some(to_iso2(trimmed).map_or_else(|| crate::entry::collapse_spaces(trimmed), str::to_owned))
}

fn lookup(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return None;
    }
    COUNTRY_NAMES.binary_search_by(|(name, _)| (*name).cmp(key)).ok().map(|i| COUNTRY_NAMES[i].1)
}

fn country_key(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let words: Vec<&str> =
        ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty() && *w != "the").collect();
    words.join(" ")
}

fn strip_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(COUNTRY_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(ISO2_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn list_spellings_map_to_alpha2() {
        assert_eq!(to_iso2("Iran (Islamic Republic of)"), Some("IR"));
        assert_eq!(to_iso2("IRAN, ISLAMIC REPUBLIC OF"), Some("IR"));
        assert_eq!(to_iso2("Russian Federation"), Some("RU"));
        assert_eq!(to_iso2("Democratic People's Republic of Korea"), Some("KP"));
        assert_eq!(to_iso2("Korea, North"), Some("KP"));
        assert_eq!(to_iso2("Syrian"), Some("SY"));
        assert_eq!(to_iso2("IRQ"), Some("IQ"));
        assert_eq!(to_iso2("de"), Some("DE"));
        assert_eq!(to_iso2("Côte d'Ivoire"), Some("CI"));
        assert_eq!(to_iso2("United Kingdom"), Some("GB"));
        assert_eq!(to_iso2("Atlantis"), None);
        assert_eq!(to_iso2("QQ"), None);
    }

    #[test]
    fn unknown_countries_keep_their_text() {
        assert_eq!(normalize_country(" Atlantis  Isle "), Some("Atlantis Isle".to_owned()));
        assert_eq!(normalize_country("-0-"), None);
        assert_eq!(normalize_country("UNKNOWN"), None);
        assert_eq!(normalize_country("Ukraine"), Some("UA".to_owned()));
    }
}
