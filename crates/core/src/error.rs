//! One error type for the whole service. Dialect adapters decide how it looks on the wire;
//! the core decides what it means (its kind), a stable machine code, and the offending field.

use std::borrow::Cow;
use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, independent of any dialect. Each kind maps to exactly one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited { retry_after_secs: u64 },
    Timeout,
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::RateLimited { .. } => 429,
            ErrorKind::Timeout => 408,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    /// The short title shown next to the code, in the style of the Solaris error objects.
    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Bad Request",
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "Not Found",
            ErrorKind::MethodNotAllowed => "Method Not Allowed",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::PayloadTooLarge => "Payload Too Large",
            ErrorKind::UnsupportedMediaType => "Unsupported Media Type",
            ErrorKind::RateLimited { .. } => "Too Many Requests",
            ErrorKind::Timeout => "Request Timeout",
            ErrorKind::Unavailable => "Service Unavailable",
            ErrorKind::Internal => "Internal Server Error",
        }
    }
}

/// An error with everything a dialect needs to render it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable, machine-readable code such as `constraint_violation` or `consent_rejected`.
    pub code: Cow<'static, str>,
    /// Human-readable explanation, safe to show to the API client.
    pub detail: String,
    /// The request field at fault, as a dotted path (`address.country`), when there is one.
    pub field: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Error { kind, code: code.into(), detail: detail.into(), field: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A request field fails a rule: `field` names it, `detail` says which rule.
    pub fn invalid_field(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, "validation_error", detail).with_field(field)
    }

    /// A value is well-formed but breaks a domain constraint (e.g. a timestamp in the future).
    pub fn constraint_violation(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, "constraint_violation", detail).with_field(field)
    }

    pub fn bad_request(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, code, detail)
    }

    /// Used for foreign tenants' resources too, so that ids of other tenants do not leak.
    pub fn not_found(resource: &str) -> Self {
        Error::new(ErrorKind::NotFound, "not_found", format!("{resource} not found"))
    }

    pub fn forbidden(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Forbidden, code, detail)
    }

    pub fn conflict(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Conflict, code, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unauthorized, "unauthorized", detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unavailable, "service_unavailable", detail)
    }

    /// A fault on our side. The detail goes to logs; clients see a generic message.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Internal, "internal_error", detail.to_string())
    }

    pub fn status(&self) -> u16 {
        self.kind.http_status()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.kind.title(), self.code, self.detail)?;
        if let Some(field) = &self.field {
            write!(f, " [field {field}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_distinct_statuses() {
        assert_eq!(Error::not_found("person").status(), 404);
        assert_eq!(Error::constraint_violation("confirmed_at", "in the future").status(), 400);
        assert_eq!(
            Error::new(ErrorKind::RateLimited { retry_after_secs: 1 }, "rate_limited", "slow down").status(),
            429
        );
    }

    #[test]
    fn display_names_the_field() {
        let e = Error::invalid_field("branch", "unknown value");
        assert!(e.to_string().contains("[field branch]"));
    }
}
