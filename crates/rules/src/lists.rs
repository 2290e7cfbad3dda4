//! Allow and deny lists and their pure matcher. The server loads list contents (it owns
//! storage) and passes them in; the matches become `lists.<name>` booleans for rules.

use crate::cidr::{Cidr, CidrError};
use crate::event::Event;
use crate::normalize;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// What a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    Email,
    EmailDomain,
    Ip,
    Cidr,
    DeviceId,
    DeviceHash,
    CardHash,
    Phone,
    UserId,
}

impl ListKind {
    /// The canonical form of a value on this list, as the matcher compares it: what the
    /// server stores, so that a point lookup by an event's normalised value finds it.
    pub fn canonical(self, value: &str) -> Result<String, ListError> {
        let canonical = match self {
            ListKind::Ip => normalize::ip(value).ok_or_else(|| ListError::Ip(value.to_owned()))?.to_string(),
            ListKind::Cidr => value.parse::<Cidr>()?.to_string(),
            ListKind::Email => normalize::email(value),
            ListKind::EmailDomain => normalize::domain(value),
            ListKind::Phone => normalize::phone(value),
            ListKind::DeviceId | ListKind::DeviceHash | ListKind::CardHash | ListKind::UserId => {
                normalize::identifier(value)
            }
        };
        if canonical.is_empty() {
            return Err(ListError::Empty(self.token()));
        }
        Ok(canonical)
    }

    pub const ALL: [ListKind; 9] = [
        ListKind::Email,
        ListKind::EmailDomain,
        ListKind::Ip,
        ListKind::Cidr,
        ListKind::DeviceId,
        ListKind::DeviceHash,
        ListKind::CardHash,
        ListKind::Phone,
        ListKind::UserId,
    ];

    pub fn token(self) -> &'static str {
        match self {
            ListKind::Email => "email",
            ListKind::EmailDomain => "email_domain",
            ListKind::Ip => "ip",
            ListKind::Cidr => "cidr",
            ListKind::DeviceId => "device_id",
            ListKind::DeviceHash => "device_hash",
            ListKind::CardHash => "card_hash",
            ListKind::Phone => "phone",
            ListKind::UserId => "user_id",
        }
    }
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Allow,
    Deny,
}

impl Polarity {
    pub fn token(self) -> &'static str {
        match self {
            Polarity::Allow => "allow",
            Polarity::Deny => "deny",
        }
    }
}

/// A name rules use after `lists.`: `deny_email`, `allow_cidr`, … and `deny_any` /
/// `allow_any` (`kind: None`) for a hit on any list of that polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ListName {
    pub polarity: Polarity,
    pub kind: Option<ListKind>,
}

impl ListName {
    pub fn new(polarity: Polarity, kind: ListKind) -> Self {
        ListName { polarity, kind: Some(kind) }
    }

    pub fn any(polarity: Polarity) -> Self {
        ListName { polarity, kind: None }
    }

    /// Every name, the `_any` ones included.
    pub fn all() -> impl Iterator<Item = ListName> {
        [Polarity::Allow, Polarity::Deny].into_iter().flat_map(|p| {
            ListKind::ALL.into_iter().map(move |k| ListName::new(p, k)).chain(std::iter::once(ListName::any(p)))
        })
    }

    /// The concrete lists this name stands for.
    pub fn expand(self) -> impl Iterator<Item = ListName> {
        let polarity = self.polarity;
        ListKind::ALL
            .into_iter()
            .filter(move |k| self.kind.is_none_or(|only| only == *k))
            .map(move |k| ListName::new(polarity, k))
    }
}

impl fmt::Display for ListName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind.map_or("any", ListKind::token);
        write!(f, "{}_{}", self.polarity.token(), kind)
    }
}

impl FromStr for ListName {
    type Err = ListError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || ListError::UnknownList(s.to_owned());
        let (polarity, rest) = if let Some(rest) = s.strip_prefix("allow_") {
            (Polarity::Allow, rest)
        } else if let Some(rest) = s.strip_prefix("deny_") {
            (Polarity::Deny, rest)
        } else {
            return Err(unknown());
        };
        if rest == "any" {
            return Ok(ListName::any(polarity));
        }
        ListKind::ALL.into_iter().find(|k| k.token() == rest).map(|k| ListName::new(polarity, k)).ok_or_else(unknown)
    }
}

