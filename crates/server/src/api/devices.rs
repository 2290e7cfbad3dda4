//! The identity graph over HTTP: a device, the persons and contacts it was seen with, the
//! devices of a person, and the reason-code catalogue behind every analysis.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sightline_core::device::{DeviceLink, DeviceRecord, LinkKind};
use sightline_core::{Error, Id, ResourceKind, Timestamp, monitoring};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceView {
    #[serde(flatten)]
    device: DeviceRecord,
    /// Distinct persons seen on this device in the last 24 hours / 30 days.
    persons_24h: usize,
    persons_30d: usize,
}

async fn find(state: &AppState, tenant_id: &Id, id: &str) -> Result<DeviceRecord, Error> {
    let id = Id::parse(ResourceKind::Device, id).ok_or_else(|| Error::not_found("device"))?;
    state.store.device(tenant_id, &id).await?.ok_or_else(|| Error::not_found("device"))
}

/// A known device: hashes, the attributes linking compares, first and last seen.
#[utoipa::path(get, path = "/v1/devices/{id}", operation_id = "get_device", tag = "devices",
    params(("id" = String, Path, description = "Device id (…dvce)")),
    responses((status = 200, body = DeviceView), (status = 404, description = "No such device")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<DeviceView>, ApiError> {
    let device = find(&state, &caller.tenant.id, &id).await?;
    let links = state.store.device_links(&caller.tenant.id, &device.id).await?;
    let now = Timestamp::now().millis();
    let persons = |window_ms: i64| {
        links.iter().filter(|l| l.kind == LinkKind::Person && l.last_seen.millis() >= now - window_ms).count()
    };
    Ok(Json(DeviceView { persons_24h: persons(24 * 3600 * 1000), persons_30d: persons(30 * 24 * 3600 * 1000), device }))
}

/// Everything the device was seen with (persons; emails and phones as hashes), with first
/// and last sighting and a count, most recent first.
#[utoipa::path(get, path = "/v1/devices/{id}/links", operation_id = "get_device_links", tag = "devices",
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = Vec<DeviceLink>), (status = 404, description = "No such device")))]
pub async fn links(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<DeviceLink>>, ApiError> {
    let device = find(&state, &caller.tenant.id, &id).await?;
    Ok(Json(state.store.device_links(&caller.tenant.id, &device.id).await?))
}

/// The devices a person used, most recent first.
#[utoipa::path(get, path = "/v1/persons/{person_id}/devices", operation_id = "list_person_devices", tag = "devices",
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 200, body = Vec<DeviceLink>), (status = 404, description = "No such person")))]
pub async fn of_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Vec<DeviceLink>>, ApiError> {
    let person = monitoring::find_person(state.store.as_ref(), &caller, &person_id).await?;
    Ok(Json(state.store.links_to(&caller.tenant.id, LinkKind::Person, person.id.as_str()).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReasonCodeView {
    code: &'static str,
    category: String,
    title: &'static str,
    description: &'static str,
    /// How much the code adds to `device_risk` (0 for informational codes).
    risk_weight: u8,
}

/// Every reason code an analysis can carry: Socure-style `I4xx` (informational) and `R4xx`
/// (risk) codes and ours, with their meaning.
#[utoipa::path(get, path = "/v1/reason_codes", operation_id = "list_reason_codes", tag = "devices",
    responses((status = 200, body = Vec<ReasonCodeView>)))]
pub async fn reason_codes(_caller: Caller) -> Json<Vec<ReasonCodeView>> {
    Json(
        sightline_device::catalogue()
            .iter()
            .map(|c| ReasonCodeView {
                code: c.code,
                category: serde_json::to_value(c.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                title: c.title,
                description: c.description,
                risk_weight: c.risk_weight,
            })
            .collect(),
    )
}
