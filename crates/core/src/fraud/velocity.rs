//! The counters a rule set reads, for one event: its keys hashed, each counter read over the
//! key's rows inside the window through the key's index (the store reads a key and window once
//! for all the counters on it), and the event itself counted in (it is stored in the same
//! commit as the decision, after the rules ran).

use super::event::FraudEvent;
use super::outcome::DeviceSection;
use crate::velocity::{SCAN_LIMIT, VelocityKey, VelocityMeasure, VelocityQuery, VelocityValues, hash_key};
use crate::{Id, Result, Store, Timestamp};
use sightline_rules::{KeyKind, Measure, VelocitySpec};
use std::collections::{BTreeMap, BTreeSet};

fn key(kind: KeyKind) -> VelocityKey {
    match kind {
        KeyKind::DeviceId => VelocityKey::DeviceId,
        KeyKind::DeviceHash => VelocityKey::DeviceHash,
        KeyKind::Ip => VelocityKey::Ip,
        KeyKind::Email => VelocityKey::Email,
        KeyKind::Phone => VelocityKey::Phone,
        KeyKind::UserId => VelocityKey::UserId,
        KeyKind::CardHash => VelocityKey::CardHash,
    }
}

/// The event's keys, hashed. The device is the partner's `device_id` when sent, else the
/// device Sightline recognised (the same choice the `device_id` lists make).
pub(super) fn values(tenant_id: &Id, event: &FraudEvent, device: &DeviceSection) -> VelocityValues {
    let hashed = |k: VelocityKey, v: Option<&str>| v.map(|v| hash_key(tenant_id, k, v));
    let our_device_id = device.evidence.as_ref().and_then(|e| e.device_id.as_deref());
    VelocityValues {
        device_id: hashed(VelocityKey::DeviceId, event.text("device_id").or(our_device_id)),
        device_hash: hashed(VelocityKey::DeviceHash, device.hash.as_deref()),
        ip: hashed(VelocityKey::Ip, event.text("ip")),
        email: hashed(VelocityKey::Email, event.text("email")),
        phone: hashed(VelocityKey::Phone, event.text("phone_number")),
        user_id: hashed(VelocityKey::UserId, event.text("user_id")),
        card_hash: hashed(VelocityKey::CardHash, event.text("card_hash")),
    }
}

/// The counters of one event.
#[derive(Debug, Default)]
pub(super) struct Counted {
    /// Counter name → value, for the counters whose key the event carries (the others stay
    /// absent, which makes the rules reading them unavailable rather than wrong).
    pub values: BTreeMap<String, f64>,
    /// The counters whose key had more events in the window than a counter reads (see
    /// [`SCAN_LIMIT`]): their values are lower bounds.
    pub saturated: BTreeSet<String>,
}

pub(super) async fn compute(
    store: &dyn Store,
    tenant_id: &Id,
    needs: &BTreeSet<VelocitySpec>,
    values: &VelocityValues,
    amount: Option<f64>,
    now: Timestamp,
) -> Result<Counted> {
    let mut names = Vec::new();
    let mut queries = Vec::new();
    for spec in needs {
        let Some(value) = values.get(key(spec.key)) else { continue };
        let window_ms = i64::try_from(spec.window.seconds()).unwrap_or(i64::MAX).saturating_mul(1000);
        let (measure, current) = match spec.measure {
            Measure::Count => (VelocityMeasure::Count, None),
            Measure::SumAmount => (VelocityMeasure::SumAmount, None),
            Measure::DistinctCount(other) => {
                (VelocityMeasure::Distinct(key(other)), values.get(key(other)).map(str::to_owned))
            }
        };
        names.push((spec.name(), spec.measure));
        queries.push(VelocityQuery {
            key: key(spec.key),
            value: value.to_owned(),
            since: now.plus_millis(-window_ms),
            measure,
            current,
            scan_limit: SCAN_LIMIT,
        });
    }
    if queries.is_empty() {
        return Ok(Counted::default());
    }
    let stored = store.velocity(tenant_id, &queries).await?;
    let mut counted = Counted::default();
    for ((name, measure), stored) in names.into_iter().zip(stored) {
        let with_current = match measure {
            Measure::Count => stored.value + 1.0,
            Measure::SumAmount => stored.value + amount.unwrap_or(0.0),
            Measure::DistinctCount(_) => stored.value,
        };
        if stored.saturated {
            counted.saturated.insert(name.clone());
        }
        counted.values.insert(name, with_current);
    }
    Ok(counted)
}
