//! SEON `device_details` for the JavaScript agent.

use serde_json::{Map, Value, json};

use super::{field, ip_fields, location, opt, suspicious_flags};
use crate::detect::{Ctx, Findings, browser_age_days};
use crate::geo;
use crate::identity::short_hash;

/// Resolutions common enough that they say nothing about the device
/// (desktop CSS pixels, and the main phone and tablet sizes).
const COMMON_RESOLUTIONS: [(u32, u32); 24] = [
    (1920, 1080),
    (1366, 768),
    (1536, 864),
    (1440, 900),
    (1280, 720),
    (2560, 1440),
    (1600, 900),
    (1280, 800),
    (1680, 1050),
    (1280, 1024),
    (1920, 1200),
    (3840, 2160),
    (1512, 982),
    (1470, 956),
    (1728, 1117),
    (2240, 1260),
    (390, 844),
    (393, 852),
    (375, 667),
    (414, 896),
    (428, 926),
    (430, 932),
    (360, 800),
    (412, 915),
];

pub(super) fn fill(ctx: &Ctx, f: &Findings, m: &mut Map<String, Value>) {
    let s = &ctx.s;
    let agent = ctx.ua.clone().unwrap_or_default();
    let has = |n: &str| f.has_flag(n);
    let net_known =
        ctx.ip_country().is_some() || ctx.input.request.ip.is_some() || ctx.input.request.ip_is_vpn.is_some();
    let plugin_names: Vec<String> = s.strs("plugins", "names").iter().map(|n| n.to_ascii_lowercase()).collect();
    let plugins_present = s.present("plugins");

    let os = match (agent.os, os_release(ctx, &agent)) {
        ("", _) | ("Other", _) => Value::Null,
        (os, Some(v)) => Value::String(format!("{os} {v}")),
        (os, None) => Value::String(os.to_owned()),
    };
    m.insert("os".into(), os);
    m.insert(
        "vpn".into(),
        if net_known {
            json!(has("timezone_ip_mismatch") || has("ip_vpn") || has("webrtc_ip_mismatch"))
        } else {
            Value::Null
        },
    );
    m.insert("type".into(), json!("web"));
    m.insert("proxy".into(), if net_known { json!(has("webrtc_ip_mismatch") || has("ip_proxy")) } else { Value::Null });
    m.insert("webgl".into(), s.value("webgl").cloned().unwrap_or(Value::Null));
    m.insert("locale".into(), field(ctx, "timezone", "locale"));
    m.insert("source".into(), json!(format!("sightline-agent/{}", ctx.input.payload.sdk_version)));
    m.insert("adblock".into(), Value::Null);
    m.insert("battery".into(), s.value("battery").cloned().unwrap_or(Value::Null));
    m.insert("browser".into(), if agent.browser.is_empty() { Value::Null } else { json!(agent.browser) });
    m.insert("plugins".into(), s.value("plugins").cloned().unwrap_or(Value::Null));
    m.insert("private".into(), opt(s.bool("private_mode", "likely_private")));
    m.insert("platform".into(), field(ctx, "platform", "platform"));
    m.insert("referrer".into(), ctx.context.and_then(|c| c.get("referrer")).cloned().unwrap_or(Value::Null));
    m.insert("timezone".into(), field(ctx, "timezone", "timezone"));
    ip_fields(ctx, m, "device_ip");
    m.insert("font_hash".into(), field(ctx, "fonts", "hash"));
    m.insert("font_list".into(), field(ctx, "fonts", "list"));
    m.insert("has_focus".into(), field(ctx, "document", "has_focus"));
    m.insert("languages".into(), field(ctx, "languages", "languages"));
    m.insert("math_hash".into(), field(ctx, "math", "hash"));
    m.insert("audio_hash".into(), field(ctx, "audio", "hash"));
    m.insert("extensions".into(), Value::Null);
    m.insert("font_count".into(), field(ctx, "fonts", "count"));
    m.insert("font_noise".into(), if s.present("fonts") { json!(!s.stable("fonts")) } else { Value::Null });
    m.insert("session_id".into(), json!(ctx.input.payload.session_id));
    m.insert("user_agent".into(), opt(s.scalar_str("user_agent")));
    let webrtc_ips: Option<Vec<&str>> = s
        .present("webrtc")
        .then(|| s.strs("webrtc", "addresses").into_iter().filter(|a| !a.ends_with(".local")).collect());
    m.insert("webrtc_ips".into(), opt(webrtc_ips));
    m.insert("canvas_hash".into(), field(ctx, "canvas", "hash"));
    m.insert("cookie_hash".into(), opt(ctx.fp.cookie_hash.clone()));
    m.insert("device_hash".into(), json!(ctx.fp.device_hash));
    m.insert("device_type".into(), if ctx.ua.is_some() { json!(agent.device_type) } else { Value::Null });
    m.insert("mouse_moved".into(), opt(ctx.behaviour_f64("mouse_moves").map(|n| n > 0.0)));
    m.insert("permissions".into(), s.value("permissions").cloned().unwrap_or(Value::Null));
    m.insert("price_range".into(), Value::Null);
    m.insert("screen_data".into(), screen_data(ctx));
    m.insert("browser_hash".into(), json!(ctx.fp.browser_hash));
    let dnt = s.field("do_not_track", "do_not_track").map(|v| v.as_str() == Some("1") || v.as_bool() == Some(true));
    m.insert("do_not_track".into(), opt(dnt.or_else(|| s.present("do_not_track").then_some(false))));
    m.insert(
        "java_enabled".into(),
        if plugins_present { json!(plugin_names.iter().any(|n| n.contains("java"))) } else { Value::Null },
    );
    m.insert("webrtc_count".into(), field(ctx, "webrtc", "candidate_count"));
    m.insert("device_memory".into(), opt(s.scalar_f64("device_memory")));
    m.insert("dns_ip_region".into(), Value::Null);
    m.insert(
        "flash_enabled".into(),
        if plugins_present { json!(plugin_names.iter().any(|n| n.contains("flash"))) } else { Value::Null },
    );
    m.insert("media_devices".into(), s.value("media_devices").cloned().unwrap_or(Value::Null));
    m.insert("spoofing_hash".into(), spoofing_hash(ctx));
    let touch = s.present("touch").then(|| {
        s.bool("touch", "touch_event") == Some(true) || s.f64("touch", "max_touch_points").is_some_and(|n| n > 0.0)
    });
    m.insert("touch_support".into(), opt(touch));
    m.insert("cookie_enabled".into(), field(ctx, "storage", "cookies"));
    m.insert("mobile_details".into(), Value::Null);
    m.insert("browser_version".into(), opt(browser_version(ctx, &agent)));
    m.insert("device_location".into(), location(ctx, "geolocation"));
    m.insert("drm_key_systems".into(), Value::Null);
    m.insert("mime_types_hash".into(), field(ctx, "plugins", "mime_types_hash"));
    m.insert("timezone_offset".into(), opt(s.f64("timezone", "offset_minutes").map(|o| geo::format_offset(o as i32))));
    m.insert("user_agent_data".into(), s.value("client_hints").cloned().unwrap_or(Value::Null));
    m.insert(
        "window_location".into(),
        ctx.context.and_then(|c| c.get("window_location")).cloned().unwrap_or(Value::Null),
    );
    m.insert("device_ip_region".into(), opt(ctx.input.request.ip_region.clone()));
    m.insert("max_touch_points".into(), field(ctx, "touch", "max_touch_points"));
    m.insert("suspicious_flags".into(), if ctx.behavior.is_some() { suspicious_flags(f) } else { Value::Null });
    m.insert("timezone_country".into(), opt(s.str("timezone", "timezone").and_then(geo::zone_country)));
    m.insert(
        "webrtc_activated".into(),
        opt(s.present("webrtc").then(|| s.f64("webrtc", "candidate_count").unwrap_or(0.0) > 0.0)),
    );
    m.insert("system_colors_hash".into(), Value::Null);
    let age = agent.browser_major.and_then(|mj| browser_age_days(agent.browser, mj, ctx.input.now_ms));
    m.insert("browser_version_age".into(), opt(age));
    m.insert("hardware_concurrency".into(), opt(s.scalar_f64("hardware_concurrency")));
    m.insert("keyboard_layout_hash".into(), field(ctx, "keyboard_layout", "hash"));
    m.insert("keyboard_layout_name".into(), field(ctx, "keyboard_layout", "layout"));
    m.insert("unpopular_user_agent".into(), Value::Null);
    let unpopular = match (s.f64("screen", "width"), s.f64("screen", "height")) {
        (Some(w), Some(h)) => {
            let (w, h) = (w as u32, h as u32);
            json!(!COMMON_RESOLUTIONS.iter().any(|(a, b)| (w, h) == (*a, *b) || (w, h) == (*b, *a)))
        }
        _ => Value::Null,
    };
    m.insert("unpopular_device_resolution".into(), unpopular);
}

