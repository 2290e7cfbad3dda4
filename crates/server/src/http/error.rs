//! Errors on the wire. Handlers return [`ApiError`] without knowing their dialect; the
//! [`render_errors`] middleware renders every error response — ours, the router's 404/405,
//! the body limit's 413, the timeout's 408 — in the error format of the dialect whose path
//! was called, with the request id so a partner can quote it to support.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sightline_core::{Error, ErrorKind};

/// Which provider's conventions a path follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Solaris,
    Seon,
}

impl Dialect {
    pub fn of_path(path: &str) -> Dialect {
        if path.starts_with("/SeonRestService/") || path.starts_with("/v1/fraud-api") {
            Dialect::Seon
        } else {
            Dialect::Solaris
        }
    }
}

/// A core error on its way out of a handler; rendered later by [`render_errors`].
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError(err)
    }
}

#[derive(Clone)]
struct PendingError(Error);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        if let ErrorKind::RateLimited { retry_after_secs } = self.0.kind {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs.max(1)));
        }
        response.extensions_mut().insert(PendingError(self.0));
        response
    }
}

pub async fn render_errors(request: Request, next: Next) -> Response {
    let dialect = Dialect::of_path(request.uri().path());
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut response = next.run(request).await;
    let error = match response.extensions_mut().remove::<PendingError>() {
        Some(PendingError(error)) => error,
        None if is_unrendered_error(&response) => error_for_status(response.status()),
        None => return response,
    };
    if error.kind == ErrorKind::Internal {
        tracing::error!(request_id, detail = %error.detail, "internal error");
    }
    let body = render(dialect, &error, &request_id);
    let mut rendered = (response.status(), axum::Json(body)).into_response();
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}

fn is_unrendered_error(response: &Response) -> bool {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    (status.is_client_error() || status.is_server_error()) && !is_json
}

/// Errors produced by layers and the router, which only tell us their status.
fn error_for_status(status: StatusCode) -> Error {
    match status.as_u16() {
        404 => Error::new(ErrorKind::NotFound, "not_found", "no such endpoint"),
        405 => Error::new(ErrorKind::MethodNotAllowed, "method_not_allowed", "method not allowed on this endpoint"),
        408 => Error::new(ErrorKind::Timeout, "request_timeout", "the request took too long and was cancelled"),
        413 => Error::new(ErrorKind::PayloadTooLarge, "payload_too_large", "request body exceeds the size limit"),
        415 => {
            Error::new(ErrorKind::UnsupportedMediaType, "unsupported_media_type", "send Content-Type: application/json")
        }
        s if s < 500 => Error::bad_request("bad_request", "the request could not be processed"),
        _ => Error::internal(format!("status {status} without detail")),
    }
}

fn render(dialect: Dialect, error: &Error, request_id: &str) -> serde_json::Value {
    let detail = match error.kind {
        ErrorKind::Internal => format!("an internal error occurred; quote request id {request_id} to support"),
        _ => error.detail.clone(),
    };
    match dialect {
        Dialect::Solaris => {
            let mut item = json!({
                "id": request_id,
                "status": error.status(),
                "code": error.code,
                "title": error.kind.title(),
                "detail": detail,
            });
            if let Some(field) = &error.field {
                item["source"] = json!({"field": field, "message": detail});
            }
            json!({"errors": [item]})
        }
        Dialect::Seon => {
            let message = match &error.field {
                Some(field) => format!("{field}: {detail}"),
                None => detail,
            };
            json!({"success": false, "error": {"code": error.code, "message": message}, "data": null})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solaris_shape_names_the_field() {
        let body = render(Dialect::Solaris, &Error::constraint_violation("confirmed_at", "in the future"), "r1");
        assert_eq!(body["errors"][0]["code"], "constraint_violation");
        assert_eq!(body["errors"][0]["status"], 400);
        assert_eq!(body["errors"][0]["source"]["field"], "confirmed_at");
        assert_eq!(body["errors"][0]["id"], "r1");
    }

    #[test]
    fn seon_shape_and_hidden_internal_detail() {
        let body = render(Dialect::Seon, &Error::internal("secret sql"), "r2");
        assert_eq!(body["success"], false);
        assert!(!body.to_string().contains("secret sql"));
        assert_eq!(Dialect::of_path("/SeonRestService/fraud-api/v2/"), Dialect::Seon);
        assert_eq!(Dialect::of_path("/v1/persons"), Dialect::Solaris);
    }
}
