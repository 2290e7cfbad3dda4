//! Device activities (Solaris `device_activities`) and device checks for protected actions:
//! each is one moment at which a person's device was seen, with what we concluded from it.

use crate::{Id, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivityType {
    AppStart,
    PasswordReset,
    ConsentProvided,
}

/// The Solaris endpoints that require a fresh fingerprint ("Actions that require device
/// monitoring"), one value per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProtectedAction {
    /// POST /v1/mfa/challenges/sms
    SmsChallengeCreate,
    /// PUT /v1/mfa/challenges/sms/{id}
    SmsChallengeVerify,
    /// POST /v1/mfa/challenges/devices
    DeviceSigningChallengeCreate,
    /// PUT /v1/mfa/challenges/devices/{id}
    DeviceSigningChallengeVerify,
    /// POST /v1/change_requests/{id}/authorize
    ChangeRequestAuthorize,
    /// POST /v1/change_requests/{id}/confirm
    ChangeRequestConfirm,
    /// PATCH /v1/persons/{id}
    PersonUpdate,
    /// POST /v1/persons/{person_id}/identifications
    IdentificationCreate,
    /// PATCH /v1/persons/{person_id}/identifications/{id}/request
    IdentificationRequest,
    /// POST /v1/mfa/devices
    DeviceBindingCreate,
    /// POST /v1/mfa/devices/{id}/keys
    DeviceBindingAddKey,
    /// PUT /v1/mfa/challenges/signatures/{id}
    DeviceBindingVerify,
    /// POST /v1/persons/{person_id}/mobile_number
    MobileNumberCreate,
    /// POST /v1/persons/{person_id}/mobile_number/authorize
    MobileNumberAuthorize,
    /// POST /v1/persons/{person_id}/mobile_number/reauthorize
    MobileNumberReauthorize,
    /// POST /v1/persons/{person_id}/mobile_number/confirm
    MobileNumberConfirm,
    /// POST /v1/cards/{id}/virtual_card_requests
    CardSecureView,
    /// POST change card PIN
    CardChangePin,
}

/// Either a plain activity or a check before a protected action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "type", rename_all = "snake_case")]
pub enum ActivityKind {
    Activity(ActivityType),
    Check(ProtectedAction),
}

/// The answer to a protected-action check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckDecision {
    Allow,
    /// Proceed only after an additional strong authentication of the customer.
    StepUp,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    pub code: String,
    pub description: String,
}

impl Reason {
    pub fn new(code: &str, description: &str) -> Reason {
        Reason { code: code.to_owned(), description: description.to_owned() }
    }
}

/// What we learnt from the `device_data` string of one activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceEvidence {
    /// `Web`, `Android` or `iOS`.
    pub platform: String,
    pub sdk_version: Option<String>,
    pub session_id: String,
    /// `sealed` (our agent's format) or `legacy` (another SDK's shape, not decryptable).
    pub shape: String,
    /// Whether the payload was decrypted; if not, why (`payload_unknown_key`, …).
    pub opened: bool,
    pub open_error: Option<String>,
    pub payload_id: Option<String>,
    pub collected_at: Option<Timestamp>,
    pub replayed: bool,
    /// The decrypted signals, as the agent sent them.
    #[schema(value_type = Object)]
    pub signals: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub behavior: Option<serde_json::Value>,
    /// Conclusions: flags raised and the reasons behind them.
    pub flags: Vec<String>,
    pub reasons: Vec<Reason>,
    /// 0 (no risk seen) to 100.
    pub risk_score: u8,
    /// The persistent device this payload was recognised as (`…dvce`).
    #[serde(default)]
    pub device_id: Option<String>,
    /// How it was recognised: exact (first-party id, app id, identical attributes), linked
    /// (similar attributes, with confidence and which attributes matched or changed), or new.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub link: Option<serde_json::Value>,
    /// SEON-compatible `device_details` for the platform.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub device_details: Option<serde_json::Value>,
    /// How consistent this device is with the person (0–100).
    #[serde(default)]
    pub identity_correlation: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceActivity {
    pub id: Id,
    pub tenant_id: Id,
    pub person_id: Id,
    pub consent_id: Option<Id>,
    pub kind: ActivityKind,
    pub session_id: String,
    /// `None` when the person validly refused monitoring: nothing was opened or kept.
    pub evidence: Option<DeviceEvidence>,
    pub decision: Option<CheckDecision>,
    pub reasons: Vec<Reason>,
    pub created_at: Timestamp,
}
