//! VPN, proxy and Tor heuristics: the device's own clock and network
//! interfaces against the request's IP, plus the caller's IP intelligence.

use std::net::IpAddr;

use super::{Ctx, Findings};
use crate::geo;

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    let req = &ctx.input.request;
    if req.ip_is_tor == Some(true) {
        f.raise("tor_exit", "R417", "IP is a Tor exit node");
    }
    if ctx.web() && tor_browser_profile(ctx) {
        f.raise("tor_browser", "R417", "Firefox with UTC, en-US, letterboxed window and screen equal to window");
    }
    if req.ip_is_vpn == Some(true) {
        f.raise("ip_vpn", "R451", "IP intelligence: VPN");
    }
    if req.ip_is_proxy == Some(true) {
        f.raise("ip_proxy", "R451", "IP intelligence: proxy");
    }
    if req.ip_is_hosting == Some(true) {
        f.raise("hosting_ip", "R456", "IP intelligence: hosting / data centre");
    }
    if !ctx.web() {
        if ctx.s.str("network", "vpn_state").is_some_and(|v| v.eq_ignore_ascii_case("connected")) {
            f.raise("vpn_active", "R451", "the SDK reports an active VPN");
        }
        if ctx.s.str("network", "proxy_state").is_some_and(|v| v.eq_ignore_ascii_case("enabled")) {
            let addr = ctx.s.str("network", "proxy_address").unwrap_or("?");
            f.raise("proxy_configured", "R451", format!("HTTP proxy {addr}"));
        }
    }
    timezone_vs_ip(ctx, f);
    local_addresses(ctx, f);
}

fn device_offset(ctx: &Ctx) -> Option<i32> {
    let raw = if ctx.web() {
        ctx.s.f64("timezone", "offset_minutes")
    } else {
        ctx.s.f64("system", "timezone_offset_minutes")
    };
    raw.filter(|x| x.is_finite() && x.abs() <= 16.0 * 60.0).map(|x| x as i32)
}

fn timezone_vs_ip(ctx: &Ctx, f: &mut Findings) {
    let (Some(country), Some(offset)) = (ctx.ip_country(), device_offset(ctx)) else { return };
    match geo::country_has_offset(country, offset, 0) {
        Some(false) => f.raise(
            "timezone_ip_mismatch",
            "R414",
            format!("device clock at UTC{} is not used in IP country {country}", geo::format_offset(offset)),
        ),
        Some(true) => f.note("I409", format!("UTC{} is used in {country}", geo::format_offset(offset))),
        None => {}
    }
}

pub(crate) fn is_public(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1])))
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xe000) == 0x2000,
    }
}

fn same_network(a: &IpAddr, b: &IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(x), IpAddr::V4(y)) => x == y,
        // IPv6 hosts rotate interface ids; the /64 is the network.
        (IpAddr::V6(x), IpAddr::V6(y)) => x.segments()[..4] == y.segments()[..4],
        _ => false,
    }
}

/// A public address on a local interface that is not the request's address
/// (same IP family only: dual-stack hosts legitimately show both).
fn local_addresses(ctx: &Ctx, f: &mut Findings) {
    let Some(request_ip) = ctx.input.request.ip.as_deref().and_then(|s| s.trim().parse::<IpAddr>().ok()) else {
        return;
    };
    let addresses = if ctx.web() { ctx.s.strs("webrtc", "addresses") } else { ctx.s.strs("network", "local_ips") };
    let public: Vec<IpAddr> = addresses
        .iter()
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .filter(|ip| is_public(ip) && ip.is_ipv4() == request_ip.is_ipv4())
        .collect();
    if !public.is_empty() && !public.iter().any(|ip| same_network(ip, &request_ip)) {
        let shown: Vec<String> = public.iter().take(3).map(IpAddr::to_string).collect();
        f.raise("webrtc_ip_mismatch", "R415", format!("local {} vs request {request_ip}", shown.join(", ")));
    }
}

