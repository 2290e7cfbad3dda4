//! `POST /v1/persons`, `GET` and `PATCH /v1/persons/{id}`, and the reviewer's decision.

use crate::api::context::request_context;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sightline_core::activity::CheckDecision;
use sightline_core::monitoring;
use sightline_core::person::{Branch, Person, Profile, VettingStatus};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com",
    "mobile_number": "+4915112345678", "birth_date": "1990-02-28",
    "address": {"line_1": "Hauptstr. 1", "postal_code": "10115", "city": "Berlin", "country": "DE"},
    "branch": "DE", "onboarded_before_device_monitoring": false}))]
pub struct CreatePerson {
    #[serde(flatten)]
    profile: Profile,
    branch: Branch,
    /// Customers onboarded before device monitoring may refuse it in any branch.
    #[serde(default)]
    onboarded_before_device_monitoring: bool,
}

/// Create the person whose devices are monitored. `customer_vetting_status` starts NOT_VETTED.
#[utoipa::path(operation_id = "create_person", post, path = "/v1/persons", tag = "solaris", request_body = CreatePerson,
    responses((status = 201, body = Person), (status = 400, description = "Invalid field")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<CreatePerson>,
) -> Result<(StatusCode, Json<Person>), ApiError> {
    let person = Person::new(&caller.tenant.id, body.profile, body.branch, body.onboarded_before_device_monitoring)?;
    let person = monitoring::create_person(state.store.as_ref(), person).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// Retrieve a person, with `customer_vetting_status` and the device-monitoring state.
#[utoipa::path(operation_id = "get_person", get, path = "/v1/persons/{id}", tag = "solaris",
    params(("id" = String, Path, description = "Person id (…cper)")),
    responses((status = 200, body = Person), (status = 404, description = "No such person")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(monitoring::find_person(state.store.as_ref(), &caller, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"email": "jane.new@example.com", "device_data": "Web;1.0.0;…;…;<device consent id>"}))]
pub struct UpdatePerson {
    #[serde(flatten)]
    profile: Profile,
    /// A fresh fingerprint: updating a person is a protected action.
    device_data: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UpdatedPerson {
    #[serde(flatten)]
    person: Person,
    /// The id of the device check this update passed.
    device_check_id: String,
    device_check_decision: Option<CheckDecision>,
}

/// Update a person. Requires `device_data` like every protected action; a denied device
/// check leaves the person unchanged (403).
#[utoipa::path(operation_id = "update_person", patch, path = "/v1/persons/{id}", tag = "solaris", request_body = UpdatePerson,
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = UpdatedPerson), (status = 403, description = "Consent missing or check denied")))]
pub async fn update(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<UpdatePerson>,
) -> Result<Json<UpdatedPerson>, ApiError> {
    let context = request_context(&headers);
    let (person, check) = monitoring::update_person(
        state.store.as_ref(),
        &state.link_stats,
        &caller,
        &id,
        body.profile,
        &body.device_data,
        &context,
    )
    .await?;
    state.webhooks_wake();
    Ok(Json(UpdatedPerson { person, device_check_id: check.id.to_string(), device_check_decision: check.decision }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"customer_vetting_status": "RISK_ACCEPTED"}))]
pub struct Review {
    /// RISK_ACCEPTED or RISK_REJECTED.
    customer_vetting_status: VettingStatus,
}

/// A compliance reviewer's decision on a person under due diligence; sends PERSON_CHANGED.
#[utoipa::path(operation_id = "review_person", post, path = "/v1/persons/{id}/vetting_review", tag = "solaris", request_body = Review,
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = Person), (status = 409, description = "Person is not under review")))]
pub async fn review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Review>,
) -> Result<Json<Person>, ApiError> {
    let person = monitoring::review(state.store.as_ref(), &caller, &id, body.customer_vetting_status).await?;
    state.webhooks_wake();
    Ok(Json(person))
}