impl Serialize for ListName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ListName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error(
        "unknown list '{0}': expected allow_<kind> or deny_<kind> with kind one of email, email_domain, ip, cidr, device_id, device_hash, card_hash, phone, user_id, any"
    )]
    UnknownList(String),
    #[error("'{0}' is not an IP address")]
    Ip(String),
    #[error(transparent)]
    Cidr(#[from] CidrError),
    #[error("empty {0} entry")]
    Empty(&'static str),
}

/// One list entry as stored by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    pub polarity: Polarity,
    pub kind: ListKind,
    pub value: String,
}

#[derive(Debug, Clone, Default)]
struct Entries {
    exact: BTreeMap<ListKind, HashSet<String>>,
    ips: HashSet<IpAddr>,
    // Scanned linearly: CIDR lists are short in practice and a scan keeps this std-only.
    cidrs: Vec<Cidr>,
}

impl Entries {
    fn insert(&mut self, kind: ListKind, value: &str) -> Result<(), ListError> {
        let normalised = match kind {
            ListKind::Ip => {
                let ip = normalize::ip(value).ok_or_else(|| ListError::Ip(value.to_owned()))?;
                self.ips.insert(ip);
                return Ok(());
            }
            ListKind::Cidr => {
                self.cidrs.push(value.parse()?);
                return Ok(());
            }
            ListKind::Email => normalize::email(value),
            ListKind::EmailDomain => normalize::domain(value),
            ListKind::Phone => normalize::phone(value),
            ListKind::DeviceId | ListKind::DeviceHash | ListKind::CardHash | ListKind::UserId => {
                normalize::identifier(value)
            }
        };
        if normalised.is_empty() {
            return Err(ListError::Empty(kind.token()));
        }
        self.exact.entry(kind).or_default().insert(normalised);
        Ok(())
    }

    fn has(&self, kind: ListKind, value: &str) -> bool {
        self.exact.get(&kind).is_some_and(|set| set.contains(value))
    }

    fn matches(&self, kind: ListKind, subjects: &Subjects) -> bool {
        match kind {
            ListKind::Ip => subjects.ip.is_some_and(|ip| self.ips.contains(&ip)),
            ListKind::Cidr => subjects.ip.is_some_and(|ip| self.cidrs.iter().any(|c| c.contains(ip))),
            ListKind::EmailDomain => subjects
                .email_domain
                .as_deref()
                .is_some_and(|d| normalize::domain_and_parents(d).any(|d| self.has(kind, d))),
            _ => subjects.get(kind).is_some_and(|value| self.has(kind, value)),
        }
    }
}

/// The contents of the allow and deny lists relevant to an evaluation.
#[derive(Debug, Clone, Default)]
pub struct ListSet {
    allow: Entries,
    deny: Entries,
}

impl ListSet {
    pub fn new() -> Self {
        ListSet::default()
    }

    /// Adds one entry, normalised the way event values are.
    pub fn insert(&mut self, polarity: Polarity, kind: ListKind, value: &str) -> Result<(), ListError> {
        match polarity {
            Polarity::Allow => self.allow.insert(kind, value),
            Polarity::Deny => self.deny.insert(kind, value),
        }
    }

    /// Builds a set from stored entries; every bad entry is reported, none is dropped silently.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a ListEntry>,
    ) -> Result<ListSet, Vec<(ListEntry, ListError)>> {
        let mut set = ListSet::new();
        let mut errors = Vec::new();
        for entry in entries {
            if let Err(e) = set.insert(entry.polarity, entry.kind, &entry.value) {
                errors.push((entry.clone(), e));
            }
        }
        if errors.is_empty() { Ok(set) } else { Err(errors) }
    }

    /// Which lists the event's values are on.
    pub fn matches(&self, event: &Event) -> ListMatches {
        self.matches_subjects(&Subjects::from_event(event))
    }

    pub fn matches_subjects(&self, subjects: &Subjects) -> ListMatches {
        let mut hits = BTreeSet::new();
        for (polarity, entries) in [(Polarity::Allow, &self.allow), (Polarity::Deny, &self.deny)] {
            for kind in ListKind::ALL {
                if entries.matches(kind, subjects) {
                    hits.insert(ListName::new(polarity, kind));
                }
            }
        }
        ListMatches { hits }
    }
}

