//! One payload through device intelligence: open it, recognise the device (exact or linked,
//! with an explanation), read its history from the identity graph, analyse, and prepare the
//! graph updates. The pure work is `sightline_device`'s; this module feeds it what the store
//! knows and returns what the store must remember.

use crate::activity::{DeviceEvidence, Reason};
use crate::device::{DeviceLink, DeviceRecord, GraphQuery, LinkKind};
use crate::link_stats::{LinkStatsCache, StatsUpdate};
use crate::monitoring::{PAYLOAD_MAX_AGE_MS, PAYLOAD_MAX_FUTURE_SKEW_MS, RequestContext};
use crate::velocity::{VelocityKey, hash_key};
use crate::{AuthContext, Error, ErrorKind, Id, ResourceKind, Result, Store, TenantMode, Timestamp};
use futures_util::future::try_join;
use sightline_device::{
    AnalysisInput, AttributeStats, DeviceAnalysis, DeviceHistory, Fingerprint, GeoPoint, KnownDevice, LastSeen,
    LinkConfig, LinkDecision, MIN_STATS_POPULATION, analyse, can_link_by_attributes, fingerprint, link_by_id,
    link_candidates,
};
use sightline_payload::{DevicePayload, Envelope, OpenError, OpenPolicy, Shape, open_envelope};

/// Risk at which automatic vetting raises a potential match, and at which a protected
/// action is denied outright (between them it steps up). See docs/device-intelligence.md.
pub const SUSPICIOUS_RISK: u8 = 60;
pub const DENY_RISK: u8 = 85;
/// How many linking candidates are fetched from the store per payload.
const CANDIDATES: u32 = 50;
const DAY_MS: i64 = 24 * 3600 * 1000;
/// Where the identity graph's counts stop ("persons on this device in 30 days", "devices of
/// this person"): twenty times the detectors' thresholds (3 and 5), and low enough that a device
/// cycled through thousands of user ids costs each decision a bounded read. Before the bound,
/// ~18,000 user ids on one device made its device stage take 4–5 ms per decision; each count
/// looks up the link rows it counts, ~1 µs apiece, so a bound of 1,000 still cost ~2 ms.
const GRAPH_COUNT_LIMIT: u32 = 100;

/// What one payload taught us, and what the identity graph must remember.
pub struct DeviceOutcome {
    pub evidence: DeviceEvidence,
    pub device: Option<DeviceRecord>,
    pub links: Vec<DeviceLink>,
    /// To apply to the link statistics once the device is committed.
    pub stats_update: Option<StatsUpdate>,
    /// Whether the subject had never used this device (`None` for an anonymous event).
    pub is_new_for_subject: Option<bool>,
    /// When the device was seen before this payload.
    pub previously_seen: Option<Timestamp>,
    /// The payload id to remember in the caller's commit (absent when already remembered).
    pub remember_payload: Option<(Id, String, Timestamp)>,
}

/// Finding categories that put a person in front of a compliance analyst whatever the score:
/// scripted sessions, emulators, rooted or jailbroken phones and lying browsers are what
/// account-takeover and mule tooling looks like, even when each tell alone is weak.
const SUSPICIOUS_CATEGORIES: [&str; 4] = ["automation", "emulation", "integrity", "tampering"];

/// Enough for a potential match: high risk, a replay, or a finding of a suspicious category.
pub fn suspicious(evidence: &DeviceEvidence) -> bool {
    evidence.risk_score >= SUSPICIOUS_RISK
        || evidence.replayed
        || evidence.flags.iter().any(|f| SUSPICIOUS_CATEGORIES.contains(&f.as_str()))
}

/// Whom a payload is analysed for: the identity-graph node its device gets linked to, and the
/// contact data linked alongside it. A Solaris person, or a Fraud API user id (else email).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subject {
    /// `None` for an anonymous event: the device is recognised and analysed, nothing linked.
    pub node: Option<(LinkKind, String)>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Subject {
    pub fn person(person: &crate::person::Person) -> Subject {
        Subject {
            node: Some((LinkKind::Person, person.id.to_string())),
            email: person.profile.email.clone(),
            phone: person.profile.mobile_number.clone(),
        }
    }
}

