//! `device_details`: a SEON-compatible object per platform. Every field of
//! SEON's Web, iOS and Android lists is present; a field the payload (or the
//! request and history) cannot support is `null`, never invented.

mod android;
mod ios;
mod web;

use serde_json::{Map, Value};
use sightline_payload::Platform;

use crate::detect::{Ctx, Findings, SUSPICIOUS_FLAGS};

pub(crate) fn build(ctx: &Ctx, f: &Findings) -> Value {
    let mut m = Map::new();
    match ctx.platform {
        Platform::Web => web::fill(ctx, f, &mut m),
        Platform::Android => android::fill(ctx, f, &mut m),
        Platform::Ios => ios::fill(ctx, f, &mut m),
    }
    Value::Object(m)
}

/// A signal field as-is, or null.
pub(super) fn field(ctx: &Ctx, group: &str, key: &str) -> Value {
    ctx.s.field(group, key).cloned().unwrap_or(Value::Null)
}

pub(super) fn opt<T: Into<Value>>(x: Option<T>) -> Value {
    x.map_or(Value::Null, Into::into)
}

pub(super) fn suspicious_flags(f: &Findings) -> Value {
    Value::Array(
        f.flags
            .iter()
            .filter(|fl| SUSPICIOUS_FLAGS.contains(&fl.name.as_str()))
            .map(|fl| Value::String(fl.name.clone()))
            .collect(),
    )
}

/// The network/IP fields shared by all three platforms. There is no DNS
/// resolver probe, so the `dns_ip*` fields stay null.
pub(super) fn ip_fields(ctx: &Ctx, m: &mut Map<String, Value>, ip_key: &str) {
    let r = &ctx.input.request;
    m.insert("dns_ip".into(), Value::Null);
    m.insert("dns_ip_country".into(), Value::Null);
    m.insert("dns_ip_isp".into(), Value::Null);
    m.insert(ip_key.into(), opt(r.ip.clone()));
    m.insert("device_ip_country".into(), opt(r.ip_country.clone()));
    m.insert("device_ip_isp".into(), opt(r.ip_isp.clone()));
}

pub(super) fn location(ctx: &Ctx, group: &str) -> Value {
    match (ctx.s.f64(group, "latitude"), ctx.s.f64(group, "longitude")) {
        (Some(lat), Some(lon)) => serde_json::json!({
            "latitude": lat,
            "longitude": lon,
            "accuracy_m": field(ctx, group, "accuracy_m"),
            "timestamp": field(ctx, group, "timestamp"),
        }),
        _ => Value::Null,
    }
}

/// A boolean verdict: true when our detector flagged it, else the SDK's own
/// answer, else null when the group was not sent at all.
pub(super) fn verdict(ctx: &Ctx, f: &Findings, flag: &str, group: &str, key: &str) -> Value {
    if f.has_flag(flag) {
        Value::Bool(true)
    } else if ctx.s.present(group) {
        Value::Bool(ctx.s.bool(group, key).unwrap_or(false))
    } else {
        Value::Null
    }
}
