//! The demo's partner backend. A real partner backend holds an API key and calls the Solaris
//! API; this one calls the same core functions in-process as the `demo` tenant, which is
//! the only tenant it can ever name: every handler resolves that tenant itself and passes it
//! to the core, which scopes every read and write by tenant.

use crate::api::solaris::activities::ActivityView;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use sightline_core::activity::{ActivityKind, ActivityType};
use sightline_core::consent::ConsentEventType;
use sightline_core::monitoring::{self, RequestContext};
use sightline_core::person::{Branch, Person, Profile};
use sightline_core::{AuthContext, Error, ErrorKind, Id, Store, Tenant, TenantMode, Timestamp};

pub const DEMO_TENANT_NAME: &str = "demo";

/// Consent history records which API key spoke for the customer. The demo has no key, so its
/// writes carry this id, which no generated key can have (generated ids are random), and
/// which makes the demo's entries easy to tell apart in a consent history.
const DEMO_KEY_ID: &str = "00000000000000000000000000000000akey";

/// Versions of the consent text the page shows, one per language; stored with each consent
/// so it can later be proven which wording the customer saw.
const TEXT_VERSION_EN: &str = "demo-bank-solaris-device-monitoring-v1-en";
const TEXT_VERSION_DE: &str = "demo-bank-solaris-device-monitoring-v1-de";

/// Salt of the placeholder envelope: any 16 bytes; nothing is ever derived from it.
const PLACEHOLDER_SALT_B64: &str = "AAAAAAAAAAAAAAAAAAAAAA==";

/// The demo tenant, created on first use. Refuses a live-mode tenant of that name: it would
/// be a real partner's, and the demo must not write into it.
pub async fn demo_tenant(store: &dyn Store) -> Result<Tenant, Error> {
    let tenant = match store.tenant_by_name(DEMO_TENANT_NAME).await? {
        Some(tenant) => tenant,
        None => {
            let tenant = Tenant::new(DEMO_TENANT_NAME, TenantMode::Test)?;
            match store.insert_tenant(&tenant).await {
                Ok(()) => tenant,
                // Another request (or node) created it between our read and our insert.
                Err(e) if e.kind == ErrorKind::Conflict => store
                    .tenant_by_name(DEMO_TENANT_NAME)
                    .await?
                    .ok_or_else(|| Error::internal("demo tenant conflicted on insert but cannot be read"))?,
                Err(e) => return Err(e),
            }
        }
    };
    if tenant.mode != TenantMode::Test {
        return Err(Error::conflict(
            "demo_tenant_not_test",
            "a tenant named `demo` exists in live mode; the demo only runs as a test-mode tenant of that name",
        ));
    }
    Ok(tenant)
}

pub fn agent_url(tenant_id: &Id, file: &str) -> String {
    format!("/agent/v1/{tenant_id}/{file}")
}

/// The demo tenant as a caller, rate limited like an API key so that this unauthenticated
/// write path cannot be used to flood the store.
async fn demo_caller(state: &AppState) -> Result<AuthContext, Error> {
    let tenant = demo_tenant(state.store.as_ref()).await?;
    if state.limiter.check_key(&format!("demo:{}", tenant.id)).is_err() {
        return Err(Error::new(
            ErrorKind::RateLimited { retry_after_secs: 1 },
            "rate_limited",
            "too many demo requests; retry in a second",
        ));
    }
    Ok(AuthContext { tenant, key_id: Id::from_trusted(DEMO_KEY_ID.to_owned()), config_version: None })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DemoConfig {
    tenant_id: String,
    /// Classic script exposing `window.sightline`, with the tenant's key baked in.
    agent_url: String,
    /// The same agent as an ES module.
    agent_module_url: String,
}

#[utoipa::path(operation_id = "demo_config", get, path = "/demo/api/config", tag = "demo", security(()),
    responses((status = 200, body = DemoConfig)))]
pub async fn config(State(state): State<AppState>) -> Result<Json<DemoConfig>, ApiError> {
    let tenant = demo_tenant(state.store.as_ref()).await?;
    Ok(Json(DemoConfig {
        agent_url: agent_url(&tenant.id, "agent.js"),
        agent_module_url: agent_url(&tenant.id, "agent.mjs"),
        tenant_id: tenant.id.into_string(),
    }))
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    De,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    branch: Branch,
    event_type: ConsentEventType,
    /// The language of the consent text the customer was shown.
    language: Language,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentCreated {
    person_id: String,
    /// The session id the agent must use on this device.
    device_consent_id: String,
    event_type: ConsentEventType,
    branch: Branch,
    consent_text_version: &'static str,
    /// False when the customer may refuse monitoring and still be served (branch ES).
    monitoring_mandatory: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityRecorded {
    activity: ActivityView,
    /// The person after the analysis, with the `customer_vetting_status` it led to.
    person: Person,
}

/// The customer answered the consent modal: create the person, then record the answer. The
/// guide requires consent before the person exists, so both happen here, in that order of
/// events, and only once the customer has answered.
#[utoipa::path(operation_id = "demo_consent", post, path = "/demo/api/consent", tag = "demo", security(()), request_body = ConsentBody,
    responses((status = 201, body = ConsentCreated), (status = 400, description = "Refusal where monitoring is mandatory")))]
