//! Attributes of Android and iOS SDK payloads (schemas in
//! `docs/device-intelligence.md`).

use super::{Parts, dims, num};
use crate::signals::Signals;

/// A constant Android ID shipped by a buggy 2.2-era build on millions of
/// devices, and the all-zero advertising id of opted-out users: neither
/// identifies anything.
const USELESS_IDS: [&str; 2] = ["9774d56d682e549c", "00000000-0000-0000-0000-000000000000"];

fn useful(id: Option<&str>) -> Option<String> {
    let id = id?.trim();
    (!id.is_empty() && !USELESS_IDS.contains(&id.to_ascii_lowercase().as_str())).then(|| id.to_owned())
}

/// Physical memory in whole GiB: the OS reports slightly less than the
/// installed amount, and the reserved part varies between boots.
fn gib(bytes: Option<f64>) -> Option<String> {
    let gib = bytes? / (1u64 << 30) as f64;
    (gib.is_finite() && gib > 0.0).then(|| format!("{}", gib.round().max(1.0) as i64))
}

/// Storage to the nearest marketing size (16, 32, … GB).
fn storage(bytes: Option<f64>) -> Option<String> {
    let gb = bytes? / 1e9;
    if !gb.is_finite() || gb <= 0.0 {
        return None;
    }
    let size =
        [8u32, 16, 32, 64, 128, 256, 512, 1024, 2048].into_iter().find(|s| gb <= f64::from(*s) * 1.05).unwrap_or(4096);
    Some(size.to_string())
}

fn common(p: &mut Parts, s: &Signals) {
    p.attr("screen", dims(s.f64("hardware", "screen_width"), s.f64("hardware", "screen_height")));
    p.attr("dpr", num(s.f64("hardware", "screen_scale")));
    p.attr("cores", num(s.f64("hardware", "cpu_count")));
    p.attr("memory", gib(s.f64("hardware", "physical_memory")));
    p.attr("storage", storage(s.f64("hardware", "total_storage")));
    p.attr("kernel", s.str("hardware", "kernel_version").map(str::to_owned));
    p.attr("timezone", s.str("system", "timezone_identifier").map(str::to_owned));
    p.attr("languages", s.str("system", "region_language").map(str::to_ascii_lowercase));
    let carrier = match (s.str("network", "carrier_name"), s.str("network", "carrier_country")) {
        (Some(n), c) => Some(format!("{}/{}", n.to_ascii_lowercase(), c.unwrap_or("").to_ascii_lowercase())),
        _ => None,
    };
    p.attr("carrier", carrier);
    p.attr("device_name", s.str("system", "device_name").map(str::to_owned));
    if let Some(id) = useful(s.str("ids", "app_guid")) {
        p.cookie = Some(id);
        p.cookie_fresh = s.str("ids", "app_guid_source") == Some("new");
    }
}

fn hardware_parts(p: &Parts, keys: &[&'static str]) -> Vec<(&'static str, String)> {
    keys.iter().map(|k| (*k, p.attributes.get(*k).cloned().unwrap_or_default())).collect()
}

pub(super) fn extract_android(s: &Signals) -> Parts {
    let mut p = Parts::default();
    common(&mut p, s);
    let model = match (s.str("build", "manufacturer"), s.str("build", "model")) {
        (Some(m), Some(d)) => Some(format!("{} {}", m, d).to_ascii_lowercase()),
        (None, Some(d)) => Some(d.to_ascii_lowercase()),
        _ => None,
    };
    p.attr("model", model);
    p.attr("os_version", s.str("build", "android_version").map(str::to_owned));
    p.attr("build", s.str("build", "fingerprint").map(str::to_owned));
    p.attr("sensors", s.str("hardware", "sensor_hash").map(str::to_owned));
    p.attr("cpu", s.str("hardware", "cpu_hash").map(str::to_owned));
    p.attr("first_api_level", num(s.f64("build", "first_api_level")));
    p.device =
        hardware_parts(&p, &["model", "screen", "cores", "memory", "storage", "sensors", "cpu", "first_api_level"]);
    let android_id = useful(s.str("ids", "android_id"));
    p.browser = p.device.clone();
    p.browser.push(("android_id", android_id.clone().unwrap_or_default()));
    for (kind, id) in [
        ("android_id", android_id),
        ("gsf_id", useful(s.str("ids", "gsf_id"))),
        ("cellular", useful(s.str("ids", "device_cellular_id"))),
        ("adid", useful(s.str("ids", "adid"))),
        ("drm", useful(s.str("ids", "drm_id"))),
    ] {
        if let Some(id) = id {
            p.ids.push((kind, id));
        }
    }
    p
}

pub(super) fn extract_ios(s: &Signals) -> Parts {
    let mut p = Parts::default();
    common(&mut p, s);
    p.attr("model", s.str("device", "ios_device_name").map(str::to_ascii_lowercase));
    p.attr("os_version", s.str("device", "ios_version").map(str::to_owned));
    p.device = hardware_parts(&p, &["model", "screen", "cores", "memory", "storage"]);
    let idfv = useful(s.str("ids", "idfv"));
    p.browser = p.device.clone();
    p.browser.push(("idfv", idfv.clone().unwrap_or_default()));
    for (kind, id) in [
        ("idfv", idfv),
        ("adid", useful(s.str("ids", "adid"))),
        ("icloud", useful(s.str("ids", "icloud_ubiquity_token"))),
    ] {
        if let Some(id) = id {
            p.ids.push((kind, id));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_to_marketing_values() {
        assert_eq!(gib(Some(7.6 * (1u64 << 30) as f64)).as_deref(), Some("8"));
        assert_eq!(storage(Some(119e9)).as_deref(), Some("128"));
        assert_eq!(storage(Some(-1.0)), None);
        assert_eq!(useful(Some("00000000-0000-0000-0000-000000000000")), None);
        assert_eq!(useful(Some("abc")).as_deref(), Some("abc"));
    }
}
