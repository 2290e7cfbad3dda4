//! What a request tells us besides its body, for the device analysis.

use axum::http::HeaderMap;
use sightline_core::monitoring::RequestContext;

/// The partner's backend may pass the customer's IP and user agent in these headers; the
/// connection's own address is the partner's server, not the customer's device.
pub fn request_context(headers: &HeaderMap) -> RequestContext {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned());
    RequestContext {
        ip: text("x-customer-ip")
            .or_else(|| text("x-forwarded-for").and_then(|v| v.split(',').next().map(str::to_owned))),
        user_agent: text("x-customer-user-agent"),
    }
}
