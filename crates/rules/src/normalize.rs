//! Normalisation shared by list entries and event values: both sides go through the same
//! function, so an entry matches however the sender happened to format the value.

use crate::cidr::canonical;
use std::net::IpAddr;

/// Lower-case, trimmed. Provider-specific rewriting (Gmail dots, `+tags`) is deliberately
/// not done: it would make a deny entry hit addresses that belong to other people.
pub fn email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The domain of an email address, lower-case, without a trailing dot.
pub fn email_domain(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    (!domain.is_empty()).then(|| domain.to_lowercase())
}

/// A domain as written in a list: `@example.com`, `*.example.com` and `Example.COM.` all
/// mean `example.com`.
pub fn domain(value: &str) -> String {
    value.trim().trim_start_matches('@').trim_start_matches("*.").trim_end_matches('.').to_lowercase()
}

/// The domain and each parent domain that still has a dot: `a.b.example.com`,
/// `b.example.com`, `example.com`. A list entry for a domain covers its subdomains.
pub fn domain_and_parents(domain: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(domain);
    std::iter::from_fn(move || {
        let current = next?;
        next = current.split_once('.').map(|(_, rest)| rest).filter(|rest| rest.contains('.'));
        Some(current)
    })
}

/// Phones are expected in E.164 as sent; only the formatting characters people type
/// (spaces, dashes, dots, brackets) are removed. No country inference: that needs a
/// numbering plan this crate does not carry.
pub fn phone(value: &str) -> String {
    value.trim().chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}')).collect()
}

/// An IP address in canonical form (IPv4-mapped IPv6 becomes IPv4).
pub fn ip(value: &str) -> Option<IpAddr> {
    value.trim().parse().ok().map(canonical)
}

/// Opaque identifiers (device ids, hashes, user ids) are compared as sent, trimmed.
pub fn identifier(value: &str) -> String {
    value.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_domains() {
        assert_eq!(email("  John.Doe+x@Example.COM "), "john.doe+x@example.com");
        assert_eq!(email_domain("a@Mail.Example.com.").as_deref(), Some("mail.example.com"));
        assert_eq!(email_domain("no-at-sign"), None);
        assert_eq!(email_domain("trailing@"), None);
        assert_eq!(email_domain("a@b@c.org").as_deref(), Some("c.org"));
        assert_eq!(domain("*.Example.com"), "example.com");
        assert_eq!(domain("@example.com."), "example.com");
        let parents: Vec<_> = domain_and_parents("a.b.example.com").collect();
        assert_eq!(parents, ["a.b.example.com", "b.example.com", "example.com"]);
        let parents: Vec<_> = domain_and_parents("localhost").collect();
        assert_eq!(parents, ["localhost"]);
    }

    #[test]
    fn phones_and_ips() {
        assert_eq!(phone(" +36 (30) 123-45.67 "), "+36301234567");
        assert_eq!(ip(" ::ffff:192.0.2.1 ").map(|i| i.to_string()).as_deref(), Some("192.0.2.1"));
        assert_eq!(ip("2001:DB8::1").map(|i| i.to_string()).as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("nope"), None);
    }
}
