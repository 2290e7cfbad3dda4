//! The calling tenant and its API keys. `GET /v1/tenant` is also the trivial authenticated
//! endpoint the baseline benchmark measures.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sightline_core::{ApiKey, Error, Id, NewApiKey, ResourceKind, Tenant, TenantSettings};

/// The tenant the API key belongs to.
#[utoipa::path(get, path = "/v1/tenant", tag = "account",
    responses((status = 200, body = Tenant), (status = 401, description = "Missing or invalid API key")))]
pub async fn current_tenant(Caller(caller): Caller) -> Json<Tenant> {
    Json(caller.tenant)
}

/// The tenant's API keys (prefixes only; secrets are never stored).
#[utoipa::path(get, path = "/v1/api_keys", tag = "account", responses((status = 200, body = Vec<ApiKey>)))]
pub async fn list_keys(State(state): State<AppState>, Caller(caller): Caller) -> Result<Json<Vec<ApiKey>>, ApiError> {
    Ok(Json(state.store.api_keys(&caller.tenant.id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    /// What the key is for, e.g. `backend-eu-1`.
    #[serde(default)]
    label: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedKey {
    key: ApiKey,
    /// The secret, shown this once.
    api_key: String,
}

/// Create another API key for the calling tenant; the secret is in this response only.
#[utoipa::path(post, path = "/v1/api_keys", tag = "account", request_body = CreateKey,
    responses((status = 201, body = CreatedKey)))]
pub async fn create_key(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<CreateKey>,
) -> Result<(StatusCode, Json<CreatedKey>), ApiError> {
    let new = NewApiKey::generate(&caller.tenant, &body.label);
    state.store.insert_api_key(&new.key, &new.secret_hash).await?;
    Ok((StatusCode::CREATED, Json(CreatedKey { key: new.key, api_key: new.secret })))
}

/// Revoke one of the calling tenant's keys; it stops working at once.
#[utoipa::path(delete, path = "/v1/api_keys/{id}", tag = "account",
    params(("id" = String, Path, description = "API key id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "No such active key")))]
pub async fn revoke_key(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let key_id = Id::parse(ResourceKind::ApiKey, &id).ok_or_else(|| Error::not_found("API key"))?;
    if state.store.revoke_api_key(&caller.tenant.id, &key_id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::not_found("API key").into())
    }
}

/// The calling tenant's settings.
#[utoipa::path(operation_id = "get_tenant_settings", get, path = "/v1/tenant/settings", tag = "account", responses((status = 200, body = TenantSettings)))]
pub async fn settings(Caller(caller): Caller) -> Json<TenantSettings> {
    Json(caller.tenant.settings)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agent_allowed_origins": ["https://shop.example.com"], "reject_replayed_payloads": true}))]
pub struct SettingsPatch {
    agent_allowed_origins: Option<Vec<String>>,
    reject_replayed_payloads: Option<bool>,
    /// Sanctions-screening match threshold in percent (50–100).
    aml_match_threshold: Option<u8>,
}

/// Change some of the calling tenant's settings; absent fields keep their value.
#[utoipa::path(operation_id = "update_tenant_settings", patch, path = "/v1/tenant/settings", tag = "account", request_body = SettingsPatch,
    responses((status = 200, body = TenantSettings), (status = 400, description = "Invalid setting")))]
pub async fn update_settings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(patch): JsonBody<SettingsPatch>,
) -> Result<Json<TenantSettings>, ApiError> {
    let mut settings = caller.tenant.settings;
    if let Some(origins) = patch.agent_allowed_origins {
        settings.agent_allowed_origins = origins;
    }
    if let Some(reject) = patch.reject_replayed_payloads {
        settings.reject_replayed_payloads = reject;
    }
    if let Some(threshold) = patch.aml_match_threshold {
        settings.aml_match_threshold = Some(threshold);
    }
    settings.validate()?;
    if !state.store.update_tenant_settings(&caller.tenant.id, &settings).await? {
        return Err(Error::not_found("tenant").into());
    }
    Ok(Json(settings))
}
