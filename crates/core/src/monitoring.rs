//! Device monitoring, orchestrated: persons, consents, activities and checks, vetting and
//! question sets. Each operation reads what it needs, decides with the pure rules of the
//! `person`, `consent`, `analysis` and `question` modules, and commits everything it changed —
//! records and webhook events — as one [`ChangeSet`].

use crate::activity::{ActivityKind, CheckDecision, DeviceActivity, DeviceEvidence, ProtectedAction, Reason};
use crate::consent::{
    ConsentEventType, DeviceConsent, MonitoringAccess, apply_consent, monitoring_access, validate_confirmed_at,
    validate_text_version,
};
use crate::device_analysis::{DENY_RISK, DeviceOutcome, SUSPICIOUS_RISK, Subject, open_and_analyse, suspicious};
use crate::link_stats::LinkStatsCache;
use crate::person::{Person, Profile, VettingStatus};
use crate::question::{Answer, Question, QuestionSet, QuestionSetStatus};
use crate::webhook::{WebhookEvent, WebhookEventType};
use crate::{AuthContext, ChangeSet, Error, ErrorKind, Id, ResourceKind, Result, Store, TenantMode, Timestamp};
use serde_json::json;
use sightline_payload::{Envelope, Shape};

/// The seed documents' mock session ids and the vetting outcome each one forces in test mode.
pub const MOCK_NO_MATCH_SESSION: &str = "179ac83968ab42f79e960c1753a4078fdcon";
pub const MOCK_POTENTIAL_MATCH_SESSION: &str = "8ed57aeb750a4b44a4186e0d29826a04dcon";

fn mock_outcome(mode: TenantMode, session_id: &str) -> Option<VettingStatus> {
    match (mode, session_id) {
        (TenantMode::Test, MOCK_NO_MATCH_SESSION) => Some(VettingStatus::NoMatch),
        (TenantMode::Test, MOCK_POTENTIAL_MATCH_SESSION) => Some(VettingStatus::PotentialMatch),
        _ => None,
    }
}

/// How many times an operation is retried when another request changed the same person.
const CONCURRENCY_RETRIES: usize = 5;

async fn with_retry<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(e) if e.code == "concurrent_modification" && tries < CONCURRENCY_RETRIES => tries += 1,
            other => return other,
        }
    }
}

pub async fn find_person(store: &dyn Store, caller: &AuthContext, id: &str) -> Result<Person> {
    let id = Id::parse(ResourceKind::Person, id).ok_or_else(|| Error::not_found("person"))?;
    store.person(&caller.tenant.id, &id).await?.ok_or_else(|| Error::not_found("person"))
}

pub async fn create_person(store: &dyn Store, person: Person) -> Result<Person> {
    store.commit(&ChangeSet { persons: vec![person.clone()], ..ChangeSet::default() }).await?;
    Ok(person)
}

/// `PATCH /v1/persons/{id}`: a protected action, so it first passes a device check; a
/// refused check leaves the person unchanged. Changes that would not validate are refused
/// before the check, which would otherwise be stored for an update that cannot happen.
pub async fn update_person(
    store: &dyn Store,
    link_stats: &LinkStatsCache,
    caller: &AuthContext,
    person_id: &str,
    changes: Profile,
    device_data: &str,
    context: &RequestContext,
) -> Result<(Person, DeviceActivity)> {
    let mut preview = find_person(store, caller, person_id).await?.profile;
    merge_profile(&mut preview, changes.clone());
    preview.validate()?;
    let check = record_activity(
        store,
        link_stats,
        caller,
        person_id,
        ActivityKind::Check(ProtectedAction::PersonUpdate),
        device_data,
        context,
    )
    .await?;
    if check.decision == Some(CheckDecision::Deny) {
        // The check is stored like any other: its id leads the partner to the reasons.
        return Err(Error::forbidden(
            "device_check_denied",
            format!(
                "device check {} denied this person update; its reasons: GET /v1/device_activities/{}",
                check.id, check.id
            ),
        ));
    }
    let person = with_retry(|| async {
        let mut person = find_person(store, caller, person_id).await?;
        merge_profile(&mut person.profile, changes.clone());
        person.profile.validate()?;
        person.touch();
        let event = person_changed(&person);
        store.commit(&ChangeSet { persons: vec![person.clone()], events: vec![event], ..ChangeSet::default() }).await?;
        Ok(person)
    })
    .await?;
    Ok((person, check))
}

