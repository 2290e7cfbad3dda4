//! The outcome of evaluating a rule set on one event, shaped after SEON's response so the
//! API layer can copy it across.

use crate::rule::State;
use serde::{Deserialize, Serialize};

/// A rule that matched, as SEON lists it in `applied_rules`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedRule {
    pub id: String,
    pub name: String,
    /// The rule's category (`device`, `velocity`, …), for per-category score breakdowns.
    #[serde(default)]
    pub category: String,
    /// `+10`, `-5`, `APPROVE`, `REVIEW` or `DECLINE`.
    pub operation: String,
    /// The score the rule added (0 for state-forcing rules).
    pub score: i32,
}

/// A rule that failed at run time; it counted as not matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleError {
    pub rule_id: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Sum of the scores of matched rules, capped to 0..=100.
    pub fraud_score: u32,
    pub state: State,
    /// Matched rules, in rule-set order.
    pub applied_rules: Vec<AppliedRule>,
    pub rule_set_version: u64,
    /// Rules that failed for a reason other than missing data.
    pub errors: Vec<RuleError>,
    /// Rules that could not be evaluated because the data they read was not there (a
    /// module switched off, a counter or field not supplied); they did not match.
    #[serde(default)]
    pub unavailable: Vec<String>,
}