pub async fn consent(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ConsentBody>,
) -> Result<(StatusCode, Json<ConsentCreated>), ApiError> {
    let caller = demo_caller(&state).await?;
    // A new customer in a mandatory branch who refuses cannot become a customer, so there is
    // nobody to create; a real partner backend would not call Solaris either.
    if body.event_type == ConsentEventType::Rejected && body.branch.consent_mandatory() {
        return Err(Error::bad_request(
            "consent_mandatory",
            format!(
                "device monitoring is mandatory for new customers in branch {:?}; without consent no account can be opened",
                body.branch
            ),
        )
        .with_field("event_type")
        .into());
    }
    let person = Person::new(&caller.tenant.id, Profile::default(), body.branch, false)?;
    let person = monitoring::create_person(state.store.as_ref(), person).await?;
    let text_version = match body.language {
        Language::En => TEXT_VERSION_EN,
        Language::De => TEXT_VERSION_DE,
    };
    let consent = monitoring::create_consent(
        state.store.as_ref(),
        &caller,
        person.id.as_str(),
        body.event_type,
        Timestamp::now(),
        Some(text_version.to_owned()),
    )
    .await?;
    state.webhooks_wake();
    Ok((
        StatusCode::CREATED,
        Json(ConsentCreated {
            person_id: person.id.into_string(),
            device_consent_id: consent.id.into_string(),
            event_type: consent.event_type,
            branch: person.branch,
            consent_text_version: text_version,
            monitoring_mandatory: person.branch.consent_mandatory(),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    person_id: String,
    activity_type: ActivityType,
    /// What the agent's `getSession()` returned; absent when the customer refused monitoring.
    #[serde(default)]
    device_data: Option<String>,
    /// Needed only without `device_data`: the refused consent the activity runs under.
    #[serde(default)]
    device_consent_id: Option<String>,
}

#[utoipa::path(operation_id = "demo_activity", post, path = "/demo/api/activity", tag = "demo", security(()), request_body = ActivityBody,
    responses((status = 201, body = ActivityRecorded), (status = 400, description = "Bad device_data"), (status = 403, description = "No consent")))]
pub async fn activity(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ActivityBody>,
) -> Result<(StatusCode, Json<ActivityRecorded>), ApiError> {
    let caller = demo_caller(&state).await?;
    let store = state.store.as_ref();
    let device_data = match (body.device_data, body.device_consent_id) {
        (Some(device_data), _) => device_data,
        (None, Some(consent_id)) => without_fingerprint(store, &caller, &body.person_id, &consent_id).await?,
        (None, None) => {
            return Err(Error::invalid_field(
                "device_data",
                "send the agent's device_data, or device_consent_id of a refused consent",
            )
            .into());
        }
    };
    // The browser talks to this backend directly, so its own User-Agent is the customer's.
    let context = RequestContext {
        ip: None,
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
    };
    let activity = monitoring::record_activity(
        store,
        &state.link_stats,
        &caller,
        &body.person_id,
        ActivityKind::Activity(body.activity_type),
        &device_data,
        &context,
    )
    .await?;
    state.webhooks_wake();
    let person = monitoring::find_person(store, &caller, &body.person_id).await?;
    Ok((StatusCode::CREATED, Json(ActivityRecorded { activity: activity.into(), person })))
}

/// A customer who refused monitoring has no agent running, so there is no `device_data`; the
/// activity still has to name its consent. This envelope carries only the consent id: the
/// core sees the refused consent and stores nothing from it. Only a refused consent gets one:
/// under an approved consent it would be recorded as an activity with no usable fingerprint.
async fn without_fingerprint(
    store: &dyn Store,
    caller: &AuthContext,
    person_id: &str,
    consent_id: &str,
) -> Result<String, Error> {
    let person = monitoring::find_person(store, caller, person_id).await?;
    let consent = monitoring::find_consent_of(store, &person, consent_id).await?;
    if consent.event_type != ConsentEventType::Rejected {
        return Err(Error::invalid_field(
            "device_data",
            "this device's consent is APPROVED: send the device_data returned by the agent's getSession()",
        ));
    }
    Ok(format!("Web;none;{PLACEHOLDER_SALT_B64};AA==;{}", consent.id))
}

#[utoipa::path(operation_id = "demo_person", get, path = "/demo/api/persons/{id}", tag = "demo", security(()),
    params(("id" = String, Path, description = "Person id of the demo tenant")),
    responses((status = 200, body = Person), (status = 404, description = "No such demo person")))]
pub async fn person(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Person>, ApiError> {
    let caller = demo_caller(&state).await?;
    Ok(Json(monitoring::find_person(state.store.as_ref(), &caller, &id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_payload::Envelope;

    #[test]
    fn placeholder_envelope_parses_and_names_the_consent() {
        let consent = "0123456789abcdef0123456789abcdefdcon";
        let text = format!("Web;none;{PLACEHOLDER_SALT_B64};AA==;{consent}");
        let envelope = Envelope::parse(&text).map_err(|e| e.to_string());
        assert_eq!(envelope.as_ref().map(Envelope::session_id), Ok(consent));
        // Too short to name a key: it can never be mistaken for a sealed payload.
        assert_eq!(envelope.ok().and_then(|e| e.key_id()), None);
    }

    #[test]
    fn demo_key_id_has_the_api_key_shape() {
        assert!(Id::parse(sightline_core::ResourceKind::ApiKey, DEMO_KEY_ID).is_some());
        for version in [TEXT_VERSION_EN, TEXT_VERSION_DE] {
            assert!(sightline_core::consent::validate_text_version(&Some(version.to_owned())).is_ok());
        }
    }
}