fn merge_profile(profile: &mut Profile, changes: Profile) {
    macro_rules! take {
        ($($field:ident),*) => { $( if changes.$field.is_some() { profile.$field = changes.$field; } )* };
    }
    take!(salutation, first_name, last_name, email, mobile_number, birth_date, nationality, address);
}

fn person_changed(person: &Person) -> WebhookEvent {
    WebhookEvent::new(&person.tenant_id, WebhookEventType::PersonChanged, person.id.as_str(), json!({}))
}

/// Records a new consent (one device of the person).
pub async fn create_consent(
    store: &dyn Store,
    caller: &AuthContext,
    person_id: &str,
    event_type: ConsentEventType,
    confirmed_at: Timestamp,
    text_version: Option<String>,
) -> Result<DeviceConsent> {
    validate_confirmed_at(confirmed_at, Timestamp::now())?;
    validate_text_version(&text_version)?;
    with_retry(|| async {
        let mut person = find_person(store, caller, person_id).await?;
        let consent = DeviceConsent::new(&person, event_type, confirmed_at, text_version.clone());
        commit_consent(store, caller, &mut person, None, consent).await
    })
    .await
}

/// Changes a consent, e.g. a withdrawal (APPROVED → REJECTED), effective at once.
pub async fn update_consent(
    store: &dyn Store,
    caller: &AuthContext,
    person_id: &str,
    consent_id: &str,
    event_type: ConsentEventType,
    confirmed_at: Timestamp,
    text_version: Option<String>,
) -> Result<DeviceConsent> {
    validate_confirmed_at(confirmed_at, Timestamp::now())?;
    validate_text_version(&text_version)?;
    with_retry(|| async {
        let mut person = find_person(store, caller, person_id).await?;
        let mut consent = find_consent_of(store, &person, consent_id).await?;
        let previous = consent.event_type;
        consent.event_type = event_type;
        consent.confirmed_at = confirmed_at;
        consent.consent_text_version = text_version.clone().or(consent.consent_text_version);
        consent.updated_at = Timestamp::now();
        commit_consent(store, caller, &mut person, Some(previous), consent).await
    })
    .await
}

/// Writes a consent, its history entry, and what it did to the person (with PERSON_CHANGED
/// when the partner must be told) in one transaction.
async fn commit_consent(
    store: &dyn Store,
    caller: &AuthContext,
    person: &mut Person,
    previous: Option<ConsentEventType>,
    consent: DeviceConsent,
) -> Result<DeviceConsent> {
    let effect = apply_consent(person, previous, consent.event_type);
    let mut changes = ChangeSet {
        consent_events: vec![consent.history_entry(&caller.key_id)],
        consents: vec![consent.clone()],
        ..ChangeSet::default()
    };
    if effect.notify {
        changes.events.push(person_changed(person));
    }
    if effect.person_changed {
        changes.persons.push(person.clone());
    }
    store.commit(&changes).await?;
    Ok(consent)
}

pub async fn find_consent_of(store: &dyn Store, person: &Person, consent_id: &str) -> Result<DeviceConsent> {
    let id = Id::parse(ResourceKind::DeviceConsent, consent_id).ok_or_else(|| Error::not_found("device consent"))?;
    store
        .consent(&person.tenant_id, &id)
        .await?
        .filter(|c| c.person_id == person.id)
        .ok_or_else(|| Error::not_found("device consent"))
}

/// What the HTTP edge knows about the call, for the analysis.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Payload acceptance window: the agent's `collected_at` must be at most this old.
pub const PAYLOAD_MAX_AGE_MS: u64 = 15 * 60 * 1000;
pub const PAYLOAD_MAX_FUTURE_SKEW_MS: u64 = 2 * 60 * 1000;

