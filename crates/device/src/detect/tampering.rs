//! Lies: identity claims that contradict each other (user agent, client
//! hints, navigator.platform, engine, GPU, worker, request headers) and
//! overridden browser APIs.

use super::{Ctx, Findings};
use crate::geo;
use crate::ua::{self, UserAgent};

/// CSS-pixel screen sizes of iPads (either orientation); an iPad in desktop
/// mode reports a Mac user agent with touch points.
const IPAD_SCREENS: [(u32, u32); 9] = [
    (768, 1024),
    (810, 1080),
    (820, 1180),
    (834, 1112),
    (834, 1194),
    (744, 1133),
    (1024, 1366),
    (834, 1210),
    (1032, 1376),
];

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    if ctx.web() {
        api_overrides(ctx, f);
        if let Some(agent) = &ctx.ua {
            client_hints(ctx, agent, f);
            platform_engine_gpu(ctx, agent, f);
            touch(ctx, agent, f);
            geometry(ctx, agent, f);
        }
        worker(ctx, f);
        headers(ctx, f);
        if ctx.s.str("first_party_id", "source") == Some("mismatch") {
            f.raise("first_party_id_mismatch", "R448", "cookie and local storage hold different ids");
        }
        if ctx.s.present("tampering") && !f.flags.iter().any(|fl| fl.category == crate::codes::Category::Tampering) {
            f.note("I417", "no overridden functions or contradictions");
        }
    }
    timezone_offsets(ctx, f);
}

fn api_overrides(ctx: &Ctx, f: &mut Findings) {
    let non_native = ctx.s.strs("tampering", "non_native");
    if !non_native.is_empty() {
        let shown: Vec<&str> = non_native.iter().take(5).copied().collect();
        f.raise("non_native_functions", "R405", format!("{} overridden: {}", non_native.len(), shown.join(", ")));
    }
    let shadowed = ctx.s.strs("tampering", "shadowed");
    if !shadowed.is_empty() {
        f.raise("shadowed_properties", "R405", format!("instance properties: {}", shadowed.join(", ")));
    }
}

fn client_hints(ctx: &Ctx, agent: &UserAgent, f: &mut Findings) {
    let agent_mismatches: Vec<&str> = ctx
        .s
        .strs("tampering", "mismatches")
        .into_iter()
        .filter(|m| matches!(*m, "ua_data_without_chromium_ua" | "ua_version_mismatch" | "ua_platform_mismatch"))
        .collect();
    let mut problems: Vec<String> = agent_mismatches.iter().map(|m| (*m).to_owned()).collect();
    let chromium = matches!(agent.engine, "Blink");
    if let Some(hints) = ctx.s.value("client_hints") {
        let brands = hints.get("brands").and_then(|b| b.as_array()).cloned().unwrap_or_default();
        let chromium_brand = brands
            .iter()
            .find(|b| b.get("brand").and_then(|x| x.as_str()).is_some_and(|n| n == "Chromium" || n == "Google Chrome"));
        // Samsung Internet and Opera carry their own version; the Chromium
        // brand matches the UA's Chrome/ token.
        let chrome_major = ctx.s.scalar_str("user_agent").and_then(|ua| {
            let v: String = ua.split("Chrome/").nth(1)?.chars().take_while(char::is_ascii_digit).collect();
            v.parse::<u32>().ok()
        });
        if let (Some(b), Some(major)) = (chromium_brand, chrome_major) {
            let v = b.get("version").and_then(|x| x.as_str()).and_then(|v| v.split('.').next()?.parse::<u32>().ok());
            if v.is_some_and(|v| v != major) {
                problems.push(format!("brand version {} vs UA {major}", v.unwrap_or(0)));
            }
        }
        if !chromium {
            problems.push(format!("client hints from a {} user agent", agent.browser));
        }
        if let Some(p) = hints.get("platform").and_then(|p| p.as_str()).filter(|p| !p.is_empty()) {
            let expected = match agent.os {
                "Windows" => "Windows",
                "macOS" => "macOS",
                "Android" => "Android",
                "Linux" => "Linux",
                "Chrome OS" => "Chrome OS",
                _ => p,
            };
            if p != expected {
                problems.push(format!("hints platform {p} vs UA {}", agent.os));
            }
        }
        if let Some(mobile) = hints.get("mobile").and_then(|m| m.as_bool()) {
            if mobile != (agent.device_type == "mobile") {
                problems.push(format!("hints mobile={mobile} vs UA {}", agent.device_type));
            }
        }
    } else if ctx.s.error("client_hints") == Some("unsupported")
        && chromium
        && agent.os != "iOS"
        && agent.browser_major.is_some_and(|m| m >= 90)
    {
        problems.push(format!("{} {} without userAgentData", agent.browser, agent.browser_major.unwrap_or(0)));
    }
    if problems.is_empty() {
        if ctx.s.present("client_hints") {
            f.note("I424", "brands, platform and mobile flag agree with the user agent");
        }
    } else {
        f.raise("ua_client_hints_mismatch", "R406", problems.join("; "));
    }
}

