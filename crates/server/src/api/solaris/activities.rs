//! `device_activities` (APP_START, PASSWORD_RESET, CONSENT_PROVIDED) and `device_checks`
//! before the protected actions, plus reading back what was stored and concluded.

use crate::api::context::request_context;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sightline_core::activity::{
    ActivityKind, ActivityType, CheckDecision, DeviceActivity, DeviceEvidence, ProtectedAction, Reason,
};
use sightline_core::{Error, Id, ResourceKind, Timestamp, monitoring};

const SEED_DEVICE_DATA: &str = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8hQtqbA5LbzEFWDI1bUwZf/zbau0P2MIEUE+LsifBKvxjCYNUyz647bpSjnQ6Tu8IK22sxFlTGEFaHKBigzmP8Nc8FvVSWKzslmSWTFJM5AYc+EGTZLprlcdrLldsZLS5PpHfPMmvtqCXVTnGhYV7GvutI1w5/67yK7pCQDxDicKjqlMg1naMiwCuqP1U1lUtf+lTdmJ1T1lXMPARffTn4XAr66vUxN++sy7qytkdcOeCsaxZnLspUEvqu+2ILHF8pOJFG7gYC11rqWOyHG3Ns1E1dZ57ybrgGTKfctFOdx2IMXnz1/i/pDC5QokRr2BTIZZ/9Tj+xXzWpzNwHtRWWK5VEufyVRPyMXQdmry7UYKrouAzlLCYSMv7GcPwOZz+gDjCkrNia7/DGBBFLOvtlufDztPpvkH2jmN32/oJHl1Qu6zpxG3Lyl8RNdyukuNYfiPw0ECoXsXObwQc7Ja8R+V5S7QZeV1VV9aavlH1+Xl9v0OlOJ1XujO7izWESMIfzAuaL6ACYhdkmkC3kicjOWUjaY3OJYrrXxQ+MScnJOQ9neMRWij7YqNxP8F259zVjqqyaL6hN8EZU/pi+cZUVkfFvMYT5ugE9JXjkFfyy4UQeSmNRjDXRzu40LyweqUns8u3GOIFzfZ9eVOv+q7OV+RpVLOJLz1Za8RPIh3UKltCzOTmO8OpDz2aGoqNdL4zAaLl4EKRoarEiSG9K2/GoyHchi6xdHYA6DqQg5xQM4s50RUySGwWLxBB3ZlMpZpdZAVBrLSyl1SWqYTosdyURtiiX0So+kdik5XJ5Vsh0v75rNP5Yrv3t5/u94wx51zKlpDH8Uiap7kP0eibRmmN196kxMcOf8Q50JM1Yt8cJiawTWdGHzGRcNtEkpon5VLp/kwDU+4IPwlW976hKsom0PTB/EVxo5CWuL6kPiaEWUrWOL7BZ2jkuebHT2jBAJuFBaeac7IYnrAMoLgfY33Vs3EtVk8HrhFzJCiwR7WC+GHJTHLH1S8FfmHFTXJHecvq6tpMncaJFbo4jSfm9ozBAVAAN2mCn/yBbmX9tPmXdGEsTSpdp6vVWKEdHZ1rjCqmgDENxh75H5uT9DeZ0mAKwkP5Ai+bN3hT0y1XGE44b/aJ7PEObogYAioej/Z690zKx+fHxP50juTgt+UIQ+l/mpcYnbcYe4lkXrqGpwxFU8OrRzzfJX/s90VVlzrQVAPNW/mvYkt+MqSVwI1EP62faXlXnDqbmVFUmMGeoquP58cwqSBaNL/oi2Rg7GVvdvus+i2Qpm1SHtnPVUhTwWFigiWw/T2ZZeUs4nk+Q/xOFa/";

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"device_data": SEED_DEVICE_DATA, "activity_type": "APP_START"}))]
pub struct ActivityBody {
    /// The string returned by the agent's `getSession()`.
    device_data: String,
    activity_type: ActivityType,
}

/// One stored activity or check, with what was concluded from its device.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    id: String,
    person_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity_type: Option<ActivityType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<ProtectedAction>,
    device_consent_id: Option<String>,
    session_id: String,
    /// Absent when the person validly refused monitoring: nothing was analysed or kept.
    device: Option<DeviceEvidence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<CheckDecision>,
    reasons: Vec<Reason>,
    created_at: Timestamp,
}