/// `device_activities` and `device_checks`: checks consent and branch rules, opens and
/// analyses the payload, updates vetting, and answers protected-action checks.
pub async fn record_activity(
    store: &dyn Store,
    link_stats: &LinkStatsCache,
    caller: &AuthContext,
    person_id: &str,
    kind: ActivityKind,
    device_data: &str,
    context: &RequestContext,
) -> Result<DeviceActivity> {
    let envelope = Envelope::parse(device_data)
        .map_err(|e| Error::new(ErrorKind::BadRequest, e.code(), e.to_string()).with_field("device_data"))?;
    let tenant = &caller.tenant;
    let person = find_person(store, caller, person_id).await?;
    let consent = resolve_consent(store, caller, &person, &envelope).await?;
    let access = monitoring_access(&person, consent.as_ref())?;
    let session_id = envelope.session_id().to_owned();

    let outcome = match access {
        MonitoringAccess::WithoutFingerprint => None,
        MonitoringAccess::Analyse => {
            Some(open_and_analyse(store, link_stats, caller, &Subject::person(&person), envelope, context).await?)
        }
    };
    let (evidence, device, links, stats_update, remember_payload) = match outcome {
        Some(DeviceOutcome { evidence, device, links, stats_update, remember_payload, .. }) => {
            (Some(evidence), device, links, stats_update, remember_payload)
        }
        None => (None, None, Vec::new(), None, None),
    };
    // The mock ids stand in for an analysis, so they too apply only where one may run.
    let mock = evidence.as_ref().and_then(|_| mock_outcome(tenant.mode, &session_id));

    let activity = with_retry(|| async {
        let mut person = find_person(store, caller, person_id).await?;
        let now = Timestamp::now();
        let mut changes = ChangeSet {
            devices: device.iter().cloned().collect(),
            device_links: links.clone(),
            seen_payloads: remember_payload.iter().cloned().collect(),
            ..ChangeSet::default()
        };
        // Vetting: the mock ids decide in test mode; otherwise what the device showed.
        let outcome = match (&evidence, mock) {
            (_, Some(forced)) => Some(forced),
            (Some(e), None) if suspicious(e) => Some(VettingStatus::PotentialMatch),
            (Some(_), None) => Some(VettingStatus::NoMatch),
            (None, None) => None,
        };
        if let Some(outcome) = outcome
            && person.customer_vetting_status.open_to_automatic_outcome()
            && person.customer_vetting_status != outcome
        {
            person.customer_vetting_status = outcome;
            person.touch();
            changes.events.push(person_changed(&person));
            if outcome == VettingStatus::PotentialMatch {
                let open_sets = store.question_sets_of_person(&tenant.id, &person.id).await?;
                if !open_sets.iter().any(|s| s.status == QuestionSetStatus::Open) {
                    let set = QuestionSet::device_follow_up(&tenant.id, &person.id, now);
                    changes.events.push(WebhookEvent::new(
                        &tenant.id,
                        WebhookEventType::QuestionsRequireResponse,
                        set.id.as_str(),
                        json!({"question_set_id": set.id, "person_id": person.id}),
                    ));
                    changes.question_sets.push(set);
                }
            }
            changes.persons.push(person.clone());
        }
        let (decision, reasons) = match kind {
            ActivityKind::Check(_) => {
                let (d, r) = decide_check(&person, evidence.as_ref(), mock);
                (Some(d), r)
            }
            ActivityKind::Activity(_) => (None, evidence.as_ref().map(|e| e.reasons.clone()).unwrap_or_default()),
        };
        let activity = DeviceActivity {
            id: Id::new(match kind {
                ActivityKind::Activity(_) => ResourceKind::DeviceActivity,
                ActivityKind::Check(_) => ResourceKind::DeviceCheck,
            }),
            tenant_id: tenant.id.clone(),
            person_id: person.id.clone(),
            consent_id: consent.as_ref().map(|c| c.id.clone()),
            kind,
            session_id: session_id.clone(),
            evidence: evidence.clone(),
            decision,
            reasons,
            created_at: now,
        };
        changes.activities.push(activity.clone());
        store.commit(&changes).await?;
        Ok(activity)
    })
    .await?;
    if let Some(update) = &stats_update {
        link_stats.apply(&tenant.id, update);
    }
    Ok(activity)
}

/// The consent an activity runs under: the one whose id is the session id. In test mode the
/// seed documents' sample strings (mock ids, other vendors' strings) run under the person's
/// most recent consent, so partners can replay the documentation as-is.
async fn resolve_consent(
    store: &dyn Store,
    caller: &AuthContext,
    person: &Person,
    envelope: &Envelope,
) -> Result<Option<DeviceConsent>> {
    let session = envelope.session_id();
    if let Some(id) = Id::parse(ResourceKind::DeviceConsent, session)
        && let Some(consent) = store.consent(&caller.tenant.id, &id).await?
    {
        // Another person's consent never stands in for this person's, not even in test mode.
        return Ok((consent.person_id == person.id).then_some(consent));
    }
    let seed_sample = mock_outcome(caller.tenant.mode, session).is_some()
        || (caller.tenant.mode == TenantMode::Test && !is_ours(store, caller, envelope).await?);
    if seed_sample {
        return Ok(store.consents_of_person(&caller.tenant.id, &person.id).await?.into_iter().next());
    }
    Ok(None)
}

