//! The enrichment port: IP, email, phone, card BIN and sanctions look-ups are pure functions
//! over data the server loads at start, so the core asks for them through this trait and
//! never learns where the data came from.

use super::event::{FraudEvent, Module};
use crate::TenantSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Whether a module could answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "note")]
pub enum ModuleStatus {
    /// It ran and its output is in `fields` / `details`.
    Ok,
    /// The request switched it off.
    Off,
    /// It had nothing to look at (no email in the request, …).
    NoInput(String),
    /// Its data is not installed or it is not built yet; the note says which.
    Unavailable(String),
    /// Its input was there but unusable (a device payload that does not open); the note says why.
    Rejected(String),
}

/// One module's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleReport {
    pub status: ModuleStatus,
    /// The module's output in the rules' event model (`ip.is_tor`, `email.disposable`, …).
    pub fields: Option<Value>,
    /// The module's full output, for the dialect's `*_details`.
    pub details: Option<Value>,
    /// Time it took, in milliseconds.
    pub elapsed_ms: f64,
}

impl ModuleReport {
    pub fn status(status: ModuleStatus) -> ModuleReport {
        ModuleReport { status, fields: None, details: None, elapsed_ms: 0.0 }
    }
}

/// Every enrichment module's answer for one event.
pub type Enrichment = BTreeMap<Module, ModuleReport>;

pub trait Enricher: Send + Sync {
    /// Runs the switched-on modules (never `Module::Device`, which the core runs itself).
    /// `device_details` is the device analysis when there is one, for consistency checks
    /// (time zone vs IP country, WebRTC addresses).
    fn enrich(&self, event: &FraudEvent, device_details: Option<&Value>, settings: &TenantSettings) -> Enrichment;
}

/// The enricher of a build without enrichment data: every module says so.
pub struct NoEnrichment;

impl Enricher for NoEnrichment {
    fn enrich(&self, event: &FraudEvent, _device_details: Option<&Value>, _settings: &TenantSettings) -> Enrichment {
        Module::ALL
            .into_iter()
            .filter(|m| *m != Module::Device)
            .map(|m| {
                let status = if event.modules.is_on(m) {
                    ModuleStatus::Unavailable(format!("the {} module has no data loaded", m.as_str()))
                } else {
                    ModuleStatus::Off
                };
                (m, ModuleReport::status(status))
            })
            .collect()
    }
}