impl From<DeviceActivity> for ActivityView {
    fn from(a: DeviceActivity) -> Self {
        let (activity_type, action) = match a.kind {
            ActivityKind::Activity(t) => (Some(t), None),
            ActivityKind::Check(action) => (None, Some(action)),
        };
        ActivityView {
            id: a.id.into_string(),
            person_id: a.person_id.into_string(),
            activity_type,
            action,
            device_consent_id: a.consent_id.map(Id::into_string),
            session_id: a.session_id,
            device: a.evidence,
            decision: a.decision,
            reasons: a.reasons,
            created_at: a.created_at,
        }
    }
}

/// Report an app start, password reset or consent with a fresh fingerprint. The session id
/// in `device_data` must be an APPROVED device consent of this person (403 otherwise).
#[utoipa::path(operation_id = "create_device_activity", post, path = "/v1/persons/{person_id}/device_activities", tag = "solaris", request_body = ActivityBody,
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 201, body = ActivityView), (status = 400, description = "Missing or garbled device_data"),
              (status = 403, description = "No APPROVED consent for this device, or monitoring withdrawn")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ActivityBody>,
) -> Result<(StatusCode, Json<ActivityView>), ApiError> {
    let activity = monitoring::record_activity(
        state.store.as_ref(),
        &state.link_stats,
        &caller,
        &person_id,
        ActivityKind::Activity(body.activity_type),
        &body.device_data,
        &request_context(&headers),
    )
    .await?;
    state.webhooks_wake();
    Ok((StatusCode::CREATED, Json(activity.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"action": "SMS_CHALLENGE_CREATE", "device_data": SEED_DEVICE_DATA}))]
pub struct CheckBody {
    /// The protected Solaris endpoint about to be called.
    action: ProtectedAction,
    device_data: String,
}

/// Check the device before a protected action (SCA challenges, change requests, person
/// update, identification, device binding, mobile number, card servicing). Answers ALLOW,
/// STEP_UP or DENY with reasons; the check is stored like an activity.
#[utoipa::path(operation_id = "create_device_check", post, path = "/v1/persons/{person_id}/device_checks", tag = "solaris", request_body = CheckBody,
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 201, body = ActivityView), (status = 403, description = "No APPROVED consent for this device")))]
pub async fn check(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<CheckBody>,
) -> Result<(StatusCode, Json<ActivityView>), ApiError> {
    let check = monitoring::record_activity(
        state.store.as_ref(),
        &state.link_stats,
        &caller,
        &person_id,
        ActivityKind::Check(body.action),
        &body.device_data,
        &request_context(&headers),
    )
    .await?;
    state.webhooks_wake();
    Ok((StatusCode::CREATED, Json(check.into())))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// At most this many, newest first (default 50, at most 500).
    limit: Option<u32>,
}

/// The person's activities and checks, newest first, with their analysis.
#[utoipa::path(operation_id = "list_device_activities", get, path = "/v1/persons/{person_id}/device_activities", tag = "solaris",
    params(("person_id" = String, Path, description = "Person id"), ListQuery),
    responses((status = 200, body = Vec<ActivityView>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<ActivityView>>, ApiError> {
    let person = monitoring::find_person(state.store.as_ref(), &caller, &person_id).await?;
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let activities = state.store.activities_of_person(&caller.tenant.id, &person.id, limit).await?;
    Ok(Json(activities.into_iter().map(ActivityView::from).collect()))
}

/// One activity or check (`…dact` or `…dchk`) with its device analysis.
#[utoipa::path(operation_id = "get_device_activity", get, path = "/v1/device_activities/{id}", tag = "solaris",
    params(("id" = String, Path, description = "Activity or check id")),
    responses((status = 200, body = ActivityView), (status = 404, description = "No such activity")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    let id = Id::parse(ResourceKind::DeviceActivity, &id)
        .or_else(|| Id::parse(ResourceKind::DeviceCheck, &id))
        .ok_or_else(|| Error::not_found("device activity"))?;
    let activity =
        state.store.activity(&caller.tenant.id, &id).await?.ok_or_else(|| Error::not_found("device activity"))?;
    Ok(Json(activity.into()))
}
