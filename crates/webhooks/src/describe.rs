//! Short, log-safe descriptions of what a receiver answered. They are stored with each
//! attempt and shown to the tenant, so they are bounded and free of control characters.

/// The most of a receiver's error body that is kept.
const MAX_SNIPPET: usize = 200;

/// A transport failure by kind and innermost cause (e.g. "connection failed: Connection
/// refused (os error 111)"), without the URL that reqwest's own message repeats.
pub(crate) fn transport_error(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let kind = if error.is_connect() { "connection failed" } else { "request failed" };
    clean(&format!("{kind}: {cause}"))
}

/// The status line, plus the start of the body where the receiver explained itself.
pub(crate) async fn unsuccessful_response(mut response: reqwest::Response) -> String {
    let status = response.status();
    let line = format!("HTTP {} {}", status.as_str(), status.canonical_reason().unwrap_or(""));
    let line = line.trim_end().to_owned();
    if status.is_redirection() {
        return format!("{line} (redirects are not followed)");
    }
    let mut body = Vec::new();
    while body.len() < MAX_SNIPPET {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    let snippet = clean(&String::from_utf8_lossy(&body));
    if snippet.is_empty() { line } else { format!("{line}: {snippet}") }
}

fn clean(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_SNIPPET).collect();
    flat.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_flattens_and_bounds() {
        assert_eq!(clean(" a\r\nb\t"), "a  b");
        assert_eq!(clean(&"é".repeat(500)).chars().count(), MAX_SNIPPET);
    }
}
