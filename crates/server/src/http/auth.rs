//! API-key authentication and per-key rate limiting. Each dialect's customary header is
//! accepted — `Authorization: Bearer` (Solaris, QI Tech), `X-API-KEY` (SEON), `u21-key`
//! (Unit21) — and all resolve to the same tenant keys, so one key serves every dialect.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use sightline_core::tenant::hash_api_key;
use sightline_core::{AuthContext, Error, ErrorKind};

pub async fn require_api_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let secret = presented_key(request.headers()).ok_or_else(|| {
        Error::unauthorized("missing API key: send `Authorization: Bearer <key>`, `X-API-KEY` or `u21-key`")
    })?;
    let caller = state
        .callers
        .authenticate(state.store.as_ref(), &hash_api_key(secret))
        .await?
        .ok_or_else(|| Error::unauthorized("invalid or revoked API key"))?;
    if let Err(not_until) = state.limiter.check_key(&caller.key_id.as_str().to_owned()) {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(Error::new(
            ErrorKind::RateLimited { retry_after_secs },
            "rate_limited",
            format!("rate limit exceeded for this API key; retry after {retry_after_secs} s"),
        )
        .into());
    }
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}

fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    bearer
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .or_else(|| headers.get("u21-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

/// The authenticated caller, for handlers behind [`require_api_key`].
pub struct Caller(pub AuthContext);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AuthContext>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| ApiError(Error::unauthorized("missing API key")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_header_is_accepted() {
        for (name, value) in [("authorization", "Bearer k1"), ("x-api-key", "k1"), ("u21-key", " k1 ")] {
            let mut headers = HeaderMap::new();
            headers.insert(name, value.parse().unwrap());
            assert_eq!(presented_key(&headers), Some("k1"), "{name}");
        }
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Basic abc".parse().unwrap());
        assert_eq!(presented_key(&headers), None);
    }
}