/// Client hints know the real release; the UA string is frozen.
fn os_release(ctx: &Ctx, agent: &crate::ua::UserAgent) -> Option<String> {
    if let Some(pv) = ctx.s.str("client_hints", "platform_version").filter(|v| !v.is_empty()) {
        let major: u32 = pv.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        return match agent.os {
            "Windows" if major >= 13 => Some("11".to_owned()),
            "Windows" if major > 0 => Some("10".to_owned()),
            "Windows" => None,
            _ => Some(pv.to_owned()),
        };
    }
    agent.os_version.clone()
}

fn browser_version(ctx: &Ctx, agent: &crate::ua::UserAgent) -> Option<String> {
    let brand = match agent.browser {
        "Chrome" => "Google Chrome",
        "Edge" => "Microsoft Edge",
        "Opera" => "Opera",
        _ => "",
    };
    let full = ctx.s.field("client_hints", "full_version_list").and_then(|l| l.as_array()).and_then(|l| {
        l.iter()
            .find(|b| b.get("brand").and_then(Value::as_str) == Some(brand))
            .and_then(|b| b.get("version")?.as_str().map(str::to_owned))
    });
    full.or_else(|| agent.browser_version.clone())
}

fn screen_data(ctx: &Ctx) -> Value {
    let s = &ctx.s;
    if !s.present("screen") {
        return Value::Null;
    }
    let f = |g: &str, k: &str| field(ctx, g, k);
    json!({
        "width": f("screen", "width"),
        "height": f("screen", "height"),
        "avail_width": f("screen", "avail_width"),
        "avail_height": f("screen", "avail_height"),
        "color_depth": f("screen", "color_depth"),
        "pixel_depth": f("screen", "pixel_depth"),
        "orientation": f("screen", "orientation"),
        "pixel_ratio": opt(s.scalar_f64("device_pixel_ratio")),
        "inner_width": f("window", "inner_width"),
        "inner_height": f("window", "inner_height"),
        "outer_width": f("window", "outer_width"),
        "outer_height": f("window", "outer_height"),
    })
}

/// A hash over the lie-detection results (overridden functions, identity
/// contradictions, worker differences, engine facts): stable for one
/// spoofing set-up across sessions, so it links them even when the spoofed
/// values themselves are randomised.
fn spoofing_hash(ctx: &Ctx) -> Value {
    let s = &ctx.s;
    if !s.present("tampering") && !s.present("engine") {
        return Value::Null;
    }
    let mut buf = String::from("sightline/spoofing/v1\n");
    for (g, k) in [
        ("tampering", "non_native"),
        ("tampering", "shadowed"),
        ("tampering", "mismatches"),
        ("worker", "mismatches"),
        ("automation", "tells"),
    ] {
        buf.push_str(&format!("{g}.{k}={}\n", s.strs(g, k).join(",")));
    }
    buf.push_str(&format!("engine={}\n", s.value("engine").map(Value::to_string).unwrap_or_default()));
    Value::String(short_hash(buf.as_bytes()))
}
