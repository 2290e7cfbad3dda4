//! Field clean-up shared by the importers.

use std::borrow::Cow;

/// Decodes a CSV field: UTF-8 when valid, else Windows-1252/Latin-1 (older list files), with
/// a UTF-8 byte-order mark dropped.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()),
    }
}

/// The trimmed value, or `None` for the placeholders lists use for "no value".
pub(crate) fn clean(value: &str) -> Option<&str> {
    let value = value.trim().trim_matches('\u{1a}').trim();
    if value.is_empty() || value == "-0-" || value.eq_ignore_ascii_case("n/a") || value.eq_ignore_ascii_case("null") {
        None
    } else {
        Some(value)
    }
}

/// Splits OFSI's numbered multi-values, "(1) Iran (2) Iraq", into their items; a value with
/// no numbering comes back whole.
pub(crate) fn split_numbered(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut rest = value;
    while let Some(start) = rest.find('(') {
        let after = &rest[start + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b')') {
            current.push_str(&rest[..start]);
            push_item(&mut items, &current);
            current.clear();
            rest = &after[digits + 1..];
        } else {
            current.push_str(&rest[..=start]);
            rest = after;
        }
    }
    current.push_str(rest);
    push_item(&mut items, &current);
    items
}

fn push_item(items: &mut Vec<String>, item: &str) {
    let item = item.trim().trim_end_matches([',', ';']).trim();
    if !item.is_empty() {
        items.push(crate::entry::collapse_spaces(item));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_latin1_and_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFName"), "Name");
        assert_eq!(decode(b"M\xFCller"), "Müller");
        assert_eq!(decode("Müller".as_bytes()), "Müller");
    }

    #[test]
    fn placeholders_are_empty() {
        assert_eq!(clean(" -0- "), None);
        assert_eq!(clean("\u{1a}"), None);
        assert_eq!(clean(" x "), Some("x"));
    }

    #[test]
    fn numbered_values_split() {
        assert_eq!(split_numbered("(1) Iran (2) Iraq"), vec!["Iran", "Iraq"]);
        assert_eq!(split_numbered("Russia"), vec!["Russia"]);
        assert_eq!(split_numbered("Korea (North) (1)"), vec!["Korea (North)"]);
        assert!(split_numbered("  ").is_empty());
    }
}
