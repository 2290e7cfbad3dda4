//! A JSON body extractor whose errors name the offending field (`address.country`), which
//! axum's own extractor does not expose in a structured way.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use sightline_core::{Error, ErrorKind};

pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if let Some(ct) = content_type {
            let essence = ct.split(';').next().unwrap_or_default().trim();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(Error::new(
                    ErrorKind::UnsupportedMediaType,
                    "unsupported_media_type",
                    format!("Content-Type `{essence}` is not supported; send application/json"),
                )
                .into());
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status().as_u16() == 413 {
                Error::new(ErrorKind::PayloadTooLarge, "payload_too_large", "request body exceeds the size limit")
            } else {
                Error::bad_request("unreadable_body", rejection.body_text())
            }
        })?;
        parse(&bytes).map(Json).map_err(ApiError)
    }
}

/// Deserialises `bytes`, turning serde's messages into errors with a field path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::bad_request("malformed_json", "request body is empty; expected a JSON object"));
    }
    // Tracking the path costs a good share of a large body's decode, and only an error needs
    // it: a body that decodes is decoded once, one that does not is decoded again for the path.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = strip_position(&inner.to_string());
        match inner.classify() {
            Category::Data => match (missing_field(&message), path.as_str()) {
                (Some(name), ".") => Error::invalid_field(name, message),
                (Some(name), parent) => Error::invalid_field(format!("{parent}.{name}"), message),
                (None, ".") => Error::bad_request("validation_error", message),
                (None, _) => Error::invalid_field(path, message),
            },
            Category::Syntax | Category::Eof | Category::Io => {
                Error::bad_request("malformed_json", format!("request body is not valid JSON: {message}"))
            }
        }
    })?;
    deserializer.end().map_err(|_| {
        Error::bad_request("malformed_json", "request body has trailing characters after the JSON value")
    })?;
    Ok(value)
}

/// serde reports a missing field at the path of its parent object; the client needs the
/// field itself.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// serde_json appends "at line 1 column 20"; the field path says more to an API client.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        kind: Kind,
        nested: Option<Nested>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Kind {
        AppStart,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        count: u32,
    }

    #[test]
    fn errors_name_the_field() {
        let err = parse::<Body>(br#"{"kind":"NOPE"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("kind"));
        assert!(err.detail.contains("unknown variant"));
        let err = parse::<Body>(br#"{"kind":"APP_START","nested":{"count":"x"}}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("nested.count"));
        assert!(!err.detail.contains("line 1"));
    }

    #[test]
    fn malformed_and_empty_bodies_are_distinct() {
        assert_eq!(parse::<Body>(b"{").unwrap_err().code, "malformed_json");
        assert!(parse::<Body>(b"").unwrap_err().detail.contains("empty"));
        assert_eq!(parse::<Body>(br#"{"kind":"APP_START"} x"#).unwrap_err().code, "malformed_json");
        let missing = parse::<Body>(b"{}").unwrap_err();
        assert_eq!((missing.code.as_ref(), missing.field.as_deref()), ("validation_error", Some("kind")));
        let nested = parse::<Body>(br#"{"kind":"APP_START","nested":{}}"#).unwrap_err();
        assert_eq!(nested.field.as_deref(), Some("nested.count"));
    }
}
