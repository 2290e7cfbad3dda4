//! The core's outcome in SEON's response envelope. SEON's field names and types are kept;
//! what Sightline adds (notes on empty modules, the rule-set version, timing per stage, the
//! device analysis behind `device_details`) sits in fields SEON does not use.

use super::request::Config;
use serde_json::{Map, Value, json};
use sightline_core::fraud::{FraudOutcome, Module, ModuleStatus};

/// `data` as SEON names each module's details.
fn details_key(module: Module) -> &'static str {
    match module {
        Module::Ip => "ip_details",
        Module::Email => "email_details",
        Module::Phone => "phone_details",
        Module::Card => "bin_details",
        Module::Aml => "aml_details",
        Module::Device => "device_details",
    }
}

fn note(status: &ModuleStatus) -> Option<String> {
    match status {
        ModuleStatus::Ok => None,
        ModuleStatus::Off => Some("switched off in config".to_owned()),
        ModuleStatus::NoInput(note) | ModuleStatus::Unavailable(note) | ModuleStatus::Rejected(note) => {
            Some(note.clone())
        }
    }
}

fn device_details(outcome: &mut FraudOutcome) -> Value {
    let section = &mut outcome.device;
    let Some(evidence) = section.evidence.as_mut().filter(|_| section.status == ModuleStatus::Ok) else {
        return Value::Null;
    };
    let mut details = evidence.device_details.take().unwrap_or_else(|| json!({}));
    if let Value::Object(fields) = &mut details {
        fields.insert(
            "sightline".to_owned(),
            json!({
                "device_id": evidence.device_id,
                "link": evidence.link,
                "device_risk": evidence.risk_score,
                "identity_correlation": evidence.identity_correlation,
                "flags": evidence.flags,
                "reason_codes": evidence.reasons,
                "replayed": evidence.replayed,
                "is_new_for_user": section.is_new_for_user,
                "first_seen": section.first_seen,
                "previously_seen": section.previously_seen,
            }),
        );
    }
    details
}

/// Keeps only the listed keys (comma-separated) of an object; `None` keeps everything.
fn select(value: &mut Value, fields: Option<&str>, always: &[&str]) {
    let (Some(fields), Value::Object(map)) = (fields, value) else { return };
    let wanted: Vec<&str> = fields.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
    if wanted.is_empty() {
        return;
    }
    map.retain(|key, _| wanted.contains(&key.as_str()) || always.contains(&key.as_str()));
}

fn module_fields(config: Option<&Config>, module: Module) -> Option<&str> {
    let config = config?;
    let module_config = match module {
        Module::Ip => config.ip.as_ref(),
        Module::Email => config.email.as_ref(),
        Module::Phone => config.phone.as_ref(),
        Module::Aml => config.aml.as_ref(),
        Module::Device => config.device.as_ref(),
        Module::Card => None,
    };
    module_config?.response_fields.as_deref()
}

/// The `data` object of a decision. It takes the outcome to move its module details into the
/// response rather than copy them.
pub fn data(mut outcome: FraudOutcome, config: Option<&Config>) -> Value {
    let decision = &outcome.decision;
    let mut data = Map::new();
    data.insert("id".to_owned(), json!(outcome.id));
    data.insert("state".to_owned(), json!(decision.state));
    data.insert("fraud_score".to_owned(), json!(f64::from(decision.fraud_score)));
    // SEON's machine-learning score; Sightline has no such model, and inventing one would mislead.
    data.insert("blackbox_score".to_owned(), Value::Null);
    data.insert(
        "applied_rules".to_owned(),
        decision
            .applied_rules
            .iter()
            .map(|r| json!({"id": r.id, "name": r.name, "operation": r.operation, "score": f64::from(r.score)}))
            .collect(),
    );
    data.insert(
        "rule_category_details".to_owned(),
        outcome.category_scores.iter().map(|(category, score)| json!({"category": category, "score": score})).collect(),
    );
    let mut notes = Map::new();
    for module in Module::ALL {
        let (status, mut details) = if module == Module::Device {
            (outcome.device.status.clone(), device_details(&mut outcome))
        } else {
            match outcome.modules.remove(&module) {
                Some(report) if report.status == ModuleStatus::Ok => {
                    (report.status, report.details.unwrap_or(Value::Null))
                }
                Some(report) => (report.status, Value::Null),
                None => (ModuleStatus::Unavailable("not run".to_owned()), Value::Null),
            }
        };
        select(&mut details, module_fields(config, module), &[]);
        if let Some(text) = note(&status) {
            notes.insert(module.as_str().to_owned(), Value::from(text));
        }
        data.insert(details_key(module).to_owned(), details);
    }
    data.insert("geolocation_details".to_owned(), outcome.device.geolocation.take().unwrap_or(Value::Null));
    data.insert("calculation_time".to_owned(), json!(outcome.calculation_ms.ceil() as u64));
    data.insert("version".to_owned(), json!("v2"));
    data.insert("seon_id".to_owned(), Value::Null);
    data.insert("module_notes".to_owned(), Value::Object(notes));
    data.insert("rule_set_version".to_owned(), json!(outcome.decision.rule_set_version));
    data.insert("calculation_time_breakdown".to_owned(), json!(outcome.timings_ms));
    data.insert("velocity".to_owned(), json!(outcome.velocity));
    data.insert("lists".to_owned(), json!(outcome.lists));
    data.insert("created_at".to_owned(), json!(outcome.created_at));
    let mut data = Value::Object(data);
    select(&mut data, config.and_then(|c| c.response_fields.as_deref()), &["id"]);
    data
}

/// SEON's success envelope.
pub fn envelope(data: Value) -> Value {
    json!({"success": true, "error": {}, "data": data})
}
