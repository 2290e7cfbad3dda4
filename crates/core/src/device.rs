//! Known devices and the identity graph: which persons, user ids, emails, phones and
//! accounts each device was seen with, and when. The device-intelligence crate decides what
//! a device is; this is what the store remembers about it.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceRecord {
    #[schema(value_type = String)]
    pub id: Id,
    #[serde(skip)]
    #[schema(ignore)]
    pub tenant_id: Id,
    pub platform: String,
    /// Hardware-level hash: meant to survive a browser switch on the same machine.
    pub device_hash: String,
    pub browser_hash: String,
    /// Hash of the first-party id the agent keeps in a cookie and local storage.
    pub cookie_hash: Option<String>,
    /// The normalised attributes linking compares, as last seen.
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    /// Keys for fetching linking candidates without scanning every device.
    pub blocking_keys: Vec<String>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub seen_count: i64,
    /// Where the device last was, as far as the payload said (geolocation signal), for the
    /// impossible-travel detector.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub last_location: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Person,
    UserId,
    Email,
    Phone,
    Account,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Person => "person",
            LinkKind::UserId => "user_id",
            LinkKind::Email => "email",
            LinkKind::Phone => "phone",
            LinkKind::Account => "account",
        }
    }

    pub fn parse(text: &str) -> Option<LinkKind> {
        [LinkKind::Person, LinkKind::UserId, LinkKind::Email, LinkKind::Phone, LinkKind::Account]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// What a decision asks the identity graph about a device and its subject (a person or a user
/// id): counted in the store, each count stopping at `limit`, so that a device
/// an attacker cycles thousands of user ids through (or an account attacked from thousands of
/// devices) costs each decision a bounded read instead of its whole list of links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphQuery<'a> {
    pub device_id: &'a Id,
    /// The subject's kind, and its value when the event names one.
    pub kind: LinkKind,
    pub value: Option<&'a str>,
    /// The windows: "since a day ago" and "since 30 days ago".
    pub since_day: Timestamp,
    pub since_month: Timestamp,
    pub limit: u32,
}

/// The answers to a [`GraphQuery`], from stored links only (the event being decided is not
/// stored yet). Counts stop at the query's limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphCounts {
    /// Values of the subject's kind linked to the device, seen since `since_day` / `since_month`.
    pub subjects_day: u32,
    pub subjects_month: u32,
    /// Devices linked to the subject's value, seen since `since_month`.
    pub devices_month: u32,
    /// The link between this device and the subject's value, if there is one.
    pub this_link: Option<(Timestamp, Timestamp)>,
}

/// One edge of the identity graph, with its first and last sighting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceLink {
    #[serde(skip)]
    #[schema(ignore)]
    pub tenant_id: Id,
    #[schema(value_type = String)]
    pub device_id: Id,
    pub kind: LinkKind,
    /// The linked value: a person id, a user id, or a hash of an email or phone.
    pub value: String,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// How many events carried this link.
    pub count: i64,
}
