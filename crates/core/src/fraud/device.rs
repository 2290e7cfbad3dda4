//! The device module of a decision: the payload opened and analysed like a Solaris activity,
//! but for a user id instead of a person. A payload that is missing or does not open never
//! fails the call: the section says why it is empty and rules see `invalid_payload`.

use super::enrichment::ModuleStatus;
use super::event::{FraudEvent, Module};
use super::outcome::DeviceSection;
use crate::device::{DeviceLink, DeviceRecord, LinkKind};
use crate::device_analysis::{DeviceOutcome, Subject, open_and_analyse};
use crate::link_stats::{LinkStatsCache, StatsUpdate};
use crate::{AuthContext, ErrorKind, Result, Store};
use serde_json::{Value, json};
use sightline_payload::Envelope;
use std::time::Instant;

/// What the store must remember besides the decision.
#[derive(Default)]
pub(super) struct DeviceWrites {
    pub device: Option<DeviceRecord>,
    pub links: Vec<DeviceLink>,
    pub stats_update: Option<StatsUpdate>,
    pub remember_payload: Option<(crate::Id, String, crate::Timestamp)>,
}

pub(super) async fn run(
    store: &dyn Store,
    link_stats: &LinkStatsCache,
    caller: &AuthContext,
    event: &FraudEvent,
) -> Result<(DeviceSection, DeviceWrites)> {
    let started = Instant::now();
    let section = |status: ModuleStatus| DeviceSection { status, ..DeviceSection::default() };
    if !event.modules.is_on(Module::Device) {
        return Ok((section(ModuleStatus::Off), DeviceWrites::default()));
    }
    let Some(device_data) = event.device_data.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        let note = "no session was sent (the agent may not have run); decided without device signals";
        return Ok((section(ModuleStatus::NoInput(note.to_owned())), DeviceWrites::default()));
    };
    let envelope = match Envelope::parse(device_data) {
        Ok(envelope) => envelope,
        Err(e) => {
            let mut s = section(ModuleStatus::Rejected(format!("{}: {e}", e.code())));
            s.elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
            return Ok((s, DeviceWrites::default()));
        }
    };
    let subject = Subject {
        node: event.text("user_id").map(|u| (LinkKind::UserId, u.to_owned())),
        email: event.text("email").map(str::to_owned),
        phone: event.text("phone_number").map(str::to_owned),
    };
    let outcome = match open_and_analyse(store, link_stats, caller, &subject, envelope, &event.context).await {
        Ok(outcome) => outcome,
        Err(e) if e.kind == ErrorKind::BadRequest => {
            let mut s = section(ModuleStatus::Rejected(format!("{}: {}", e.code, e.detail)));
            s.elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
            return Ok((s, DeviceWrites::default()));
        }
        Err(e) => return Err(e),
    };
    let DeviceOutcome { evidence, device, links, stats_update, is_new_for_subject, previously_seen, remember_payload } =
        outcome;
    let status = if evidence.opened {
        ModuleStatus::Ok
    } else {
        ModuleStatus::Rejected(format!(
            "{}: the session was not sealed by a Sightline agent",
            evidence.open_error.as_deref().unwrap_or("not_decryptable")
        ))
    };
    let section = DeviceSection {
        status,
        hash: device.as_ref().map(|d| d.device_hash.clone()),
        first_seen: device.as_ref().map(|d| d.first_seen),
        previously_seen,
        is_new_for_user: is_new_for_subject,
        geolocation: evidence.signals.as_ref().and_then(|s| s.get("geolocation")?.get("value")).cloned(),
        evidence: Some(evidence),
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
    };
    Ok((section, DeviceWrites { device, links, stats_update, remember_payload }))
}

/// The `device` variable of the rules' event model.
pub(super) fn rules_view(section: &DeviceSection) -> Option<Value> {
    match &section.status {
        ModuleStatus::Ok => {}
        ModuleStatus::Rejected(_) => return Some(json!({"flags": ["invalid_payload"]})),
        _ => return None,
    }
    let evidence = section.evidence.as_ref()?;
    let mut device = json!({
        "flags": evidence.flags,
        "risk": evidence.risk_score,
        "platform": evidence.platform.to_lowercase(),
    });
    let fields = device.as_object_mut()?;
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(value) = value {
            fields.insert(name.to_owned(), value);
        }
    };
    put("id", evidence.device_id.clone().map(Value::from));
    put("hash", section.hash.clone().map(Value::from));
    put("identity_correlation", evidence.identity_correlation.map(Value::from));
    put("is_new_for_user", section.is_new_for_user.map(Value::from));
    put("first_seen", section.first_seen.map(|t| Value::from(t.to_string())));
    put("last_seen", section.previously_seen.map(|t| Value::from(t.to_string())));
    put("details", evidence.device_details.clone());
    Some(device)
}
