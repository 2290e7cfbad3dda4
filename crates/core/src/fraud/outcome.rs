//! The neutral result of a decision: what every dialect renders from, and what is stored
//! (scrubbed) as the decision's response so that it can be rendered again later.

use super::enrichment::{Enrichment, ModuleStatus};
use crate::activity::DeviceEvidence;
use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};
use sightline_rules::Decision;
use std::collections::{BTreeMap, BTreeSet};

/// The device module's part of a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceSection {
    pub status: ModuleStatus,
    pub evidence: Option<DeviceEvidence>,
    /// The device's hardware-level hash.
    pub hash: Option<String>,
    pub first_seen: Option<Timestamp>,
    /// When the device was seen before this event.
    pub previously_seen: Option<Timestamp>,
    /// Whether the user id had never been seen on this device.
    pub is_new_for_user: Option<bool>,
    /// Where the browser or phone said it was, when the customer allowed it.
    pub geolocation: Option<serde_json::Value>,
    pub elapsed_ms: f64,
}

impl Default for DeviceSection {
    fn default() -> Self {
        DeviceSection {
            status: ModuleStatus::Off,
            evidence: None,
            hash: None,
            first_seen: None,
            previously_seen: None,
            is_new_for_user: None,
            geolocation: None,
            elapsed_ms: 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FraudOutcome {
    pub id: Id,
    pub created_at: Timestamp,
    /// Score, state, applied rules and the rule-set version that made them.
    pub decision: Decision,
    /// Score per rule category of the applied rules.
    pub category_scores: BTreeMap<String, i64>,
    pub device: DeviceSection,
    pub modules: Enrichment,
    /// The counters the rules read.
    pub velocity: BTreeMap<String, f64>,
    /// The counters that read as many of their key's events as a counter may (see
    /// `velocity::SCAN_LIMIT`): lower bounds. Absent from decisions stored before there was one.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub velocity_saturated: BTreeSet<String>,
    /// The allow/deny lists the event hit.
    pub lists: Vec<String>,
    /// Milliseconds per stage (`device`, `ip`, …, `lists`, `velocity`, `rules`, `store`).
    pub timings_ms: BTreeMap<String, f64>,
    /// Milliseconds from the start of the decision to its commit.
    pub calculation_ms: f64,
}
