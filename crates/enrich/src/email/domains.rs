//! What the domain says: free provider, disposable service, look-alike of a big provider,
//! a top-level domain that exists, a name reserved for tests.

use std::collections::HashSet;

/// Top-level domains in the IANA root zone (see the file's header for the snapshot date).
const TLDS: &str = include_str!("tlds.txt");
const FREE_DOMAINS: &str = include_str!("free_domains.txt");

/// Providers worth squatting: addresses at a near miss of these are typos or traps. Only
/// domains whose first label has five or more letters are compared by label; shorter ones
/// (`aol`, `gmx`, `me`) match too many real domains at one edit.
const TYPO_TARGETS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "protonmail.com",
    "proton.me",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "comcast.net",
    "verizon.net",
    "sbcglobal.net",
    "orange.fr",
    "wanadoo.fr",
    "libero.it",
    "btinternet.com",
    "rediffmail.com",
    "naver.com",
    "qq.com",
];

/// Top-level domains favoured by throwaway registrations: free or near-free, and rarely used
/// for mail by legitimate senders.
const SUSPICIOUS_TLDS: &[&str] = &[
    "accountant",
    "bid",
    "buzz",
    "cf",
    "click",
    "country",
    "cricket",
    "cyou",
    "date",
    "download",
    "faith",
    "ga",
    "gdn",
    "gq",
    "icu",
    "kim",
    "link",
    "loan",
    "men",
    "ml",
    "mov",
    "party",
    "quest",
    "racing",
    "rest",
    "review",
    "sbs",
    "science",
    "stream",
    "tk",
    "top",
    "trade",
    "win",
    "work",
    "xyz",
    "zip",
];

/// Names that never receive mail: RFC 2606/6761 reserved names, mDNS, and `.internal`.
fn is_reserved(domain: &str) -> bool {
    const EXACT: &[&str] = &["example.com", "example.net", "example.org", "localhost"];
    const SUFFIXES: &[&str] = &[".example", ".test", ".invalid", ".localhost", ".local", ".internal", ".onion"];
    EXACT.contains(&domain)
        || SUFFIXES.iter().any(|s| domain.ends_with(s) || domain == &s[1..])
        || EXACT[..3].iter().any(|e| domain.ends_with(&format!(".{e}")))
}

pub(crate) struct Domains {
    free: HashSet<Box<str>>,
    disposable: HashSet<Box<str>>,
    tlds: HashSet<&'static str>,
}

/// What [`Domains::check`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct DomainFacts {
    pub free: bool,
    pub disposable: bool,
    pub typo_of: Option<&'static str>,
    pub reserved: bool,
    pub suspicious_tld: bool,
    /// `None` for internationalised TLDs, which the ASCII list cannot judge.
    pub known_tld: Option<bool>,
}

impl Domains {
    pub fn new(extra_free: Vec<String>, extra_disposable: Vec<String>) -> Domains {
        let lines = |text: &'static str| text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let free = lines(FREE_DOMAINS).map(Box::from).chain(extra_free.into_iter().map(Box::from)).collect();
        let disposable = mailchecker::blacklist()
            .into_iter()
            .map(Box::from)
            .chain(extra_disposable.into_iter().map(Box::from))
            .collect();
        Domains { free, disposable, tlds: lines(TLDS).collect() }
    }

    pub fn free_count(&self) -> usize {
        self.free.len()
    }

    pub fn disposable_count(&self) -> usize {
        self.disposable.len()
    }

    /// `domain` is lower-case without a trailing dot.
    pub fn check(&self, domain: &str) -> DomainFacts {
        let tld = domain.rsplit('.').next().unwrap_or(domain);
        let free = self.free.contains(domain);
        DomainFacts {
            free,
            // Disposable services hand out subdomains too (`x.mailinator.com`).
            disposable: parents(domain).any(|d| self.disposable.contains(d)),
            typo_of: if free { None } else { typo_of(domain) },
            reserved: is_reserved(domain),
            suspicious_tld: SUSPICIOUS_TLDS.contains(&tld),
            known_tld: tld.is_ascii().then(|| domain.contains('.') && self.tlds.contains(tld)),
        }
    }
}

