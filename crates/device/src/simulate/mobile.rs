//! Synthetic Android and iOS SDK payloads following the mobile schemas of
//! `docs/device-intelligence.md`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sightline_payload::{DevicePayload, PLAINTEXT_VERSION, Platform};

use super::catalog::{LOCALES, PHONES, Phone};
use super::{h16, month_of, zone_offsets};
use crate::rng::SplitMix64;

/// A phone running the partner's app.
#[derive(Debug, Clone)]
pub struct MobileProfile {
    pub phone: Phone,
    pub os_version: String,
    pub country: &'static str,
    pub timezone: &'static str,
    pub language: String,
    pub device_name: String,
    pub android_id: String,
    pub gsf_id: String,
    pub idfv: String,
    pub app_guid: String,
    pub app_guid_source: &'static str,
    pub carrier: (&'static str, &'static str),
    pub build_time_ms: i64,
}

impl MobileProfile {
    pub fn random(rng: &mut SplitMix64, platform: Platform, _now_ms: i64) -> Self {
        let os = if platform == Platform::Ios { "iOS" } else { "Android" };
        let phones: Vec<(usize, f64)> =
            PHONES.iter().enumerate().filter(|(_, p)| p.os == os).map(|(i, p)| (i, p.share)).collect();
        let phone = PHONES[rng.weighted(&phones).copied().unwrap_or(0)];
        let locales: Vec<(usize, f64)> = LOCALES.iter().enumerate().map(|(i, l)| (i, l.share)).collect();
        let locale = &LOCALES[rng.weighted(&locales).copied().unwrap_or(0)];
        let os_version = if os == "iOS" {
            format!("17.{}.{}", 2 + rng.below(4), rng.below(2))
        } else {
            (12 + rng.below(3)).to_string()
        };
        let names = ["Anna", "Ben", "Chloé", "Dario", "Elif", "Farid", "Greta", "Hugo"];
        let owner = rng.pick(&names).copied().unwrap_or("My");
        let carriers = [
            ("Telekom", "de"),
            ("Vodafone", "de"),
            ("Orange", "fr"),
            ("Movistar", "es"),
            ("TIM", "it"),
            ("Verizon", "us"),
            ("O2", "gb"),
        ];
        Self {
            phone,
            os_version,
            country: locale.country,
            timezone: rng.pick(locale.zones).copied().unwrap_or("UTC"),
            language: locale.languages.first().and_then(|l| l.first()).copied().unwrap_or("en-US").to_owned(),
            device_name: if os == "iOS" { "iPhone".to_owned() } else { format!("{owner}'s {}", phone.model) },
            android_id: rng.hex(8),
            gsf_id: rng.hex(8),
            idfv: uuid(rng),
            app_guid: uuid(rng),
            app_guid_source: "storage",
            carrier: *rng.pick(&carriers).unwrap_or(&("Telekom", "de")),
            build_time_ms: 1_700_000_000_000 - rng.below(200) as i64 * 86_400_000,
        }
    }

    pub fn platform(&self) -> Platform {
        if self.phone.os == "iOS" { Platform::Ios } else { Platform::Android }
    }