pub async fn open_and_analyse(
    store: &dyn Store,
    link_stats: &LinkStatsCache,
    caller: &AuthContext,
    subject: &Subject,
    envelope: Envelope,
    context: &RequestContext,
) -> Result<DeviceOutcome> {
    let ring = crate::agent_key::key_ring(store, caller).await?;
    let now = Timestamp::now();
    let policy = OpenPolicy {
        now_ms: now.millis(),
        max_age_ms: PAYLOAD_MAX_AGE_MS,
        max_future_skew_ms: PAYLOAD_MAX_FUTURE_SKEW_MS,
    };
    let mut evidence = DeviceEvidence {
        platform: envelope.platform().as_str().to_owned(),
        sdk_version: envelope.sdk_version().map(str::to_owned),
        session_id: envelope.session_id().to_owned(),
        shape: match envelope.shape() {
            Shape::Sealed => "sealed".to_owned(),
            Shape::Legacy => "legacy".to_owned(),
        },
        opened: false,
        open_error: None,
        payload_id: None,
        collected_at: None,
        replayed: false,
        signals: None,
        behavior: None,
        flags: Vec::new(),
        reasons: Vec::new(),
        risk_score: 0,
        device_id: None,
        link: None,
        device_details: None,
        identity_correlation: None,
    };
    let mut payload = match open_envelope(&ring, envelope, &policy) {
        Ok(opened) => opened.payload,
        // Another vendor's strings: accepted in test mode only (the seed samples), never opened.
        Err(e @ (OpenError::LegacyShape { .. } | OpenError::UnknownKey { .. } | OpenError::Truncated { .. }))
            if caller.tenant.mode == TenantMode::Test =>
        {
            evidence.open_error = Some(e.code().to_owned());
            evidence.flags.push("not_decryptable".to_owned());
            evidence
                .reasons
                .push(Reason::new("I901", "device_data was not sealed by a Sightline agent; no signals analysed"));
            return Ok(DeviceOutcome {
                evidence,
                device: None,
                links: Vec::new(),
                stats_update: None,
                is_new_for_subject: None,
                previously_seen: None,
                remember_payload: None,
            });
        }
        Err(e) => return Err(Error::new(ErrorKind::BadRequest, e.code(), e.to_string()).with_field("device_data")),
    };

    // A tenant that refuses replays claims the id before anything is stored (one extra write);
    // otherwise a replay is only flagged, so a read now and the claim in the caller's commit do.
    // Recognising the device only reads, so it runs alongside.
    let strict = caller.tenant.settings.reject_replayed_payloads;
    let replay_check = async {
        if strict {
            store.remember_payload(&caller.tenant.id, &payload.payload_id, now).await
        } else {
            Ok(!store.payload_seen(&caller.tenant.id, &payload.payload_id).await?)
        }
    };
    let fp = fingerprint(&payload);
    let location = location_of(&payload);
    let (fresh, identity) =
        try_join(replay_check, identify(store, link_stats, &caller.tenant.id, subject, &fp, location, now)).await?;
    let remember_payload = (fresh && !strict).then(|| (caller.tenant.id.clone(), payload.payload_id.clone(), now));
    if !fresh && strict {
        return Err(Error::bad_request("payload_replayed", "this device_data string was already submitted")
            .with_field("device_data"));
    }
    evidence.opened = true;
    evidence.replayed = !fresh;
    evidence.payload_id = Some(payload.payload_id.clone());
    evidence.collected_at = Some(Timestamp::from_millis(payload.collected_at));

    let analysis = run_analysis(&payload, context, now, !fresh, identity.history.clone());
    apply(&mut evidence, &analysis, &identity);
    // Moved, not copied: the analysis is done with them.
    evidence.signals = Some(serde_json::Value::Object(std::mem::take(&mut payload.signals).into_iter().collect()));
    evidence.behavior = payload.behavior.take();

    let links = graph_links(caller, subject, &identity.device_id, now);
    Ok(DeviceOutcome {
        evidence,
        is_new_for_subject: identity.history.is_new_device_for_person,
        previously_seen: identity.previously_seen,
        remember_payload,
        device: Some(identity.record),
        links,
        stats_update: Some(identity.stats_update),
    })
}

