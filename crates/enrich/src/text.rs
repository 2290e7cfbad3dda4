//! Minimal readers for the line-oriented files the datasets and operators supply. A CSV crate
//! would do, but the files are simple and this keeps the dependency tree small.

use std::borrow::Cow;
use std::path::Path;

use crate::error::LoadError;

pub(crate) fn read_to_string(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|e| LoadError::io(path, e))
}

/// Non-empty lines with `#` comments and surrounding blanks removed, with 1-based line numbers.
pub(crate) fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.split('#').next().unwrap_or("").trim();
        (!line.is_empty()).then_some((i + 1, line))
    })
}

/// A domain list: one domain per line, lower-cased, without a leading `@` or trailing dot.
pub(crate) fn read_domain_list(path: &Path) -> Result<Vec<String>, LoadError> {
    let text = read_to_string(path)?;
    Ok(content_lines(&text)
        .map(|(_, line)| line.trim_start_matches('@').trim_end_matches('.').to_ascii_lowercase())
        .collect())
}

/// Splits one CSV record (RFC 4180 quoting, no embedded newlines). Quoted fields keep their
/// commas; doubled quotes inside them become one.
pub(crate) fn csv_fields(line: &str) -> Vec<Cow<'_, str>> {
    let mut fields = Vec::new();
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                if c != '"' {
                    value.push(c);
                } else if quoted[i + 1..].starts_with('"') {
                    value.push('"');
                    chars.next();
                } else {
                    end = i + 1;
                    break;
                }
            }
            fields.push(Cow::Owned(value));
            rest = &quoted[end..];
            match rest.find(',') {
                Some(comma) => rest = &rest[comma + 1..],
                None => return fields,
            }
        } else {
            match rest.find(',') {
                Some(comma) => {
                    fields.push(Cow::Borrowed(rest[..comma].trim()));
                    rest = &rest[comma + 1..];
                }
                None => {
                    fields.push(Cow::Borrowed(rest.trim()));
                    return fields;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_handles_quotes_and_empty_fields() {
        assert_eq!(csv_fields("1,2,\"Cloudflare, Inc.\""), vec!["1", "2", "Cloudflare, Inc."]);
        assert_eq!(csv_fields("a,,\"say \"\"hi\"\"\",b"), vec!["a", "", "say \"hi\"", "b"]);
        assert_eq!(csv_fields("x"), vec!["x"]);
        assert_eq!(csv_fields("x,"), vec!["x", ""]);
    }

    #[test]
    fn content_lines_drop_comments_and_blanks() {
        let lines: Vec<_> = content_lines("# head\n\n a.com # note\nb.com\n").collect();
        assert_eq!(lines, vec![(3, "a.com"), (4, "b.com")]);
    }
}