fn platform_engine_gpu(ctx: &Ctx, agent: &UserAgent, f: &mut Findings) {
    let mut problems = Vec::new();
    if ctx.s.strs("tampering", "mismatches").contains(&"navigator_platform_mismatch") {
        problems.push("navigator.platform contradicts the UA (agent check)".to_owned());
    }
    if let Some(p) = ctx.s.str("platform", "platform") {
        if ua::platform_matches_os(p, agent.os) == Some(false) {
            problems.push(format!("navigator.platform {p} on {}", agent.os));
        }
    }
    if let Some(engine) = ctx.s.value("engine") {
        let stack = engine.get("error_stack_style").and_then(|s| s.as_str());
        let flag = |k: &str| engine.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let actual = if flag("install_trigger") || flag("moz_appearance") {
            Some("Gecko")
        } else if stack == Some("v8") {
            Some("Blink")
        } else if stack == Some("gecko_webkit") {
            Some("WebKit or Gecko")
        } else {
            None
        };
        let contradiction = match (agent.engine, actual) {
            ("Blink", Some(a)) => a != "Blink",
            ("WebKit", Some(a)) => a == "Blink" || a == "Gecko",
            ("Gecko", Some(a)) => a == "Blink",
            _ => false,
        };
        if contradiction {
            problems.push(format!("{} UA runs on a {} engine", agent.browser, actual.unwrap_or("?")));
        }
    }
    if let Some(renderer) = ctx.s.str("webgl", "unmasked_renderer") {
        let r = renderer.to_ascii_lowercase();
        let desktop_gpu =
            ["direct3d", "geforce", "radeon", "intel(r)", "quadro", "nvidia"].iter().any(|g| r.contains(g));
        let impossible = match agent.os {
            "iOS" => !r.contains("apple"),
            "macOS" => r.contains("direct3d"),
            "Android" => desktop_gpu,
            "Windows" | "Linux" | "Chrome OS" => r.contains("apple gpu") || r.contains("adreno") || r.contains("mali"),
            _ => false,
        };
        if impossible {
            problems.push(format!("GPU \"{renderer}\" on {}", agent.os));
        }
    }
    if !problems.is_empty() {
        f.raise("ua_platform_mismatch", "R407", problems.join("; "));
    }
}

fn touch(ctx: &Ctx, agent: &UserAgent, f: &mut Findings) {
    let Some(points) = ctx.s.f64("touch", "max_touch_points") else { return };
    if agent.device_type == "mobile" && points == 0.0 && ctx.s.bool("touch", "touch_event") == Some(false) {
        f.raise("touch_mismatch", "R409", format!("{} phone user agent without touch support", agent.os));
    }
    if agent.os == "macOS" && points > 0.0 {
        let w = ctx.s.f64("screen", "width").unwrap_or(0.0) as u32;
        let h = ctx.s.f64("screen", "height").unwrap_or(0.0) as u32;
        let ipad = IPAD_SCREENS.iter().any(|(a, b)| (w, h) == (*a, *b) || (w, h) == (*b, *a));
        if !ipad {
            f.raise("touch_mismatch", "R409", format!("Mac user agent with {points} touch points on a {w}x{h} screen"));
        }
    }
}

fn geometry(ctx: &Ctx, agent: &UserAgent, f: &mut Findings) {
    let s = &ctx.s;
    let (Some(w), Some(h)) = (s.f64("screen", "width"), s.f64("screen", "height")) else { return };
    let mut problems = Vec::new();
    if w <= 0.0 || h <= 0.0 {
        problems.push(format!("screen {w}x{h}"));
    }
    if let (Some(aw), Some(ah)) = (s.f64("screen", "avail_width"), s.f64("screen", "avail_height")) {
        if aw > w + 1.0 || ah > h + 1.0 {
            problems.push(format!("available area {aw}x{ah} exceeds screen {w}x{h}"));
        }
    }
    if let (Some(ow), Some(oh)) = (s.f64("window", "outer_width"), s.f64("window", "outer_height")) {
        // A phone's browser window cannot be larger than its screen.
        let long = w.max(h);
        if agent.device_type == "mobile" && (ow > long + 2.0 || oh > long + 2.0) {
            problems.push(format!("window {ow}x{oh} larger than phone screen {w}x{h}"));
        }
        if let (Some(iw), Some(ih)) = (s.f64("window", "inner_width"), s.f64("window", "inner_height")) {
            // Zooming out inflates inner sizes, but not by this much.
            if ow > 0.0 && oh > 0.0 && (iw > ow * 3.0 || ih > oh * 3.0) {
                problems.push(format!("inner {iw}x{ih} vs outer {ow}x{oh}"));
            }
        }
    }
    if problems.is_empty() {
        if s.present("window") {
            f.note("I423", "screen, available area and window fit together");
        }
    } else {
        f.raise("impossible_geometry", "R410", problems.join("; "));
    }
}

