//! Resource ids in the Solaris style: 32 lowercase hex characters followed by a short suffix
//! that names the resource type (`…cper` for a person, `…dcon` for a device consent). Partners
//! migrating from Solaris validate ids with exactly this shape, so every resource uses it.

use rand::RngCore;
use std::fmt;

/// Every kind of resource that gets an id, with its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Tenant,
    ApiKey,
    Person,
    DeviceConsent,
    ConsentEvent,
    DeviceActivity,
    DeviceCheck,
    WebhookSubscription,
    WebhookEvent,
    WebhookDelivery,
    WebhookAttempt,
    QuestionSet,
    Question,
    AgentKey,
    Device,
    Decision,
}

impl ResourceKind {
    pub const fn suffix(self) -> &'static str {
        match self {
            ResourceKind::Tenant => "tent",
            ResourceKind::ApiKey => "akey",
            ResourceKind::Person => "cper",
            ResourceKind::DeviceConsent => "dcon",
            ResourceKind::ConsentEvent => "dcev",
            ResourceKind::DeviceActivity => "dact",
            ResourceKind::DeviceCheck => "dchk",
            ResourceKind::WebhookSubscription => "whsb",
            ResourceKind::WebhookEvent => "whev",
            ResourceKind::WebhookDelivery => "whdl",
            ResourceKind::WebhookAttempt => "what",
            ResourceKind::QuestionSet => "qset",
            ResourceKind::Question => "ques",
            ResourceKind::AgentKey => "agky",
            ResourceKind::Device => "dvce",
            ResourceKind::Decision => "dcsn",
        }
    }
}

/// A generated or validated resource id.
/// `Deserialize` and `Default` exist for records read back from our own store (where a
/// skipped field is filled in from its column); client input goes through [`Id::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// 48 bits of the creation time in milliseconds, then 80 random bits (the layout of
    /// UUIDv7 and ULID). Ids made one after another sort together, so each new row of a table
    /// keyed by id lands on the index's last page instead of a random one: one page written
    /// per commit for all of them rather than one per row. 80 random bits keep ids unguessable
    /// and unique within a millisecond.
    pub fn new(kind: ResourceKind) -> Id {
        let mut bytes = [0u8; 16];
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
        bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        rand::thread_rng().fill_bytes(&mut bytes[6..]);
        Id(format!("{}{}", hex::encode(bytes), kind.suffix()))
    }

    /// Accepts only ids of `kind`; anything else is treated by callers as "not found" so that
    /// a malformed id and an unknown one look the same from outside.
    pub fn parse(kind: ResourceKind, text: &str) -> Option<Id> {
        let (hex_part, suffix) = text.split_at_checked(32)?;
        let hex_ok = hex_part.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (hex_ok && suffix == kind.suffix()).then(|| Id(text.to_owned()))
    }

    /// True when `text` has the shape of any resource id (32 hex + optional lowercase suffix).
    pub fn looks_like_id(text: &str) -> bool {
        match text.split_at_checked(32) {
            Some((hex_part, suffix)) => {
                hex_part.bytes().all(|b| b.is_ascii_hexdigit())
                    && suffix.len() <= 8
                    && suffix.bytes().all(|b| b.is_ascii_lowercase())
            }
            None => false,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// For values read back from our own store, which only ever holds ids we generated.
    pub fn from_trusted(text: String) -> Id {
        Id(text)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_the_solaris_shape() {
        let id = Id::new(ResourceKind::Person);
        assert_eq!(id.as_str().len(), 36);
        assert!(id.as_str().ends_with("cper"));
        assert_eq!(Id::parse(ResourceKind::Person, id.as_str()), Some(id));
    }

    #[test]
    fn ids_made_later_sort_later_and_never_repeat() {
        let first = Id::new(ResourceKind::Decision);
        std::thread::sleep(std::time::Duration::from_millis(2));
        let burst: Vec<Id> = (0..1000).map(|_| Id::new(ResourceKind::Decision)).collect();
        assert!(burst.iter().all(|id| *id > first), "a later millisecond sorts after {first}");
        let mut unique = burst.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), burst.len(), "ids made in the same millisecond differ");
    }

    #[test]
    fn parse_rejects_wrong_suffix_case_and_length() {
        let seed = "17a7389adaf83145770d8e6c00a398ddcon";
        // The seed document's consent id is 31 hex characters + "dcon"; we accept only our own shape.
        assert!(Id::parse(ResourceKind::DeviceConsent, seed).is_none());
        assert!(Id::parse(ResourceKind::DeviceConsent, "179ac83968ab42f79e960c1753a4078fdcon").is_some());
        assert!(Id::parse(ResourceKind::Person, "179ac83968ab42f79e960c1753a4078fdcon").is_none());
        assert!(Id::parse(ResourceKind::Person, "179AC83968AB42F79E960C1753A4078Fcper").is_none());
        assert!(Id::parse(ResourceKind::Person, "é").is_none());
    }

    #[test]
    fn looks_like_id_accepts_foreign_suffixes() {
        assert!(Id::looks_like_id("82d33212414e85aa5ee46b3d24515844dcon"));
        assert!(Id::looks_like_id("82d33212414e85aa5ee46b3d24515844"));
        assert!(!Id::looks_like_id("6.10.1"));
    }
}