    /// Signal groups of a healthy phone; scenarios edit them afterwards.
    pub fn signals(&self, rng: &mut SplitMix64, now_ms: i64) -> BTreeMap<String, Value> {
        let p = &self.phone;
        let (jan, jul) = zone_offsets(self.timezone);
        let offset = if (4..=9).contains(&month_of(now_ms)) { jul } else { jan };
        let px = ((f64::from(p.screen.0) * p.dpr).round(), (f64::from(p.screen.1) * p.dpr).round());
        let memory = f64::from(p.memory_gib) * 1_073_741_824.0 * 0.93;
        let storage = f64::from(p.storage_gb) * 1e9 * 0.97;
        let uptime = rng.range_f64(3.0e6, 9.0e8).round();
        let mut m = BTreeMap::new();
        let region = json!({
            "device_name": self.device_name, "region_country": self.country, "region_language": self.language,
            "region_timezone": format!("GMT{}", crate::geo::format_offset(offset)), "timezone_identifier": self.timezone,
            "timezone_offset_minutes": offset, "system_uptime_ms": uptime, "device_orientation": "portrait",
            "screen_brightness": 40 + rng.below(50), "pasteboard_hash": h16(&rng.hex(4)),
        });
        let network = json!({
            "network_config": if rng.chance(0.6) { "wifi" } else { "cellular" }, "wifi_ssid": null, "wifi_mac_address": null,
            "carrier_name": self.carrier.0, "carrier_country": self.carrier.1, "sim_state": "ready",
            "vpn_state": "disconnected", "proxy_state": "disabled", "proxy_address": null, "local_ips": ["192.168.178.23"],
        });
        let battery_level = 20 + rng.below(75);
        if self.phone.os == "Android" {
            let build_id = "UP1A.231005.007";
            let device = p.machine;
            m.insert("ids".into(), json!({"android_id": self.android_id, "gsf_id": self.gsf_id, "app_guid": self.app_guid, "app_guid_source": self.app_guid_source,
                                         "device_cellular_id": null, "adid": uuid_like(&self.android_id), "drm_id": h16(&self.gsf_id)}));
            m.insert("build".into(), json!({
                "manufacturer": p.manufacturer, "brand": p.manufacturer, "model": p.model, "device": device, "product": format!("{device}xxx"),
                "hardware": "qcom", "board": device, "fingerprint": format!("{}/{device}xxx/{device}:{}/{build_id}/{}:user/release-keys", p.manufacturer, self.os_version, h16(device)),
                "id": build_id, "display": format!("{build_id}.{}", &h16(p.model)[..6]), "tags": "release-keys", "type": "user", "time": self.build_time_ms,
                "bootloader": format!("{device}-1.0"), "android_version": self.os_version, "sdk_int": 20 + self.os_version.parse::<u32>().unwrap_or(14),
                "first_api_level": 31, "security_patch": "2024-01-01",
            }));
            m.insert("hardware".into(), json!({
                "cpu_count": p.cores, "cpu_type": "arm64-v8a", "cpu_speed_mhz": 2800.0, "cpu_hash": h16(&format!("cpu|{}", p.model)),
                "physical_memory": memory, "total_storage": storage, "free_storage": storage * rng.range_f64(0.1, 0.6),
                "screen_width": px.0, "screen_height": px.1, "screen_scale": (p.dpr * 160.0).round(), "sensor_count": 34,
                "sensor_hash": h16(&format!("sensors|{}", p.model)), "has_proximity_sensor": true, "is_nfc_available": true, "is_nfc_enabled": rng.chance(0.7),
                "kernel_name": "Linux", "kernel_version": format!("5.15.{}-android13", 90 + self.os_version.len()), "kernel_arch": "aarch64",
            }));
            let mut system = region;
            if let Value::Object(o) = &mut system {
                o.insert("last_boot_time".into(), json!(now_ms - uptime as i64));
                o.insert("is_keyguard_secure".into(), json!(true));
                o.insert("biometric_status".into(), json!(rng.chance(0.7)));
                o.insert("developer_options_state".into(), json!("disabled"));
                o.insert("usb_debugging_state".into(), json!("disabled"));
                o.insert("usb_cable_state".into(), json!("disconnected"));
            }
            m.insert("system".into(), system);
            m.insert("battery".into(), json!({"charging": false, "level": battery_level, "health": "good", "temperature": 29.5, "voltage": 3900, "power_source": "battery"}));
            m.insert("security".into(), json!({
                "is_rooted": false, "root_indicators": [], "is_emulator": false, "emulator_indicators": [], "bootloader_state": "locked",
                "hooking_frameworks": [], "is_click_automator_installed": false, "interfering_apps": [],
                "is_remote_control_connected": false, "remote_control_provider": null, "is_screen_being_mirrored": false,
            }));
        } else {
            m.insert("ids".into(), json!({"idfv": self.idfv, "adid": "00000000-0000-0000-0000-000000000000", "app_guid": self.app_guid,
                                         "app_guid_source": if self.app_guid_source == "storage" { "keychain" } else { self.app_guid_source }, "icloud_ubiquity_token": null}));
            m.insert("device".into(), json!({"device_model": "iPhone", "ios_device_name": p.machine, "ios_version": self.os_version, "is_ios_app_on_mac": false, "is_simulator": false}));
            m.insert("hardware".into(), json!({
                "cpu_count": p.cores, "cpu_type": "ARM64E", "physical_memory": memory, "total_storage": storage, "free_storage": storage * rng.range_f64(0.1, 0.6),
                "screen_width": px.0, "screen_height": px.1, "screen_scale": p.dpr, "kernel_name": "Darwin",
                "kernel_version": format!("Darwin Kernel Version 23.{}.0", self.os_version.split('.').nth(1).unwrap_or("0")), "kernel_arch": "arm64e",
                "accessories_count": rng.below(2),
            }));
            let mut system = region;
            if let Value::Object(o) = &mut system {
                o.insert("is_passcode_enabled".into(), json!(true));
                o.insert("is_biometrics_enabled".into(), json!(rng.chance(0.85)));
                o.insert("can_send_mail".into(), json!(rng.chance(0.6)));
                o.insert("can_send_text".into(), json!(true));
                o.insert("is_screen_captured".into(), json!(false));
            }
            m.insert("system".into(), system);
            m.insert("battery".into(), json!({"charging": false, "level": battery_level}));
            m.insert("security".into(), json!({"is_jailbroken": false, "jailbreak_indicators": [], "is_emulator": false, "hooking_frameworks": []}));
        }
        m.insert("audio".into(), json!({"mute": rng.chance(0.3), "volume_current": rng.below(100), "mode": "normal"}));
        m.insert("network".into(), network);
        m.insert("telephony".into(), json!({"is_on_call": false}));
        m.insert("location".into(), Value::Null);
        m.into_iter()
            .map(|(k, v)| {
                let entry = if v.is_null() {
                    json!({"value": null, "duration_ms": 0.1, "error": null, "skipped": "not_granted"})
                } else {
                    json!({"value": v, "duration_ms": 1.5, "error": null})
                };
                (k, entry)
            })
            .collect()
    }