/// The values of an event that lists are matched against, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subjects {
    pub email: Option<String>,
    pub email_domain: Option<String>,
    pub ip: Option<IpAddr>,
    pub device_id: Option<String>,
    pub device_hash: Option<String>,
    pub card_hash: Option<String>,
    pub phone: Option<String>,
    pub user_id: Option<String>,
}

impl Subjects {
    /// Reads `request.email` (its domain, or `request.email_domain`), `request.ip`,
    /// `request.device_id` (else `device.id`), `device.hash`, `request.card_hash`,
    /// `request.phone_number` and `request.user_id`. Empty strings count as absent.
    pub fn from_event(event: &Event) -> Subjects {
        let req = |name: &str| event.request.get(name).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty());
        let dev = |name: &str| {
            event.device.as_ref().and_then(|d| d.get(name)).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty())
        };
        let email = req("email").map(normalize::email);
        let email_domain =
            email.as_deref().and_then(normalize::email_domain).or_else(|| req("email_domain").map(normalize::domain));
        Subjects {
            email,
            email_domain,
            ip: req("ip").and_then(normalize::ip),
            device_id: req("device_id").or_else(|| dev("id")).map(normalize::identifier),
            device_hash: dev("hash").map(normalize::identifier),
            card_hash: req("card_hash").map(normalize::identifier),
            phone: req("phone_number").map(normalize::phone),
            user_id: req("user_id").map(normalize::identifier),
        }
    }

    /// Every canonical value an entry must equal to be hit (an email domain also through its
    /// parents); CIDR entries cannot be found by value and are loaded whole.
    pub fn lookup_values(&self) -> Vec<String> {
        let mut values: Vec<String> =
            [&self.email, &self.device_id, &self.device_hash, &self.card_hash, &self.phone, &self.user_id]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
        if let Some(domain) = &self.email_domain {
            values.extend(normalize::domain_and_parents(domain).map(str::to_owned));
        }
        values.extend(self.ip.map(|ip| ip.to_string()));
        values.sort_unstable();
        values.dedup();
        values
    }

    fn get(&self, kind: ListKind) -> Option<&str> {
        match kind {
            ListKind::Email => self.email.as_deref(),
            ListKind::EmailDomain => self.email_domain.as_deref(),
            ListKind::DeviceId => self.device_id.as_deref(),
            ListKind::DeviceHash => self.device_hash.as_deref(),
            ListKind::CardHash => self.card_hash.as_deref(),
            ListKind::Phone => self.phone.as_deref(),
            ListKind::UserId => self.user_id.as_deref(),
            ListKind::Ip | ListKind::Cidr => None,
        }
    }
}

/// The lists an event hit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMatches {
    pub hits: BTreeSet<ListName>,
}

impl ListMatches {
    /// Whether `name` was hit; `_any` names are hit when any list of their polarity is.
    pub fn contains(&self, name: ListName) -> bool {
        name.expand().any(|n| self.hits.contains(&n))
    }