struct Identity {
    device_id: Id,
    decision: LinkDecision,
    history: DeviceHistory,
    record: DeviceRecord,
    /// Attributes that differ from the known device's, also on exact matches (a browser
    /// update under an intact first-party id is still worth showing).
    drift: Vec<serde_json::Value>,
    stats_update: StatsUpdate,
    previously_seen: Option<Timestamp>,
}

fn drift(known: &KnownDevice, fp: &Fingerprint) -> Vec<serde_json::Value> {
    let mut names: Vec<&String> = known.attributes.keys().chain(fp.attributes.keys()).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (from, to) = (known.attributes.get(name), fp.attributes.get(name));
            (from != to).then(|| serde_json::json!({"attr": name, "from": from, "to": to}))
        })
        .collect()
}

/// The geolocation the payload carried, if the customer granted it.
fn location_of(payload: &DevicePayload) -> Option<serde_json::Value> {
    let value = payload.signals.get("geolocation")?.get("value")?;
    let (latitude, longitude) = (value.get("latitude")?.as_f64()?, value.get("longitude")?.as_f64()?);
    Some(serde_json::json!({"latitude": latitude, "longitude": longitude, "accuracy_m": value.get("accuracy_m")}))
}

/// Stored records with the linking view each holds; records that do not parse are skipped.
fn known(records: Vec<DeviceRecord>) -> (Vec<DeviceRecord>, Vec<KnownDevice>) {
    records
        .into_iter()
        .filter_map(|record| {
            let device = <KnownDevice as serde::Deserialize>::deserialize(&record.attributes).ok()?;
            Some((record, device))
        })
        .unzip()
}

