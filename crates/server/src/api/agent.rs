//! Serving the browser agent. The committed bundles (`agent/dist`) carry a placeholder that is
//! replaced here by the tenant's current sealing key, so a partner page needs one script tag
//! and no configuration. The key-versioned URL never changes content and is cached for a
//! year; the short URL follows rotations within minutes.

use crate::http::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sightline_core::agent_key::{AgentKeyRecord, current_agent_key};
use sightline_core::{Error, Id, ResourceKind, Tenant};

const CLASSIC_BUNDLE: &str = include_str!("../../../../agent/dist/agent.js");
const MODULE_BUNDLE: &str = include_str!("../../../../agent/dist/agent.mjs");
const PLACEHOLDER: &str = "\"__SIGHTLINE_AGENT_CONFIG__\"";
const SHORT_CACHE: &str = "public, max-age=300";
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// What the agent needs to seal: the key and where to find this server.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AgentConfig {
    key_id: u32,
    /// Uncompressed P-256 point, standard base64.
    public_key: String,
    endpoint: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ConfigQuery {
    /// The tenant id (…tent).
    tenant: String,
}

async fn tenant(state: &AppState, id: &str) -> Result<Tenant, Error> {
    let id = Id::parse(ResourceKind::Tenant, id).ok_or_else(|| Error::not_found("tenant"))?;
    state.store.tenant(&id).await?.ok_or_else(|| Error::not_found("tenant"))
}

fn endpoint(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let scheme = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}")
}

fn config_of(key: &AgentKeyRecord, headers: &HeaderMap) -> AgentConfig {
    AgentConfig { key_id: key.key_id, public_key: key.public_key_b64.clone(), endpoint: endpoint(headers) }
}

/// CORS by the tenant's allow-list: the origin is echoed when allowed, nothing otherwise.
fn with_cors(mut response: Response, tenant: &Tenant, headers: &HeaderMap) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match origin {
        Some(origin) if tenant.settings.allows_origin(origin) => HeaderValue::from_str(origin).ok(),
        _ => None,
    };
    let response_headers = response.headers_mut();
    if let Some(value) = allowed {
        response_headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    response_headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// The tenant's current sealing key, for agents that fetch it instead of having it baked in.
#[utoipa::path(operation_id = "agent_config", get, path = "/agent/v1/config", tag = "agent", security(()), params(ConfigQuery),
    responses((status = 200, body = AgentConfig), (status = 404, description = "Unknown tenant")))]
pub async fn config(
    State(state): State<AppState>,
    Query(query): Query<ConfigQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tenant = tenant(&state, &query.tenant).await?;
    let key = current_agent_key(state.store.as_ref(), &tenant.id).await?;
    let response = ([(header::CACHE_CONTROL, SHORT_CACHE)], axum::Json(config_of(&key, &headers))).into_response();
    Ok(with_cors(response, &tenant, &headers))
}

fn bundle(file: &str) -> Result<(&'static str, &'static str), Error> {
    match file {
        "agent.js" => Ok((CLASSIC_BUNDLE, "text/javascript; charset=utf-8")),
        "agent.mjs" => Ok((MODULE_BUNDLE, "text/javascript; charset=utf-8")),
        _ => Err(Error::not_found("agent file")),
    }
}

fn render(source: &str, config: &AgentConfig) -> Result<String, Error> {
    let json = serde_json::to_string(config).map_err(Error::internal)?;
    Ok(source.replacen(PLACEHOLDER, &json, 1))
}

/// The agent with the tenant's current key baked in (`agent.js`: classic script exposing
/// `window.sightline`; `agent.mjs`: ES module). Cached for five minutes.
#[utoipa::path(operation_id = "agent_script", get, path = "/agent/v1/{tenant_id}/{file}", tag = "agent", security(()),
    params(("tenant_id" = String, Path, description = "Tenant id"), ("file" = String, Path, description = "`agent.js` or `agent.mjs`")),
    responses((status = 200, description = "JavaScript", content_type = "text/javascript"), (status = 404, description = "Unknown tenant or file")))]
pub async fn current(
    State(state): State<AppState>,
    Path((tenant_id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (source, content_type) = bundle(&file)?;
    let tenant = tenant(&state, &tenant_id).await?;
    let key = current_agent_key(state.store.as_ref(), &tenant.id).await?;
    let body = render(source, &config_of(&key, &headers))?;
    let response = ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, SHORT_CACHE)], body).into_response();
    Ok(with_cors(response, &tenant, &headers))
}

/// The agent sealed to one named key (`k<key id>`): its content never changes, so it is
/// cached for a year. Retired keys answer 404.
#[utoipa::path(operation_id = "agent_script_for_key", get, path = "/agent/v1/{tenant_id}/{key}/{file}", tag = "agent", security(()),
    params(("tenant_id" = String, Path, description = "Tenant id"), ("key" = String, Path, description = "`k` and the key id, e.g. `k3054`"),
           ("file" = String, Path, description = "`agent.js` or `agent.mjs`")),
    responses((status = 200, description = "JavaScript", content_type = "text/javascript"), (status = 404, description = "Unknown tenant, key or file")))]
pub async fn versioned(
    State(state): State<AppState>,
    Path((tenant_id, key, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (source, content_type) = bundle(&file)?;
    let tenant = tenant(&state, &tenant_id).await?;
    let key_id: u32 =
        key.strip_prefix('k').and_then(|k| k.parse().ok()).ok_or_else(|| Error::not_found("agent key"))?;
    let key = state
        .store
        .agent_keys(&tenant.id)
        .await?
        .into_iter()
        .find(|k| k.key_id == key_id && k.retired_at.is_none())
        .ok_or_else(|| Error::not_found("agent key"))?;
    let body = render(source, &config_of(&key, &headers))?;
    let response =
        ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, IMMUTABLE_CACHE)], body).into_response();
    Ok(with_cors(response, &tenant, &headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_carry_the_placeholder_once() {
        for source in [CLASSIC_BUNDLE, MODULE_BUNDLE] {
            assert_eq!(source.matches(PLACEHOLDER).count(), 1);
        }
        let config = AgentConfig { key_id: 7, public_key: "cHVi".into(), endpoint: "http://x".into() };
        let rendered = render(CLASSIC_BUNDLE, &config).unwrap();
        assert!(rendered.contains(r#"{"key_id":7,"public_key":"cHVi","endpoint":"http://x"}"#));
        assert!(!rendered.contains(PLACEHOLDER));
    }
}
