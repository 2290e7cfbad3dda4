//! Velocity: how often, how much and with how many distinct counterparts a key (a device,
//! an IP, a card…) was seen over a recent window. Every decision records one row per key it
//! carries; a query reads one key's rows inside its window through an index on
//! (tenant, key, time), newest first and at most [`SCAN_LIMIT`] of them, so its cost is bounded
//! whatever the history size and however busy the key.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

/// The keys velocity is counted on. Values are stored hashed (see [`hash_key`]) so that the
/// velocity table holds no raw emails, phones or card hashes of the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VelocityKey {
    DeviceId,
    DeviceHash,
    Ip,
    Email,
    Phone,
    UserId,
    CardHash,
}

impl VelocityKey {
    pub const ALL: [VelocityKey; 7] = [
        VelocityKey::DeviceId,
        VelocityKey::DeviceHash,
        VelocityKey::Ip,
        VelocityKey::Email,
        VelocityKey::Phone,
        VelocityKey::UserId,
        VelocityKey::CardHash,
    ];

    /// Column name in the velocity table.
    pub fn column(self) -> &'static str {
        match self {
            VelocityKey::DeviceId => "device_id",
            VelocityKey::DeviceHash => "device_hash",
            VelocityKey::Ip => "ip",
            VelocityKey::Email => "email",
            VelocityKey::Phone => "phone",
            VelocityKey::UserId => "user_id",
            VelocityKey::CardHash => "card_hash",
        }
    }
}

/// The keyed values of one event (already hashed), any of which may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VelocityValues {
    pub device_id: Option<String>,
    pub device_hash: Option<String>,
    pub ip: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub user_id: Option<String>,
    pub card_hash: Option<String>,
}

impl VelocityValues {
    pub fn get(&self, key: VelocityKey) -> Option<&str> {
        match key {
            VelocityKey::DeviceId => self.device_id.as_deref(),
            VelocityKey::DeviceHash => self.device_hash.as_deref(),
            VelocityKey::Ip => self.ip.as_deref(),
            VelocityKey::Email => self.email.as_deref(),
            VelocityKey::Phone => self.phone.as_deref(),
            VelocityKey::UserId => self.user_id.as_deref(),
            VelocityKey::CardHash => self.card_hash.as_deref(),
        }
    }
}

/// One event as velocity sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VelocityEvent {
    pub tenant_id: Id,
    /// The decision or activity it came from.
    pub event_id: Id,
    pub at: Timestamp,
    pub amount: Option<f64>,
    pub values: VelocityValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VelocityMeasure {
    Count,
    Distinct(VelocityKey),
    SumAmount,
}

/// How many of a key's most recent events inside a window one counter reads at most. Without a
/// bound, one busy key — a carrier's NAT address, or a credential-stuffing run from one IP —
/// made every decision on it read all of its events: after ~12,000 events in an hour on one IP,
/// the counters took 9 ms per decision and throughput fell by half for everyone. Counters stay
/// exact below the bound, which is far above the thresholds velocity rules use; at the bound
/// they count the newest events only (a lower bound) and say so ([`VelocityAnswer::saturated`]).
pub const SCAN_LIMIT: u32 = 1_000;

/// "How many / how much / how many distinct X, for key = value, since `since`", over the
/// stored events, newest first and at most `scan_limit` of them. For a distinct count,
/// `current` is the value the event being decided carries, counted with the stored ones (it is
/// not stored yet, and it may or may not be new).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VelocityQuery {
    pub key: VelocityKey,
    pub value: String,
    pub since: Timestamp,
    pub measure: VelocityMeasure,
    pub current: Option<String>,
    pub scan_limit: u32,
}

/// One counter's value over the events read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VelocityAnswer {
    pub value: f64,
    /// The window held `scan_limit` events or more, so only the newest were read: the value
    /// is a lower bound.
    pub saturated: bool,
}

/// Keyed hash for velocity values: SHA-256 over the tenant id and the normalised value, so
/// equal values match within a tenant and the table reveals nothing across tenants.
pub fn hash_key(tenant_id: &Id, key: VelocityKey, value: &str) -> String {
    tenant_hash(tenant_id, key.column(), value)
}

/// SHA-256 over the tenant id, a label and the trimmed, lower-cased value, as 32 hex digits:
/// equal values hash equal within a tenant and differently across tenants and labels.
pub fn tenant_hash(tenant_id: &Id, label: &str, value: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(tenant_id.as_str().as_bytes());
    hasher.update([0]);
    hasher.update(label.as_bytes());
    hasher.update([0]);
    hasher.update(value.trim().to_lowercase().as_bytes());
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResourceKind;

    #[test]
    fn hashes_are_normalised_and_tenant_bound() {
        let a = Id::new(ResourceKind::Tenant);
        let b = Id::new(ResourceKind::Tenant);
        assert_eq!(
            hash_key(&a, VelocityKey::Email, " Jane@Example.com"),
            hash_key(&a, VelocityKey::Email, "jane@example.com")
        );
        assert_ne!(hash_key(&a, VelocityKey::Email, "x"), hash_key(&b, VelocityKey::Email, "x"));
        assert_ne!(hash_key(&a, VelocityKey::Email, "x"), hash_key(&a, VelocityKey::Phone, "x"));
    }
}