/// Exact match or link against the candidates the store finds by first-party id and
/// blocking keys; a new device otherwise. The stored record absorbs this sighting.
async fn identify(
    store: &dyn Store,
    link_stats: &LinkStatsCache,
    tenant_id: &Id,
    subject: &Subject,
    fp: &Fingerprint,
    location: Option<serde_json::Value>,
    now: Timestamp,
) -> Result<Identity> {
    let mut keys = fp.candidate_keys();
    keys.extend(fp.cookie_hash.iter().map(|c| format!("cookie:{c}")));
    keys.extend(fp.id_hashes.iter().map(|h| format!("id:{h}")));
    let (id_keys, attribute_keys): (Vec<String>, Vec<String>) =
        keys.iter().cloned().partition(|k| k.starts_with("id:") || k.starts_with("cookie:"));
    let stats = link_stats.for_tenant(store, tenant_id).await?;
    let config = LinkConfig::default();
    // A handful of devices says little about how common a value is, so small tenants link on
    // the attributes' prior weights.
    let prior = AttributeStats::default();
    // Most payloads come back with their persistent id, which settles the match on its own:
    // the records sharing a blocking key (up to CANDIDATES of them) are read only when not.
    let by_id = store.device_candidates(tenant_id, fp.cookie_hash.as_deref(), &id_keys, CANDIDATES).await?;
    let (mut records, mut known_devices) = known(by_id);
    let decision = link_by_id(fp, &known_devices.iter().collect::<Vec<_>>());
    if decision.is_none() {
        let linkable = {
            let learnt = stats.stats.read().unwrap_or_else(|e| e.into_inner());
            can_link_by_attributes(fp, &config, learnt.or_prior(&prior, MIN_STATS_POPULATION))
        };
        if linkable && !attribute_keys.is_empty() {
            let by_attributes = store.device_candidates(tenant_id, None, &attribute_keys, CANDIDATES).await?;
            let (more_records, more_devices) = known(by_attributes);
            for (record, device) in more_records.into_iter().zip(more_devices) {
                if !records.iter().any(|r| r.id == record.id) {
                    records.push(record);
                    known_devices.push(device);
                }
            }
        }
    }
    let decision = decision.unwrap_or_else(|| {
        let refs: Vec<&KnownDevice> = known_devices.iter().collect();
        let learnt = stats.stats.read().unwrap_or_else(|e| e.into_inner());
        link_candidates(fp, now.millis(), &refs, &config, learnt.or_prior(&prior, MIN_STATS_POPULATION))
    });
    let existing = decision
        .device_id()
        .and_then(|id| records.iter().position(|r| r.id.as_str() == id))
        .map(|i| (&records[i], &known_devices[i]));

    let drift = existing.map(|(_, device)| drift(device, fp)).unwrap_or_default();
    let (device_id, known_device, first_seen, seen_count) = match existing {
        Some((record, device)) => {
            let mut device = device.clone();
            device.absorb(fp, now.millis());
            (record.id.clone(), device, record.first_seen, record.seen_count + 1)
        }
        None => {
            let id = Id::new(ResourceKind::Device);
            (id.clone(), KnownDevice::from_fingerprint(id.as_str(), fp, now.millis()), now, 1)
        }
    };
    let mut history = history(store, tenant_id, subject, &device_id, existing.map(|(_, d)| d), &decision, now).await?;
    history.last_seen = existing.map(|(record, _)| LastSeen {
        at_ms: record.last_seen.millis(),
        ip_country: None,
        geo: record.last_location.as_ref().and_then(|l| serde_json::from_value::<GeoPoint>(l.clone()).ok()),
    });
    let last_location = location.or_else(|| existing.and_then(|(record, _)| record.last_location.clone()));
    let record = DeviceRecord {
        id: device_id.clone(),
        tenant_id: tenant_id.clone(),
        platform: fp.platform.as_str().to_owned(),
        device_hash: fp.device_hash.clone(),
        browser_hash: fp.browser_hash.clone(),
        cookie_hash: fp.cookie_hash.clone(),
        attributes: serde_json::to_value(&known_device).map_err(Error::internal)?,
        blocking_keys: keys,
        first_seen,
        last_seen: now,
        seen_count,
        last_location,
    };
    let stats_update = StatsUpdate {
        platform: fp.platform,
        old: existing.map(|(_, device)| device.attributes.clone()),
        new: known_device.attributes.clone(),
    };
    let previously_seen = existing.map(|(record, _)| record.last_seen);
    Ok(Identity { device_id, decision, history, record, drift, stats_update, previously_seen })
}

/// What the identity graph says about this device and its subject, for the detectors. The
/// "persons" counts are of the subject's kind: persons for Solaris, user ids for the Fraud API.
async fn history(
    store: &dyn Store,
    tenant_id: &Id,
    subject: &Subject,
    device_id: &Id,
    known: Option<&KnownDevice>,
    decision: &LinkDecision,
    now: Timestamp,
) -> Result<DeviceHistory> {
    let node_kind = subject.node.as_ref().map_or(LinkKind::Person, |(kind, _)| *kind);
    let node_value = subject.node.as_ref().map(|(_, value)| value.as_str());
    let since_day = Timestamp::from_millis(now.millis() - DAY_MS);
    let since_month = Timestamp::from_millis(now.millis() - 30 * DAY_MS);
    let query =
        GraphQuery { device_id, kind: node_kind, value: node_value, since_day, since_month, limit: GRAPH_COUNT_LIMIT };
    let counts = store.graph_counts(tenant_id, &query).await?;
    // The event's own subject and device count once, whether or not their link is stored yet.
    let last_seen = counts.this_link.map(|(_, last)| last);
    let unless_counted = |since: Timestamp| u32::from(last_seen.is_none_or(|last| last < since));
    let subject_unless_counted = |since: Timestamp| if node_value.is_some() { unless_counted(since) } else { 0 };
    let (is_new, first_seen, devices_30d) = match node_value {
        Some(_) => (
            Some(counts.this_link.is_none()),
            counts.this_link.map(|(first, _)| first.millis()),
            Some(counts.devices_month.saturating_add(unless_counted(since_month))),
        ),
        None => (None, None, None),
    };
    Ok(DeviceHistory {
        device_id: Some(device_id.to_string()),
        link: Some(decision.clone()),
        known_device_hash: known.map(|k| k.device_hash.clone()),
        known_browser_hash: known.map(|k| k.browser_hash.clone()),
        persons_on_device_24h: Some(counts.subjects_day.saturating_add(subject_unless_counted(since_day))),
        persons_on_device_30d: Some(counts.subjects_month.saturating_add(subject_unless_counted(since_month))),
        devices_of_person_30d: devices_30d,
        is_new_device_for_person: is_new,
        person_device_first_seen_ms: first_seen,
        last_seen: None,
    })
}