/// `a.b.c`, `b.c` (the bare TLD is never a listed domain).
fn parents(domain: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(domain);
    std::iter::from_fn(move || {
        let current = rest?;
        rest = current.split_once('.').map(|(_, parent)| parent).filter(|p| p.contains('.'));
        Some(current)
    })
}

/// The big provider `domain` is one or two keystrokes away from, if any.
fn typo_of(domain: &str) -> Option<&'static str> {
    if TYPO_TARGETS.contains(&domain) {
        return None;
    }
    let (label, suffix) = domain.split_once('.')?;
    TYPO_TARGETS
        .iter()
        .filter_map(|target| {
            let (target_label, target_suffix) = target.split_once('.')?;
            let suffix_distance = strsim::osa_distance(suffix, target_suffix);
            let distance = if label == target_label {
                // gmail.con, gmail.cm, hotmail.co: same name, mistyped ending.
                (suffix_distance == 1).then_some(1)?
            } else {
                let allowed = if target_label.len() >= 8 { 2 } else { 1 };
                // Lengths further apart than the allowed edits cannot match; skip the distance.
                if target_label.len() < 5 || label.len().abs_diff(target_label.len()) > allowed {
                    return None;
                }
                let label_distance = strsim::osa_distance(label, target_label);
                (label_distance <= allowed && suffix_distance <= 1).then_some(label_distance + suffix_distance)?
            };
            Some((distance, *target))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, target)| target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Domains {
        Domains::new(vec!["corp-mail.example".into()], vec!["burner.example".into()])
    }

    #[test]
    fn typos_of_big_providers() {
        assert_eq!(typo_of("gmial.com"), Some("gmail.com"));
        assert_eq!(typo_of("gamil.com"), Some("gmail.com"));
        assert_eq!(typo_of("gmail.con"), Some("gmail.com"));
        assert_eq!(typo_of("gmail.co"), Some("gmail.com"));
        assert_eq!(typo_of("hotmial.com"), Some("hotmail.com"));
        assert_eq!(typo_of("hotmaill.co.uk"), Some("hotmail.co.uk"));
        assert_eq!(typo_of("yahooo.com"), Some("yahoo.com"));
        assert_eq!(typo_of("outlok.com"), Some("outlook.com"));
    }

    #[test]
    fn real_domains_are_not_typos() {
        for domain in ["gmail.com", "gmx.de", "gmx.at", "web.com", "aol.de", "example.com", "acme.io", "mail.de"] {
            assert_eq!(typo_of(domain), None, "{domain}");
        }
        // Free providers one edit from a target are real services, not typos.
        let facts = domains().check("email.com");
        assert!(facts.free && facts.typo_of.is_none());
    }

    #[test]
    fn disposable_free_and_extras() {
        let d = domains();
        assert!(d.check("mailinator.com").disposable);
        assert!(d.check("inbox.mailinator.com").disposable);
        assert!(d.check("burner.example").disposable);
        assert!(!d.check("gmail.com").disposable);
        assert!(d.check("gmail.com").free);
        assert!(d.check("corp-mail.example").free);
        assert!(!d.check("acme.io").free);
    }

    #[test]
    fn tlds_and_reserved_names() {
        let d = domains();
        assert_eq!(d.check("acme.io").known_tld, Some(true));
        assert_eq!(d.check("acme.notatld").known_tld, Some(false));
        assert_eq!(d.check("localhost").known_tld, Some(false));
        assert!(d.check("acme.xyz").suspicious_tld);
        assert!(d.check("example.com").reserved);
        assert!(d.check("mail.example.org").reserved);
        assert!(d.check("shop.test").reserved);
        assert!(d.check("localhost").reserved);
        assert!(!d.check("example-shop.com").reserved);
    }

    #[test]
    fn parents_walk_up_to_the_registrable_part() {
        assert_eq!(parents("a.b.c.com").collect::<Vec<_>>(), vec!["a.b.c.com", "b.c.com", "c.com"]);
        assert_eq!(parents("com").collect::<Vec<_>>(), vec!["com"]);
    }
}
