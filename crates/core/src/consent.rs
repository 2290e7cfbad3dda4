//! Device consents and the branch rules that decide what a consent allows.
//!
//! Each consent belongs to one device of one person; its id is the session id the agent puts
//! in `device_data`. Every change is appended to an immutable history so that we can prove
//! who consented, when, and to which consent text.

use crate::person::{MonitoringStatus, Person};
use crate::{Error, Id, ResourceKind, Result, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentEventType {
    Approved,
    Rejected,
}

impl ConsentEventType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentEventType::Approved => "APPROVED",
            ConsentEventType::Rejected => "REJECTED",
        }
    }

    pub fn parse(text: &str) -> Result<ConsentEventType> {
        match text {
            "APPROVED" => Ok(ConsentEventType::Approved),
            "REJECTED" => Ok(ConsentEventType::Rejected),
            other => Err(Error::internal(format!("unknown consent event type `{other}`"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConsent {
    pub id: Id,
    pub tenant_id: Id,
    pub person_id: Id,
    pub event_type: ConsentEventType,
    pub confirmed_at: Timestamp,
    pub consent_text_version: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One entry of a consent's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConsentEvent {
    #[schema(value_type = String)]
    pub id: Id,
    #[schema(value_type = String)]
    pub consent_id: Id,
    #[schema(value_type = String)]
    pub person_id: Id,
    pub event_type: ConsentEventType,
    /// When the customer confirmed, as reported by the partner.
    pub confirmed_at: Timestamp,
    /// Which consent text the customer saw, e.g. `solaris-2024-en`.
    pub consent_text_version: Option<String>,
    /// When Sightline recorded it.
    pub recorded_at: Timestamp,
    /// The API key that recorded it: which integration spoke for the customer.
    #[schema(value_type = String)]
    pub recorded_by_key_id: Id,
}

/// Checks the partner-reported confirmation time: never in the future (a small clock skew
/// between the partner and us is tolerated).
pub fn validate_confirmed_at(confirmed_at: Timestamp, now: Timestamp) -> Result<()> {
    const ALLOWED_SKEW_MS: i64 = 5_000;
    if confirmed_at.millis() > now.millis() + ALLOWED_SKEW_MS {
        return Err(Error::constraint_violation("confirmed_at", "confirmed_at must not be in the future"));
    }
    Ok(())
}

pub fn validate_text_version(version: &Option<String>) -> Result<()> {
    match version {
        Some(v) if v.is_empty() || v.len() > 64 || v.chars().any(char::is_control) => {
            Err(Error::invalid_field("consent_text_version", "must be 1 to 64 printable characters"))
        }
        _ => Ok(()),
    }
}

impl DeviceConsent {
    pub fn new(
        person: &Person,
        event_type: ConsentEventType,
        confirmed_at: Timestamp,
        consent_text_version: Option<String>,
    ) -> DeviceConsent {
        let now = Timestamp::now();
        DeviceConsent {
            id: Id::new(ResourceKind::DeviceConsent),
            tenant_id: person.tenant_id.clone(),
            person_id: person.id.clone(),
            event_type,
            confirmed_at,
            consent_text_version,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn history_entry(&self, recorded_by_key_id: &Id) -> ConsentEvent {
        ConsentEvent {
            id: Id::new(ResourceKind::ConsentEvent),
            consent_id: self.id.clone(),
            person_id: self.person_id.clone(),
            event_type: self.event_type,
            confirmed_at: self.confirmed_at,
            consent_text_version: self.consent_text_version.clone(),
            recorded_at: self.updated_at,
            recorded_by_key_id: recorded_by_key_id.clone(),
        }
    }
}

/// What a consent change does to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentEffect {
    /// The person record changed and must be written.
    pub person_changed: bool,
    /// The partner must be told with `PERSON_CHANGED`.
    pub notify: bool,
}

/// Applies a consent decision to the person's monitoring state. `previous` is the consent's
/// state before this change (`None` for a new consent): APPROVED → REJECTED is a withdrawal.
pub fn apply_consent(
    person: &mut Person,
    previous: Option<ConsentEventType>,
    now_decided: ConsentEventType,
) -> ConsentEffect {
    let before = person.device_monitoring.clone();
    let monitoring = &mut person.device_monitoring;
    match now_decided {
        ConsentEventType::Approved => {
            monitoring.status = MonitoringStatus::Consented;
            // A fresh approval lifts a block caused by an earlier withdrawal; enhanced due
            // diligence, once required, stays on record.
            monitoring.blocked = false;
        }
        ConsentEventType::Rejected => {
            let withdrawal = previous == Some(ConsentEventType::Approved);
            monitoring.status = if withdrawal { MonitoringStatus::Withdrawn } else { MonitoringStatus::Rejected };
            if person.onboarded_before_device_monitoring {
                monitoring.enhanced_due_diligence = true;
            } else if person.branch.consent_mandatory() && withdrawal {
                monitoring.blocked = true;
            }
        }
    }
    let changed = *monitoring != before;
    let notify = (monitoring.blocked && !before.blocked)
        || (monitoring.enhanced_due_diligence && !before.enhanced_due_diligence);
    if changed {
        person.device_monitoring.updated_at = Timestamp::now();
        person.touch();
    }
    ConsentEffect { person_changed: changed, notify }
}

/// What an activity under a given consent may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitoringAccess {
    /// Open, analyse and store the fingerprint.
    Analyse,
    /// The person validly refused monitoring: accept the activity, store and analyse nothing.
    WithoutFingerprint,
}

/// The branch rules at the moment of an activity or protected action.
pub fn monitoring_access(person: &Person, consent: Option<&DeviceConsent>) -> Result<MonitoringAccess> {
    if person.device_monitoring.blocked {
        return Err(Error::forbidden(
            "device_monitoring_withdrawn",
            format!(
                "the person withdrew consent to device monitoring, which is mandatory in branch {:?}; \
                 activities and protected actions are blocked until a new consent is APPROVED",
                person.branch
            ),
        ));
    }
    let Some(consent) = consent else {
        return Err(Error::forbidden(
            "consent_not_found",
            "the session id in device_data is not a device consent of this person; create one with \
             POST /v1/persons/{person_id}/device_consents and use its id as the session id",
        ));
    };
    match consent.event_type {
        ConsentEventType::Approved => Ok(MonitoringAccess::Analyse),
        ConsentEventType::Rejected if person.may_refuse_monitoring() => Ok(MonitoringAccess::WithoutFingerprint),
        ConsentEventType::Rejected => Err(Error::forbidden(
            "consent_rejected",
            format!(
                "the person rejected device monitoring, which is mandatory for new customers in branch {:?}; \
                 record an APPROVED consent first",
                person.branch
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{Branch, Profile};

    fn person(branch: Branch, before_rollout: bool) -> Person {
        Person::new(&Id::new(ResourceKind::Tenant), Profile::default(), branch, before_rollout).unwrap()
    }

    fn consent(p: &Person, e: ConsentEventType) -> DeviceConsent {
        DeviceConsent::new(p, e, Timestamp::now(), None)
    }

    #[test]
    fn future_confirmation_is_a_constraint_violation() {
        let now = Timestamp::now();
        assert!(validate_confirmed_at(now, now).is_ok());
        let err = validate_confirmed_at(now.plus_millis(60_000), now).unwrap_err();
        assert_eq!((err.code.as_ref(), err.field.as_deref()), ("constraint_violation", Some("confirmed_at")));
    }

    #[test]
    fn mandatory_branches_refuse_rejected_new_customers() {
        for branch in [Branch::DE, Branch::FR, Branch::IT] {
            let mut p = person(branch, false);
            let c = consent(&p, ConsentEventType::Rejected);
            apply_consent(&mut p, None, ConsentEventType::Rejected);
            assert_eq!(monitoring_access(&p, Some(&c)).unwrap_err().code, "consent_rejected");
        }
    }

    #[test]
    fn spain_may_reject_and_proceed_without_fingerprint() {
        let mut p = person(Branch::ES, false);
        let c = consent(&p, ConsentEventType::Rejected);
        let effect = apply_consent(&mut p, None, ConsentEventType::Rejected);
        assert!(!effect.notify);
        assert_eq!(monitoring_access(&p, Some(&c)).unwrap(), MonitoringAccess::WithoutFingerprint);
        assert!(!p.device_monitoring.enhanced_due_diligence);
    }

    #[test]
    fn pre_rollout_customers_may_reject_and_get_enhanced_due_diligence() {
        let mut p = person(Branch::DE, true);
        let c = consent(&p, ConsentEventType::Rejected);
        let effect = apply_consent(&mut p, None, ConsentEventType::Rejected);
        assert!(effect.notify && p.device_monitoring.enhanced_due_diligence);
        assert_eq!(monitoring_access(&p, Some(&c)).unwrap(), MonitoringAccess::WithoutFingerprint);
    }

    #[test]
    fn withdrawal_in_mandatory_branch_blocks_and_notifies() {
        let mut p = person(Branch::IT, false);
        let mut c = consent(&p, ConsentEventType::Approved);
        apply_consent(&mut p, None, ConsentEventType::Approved);
        assert_eq!(monitoring_access(&p, Some(&c)).unwrap(), MonitoringAccess::Analyse);
        c.event_type = ConsentEventType::Rejected;
        let effect = apply_consent(&mut p, Some(ConsentEventType::Approved), ConsentEventType::Rejected);
        assert!(effect.notify && effect.person_changed);
        assert_eq!(p.device_monitoring.status, MonitoringStatus::Withdrawn);
        assert_eq!(monitoring_access(&p, Some(&c)).unwrap_err().code, "device_monitoring_withdrawn");
        // A new approval on another device lifts the block.
        let c2 = consent(&p, ConsentEventType::Approved);
        apply_consent(&mut p, None, ConsentEventType::Approved);
        assert_eq!(monitoring_access(&p, Some(&c2)).unwrap(), MonitoringAccess::Analyse);
    }

    #[test]
    fn missing_consent_is_forbidden() {
        let p = person(Branch::ES, false);
        assert_eq!(monitoring_access(&p, None).unwrap_err().code, "consent_not_found");
    }
}
