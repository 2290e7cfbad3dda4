//! Attributes of a browser payload.

use serde_json::Value;

use super::{Parts, dims, num};
use crate::signals::Signals;
use crate::ua;

pub(super) fn extract(s: &Signals) -> Parts {
    let mut p = Parts::default();
    let ua_string = s.scalar_str("user_agent").unwrap_or("");
    let agent = ua::parse(ua_string);
    let os = agent.os.to_ascii_lowercase();
    let browser = agent.browser.to_ascii_lowercase();

    let ua_attr = format!("{}/{}/{}", browser, agent.browser_major.map(|m| m.to_string()).unwrap_or_default(), os);
    p.attr("ua", (!ua_string.is_empty()).then_some(ua_attr));
    p.attr("os_version", os_version(s, &agent));
    p.attr("nav_platform", s.str("platform", "platform").map(str::to_owned));
    let screen = dims(s.f64("screen", "width"), s.f64("screen", "height"));
    p.attr("screen", screen.clone());
    p.attr("avail", dims(s.f64("screen", "avail_width"), s.f64("screen", "avail_height")));
    p.attr("color_depth", num(s.f64("screen", "color_depth")));
    p.attr("dpr", num(s.scalar_f64("device_pixel_ratio")));
    p.attr("cores", num(s.scalar_f64("hardware_concurrency")));
    p.attr("memory", num(s.scalar_f64("device_memory")));
    p.attr("touch_points", num(s.f64("touch", "max_touch_points")));
    let renderer = s.str("webgl", "unmasked_renderer").or_else(|| s.str("webgl", "renderer"));
    let gpu = renderer.map(normalise_gpu).filter(|g| !g.is_empty());
    p.attr("gpu", gpu.clone());
    let webgl = match (s.str("webgl", "extensions_hash"), s.str("webgl", "parameters_hash")) {
        (Some(e), Some(q)) => Some(format!("{e}:{q}")),
        _ => None,
    };
    p.attr("webgl", webgl.clone());
    let stable_hash = |name: &str| if s.stable(name) { s.str(name, "hash").map(str::to_owned) } else { None };
    let canvas = stable_hash("canvas");
    let audio = stable_hash("audio");
    let fonts = stable_hash("fonts");
    p.attr("canvas", canvas.clone());
    p.attr("audio", audio.clone());
    p.attr("fonts", fonts.clone());
    p.attr("math", s.str("math", "hash").map(str::to_owned));
    p.attr("timezone", s.str("timezone", "timezone").map(str::to_owned));
    let languages = s.strs("languages", "languages");
    p.attr("languages", (!languages.is_empty()).then(|| languages.join(",").to_ascii_lowercase()));
    p.attr("locale", s.str("timezone", "locale").map(str::to_ascii_lowercase));
    p.attr("keyboard", s.str("keyboard_layout", "hash").map(str::to_owned));
    p.attr("plugins", s.str("plugins", "hash").map(str::to_owned));
    let engine = engine_summary(s.value("engine"));
    p.attr("engine", engine.clone());
    p.attr("model", s.str("client_hints", "model").map(str::to_owned));
    let media = match (
        s.f64("media_devices", "audioinput"),
        s.f64("media_devices", "audiooutput"),
        s.f64("media_devices", "videoinput"),
    ) {
        (Some(a), Some(o), Some(v)) => Some(format!("{a}/{o}/{v}")),
        _ => None,
    };
    p.attr("media", media);

    let opt = |v: Option<String>| v.unwrap_or_default();
    p.device = vec![
        ("os", os.clone()),
        ("screen", opt(screen)),
        ("color_depth", opt(num(s.f64("screen", "color_depth")))),
        ("cores", opt(num(s.scalar_f64("hardware_concurrency")))),
        ("touch_points", opt(num(s.f64("touch", "max_touch_points")))),
        ("gpu_vendor", gpu.as_deref().map(gpu_vendor).unwrap_or_default().to_owned()),
    ];
    p.browser = vec![
        ("browser", browser),
        ("os", os),
        ("gpu", opt(gpu)),
        ("webgl", opt(webgl)),
        ("canvas", opt(canvas)),
        ("audio", opt(audio)),
        ("fonts", opt(fonts)),
        ("math", opt(s.str("math", "hash").map(str::to_owned))),
        ("plugins", opt(s.str("plugins", "hash").map(str::to_owned))),
        ("engine", opt(engine)),
    ];

    if let Some(id) =
        s.str("first_party_id", "id").filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        p.cookie = Some(id.to_owned());
        p.cookie_fresh = s.str("first_party_id", "source") == Some("new");
    }
    p
}

