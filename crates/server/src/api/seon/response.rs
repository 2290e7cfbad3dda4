//! The core's outcome in SEON's response envelope. SEON's field names and types are kept;
//! what Sightline adds (notes on empty modules, the rule-set version, timing per stage, the
//! device analysis behind `device_details`) sits in fields SEON does not use.

use super::request::Config;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};
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

/// Which keys of an object a comma-separated `response_fields` keeps; `None` or an empty
/// list keeps everything, and `always` is kept whatever the list says.
#[derive(Clone, Copy)]
struct Selection<'a> {
    fields: Option<&'a str>,
    always: &'static [&'static str],
}

impl<'a> Selection<'a> {
    fn new(fields: Option<&'a str>, always: &'static [&'static str]) -> Self {
        let fields = fields.filter(|f| f.split(',').any(|name| !name.trim().is_empty()));
        Selection { fields, always }
    }

    fn keeps(&self, key: &str) -> bool {
        match self.fields {
            None => true,
            Some(fields) => self.always.contains(&key) || fields.split(',').any(|name| name.trim() == key),
        }
    }
}

/// A module's details with its `response_fields` applied: written as they are serialised
/// rather than copied into a new tree first.
struct Selected<'a> {
    value: Option<&'a Value>,
    selection: Selection<'a>,
}

impl Serialize for Selected<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            None => serializer.serialize_none(),
            Some(Value::Object(fields)) => {
                serializer.collect_map(fields.iter().filter(|(key, _)| self.selection.keeps(key)))
            }
            Some(other) => other.serialize(serializer),
        }
    }
}

/// `device_details`: the platform's details plus Sightline's analysis under `sightline`.
struct DeviceDetails<'a> {
    outcome: &'a FraudOutcome,
    selection: Selection<'a>,
}

#[derive(Serialize)]
struct SightlineDevice<'a> {
    device_id: &'a Option<String>,
    link: &'a Option<Value>,
    device_risk: u8,
    identity_correlation: Option<u8>,
    flags: &'a [String],
    reason_codes: &'a [sightline_core::activity::Reason],
    replayed: bool,
    is_new_for_user: Option<bool>,
    first_seen: Option<sightline_core::Timestamp>,
    previously_seen: Option<sightline_core::Timestamp>,
}

impl Serialize for DeviceDetails<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let section = &self.outcome.device;
        let Some(evidence) = section.evidence.as_ref().filter(|_| section.status == ModuleStatus::Ok) else {
            return serializer.serialize_none();
        };
        let details = match &evidence.device_details {
            Some(Value::Object(details)) => Some(details),
            Some(other) => return other.serialize(serializer),
            None => None,
        };
        let sightline = SightlineDevice {
            device_id: &evidence.device_id,
            link: &evidence.link,
            device_risk: evidence.risk_score,
            identity_correlation: evidence.identity_correlation,
            flags: &evidence.flags,
            reason_codes: &evidence.reasons,
            replayed: evidence.replayed,
            is_new_for_user: section.is_new_for_user,
            first_seen: section.first_seen,
            previously_seen: section.previously_seen,
        };
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in details.into_iter().flatten() {
            if key != SIGHTLINE && self.selection.keeps(key) {
                map.serialize_entry(key, value)?;
            }
        }
        if self.selection.keeps(SIGHTLINE) {
            map.serialize_entry(SIGHTLINE, &sightline)?;
        }
        map.end()
    }
}

const SIGHTLINE: &str = "sightline";

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

#[derive(Serialize)]
struct AppliedRule<'a> {
    id: &'a str,
    name: &'a str,
    operation: &'a str,
    score: f64,
}

#[derive(Serialize)]
struct CategoryScore<'a> {
    category: &'a str,
    score: i64,
}

/// The `data` object of a decision, serialised straight from the outcome.
pub struct Data {
    outcome: FraudOutcome,
    config: Option<Config>,
}

/// The `data` object of a decision; `config` selects its optional fields.
pub fn data(outcome: FraudOutcome, config: Option<Config>) -> Data {
    Data { outcome, config }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (outcome, config) = (&self.outcome, self.config.as_ref());
        let decision = &outcome.decision;
        let selection = Selection::new(config.and_then(|c| c.response_fields.as_deref()), &["id"]);
        let mut map = serializer.serialize_map(None)?;
        macro_rules! entry {
            ($key:expr, $value:expr) => {
                if selection.keeps($key) {
                    map.serialize_entry($key, &$value)?;
                }
            };
        }
        entry!("id", outcome.id);
        entry!("state", decision.state);
        entry!("fraud_score", f64::from(decision.fraud_score));
        // SEON's machine-learning score; Sightline has no such model, and inventing one would mislead.
        entry!("blackbox_score", Value::Null);
        let applied: Vec<AppliedRule<'_>> = decision
            .applied_rules
            .iter()
            .map(|r| AppliedRule { id: &r.id, name: &r.name, operation: &r.operation, score: f64::from(r.score) })
            .collect();
        entry!("applied_rules", applied);
        let categories: Vec<CategoryScore<'_>> =
            outcome.category_scores.iter().map(|(category, score)| CategoryScore { category, score: *score }).collect();
        entry!("rule_category_details", categories);
        let mut notes = Map::new();
        for module in Module::ALL {
            let fields = Selection::new(module_fields(config, module), &[]);
            let status = if module == Module::Device {
                entry!(details_key(module), DeviceDetails { outcome, selection: fields });
                Some(&outcome.device.status)
            } else {
                let report = outcome.modules.get(&module);
                let details = report.filter(|r| r.status == ModuleStatus::Ok).and_then(|r| r.details.as_ref());
                entry!(details_key(module), Selected { value: details, selection: fields });
                report.map(|r| &r.status)
            };
            let note = match status {
                Some(status) => note(status),
                None => Some("not run".to_owned()),
            };
            if let Some(text) = note {
                notes.insert(module.as_str().to_owned(), Value::from(text));
            }
        }
        entry!("geolocation_details", outcome.device.geolocation);
        entry!("calculation_time", outcome.calculation_ms.ceil() as u64);
        entry!("version", "v2");
        entry!("seon_id", Value::Null);
        entry!("module_notes", notes);
        entry!("rule_set_version", decision.rule_set_version);
        entry!("calculation_time_breakdown", outcome.timings_ms);
        entry!("velocity", outcome.velocity);
        entry!("velocity_saturated", outcome.velocity_saturated);
        entry!("lists", outcome.lists);
        entry!("created_at", outcome.created_at);
        map.end()
    }
}

/// SEON's success envelope.
#[derive(Serialize)]
pub struct Envelope {
    success: bool,
    error: Map<String, Value>,
    data: Data,
}

pub fn envelope(data: Data) -> Envelope {
    Envelope { success: true, error: Map::new(), data }
}
