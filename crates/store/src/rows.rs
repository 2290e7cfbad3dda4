//! Row tuples as the queries return them, and their conversion into domain values. Tuples
//! decode identically on both backends, which keeps the shared SQL free of per-backend code.

use crate::prelude::*;
use sightline_core::consent::ConsentEventType;

pub(crate) type TenantRow = (String, String, String, i64, String);

pub(crate) fn tenant(row: TenantRow) -> Result<Tenant> {
    let (id, name, mode, created_at, settings) = row;
    Ok(Tenant {
        id: Id::from_trusted(id),
        name,
        mode: mode.parse().map_err(|_| Error::internal(format!("stored tenant mode `{mode}` is unknown")))?,
        created_at: Timestamp::from_millis(created_at),
        settings: from_json(&settings)?,
    })
}

pub(crate) type ApiKeyRow = (String, String, String, String, i64, Option<i64>);

pub(crate) fn api_key(row: ApiKeyRow) -> ApiKey {
    let (id, tenant_id, prefix, label, created_at, revoked_at) = row;
    ApiKey {
        id: Id::from_trusted(id),
        tenant_id: Id::from_trusted(tenant_id),
        prefix,
        label,
        created_at: Timestamp::from_millis(created_at),
        revoked_at: revoked_at.map(Timestamp::from_millis),
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::internal(format!("cannot serialise record: {e}")))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::internal(format!("stored record is unreadable: {e}")))
}

pub(crate) type ConsentRow = (String, String, String, String, i64, Option<String>, i64, i64);

pub(crate) fn consent(row: ConsentRow) -> Result<DeviceConsent> {
    let (id, tenant_id, person_id, event_type, confirmed_at, consent_text_version, created_at, updated_at) = row;
    Ok(DeviceConsent {
        id: Id::from_trusted(id),
        tenant_id: Id::from_trusted(tenant_id),
        person_id: Id::from_trusted(person_id),
        event_type: ConsentEventType::parse(&event_type)?,
        confirmed_at: Timestamp::from_millis(confirmed_at),
        consent_text_version,
        created_at: Timestamp::from_millis(created_at),
        updated_at: Timestamp::from_millis(updated_at),
    })
}

pub(crate) type ConsentEventRow = (String, String, String, String, i64, Option<String>, i64, String);

pub(crate) fn consent_event(row: ConsentEventRow) -> Result<ConsentEvent> {
    let (id, consent_id, person_id, event_type, confirmed_at, consent_text_version, recorded_at, key_id) = row;
    Ok(ConsentEvent {
        id: Id::from_trusted(id),
        consent_id: Id::from_trusted(consent_id),
        person_id: Id::from_trusted(person_id),
        event_type: ConsentEventType::parse(&event_type)?,
        confirmed_at: Timestamp::from_millis(confirmed_at),
        consent_text_version,
        recorded_at: Timestamp::from_millis(recorded_at),
        recorded_by_key_id: Id::from_trusted(key_id),
    })
}

pub(crate) fn agent_key(row: (String, i64, String, String, i64, Option<i64>)) -> Result<AgentKeyRecord> {
    let (tenant_id, key_id, secret_hex, public_key_b64, created_at, retired_at) = row;
    Ok(AgentKeyRecord {
        tenant_id: Id::from_trusted(tenant_id),
        key_id: u32::try_from(key_id).map_err(|_| Error::internal("stored agent key id out of range"))?,
        secret_hex,
        public_key_b64,
        created_at: Timestamp::from_millis(created_at),
        retired_at: retired_at.map(Timestamp::from_millis),
    })
}

pub(crate) type SubscriptionRow = (String, String, String, String, String, i64, Option<i64>);

pub(crate) fn subscription(row: SubscriptionRow) -> Result<WebhookSubscription> {
    let (id, tenant_id, event_type, url, secret, created_at, cancelled_at) = row;
    Ok(WebhookSubscription {
        id: Id::from_trusted(id),
        tenant_id: Id::from_trusted(tenant_id),
        event_type: WebhookEventType::parse(&event_type)
            .ok_or_else(|| Error::internal(format!("unknown stored event type `{event_type}`")))?,
        url,
        secret,
        created_at: Timestamp::from_millis(created_at),
        cancelled_at: cancelled_at.map(Timestamp::from_millis),
    })
}

pub(crate) type AttemptRow = (String, String, String, String, i64, Option<i64>, Option<String>, i64, String, i64);

pub(crate) fn attempt(row: AttemptRow) -> Result<DeliveryAttempt> {
    let (delivery_id, event_id, event_type, entity_id, attempt, status_code, error, duration_ms, outcome, at) = row;
    Ok(DeliveryAttempt {
        delivery_id: Id::from_trusted(delivery_id),
        event_id: Id::from_trusted(event_id),
        event_type: WebhookEventType::parse(&event_type)
            .ok_or_else(|| Error::internal(format!("unknown stored event type `{event_type}`")))?,
        entity_id,
        attempt: u32::try_from(attempt).unwrap_or(u32::MAX),
        status_code: status_code.and_then(|c| u16::try_from(c).ok()),
        error,
        duration_ms: u64::try_from(duration_ms).unwrap_or(0),
        outcome: DeliveryStatus::parse(&outcome)?,
        at: Timestamp::from_millis(at),
    })
}

pub(crate) fn device(data: &str, tenant_id: &Id) -> Result<DeviceRecord> {
    let mut device: DeviceRecord = from_json(data)?;
    device.tenant_id = tenant_id.clone();
    Ok(device)
}

pub(crate) type LinkRow = (String, String, String, i64, i64, i64);

pub(crate) fn link(row: LinkRow, tenant_id: &Id) -> Result<DeviceLink> {
    let (device_id, kind, value, first_seen, last_seen, count) = row;
    Ok(DeviceLink {
        tenant_id: tenant_id.clone(),
        device_id: Id::from_trusted(device_id),
        kind: LinkKind::parse(&kind).ok_or_else(|| Error::internal(format!("unknown stored link kind `{kind}`")))?,
        value,
        first_seen: Timestamp::from_millis(first_seen),
        last_seen: Timestamp::from_millis(last_seen),
        count,
    })
}