    pub fn render(
        &self,
        rng: &mut SplitMix64,
        now_ms: i64,
        session_id: &str,
        behavior: Option<Value>,
    ) -> DevicePayload {
        DevicePayload {
            v: PLAINTEXT_VERSION,
            payload_id: rng.hex(16),
            collected_at: now_ms,
            session_id: session_id.to_owned(),
            platform: self.platform(),
            sdk_version: if self.platform() == Platform::Ios { "5.5.1".to_owned() } else { "6.6.0".to_owned() },
            signals: self.signals(rng, now_ms),
            behavior,
            context: Some(json!({"app_id": "com.example.bank", "app_version": "4.2.0", "region": null})),
        }
    }
}

fn uuid(rng: &mut SplitMix64) -> String {
    let h = rng.hex(16);
    format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32]).to_ascii_uppercase()
}

fn uuid_like(seed: &str) -> String {
    let h = h16(seed) + &h16(&format!("{seed}!"));
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Human touch behaviour from the SDK's monitoring.
pub fn human_behaviour(rng: &mut SplitMix64) -> Value {
    json!({
        "monitoring_ms": rng.range_f64(20_000.0, 120_000.0).round(), "touches": 20 + rng.below(40), "taps": 12 + rng.below(20), "swipes": rng.below(8),
        "touch_pressure_std": rng.range_f64(0.04, 0.15), "touch_area_std": rng.range_f64(0.02, 0.1),
        "tap_interval_mean_ms": rng.range_f64(500.0, 1500.0), "tap_interval_std_ms": rng.range_f64(150.0, 600.0),
        "keystrokes": 15 + rng.below(40), "pastes": 0, "motion_std": rng.range_f64(0.1, 0.8), "gyro_std": rng.range_f64(0.02, 0.2),
        "orientation_changes": rng.below(2), "proximity_near_ms": 0, "call_active_ms": 0, "app_backgrounded": rng.below(2),
        "accessibility_events": 0, "untrusted_events": 0,
    })
}
