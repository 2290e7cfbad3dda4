//! SEON `device_details` for the iOS SDK.

use serde_json::{Map, Value, json};

use super::{field, ip_fields, location, opt, suspicious_flags, verdict};
use crate::detect::{Ctx, Findings};

pub(super) fn fill(ctx: &Ctx, f: &Findings, m: &mut Map<String, Value>) {
    let s = &ctx.s;
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    put("type", json!("ios"));
    put("source", json!(format!("sightline-ios-sdk/{}", ctx.input.payload.sdk_version)));
    put("session_id", json!(ctx.input.payload.session_id));
    put("accessories_count", field(ctx, "hardware", "accessories_count"));
    put("audio_mute_status", field(ctx, "audio", "mute"));
    put("audio_volume_current", field(ctx, "audio", "volume_current"));
    put("battery_charging", field(ctx, "battery", "charging"));
    put("battery_level", field(ctx, "battery", "level"));
    put("can_send_mail", field(ctx, "system", "can_send_mail"));
    put("can_send_text", field(ctx, "system", "can_send_text"));
    put("cpu_count", field(ctx, "hardware", "cpu_count"));
    put("cpu_type", field(ctx, "hardware", "cpu_type"));
    put("device_adid", field(ctx, "ids", "adid"));
    put("device_hash", json!(ctx.fp.device_hash));
    put("device_name", field(ctx, "system", "device_name"));
    put("device_orientation", field(ctx, "system", "device_orientation"));
    put("device_udid", field(ctx, "ids", "idfv"));
    put("icloud_ubiquity_token", field(ctx, "ids", "icloud_ubiquity_token"));
    put("ios_device_name", field(ctx, "device", "ios_device_name"));
    put("ios_version", field(ctx, "device", "ios_version"));
    put("is_biometrics_enabled", field(ctx, "system", "is_biometrics_enabled"));
    put("is_emulator", verdict(ctx, f, "emulator", "security", "is_emulator"));
    put("is_ios_app_on_mac", field(ctx, "device", "is_ios_app_on_mac"));
    put("is_jailbroken", verdict(ctx, f, "jailbroken", "security", "is_jailbroken"));
    put("is_on_call", field(ctx, "telephony", "is_on_call"));
    put("is_passcode_enabled", field(ctx, "system", "is_passcode_enabled"));
    put("is_screen_captured", field(ctx, "system", "is_screen_captured"));
    put("kernel_arch", field(ctx, "hardware", "kernel_arch"));
    put("kernel_name", field(ctx, "hardware", "kernel_name"));
    put("kernel_version", field(ctx, "hardware", "kernel_version"));
    put("network_config", field(ctx, "network", "network_config"));
    put("pasteboard_hash", field(ctx, "system", "pasteboard_hash"));
    put("physical_memory", field(ctx, "hardware", "physical_memory"));
    put("region_country", field(ctx, "system", "region_country"));
    put("region_language", field(ctx, "system", "region_language"));
    put("region_timezone", field(ctx, "system", "region_timezone"));
    put("screen_brightness", field(ctx, "system", "screen_brightness"));
    put("screen_height", field(ctx, "hardware", "screen_height"));
    put("screen_width", field(ctx, "hardware", "screen_width"));
    put("system_uptime", opt(s.f64("system", "system_uptime_ms").map(|ms| (ms / 1000.0).floor() as i64)));
    put("timezone_identifier", field(ctx, "system", "timezone_identifier"));
    put("wifi_mac_address", field(ctx, "network", "wifi_mac_address"));
    put("wifi_ssid", field(ctx, "network", "wifi_ssid"));
    put("device_location", location(ctx, "location"));
    put("suspicious_flags", if ctx.behavior.is_some() { suspicious_flags(f) } else { Value::Null });
    put("true_device_id", opt(ctx.input.history.device_id.clone()));
    ip_fields(ctx, m, "device_ip_address");
}