/// Tor Browser's resist-fingerprinting mode gives every user the same
/// profile; four of its six traits together are the tell.
fn tor_browser_profile(ctx: &Ctx) -> bool {
    let s = &ctx.s;
    if ctx.ua.as_ref().is_none_or(|u| u.browser != "Firefox") {
        return false;
    }
    let utc = s.str("timezone", "timezone").is_some_and(|z| matches!(z, "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT"));
    let langs = s.strs("languages", "languages");
    let en_us = langs == ["en-US", "en"] || langs == ["en-US"];
    let (iw, ih) = (s.f64("window", "inner_width").unwrap_or(1.0), s.f64("window", "inner_height").unwrap_or(1.0));
    let letterboxed = iw > 0.0 && ih > 0.0 && iw % 200.0 == 0.0 && ih % 100.0 == 0.0;
    let screen_is_window = s.f64("screen", "width") == Some(iw) && s.f64("screen", "height") == Some(ih);
    let no_gpu = s.present("webgl") && s.str("webgl", "unmasked_renderer").is_none();
    let engine_gecko =
        s.bool("engine", "moz_appearance") == Some(true) || s.bool("engine", "install_trigger") == Some(true);
    [utc, en_us, letterboxed, screen_is_window, no_gpu, engine_gecko].iter().filter(|x| **x).count() >= 4 && utc
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{CHROME_WIN, findings, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn timezone_far_from_ip_country() {
        let p = payload(Platform::Web, json!({"timezone": {"timezone": "America/New_York", "offset_minutes": -300}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("DE".to_owned());
        assert!(findings(&input).has_flag("timezone_ip_mismatch"));
        input.request.ip_country = Some("US".to_owned());
        let f = findings(&input);
        assert!(!f.has_flag("timezone_ip_mismatch") && f.has_code("I409"));
        // Austria shares Germany's offset: nothing to say.
        let p = payload(Platform::Web, json!({"timezone": {"timezone": "Europe/Vienna", "offset_minutes": 60}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("DE".to_owned());
        assert!(!findings(&input).has_flag("timezone_ip_mismatch"));
    }

    #[test]
    fn webrtc_public_address() {
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "webrtc": {"addresses": ["192.168.1.5", "198.51.100.7", "2a02:810d::1"]}}),
        );
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip = Some("203.0.113.9".to_owned());
        assert!(findings(&input).has_flag("webrtc_ip_mismatch"));
        input.request.ip = Some("198.51.100.7".to_owned());
        assert!(!findings(&input).has_flag("webrtc_ip_mismatch"));
        let p = payload(Platform::Web, json!({"webrtc": {"addresses": ["abc.local", "10.0.0.2"]}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip = Some("203.0.113.9".to_owned());
        assert!(!findings(&input).has_flag("webrtc_ip_mismatch"));
    }

    #[test]
    fn tor_and_ip_intel() {
        let ff = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0";
        let p = payload(
            Platform::Web,
            json!({"user_agent": ff, "timezone": {"timezone": "UTC", "offset_minutes": 0}, "languages": {"languages": ["en-US", "en"]},
                   "window": {"inner_width": 1000, "inner_height": 900}, "screen": {"width": 1000, "height": 900}, "webgl": {"renderer": "Mozilla"}}),
        );
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("tor_browser"));
        let p = payload(Platform::Web, json!({"user_agent": ff, "timezone": {"timezone": "Europe/Berlin"}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        assert!(!findings(&input).has_flag("tor_browser"));
        input.request.ip_is_tor = Some(true);
        input.request.ip_is_hosting = Some(true);
        let f = findings(&input);
        assert!(f.has_flag("tor_exit") && f.has_flag("hosting_ip"));
    }

    #[test]
    fn mobile_vpn_and_proxy() {
        let p = payload(
            Platform::Android,
            json!({"network": {"vpn_state": "connected", "proxy_state": "enabled", "proxy_address": "10.0.0.1:8080"}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(f.has_flag("vpn_active") && f.has_flag("proxy_configured"));
        let p =
            payload(Platform::Android, json!({"network": {"vpn_state": "disconnected", "proxy_state": "disabled"}}));
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).flags.is_empty());
    }
}
