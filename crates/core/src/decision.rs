//! Stored fraud decisions, rule-set versions and allow/deny lists. The rules crate defines
//! what a rule set and a decision contain; here they are records the store keeps as JSON, so
//! the storage layer never needs to know the rules language.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// One evaluated event: what was asked (PII hashed), what was answered, and which rule-set
/// version answered it. The event and the response are kept as JSON text: a decision writes
/// them once and reads them rarely (backtests, look-ups), and building them as value trees
/// cost a decision more than serialising them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDecision {
    pub id: Id,
    pub tenant_id: Id,
    pub created_at: Timestamp,
    /// `APPROVE`, `REVIEW` or `DECLINE`.
    pub state: String,
    pub fraud_score: f64,
    pub rule_set_version: i64,
    /// The event model the rules saw, with personal data hashed.
    pub event: Box<RawValue>,
    /// The response as the dialect returned it.
    pub response: Box<RawValue>,
}

impl PartialEq for StoredDecision {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.tenant_id == other.tenant_id
            && self.created_at == other.created_at
            && self.state == other.state
            && self.fraud_score == other.fraud_score
            && self.rule_set_version == other.rule_set_version
            && self.event.get() == other.event.get()
            && self.response.get() == other.response.get()
    }
}

/// One version of a tenant's rule set. Versions only grow; a change writes a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRuleSet {
    pub tenant_id: Id,
    pub version: i64,
    pub rule_set: serde_json::Value,
    pub created_at: Timestamp,
    /// The API key that made the change.
    pub created_by: Id,
}

/// An allow/deny list entry, e.g. list `deny_email`, value `fraud@example.com`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ListEntry {
    pub list: String,
    pub value: String,
    pub note: Option<String>,
    pub created_at: Timestamp,
}