fn run_analysis(
    payload: &DevicePayload,
    context: &RequestContext,
    now: Timestamp,
    replayed: bool,
    history: DeviceHistory,
) -> DeviceAnalysis {
    let mut input = AnalysisInput::new(payload, now.millis());
    input.request.ip = context.ip.clone();
    input.request.user_agent = context.user_agent.clone();
    input.replayed = replayed;
    input.history = history;
    analyse(&input)
}

fn apply(evidence: &mut DeviceEvidence, analysis: &DeviceAnalysis, identity: &Identity) {
    let mut flags: Vec<String> = Vec::new();
    for flag in &analysis.flags {
        flags.push(flag.name.clone());
        // The category ("automation", "tampering", …) is the coarse flag rules and tests use.
        if let Ok(serde_json::Value::String(category)) = serde_json::to_value(flag.category) {
            flags.push(category.to_lowercase());
        }
    }
    if evidence.replayed {
        flags.push("replayed".to_owned());
    }
    flags.sort();
    flags.dedup();
    evidence.flags = flags;
    evidence.reasons =
        analysis.reason_codes.iter().map(|c| Reason { code: c.code.clone(), description: c.title.clone() }).collect();
    evidence.risk_score = analysis.device_risk.value;
    evidence.identity_correlation = Some(analysis.identity_correlation.value);
    evidence.device_details = Some(analysis.device_details.clone());
    evidence.device_id = Some(identity.device_id.to_string());
    let mut link = serde_json::to_value(&identity.decision).ok();
    if let Some(serde_json::Value::Object(fields)) = &mut link
        && matches!(identity.decision, LinkDecision::Exact { .. })
    {
        fields.insert("changed".to_owned(), serde_json::Value::Array(identity.drift.clone()));
    }
    evidence.link = link;
}

/// The edges this sighting adds: device ↔ subject, and device ↔ its email and phone
/// (hashed, so the graph holds no raw contact data).
fn graph_links(caller: &AuthContext, subject: &Subject, device_id: &Id, now: Timestamp) -> Vec<DeviceLink> {
    let edge = |kind: LinkKind, value: String| DeviceLink {
        tenant_id: caller.tenant.id.clone(),
        device_id: device_id.clone(),
        kind,
        value,
        first_seen: now,
        last_seen: now,
        count: 1,
    };
    let mut links: Vec<DeviceLink> = subject.node.iter().map(|(kind, value)| edge(*kind, value.clone())).collect();
    if let Some(email) = &subject.email {
        links.push(edge(LinkKind::Email, hash_key(&caller.tenant.id, VelocityKey::Email, email)));
    }
    if let Some(phone) = &subject.phone {
        links.push(edge(LinkKind::Phone, hash_key(&caller.tenant.id, VelocityKey::Phone, phone)));
    }
    links
}
