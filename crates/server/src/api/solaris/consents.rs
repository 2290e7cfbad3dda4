//! `device_consents`: create, update (withdraw), list, and the consent history.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sightline_core::Timestamp;
use sightline_core::consent::{ConsentEvent, ConsentEventType, DeviceConsent};
use sightline_core::monitoring;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event_type": "APPROVED", "confirmed_at": "2021-06-25T09:44:25.000Z", "consent_text_version": "solaris-2021-06-en"}))]
pub struct ConsentBody {
    event_type: ConsentEventType,
    /// When the customer confirmed (UTC); must not be in the future.
    confirmed_at: Timestamp,
    /// Which consent text the customer was shown.
    #[serde(default)]
    consent_text_version: Option<String>,
}

/// Solaris' consent resource: exactly these five fields.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"id": "17a7389adaf83145770d8e6c00a398ddcon", "person_id": "e2bbc86268e9a4667861b73f31dba03bcper",
    "event_type": "APPROVED", "confirmed_at": "2021-06-25T09:44:25.000Z", "created_at": "2021-06-25T09:44:25.000Z"}))]
pub struct ConsentView {
    id: String,
    person_id: String,
    event_type: ConsentEventType,
    confirmed_at: Timestamp,
    created_at: Timestamp,
}

impl From<DeviceConsent> for ConsentView {
    fn from(c: DeviceConsent) -> Self {
        ConsentView {
            id: c.id.into_string(),
            person_id: c.person_id.into_string(),
            event_type: c.event_type,
            confirmed_at: c.confirmed_at,
            created_at: c.created_at,
        }
    }
}

/// Record the person's consent for one device. Its `id` is the session id the agent must use.
#[utoipa::path(operation_id = "create_device_consent", post, path = "/v1/persons/{person_id}/device_consents", tag = "solaris", request_body = ConsentBody,
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 201, body = ConsentView), (status = 400, description = "confirmed_at in the future: constraint_violation"),
              (status = 404, description = "Unknown person")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
    JsonBody(body): JsonBody<ConsentBody>,
) -> Result<(StatusCode, Json<ConsentView>), ApiError> {
    let consent = monitoring::create_consent(
        state.store.as_ref(),
        &caller,
        &person_id,
        body.event_type,
        body.confirmed_at,
        body.consent_text_version,
    )
    .await?;
    state.webhooks_wake();
    Ok((StatusCode::CREATED, Json(consent.into())))
}

/// Update a consent, e.g. withdraw it (`REJECTED`); effective at once for that device.
#[utoipa::path(operation_id = "update_device_consent", patch, path = "/v1/persons/{person_id}/device_consents/{device_consent_id}", tag = "solaris",
    request_body = ConsentBody,
    params(("person_id" = String, Path, description = "Person id"), ("device_consent_id" = String, Path, description = "Consent id")),
    responses((status = 201, body = ConsentView), (status = 404, description = "Unknown person or consent")))]
pub async fn update(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((person_id, consent_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<ConsentBody>,
) -> Result<(StatusCode, Json<ConsentView>), ApiError> {
    let consent = monitoring::update_consent(
        state.store.as_ref(),
        &caller,
        &person_id,
        &consent_id,
        body.event_type,
        body.confirmed_at,
        body.consent_text_version,
    )
    .await?;
    state.webhooks_wake();
    Ok((StatusCode::CREATED, Json(consent.into())))
}

/// The person's consents, most recently changed first.
#[utoipa::path(operation_id = "list_device_consents", get, path = "/v1/persons/{person_id}/device_consents", tag = "solaris",
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 200, body = Vec<ConsentView>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Vec<ConsentView>>, ApiError> {
    let person = monitoring::find_person(state.store.as_ref(), &caller, &person_id).await?;
    let consents = state.store.consents_of_person(&caller.tenant.id, &person.id).await?;
    Ok(Json(consents.into_iter().map(ConsentView::from).collect()))
}

/// Every change of a consent, oldest first: who recorded it (API key), when the customer
/// confirmed, and which consent text they saw.
#[utoipa::path(operation_id = "device_consent_history", get, path = "/v1/persons/{person_id}/device_consents/{device_consent_id}/history", tag = "solaris",
    params(("person_id" = String, Path, description = "Person id"), ("device_consent_id" = String, Path, description = "Consent id")),
    responses((status = 200, body = Vec<ConsentEvent>)))]
pub async fn history(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((person_id, consent_id)): Path<(String, String)>,
) -> Result<Json<Vec<ConsentEvent>>, ApiError> {
    let person = monitoring::find_person(state.store.as_ref(), &caller, &person_id).await?;
    let consent = monitoring::find_consent_of(state.store.as_ref(), &person, &consent_id).await?;
    Ok(Json(state.store.consent_history(&caller.tenant.id, &consent.id).await?))
}