fn worker(ctx: &Ctx, f: &mut Findings) {
    let mismatches = ctx.s.strs("worker", "mismatches");
    if !mismatches.is_empty() {
        f.raise("worker_mismatch", "R408", format!("worker differs on {}", mismatches.join(", ")));
    }
}

fn headers(ctx: &Ctx, f: &mut Findings) {
    let req = &ctx.input.request;
    if let Some(header) = req.accept_language.as_deref() {
        let first = header.split(',').next().and_then(|t| t.split(';').next()).map(str::trim).unwrap_or("");
        let langs = ctx.s.strs("languages", "languages");
        if !first.is_empty() && first != "*" && !langs.is_empty() {
            let primary = geo::primary_language(first);
            if !langs.iter().any(|l| geo::primary_language(l) == primary) {
                f.raise("accept_language_mismatch", "R420", format!("header {first} vs navigator {}", langs.join(",")));
            }
        }
    }
    if let (Some(header), Some(agent), Some(raw)) = (req.user_agent.as_deref(), &ctx.ua, ctx.s.scalar_str("user_agent"))
    {
        if header.trim() != raw.trim() {
            let h = ua::parse(header);
            if h.browser != agent.browser || h.os != agent.os || h.browser_major != agent.browser_major {
                f.raise(
                    "request_ua_mismatch",
                    "R421",
                    format!(
                        "request {} {} on {} vs device {} {} on {}",
                        h.browser,
                        h.browser_major.unwrap_or(0),
                        h.os,
                        agent.browser,
                        agent.browser_major.unwrap_or(0),
                        agent.os
                    ),
                );
            }
        }
    }
}