    /// The `lists` variable of an event: every hit list set to true (absent names read as
    /// false).
    pub fn to_event_lists(&self) -> BTreeMap<String, bool> {
        self.hits.iter().map(|n| (n.to_string(), true)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_values_are_what_lookups_find() {
        assert_eq!(ListKind::Email.canonical(" Fraud@Example.COM").unwrap(), "fraud@example.com");
        assert_eq!(ListKind::Ip.canonical("::ffff:10.0.0.1").unwrap(), "10.0.0.1");
        assert_eq!(ListKind::EmailDomain.canonical("*.Mailinator.com").unwrap(), "mailinator.com");
        assert!(ListKind::UserId.canonical("  ").is_err());
        let subjects = Subjects {
            email: Some("a@x.mailinator.com".into()),
            email_domain: Some("x.mailinator.com".into()),
            ip: normalize::ip("::ffff:10.0.0.1"),
            ..Subjects::default()
        };
        let values = subjects.lookup_values();
        for expected in ["a@x.mailinator.com", "x.mailinator.com", "mailinator.com", "10.0.0.1"] {
            assert!(values.iter().any(|v| v == expected), "{expected} in {values:?}");
        }
    }
    use serde_json::json;

    fn event() -> Event {
        Event::from_json(&json!({
            "request": {
                "email": "Fraud.Ster@Sub.Mailinator.com",
                "ip": "::ffff:198.51.100.23",
                "device_id": "dev-1",
                "card_hash": "c0ffee",
                "phone_number": "+36 30 123 4567",
                "user_id": "u-42"
            },
            "device": {"hash": "h-9"}
        }))
    }

    #[test]
    fn names_round_trip() {
        let mut n = 0;
        for name in ListName::all() {
            assert_eq!(name.to_string().parse::<ListName>(), Ok(name));
            n += 1;
        }
        assert_eq!(n, 20);
        assert!("deny_emails".parse::<ListName>().is_err());
        assert!("block_email".parse::<ListName>().is_err());
        assert_eq!(ListName::any(Polarity::Deny).expand().count(), 9);
    }

    #[test]
    fn every_kind_matches_its_subject() {
        let cases = [
            (ListKind::Email, "fraud.ster@sub.mailinator.com "),
            (ListKind::EmailDomain, "mailinator.com"),
            (ListKind::Ip, "198.51.100.23"),
            (ListKind::Cidr, "198.51.100.0/24"),
            (ListKind::DeviceId, "dev-1"),
            (ListKind::DeviceHash, "h-9"),
            (ListKind::CardHash, "c0ffee"),
            (ListKind::Phone, "+3630-123-4567"),
            (ListKind::UserId, "u-42"),
        ];
        let ev = event();
        for (kind, value) in cases {
            let mut set = ListSet::new();
            set.insert(Polarity::Deny, kind, value).unwrap();
            let m = set.matches(&ev);
            assert!(m.contains(ListName::new(Polarity::Deny, kind)), "{kind:?}");
            assert!(m.contains(ListName::any(Polarity::Deny)));
            assert!(!m.contains(ListName::any(Polarity::Allow)));
            assert_eq!(m.hits.len(), 1, "{kind:?}");
        }
    }

    #[test]
    fn near_misses_do_not_match() {
        let mut set = ListSet::new();
        set.insert(Polarity::Deny, ListKind::EmailDomain, "ailinator.com").unwrap();
        set.insert(Polarity::Deny, ListKind::Cidr, "198.51.101.0/24").unwrap();
        set.insert(Polarity::Deny, ListKind::DeviceId, "DEV-1").unwrap();
        set.insert(Polarity::Allow, ListKind::Ip, "2001:db8::1").unwrap();
        assert!(set.matches(&event()).hits.is_empty());
        assert!(set.matches(&Event::default()).hits.is_empty());
    }

    #[test]
    fn domain_falls_back_to_email_domain_field() {
        let mut set = ListSet::new();
        set.insert(Polarity::Allow, ListKind::EmailDomain, "@Corp.Example").unwrap();
        let ev = Event::from_json(&json!({"request": {"email_domain": "corp.example"}}));
        assert!(set.matches(&ev).contains(ListName::new(Polarity::Allow, ListKind::EmailDomain)));
        assert_eq!(set.matches(&ev).to_event_lists().get("allow_email_domain"), Some(&true));
    }

    #[test]
    fn bad_entries_are_all_reported() {
        let entries = [
            ListEntry { polarity: Polarity::Deny, kind: ListKind::Ip, value: "10.0.0".into() },
            ListEntry { polarity: Polarity::Deny, kind: ListKind::Cidr, value: "10.0.0.0/40".into() },
            ListEntry { polarity: Polarity::Deny, kind: ListKind::Email, value: "  ".into() },
            ListEntry { polarity: Polarity::Deny, kind: ListKind::Email, value: "ok@example.com".into() },
        ];
        let errors = ListSet::from_entries(&entries).unwrap_err();
        assert_eq!(errors.len(), 3);
    }
}