/// Client hints know the real OS release (the UA string is frozen at
/// "Windows NT 10.0" and "Mac OS X 10_15_7"); otherwise major.minor from the UA.
fn os_version(s: &Signals, agent: &ua::UserAgent) -> Option<String> {
    if let Some(pv) = s.str("client_hints", "platform_version").filter(|v| !v.is_empty()) {
        let major: u32 = pv.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        return Some(match agent.os {
            // Windows 11 reports platform version 13 and later.
            "Windows" => {
                if major >= 13 {
                    "11".to_owned()
                } else {
                    "10".to_owned()
                }
            }
            _ => major.to_string(),
        });
    }
    let v = agent.os_version.as_deref()?;
    Some(v.split('.').take(2).collect::<Vec<_>>().join("."))
}

/// Engine facts that are fixed for a browser build. `shared_array_buffer`
/// is left out: it depends on the embedding page's cross-origin isolation.
fn engine_summary(engine: Option<&Value>) -> Option<String> {
    let e = engine?;
    let flag = |k: &str| if e.get(k).and_then(Value::as_bool).unwrap_or(false) { '1' } else { '0' };
    let flags: String = [
        "window_chrome",
        "window_safari",
        "apple_pay",
        "install_trigger",
        "moz_appearance",
        "webkit_temporary_storage",
        "brave",
    ]
    .iter()
    .map(|k| flag(k))
    .collect();
    Some(format!(
        "{}/{}/{}",
        e.get("eval_length").and_then(Value::as_f64).map(|x| x as i64).unwrap_or(0),
        e.get("error_stack_style").and_then(Value::as_str).unwrap_or(""),
        flags
    ))
}

/// Reduces a WebGL renderer string to the GPU model so that the same GPU
/// reads the same through ANGLE/D3D, ANGLE/Metal, Mesa and driver
/// decorations: "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504)
/// Direct3D11 vs_5_0 ps_5_0, D3D11)" → "nvidia geforce rtx 3060".
pub fn normalise_gpu(renderer: &str) -> String {
    let mut r = renderer.trim().to_ascii_lowercase();
    if let Some(inner) = r.strip_prefix("angle (") {
        let inner = inner.strip_suffix(')').unwrap_or(inner);
        let parts: Vec<&str> = inner.split(", ").collect();
        r = parts.get(1).or(parts.first()).map(|p| (*p).to_owned()).unwrap_or_default();
    }
    for noise in ["angle metal renderer:", "(r)", "(tm)", "mesa ", "/pcie/sse2", "opengl engine", "metal renderer"] {
        r = r.replace(noise, " ");
    }
    // Drop parenthesised decorations: "(0x00002504)", "(kbl gt2)", "(llvm 15.0.7, 256 bits)".
    let mut out = String::with_capacity(r.len());
    let mut depth = 0usize;
    for c in r.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out
        .split_whitespace()
        .take_while(|w| {
            !w.starts_with("direct3d")
                && !w.starts_with("vs_")
                && !w.starts_with("ps_")
                && *w != "d3d11"
                && *w != "d3d9"
        })
        .filter(|w| *w != "unspecified" && *w != "version" && *w != ",")
        .collect();
    words.join(" ").trim_matches([',', ' ']).to_owned()
}

/// GPU vendor family of a normalised renderer.
pub(crate) fn gpu_vendor(gpu: &str) -> &'static str {
    const VENDORS: [(&str, &str); 14] = [
        ("swiftshader", "software"),
        ("llvmpipe", "software"),
        ("softpipe", "software"),
        ("basic render", "software"),
        ("nvidia", "nvidia"),
        ("geforce", "nvidia"),
        ("quadro", "nvidia"),
        ("radeon", "amd"),
        ("amd", "amd"),
        ("intel", "intel"),
        ("apple", "apple"),
        ("adreno", "qualcomm"),
        ("mali", "arm"),
        ("powervr", "imagination"),
    ];
    VENDORS.iter().find(|(needle, _)| gpu.contains(needle)).map(|(_, v)| *v).unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpu_strings_normalise_across_backends() {
        assert_eq!(
            normalise_gpu("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)"),
            "nvidia geforce rtx 3060"
        );
        assert_eq!(
            normalise_gpu("ANGLE (Intel, Intel(R) UHD Graphics 620 (0x00005917) Direct3D11 vs_5_0 ps_5_0, D3D11)"),
            "intel uhd graphics 620"
        );
        assert_eq!(normalise_gpu("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"), "intel uhd graphics 620");
        assert_eq!(normalise_gpu("ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)"), "apple m1");
        assert_eq!(normalise_gpu("Apple M1"), "apple m1");
        assert_eq!(normalise_gpu("Adreno (TM) 740"), "adreno 740");
        assert_eq!(normalise_gpu("llvmpipe (LLVM 15.0.7, 256 bits)"), "llvmpipe");
        assert_eq!(gpu_vendor("adreno 740"), "qualcomm");
        assert_eq!(gpu_vendor("apple gpu"), "apple");
        assert_eq!(gpu_vendor("something"), "other");
    }
}