/// A spoofed zone name usually keeps the host's real offsets.
fn timezone_offsets(ctx: &Ctx, f: &mut Findings) {
    let s = &ctx.s;
    let Some(name) = s.str("timezone", "timezone") else { return };
    let Some(zone) = geo::zone(name) else { return };
    let (Some(jan), Some(jul)) = (s.f64("timezone", "offset_january"), s.f64("timezone", "offset_july")) else {
        return;
    };
    let (jan, jul) = (jan as i32, jul as i32);
    let mut seen = [jan, jul];
    seen.sort_unstable();
    let mut expected = [zone.std_offset, zone.dst_offset];
    expected.sort_unstable();
    let now_ok = s.f64("timezone", "offset_minutes").is_none_or(|o| o as i32 == jan || o as i32 == jul);
    if seen != expected || !now_ok {
        f.raise(
            "timezone_offset_mismatch",
            "R418",
            format!(
                "{name} has offsets {}/{} but the device reports {}/{}",
                geo::format_offset(zone.std_offset),
                geo::format_offset(zone.dst_offset),
                geo::format_offset(jan),
                geo::format_offset(jul)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{CHROME_WIN, SAFARI_IOS, findings, flags_of, payload};
    use crate::input::AnalysisInput;

    fn has(signals: serde_json::Value, flag: &str) -> bool {
        let p = payload(Platform::Web, signals);
        flags_of(&AnalysisInput::new(&p, p.collected_at)).contains(&flag.to_owned())
    }

    #[test]
    fn client_hints_version_and_platform() {
        let honest = json!({"user_agent": CHROME_WIN, "client_hints": {"brands": [{"brand": "Google Chrome", "version": "120"}], "mobile": false, "platform": "Windows"}});
        assert!(!has(honest.clone(), "ua_client_hints_mismatch"));
        let p = payload(Platform::Web, honest);
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).has_code("I424"));
        assert!(has(
            json!({"user_agent": CHROME_WIN, "client_hints": {"brands": [{"brand": "Google Chrome", "version": "118"}], "mobile": false, "platform": "macOS"}}),
            "ua_client_hints_mismatch"
        ));
        assert!(has(
            json!({"user_agent": SAFARI_IOS, "client_hints": {"brands": [], "mobile": true, "platform": "Android"}}),
            "ua_client_hints_mismatch"
        ));
    }

    #[test]
    fn platform_engine_and_gpu() {
        assert!(has(json!({"user_agent": CHROME_WIN, "platform": {"platform": "MacIntel"}}), "ua_platform_mismatch"));
        assert!(!has(json!({"user_agent": CHROME_WIN, "platform": {"platform": "Win32"}}), "ua_platform_mismatch"));
        assert!(has(
            json!({"user_agent": SAFARI_IOS, "engine": {"error_stack_style": "v8", "window_chrome": true}}),
            "ua_platform_mismatch"
        ));
        assert!(!has(
            json!({"user_agent": SAFARI_IOS, "engine": {"error_stack_style": "gecko_webkit"}}),
            "ua_platform_mismatch"
        ));
        assert!(has(
            json!({"user_agent": SAFARI_IOS, "webgl": {"unmasked_renderer": "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)"}}),
            "ua_platform_mismatch"
        ));
    }

    #[test]
    fn touch_and_geometry() {
        assert!(has(
            json!({"user_agent": SAFARI_IOS, "touch": {"max_touch_points": 0, "touch_event": false}}),
            "touch_mismatch"
        ));
        assert!(!has(
            json!({"user_agent": SAFARI_IOS, "touch": {"max_touch_points": 5, "touch_event": true}}),
            "touch_mismatch"
        ));
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15";
        assert!(!has(
            json!({"user_agent": mac, "touch": {"max_touch_points": 5}, "screen": {"width": 820, "height": 1180}}),
            "touch_mismatch"
        ));
        assert!(has(
            json!({"user_agent": mac, "touch": {"max_touch_points": 5}, "screen": {"width": 1440, "height": 900}}),
            "touch_mismatch"
        ));
        assert!(has(
            json!({"user_agent": CHROME_WIN, "screen": {"width": 1920, "height": 1080, "avail_width": 2560, "avail_height": 1040}}),
            "impossible_geometry"
        ));
        assert!(has(
            json!({"user_agent": SAFARI_IOS, "screen": {"width": 390, "height": 844}, "window": {"outer_width": 1920, "outer_height": 1080, "inner_width": 1900, "inner_height": 1000}}),
            "impossible_geometry"
        ));
        assert!(!has(
            json!({"user_agent": CHROME_WIN, "screen": {"width": 1920, "height": 1080, "avail_width": 1920, "avail_height": 1040}, "window": {"outer_width": 1920, "outer_height": 1040, "inner_width": 1920, "inner_height": 940}}),
            "impossible_geometry"
        ));
    }

    #[test]
    fn overrides_worker_and_ids() {
        assert!(has(
            json!({"user_agent": CHROME_WIN, "tampering": {"non_native": ["Navigator.userAgent"], "shadowed": [], "mismatches": [], "tells": ["non_native_functions"]}}),
            "non_native_functions"
        ));
        assert!(has(json!({"user_agent": CHROME_WIN, "worker": {"mismatches": ["user_agent"]}}), "worker_mismatch"));
        assert!(!has(json!({"user_agent": CHROME_WIN, "worker": {"mismatches": []}}), "worker_mismatch"));
        assert!(has(json!({"first_party_id": {"id": "a", "source": "mismatch"}}), "first_party_id_mismatch"));
    }

    #[test]
    fn timezone_name_vs_offsets() {
        assert!(has(
            json!({"timezone": {"timezone": "Europe/Berlin", "offset_minutes": 0, "offset_january": 0, "offset_july": 60}}),
            "timezone_offset_mismatch"
        ));
        assert!(!has(
            json!({"timezone": {"timezone": "Europe/Berlin", "offset_minutes": 60, "offset_january": 60, "offset_july": 120}}),
            "timezone_offset_mismatch"
        ));
        assert!(!has(
            json!({"timezone": {"timezone": "Australia/Sydney", "offset_minutes": 660, "offset_january": 660, "offset_july": 600}}),
            "timezone_offset_mismatch"
        ));
    }

    #[test]
    fn request_headers() {
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "languages": {"language": "de-DE", "languages": ["de-DE", "de"]}}),
        );
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.accept_language = Some("de-DE,de;q=0.9".to_owned());
        input.request.user_agent = Some(CHROME_WIN.to_owned());
        assert!(findings(&input).flags.is_empty() || !flags_of(&input).iter().any(|f| f.contains("mismatch")));
        input.request.accept_language = Some("ru-RU,ru;q=0.9".to_owned());
        input.request.user_agent = Some(SAFARI_IOS.to_owned());
        let flags = flags_of(&input);
        assert!(
            flags.contains(&"accept_language_mismatch".to_owned()) && flags.contains(&"request_ua_mismatch".to_owned())
        );
    }
}
