//! The SEON Fraud API dialect: SEON's request and envelope, translated to the core's fraud
//! decision and back. A partner calling SEON switches the base URL and the key, nothing else.

mod request;
mod response;

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use request::FraudRequest;
use sightline_core::fraud::{FraudOutcome, decide};
use sightline_core::{Error, Id, ResourceKind};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(fraud_api_v2)).routes(routes!(fraud_api)).routes(routes!(get_decision))
}

async fn run(
    state: &AppState,
    caller: &sightline_core::AuthContext,
    body: FraudRequest,
) -> Result<response::Envelope, ApiError> {
    body.validate()?;
    let config = body.config.clone();
    let event = body.into_event()?;
    let outcome = decide(state.decider(), caller, event).await?;
    Ok(response::envelope(response::data(outcome, config)))
}

/// SEON's Fraud API: one call, every module, the tenant's rules; answers in SEON's envelope.
#[utoipa::path(post, path = "/SeonRestService/fraud-api/v2/", operation_id = "seon_fraud_api_v2", tag = "fraud",
    request_body = FraudRequest,
    responses((status = 200, description = "`{success, error, data: {id, state, fraud_score, applied_rules, *_details, calculation_time, version}}`"),
              (status = 400, description = "`{success: false, error: {code, message}}` naming the attribute")))]
pub async fn fraud_api_v2(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<FraudRequest>,
) -> Result<Json<response::Envelope>, ApiError> {
    Ok(Json(run(&state, &caller, body).await?))
}

/// The same call under Sightline's own path.
#[utoipa::path(post, path = "/v1/fraud-api", operation_id = "fraud_api", tag = "fraud", request_body = FraudRequest,
    responses((status = 200, description = "As `/SeonRestService/fraud-api/v2/`"),
              (status = 400, description = "`{success: false, error: {code, message}}`")))]
pub async fn fraud_api(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<FraudRequest>,
) -> Result<Json<response::Envelope>, ApiError> {
    Ok(Json(run(&state, &caller, body).await?))
}

/// A stored decision, rendered as it was answered (personal data in module details hashed).
#[utoipa::path(get, path = "/v1/fraud-api/{id}", operation_id = "get_fraud_decision", tag = "fraud",
    params(("id" = String, Path, description = "The decision id (`data.id`)")),
    responses((status = 200, description = "SEON envelope"), (status = 404, description = "No such decision")))]
pub async fn get_decision(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<response::Envelope>, ApiError> {
    let id = Id::parse(ResourceKind::Decision, &id).ok_or_else(|| Error::not_found("decision"))?;
    let stored = state.store.decision(&caller.tenant.id, &id).await?.ok_or_else(|| Error::not_found("decision"))?;
    let outcome: FraudOutcome = serde_json::from_str(stored.response.get())
        .map_err(|e| Error::internal(format!("stored decision {id} does not read back: {e}")))?;
    Ok(Json(response::envelope(response::data(outcome, None))))
}
