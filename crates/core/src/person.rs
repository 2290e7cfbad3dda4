//! Persons: the customers a partner monitors, with their customer-due-diligence state.

use crate::{Error, Id, ResourceKind, Result, Timestamp};
use serde::{Deserialize, Serialize};

/// The partner's banking branch; it decides whether device monitoring may be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Branch {
    DE,
    FR,
    IT,
    ES,
}

impl Branch {
    /// In these branches device monitoring is an essential cookie for new customers.
    pub fn consent_mandatory(self) -> bool {
        matches!(self, Branch::DE | Branch::FR | Branch::IT)
    }
}

/// Solaris' `customer_vetting_status`, all nine values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VettingStatus {
    NotVetted,
    NoMatch,
    PotentialMatch,
    InformationRequested,
    InformationReceived,
    RiskAccepted,
    RiskRejected,
    CustomerUnresponsive,
    VettingNotRequired,
}

impl VettingStatus {
    /// Automatic analysis may only move a person who has not entered manual review; a
    /// reviewer's RISK_ACCEPTED must not be overwritten by the next app start.
    pub fn open_to_automatic_outcome(self) -> bool {
        matches!(self, VettingStatus::NotVetted | VettingStatus::NoMatch)
    }

    /// States from which a reviewer may decide RISK_ACCEPTED or RISK_REJECTED.
    pub fn open_to_review(self) -> bool {
        matches!(
            self,
            VettingStatus::PotentialMatch
                | VettingStatus::InformationRequested
                | VettingStatus::InformationReceived
                | VettingStatus::CustomerUnresponsive
        )
    }
}

/// Where the person stands with device monitoring, derived from their consents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MonitoringStatus {
    /// No consent recorded yet.
    Pending,
    Consented,
    /// Refused at the first request (allowed in ES and for customers onboarded before rollout).
    Rejected,
    /// An earlier approval was withdrawn.
    Withdrawn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeviceMonitoring {
    pub status: MonitoringStatus,
    /// Set when the person refused or withdrew monitoring and must get enhanced due diligence.
    pub enhanced_due_diligence: bool,
    /// Set when a withdrawal in a mandatory-consent branch blocks protected actions.
    pub blocked: bool,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// The partner-supplied identity of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salutation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl Profile {
    pub fn validate(&self) -> Result<()> {
        if let Some(email) = &self.email {
            let ok = email.len() <= 254 && email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
            if !ok {
                return Err(Error::invalid_field("email", "must be an email address such as jane@example.com"));
            }
        }
        if let Some(mobile) = &self.mobile_number {
            let digits = mobile.strip_prefix('+').unwrap_or(mobile);
            if !mobile.starts_with('+')
                || digits.len() < 6
                || digits.len() > 15
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(Error::invalid_field("mobile_number", "must be in E.164 format such as +4915112345678"));
            }
        }
        if let Some(date) = &self.birth_date {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            if time::Date::parse(date, format).is_err() {
                return Err(Error::invalid_field("birth_date", "must be a date in YYYY-MM-DD format"));
            }
        }
        for (field, value) in [("first_name", &self.first_name), ("last_name", &self.last_name)] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty() || v.len() > 200) {
                return Err(Error::invalid_field(field, "must be 1 to 200 characters"));
            }
        }
        if let Some(country) = self.address.as_ref().and_then(|a| a.country.as_ref())
            && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::invalid_field("address.country", "must be an ISO 3166-1 alpha-2 code such as DE"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Person {
    #[schema(value_type = String)]
    pub id: Id,
    #[serde(skip)]
    #[schema(ignore)]
    pub tenant_id: Id,
    #[serde(flatten)]
    pub profile: Profile,
    pub branch: Branch,
    /// Customers onboarded before device monitoring existed may refuse it in any branch.
    pub onboarded_before_device_monitoring: bool,
    pub customer_vetting_status: VettingStatus,
    pub device_monitoring: DeviceMonitoring,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Incremented on every write; the store refuses a write based on a stale read.
    #[serde(skip)]
    #[schema(ignore)]
    pub version: i64,
}

impl Person {
    pub fn new(
        tenant_id: &Id,
        profile: Profile,
        branch: Branch,
        onboarded_before_device_monitoring: bool,
    ) -> Result<Person> {
        profile.validate()?;
        let now = Timestamp::now();
        Ok(Person {
            id: Id::new(ResourceKind::Person),
            tenant_id: tenant_id.clone(),
            profile,
            branch,
            onboarded_before_device_monitoring,
            customer_vetting_status: VettingStatus::NotVetted,
            device_monitoring: DeviceMonitoring {
                status: MonitoringStatus::Pending,
                enhanced_due_diligence: false,
                blocked: false,
                updated_at: now,
            },
            created_at: now,
            updated_at: now,
            version: 1,
        })
    }

    /// Marks a modification for the store's optimistic concurrency check.
    pub fn touch(&mut self) {
        self.updated_at = Timestamp::now();
        self.version += 1;
    }

    /// May this person's consent to monitoring be refused without losing service?
    pub fn may_refuse_monitoring(&self) -> bool {
        !self.branch.consent_mandatory() || self.onboarded_before_device_monitoring
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        Profile {
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            email: Some("jane@example.com".into()),
            mobile_number: Some("+4915112345678".into()),
            birth_date: Some("1990-02-28".into()),
            ..Profile::default()
        }
    }

    #[test]
    fn new_person_is_not_vetted() {
        let p = Person::new(&Id::new(ResourceKind::Tenant), profile(), Branch::DE, false).unwrap();
        assert_eq!(p.customer_vetting_status, VettingStatus::NotVetted);
        assert!(p.id.as_str().ends_with("cper"));
        assert!(!p.may_refuse_monitoring());
    }

    #[test]
    fn refusal_rules_by_branch_and_onboarding() {
        let t = Id::new(ResourceKind::Tenant);
        assert!(Person::new(&t, profile(), Branch::ES, false).unwrap().may_refuse_monitoring());
        assert!(Person::new(&t, profile(), Branch::IT, true).unwrap().may_refuse_monitoring());
        assert!(!Person::new(&t, profile(), Branch::FR, false).unwrap().may_refuse_monitoring());
    }

    #[test]
    fn profile_validation_names_fields() {
        let mut p = profile();
        p.birth_date = Some("1990-02-30".into());
        assert_eq!(p.validate().unwrap_err().field.as_deref(), Some("birth_date"));
        let mut p = profile();
        p.mobile_number = Some("015112345678".into());
        assert_eq!(p.validate().unwrap_err().field.as_deref(), Some("mobile_number"));
        let mut p = profile();
        p.address = Some(Address { country: Some("Germany".into()), ..Address::default() });
        assert_eq!(p.validate().unwrap_err().field.as_deref(), Some("address.country"));
    }

    #[test]
    fn vetting_state_machine_protects_manual_decisions() {
        assert!(VettingStatus::NotVetted.open_to_automatic_outcome());
        assert!(!VettingStatus::RiskAccepted.open_to_automatic_outcome());
        assert!(VettingStatus::InformationReceived.open_to_review());
        assert!(!VettingStatus::NoMatch.open_to_review());
    }
}