async fn is_ours(store: &dyn Store, caller: &AuthContext, envelope: &Envelope) -> Result<bool> {
    if envelope.shape() == Shape::Legacy {
        return Ok(false);
    }
    let Some(key_id) = envelope.key_id() else { return Ok(false) };
    Ok(store.agent_keys(&caller.tenant.id).await?.iter().any(|k| k.key_id == key_id))
}

/// Allow, step up or deny a protected action: deny for a rejected person, a replayed
/// payload or risk at [`DENY_RISK`]; step up for risk at [`SUSPICIOUS_RISK`], the suspicious
/// mock id, or a person under review; allow otherwise.
fn decide_check(
    person: &Person,
    evidence: Option<&DeviceEvidence>,
    mock: Option<VettingStatus>,
) -> (CheckDecision, Vec<Reason>) {
    let mut reasons = evidence.map(|e| e.reasons.clone()).unwrap_or_default();
    let risk = evidence.map_or(0, |e| e.risk_score);
    let replayed = evidence.is_some_and(|e| e.replayed);
    let decision = if person.customer_vetting_status == VettingStatus::RiskRejected {
        reasons.push(Reason::new("R950", "The person's risk was rejected in due diligence"));
        CheckDecision::Deny
    } else if replayed || risk >= DENY_RISK {
        CheckDecision::Deny
    } else if risk >= SUSPICIOUS_RISK
        || mock == Some(VettingStatus::PotentialMatch)
        || person.customer_vetting_status.open_to_review()
    {
        if person.customer_vetting_status.open_to_review() {
            reasons.push(Reason::new("R951", "The person is under customer due diligence review"));
        }
        CheckDecision::StepUp
    } else {
        CheckDecision::Allow
    };
    (decision, reasons)
}

/// Answers one question; completing the set moves the person to INFORMATION_RECEIVED.
pub async fn answer_question(
    store: &dyn Store,
    caller: &AuthContext,
    set_id: &str,
    question_id: &str,
    answer: Answer,
) -> Result<Question> {
    let set_id = Id::parse(ResourceKind::QuestionSet, set_id).ok_or_else(|| Error::not_found("question set"))?;
    with_retry(|| async {
        let mut set =
            store.question_set(&caller.tenant.id, &set_id).await?.ok_or_else(|| Error::not_found("question set"))?;
        let now = Timestamp::now();
        let complete = set.answer(question_id, answer.clone(), now)?;
        let question = set
            .questions
            .iter()
            .find(|q| q.id.as_str() == question_id)
            .cloned()
            .ok_or_else(|| Error::not_found("question"))?;
        let mut changes = ChangeSet::default();
        if complete {
            let mut person = store
                .person(&caller.tenant.id, &set.person_id)
                .await?
                .ok_or_else(|| Error::internal("question set without person"))?;
            if matches!(
                person.customer_vetting_status,
                VettingStatus::PotentialMatch
                    | VettingStatus::InformationRequested
                    | VettingStatus::CustomerUnresponsive
            ) {
                person.customer_vetting_status = VettingStatus::InformationReceived;
                person.touch();
                changes.events.push(person_changed(&person));
                changes.persons.push(person);
            }
        }
        changes.question_sets.push(set);
        store.commit(&changes).await?;
        Ok(question)
    })
    .await
}

/// A compliance reviewer's decision after due diligence.
pub async fn review(
    store: &dyn Store,
    caller: &AuthContext,
    person_id: &str,
    decision: VettingStatus,
) -> Result<Person> {
    if !matches!(decision, VettingStatus::RiskAccepted | VettingStatus::RiskRejected) {
        return Err(Error::invalid_field("customer_vetting_status", "a review decides RISK_ACCEPTED or RISK_REJECTED"));
    }
    with_retry(|| async {
        let mut person = find_person(store, caller, person_id).await?;
        if !person.customer_vetting_status.open_to_review() {
            return Err(Error::conflict(
                "not_under_review",
                format!(
                    "the person's vetting status {:?} is not open to a review decision",
                    person.customer_vetting_status
                ),
            ));
        }
        person.customer_vetting_status = decision;
        person.touch();
        let event = person_changed(&person);
        store.commit(&ChangeSet { persons: vec![person.clone()], events: vec![event], ..ChangeSet::default() }).await?;
        Ok(person)
    })
    .await
}
