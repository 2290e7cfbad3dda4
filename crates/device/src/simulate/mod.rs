//! Realistic plaintext payloads for Web, Android and iOS under named
//! scenarios, deterministic from a seed. The caller seals them (for the
//! `simulate` command and demos) or feeds them straight to [`crate::analyse`].
//!
//! Scenarios that describe a sequence return several payloads in order:
//! `replay` the same payload twice, `travelling_user` home then abroad,
//! `browser_update` before and after an update. Each comes with the
//! [`RequestContext`] a partner would send and the [`DeviceHistory`] a store
//! would know, so that history-based detectors fire too.

pub mod catalog;
mod mobile;
pub mod web;

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sightline_payload::{DevicePayload, Platform};

use crate::geo;
use crate::input::{DeviceHistory, LastSeen, RequestContext};
use crate::rng::SplitMix64;

pub use mobile::MobileProfile;
pub use web::{Browser, WebProfile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    Clean,
    Emulator,
    VirtualMachine,
    Rooted,
    Jailbroken,
    DeviceFarm,
    Bot,
    Vpn,
    Tampered,
    Vishing,
    Replay,
    TravellingUser,
    BrowserUpdate,
}

impl Scenario {
    pub const ALL: [Scenario; 13] = [
        Scenario::Clean,
        Scenario::Emulator,
        Scenario::VirtualMachine,
        Scenario::Rooted,
        Scenario::Jailbroken,
        Scenario::DeviceFarm,
        Scenario::Bot,
        Scenario::Vpn,
        Scenario::Tampered,
        Scenario::Vishing,
        Scenario::Replay,
        Scenario::TravellingUser,
        Scenario::BrowserUpdate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Clean => "clean",
            Scenario::Emulator => "emulator",
            Scenario::VirtualMachine => "virtual_machine",
            Scenario::Rooted => "rooted",
            Scenario::Jailbroken => "jailbroken",
            Scenario::DeviceFarm => "device_farm",
            Scenario::Bot => "bot",
            Scenario::Vpn => "vpn",
            Scenario::Tampered => "tampered",
            Scenario::Vishing => "vishing",
            Scenario::Replay => "replay",
            Scenario::TravellingUser => "travelling_user",
            Scenario::BrowserUpdate => "browser_update",
        }
    }

    /// Whether the scenario exists on this platform (no rooted iPhones, no
    /// jailbroken browsers).
    pub fn supports(self, platform: Platform) -> bool {
        match self {
            Scenario::Rooted => platform == Platform::Android,
            Scenario::Jailbroken => platform == Platform::Ios,
            Scenario::VirtualMachine => platform == Platform::Web,
            Scenario::DeviceFarm | Scenario::Vishing => platform != Platform::Web,
            _ => true,
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scenario {
    type Err = SimulateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scenario::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| SimulateError::UnknownScenario(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimulateError {
    UnknownScenario(String),
    Unsupported { scenario: Scenario, platform: Platform },
}

impl fmt::Display for SimulateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimulateError::UnknownScenario(s) => write!(f, "unknown scenario {s:?}"),
            SimulateError::Unsupported { scenario, platform } => {
                write!(f, "scenario {scenario} does not exist on {platform}")
            }
        }
    }
}

impl std::error::Error for SimulateError {}

/// The deterministic generator the simulation uses, for building profiles
/// by hand (tests, benches).
pub fn rng(seed: u64) -> SplitMix64 {
    SplitMix64::new(seed)
}

/// One simulated submission.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedPayload {
    pub label: String,
    pub payload: DevicePayload,
    pub request: RequestContext,
    pub history: DeviceHistory,
}

/// Payloads for `scenario` on `platform`, the same for the same seed.
pub fn simulate(
    platform: Platform,
    scenario: Scenario,
    seed: u64,
    now_ms: i64,
) -> Result<Vec<SimulatedPayload>, SimulateError> {
    if !scenario.supports(platform) {
        return Err(SimulateError::Unsupported { scenario, platform });
    }
    let mut rng = SplitMix64::new(seed ^ 0x5157_4c49_4e45);
    let session = format!("sim-{}-{}", scenario.as_str(), &rng.hex(4));
    Ok(match platform {
        Platform::Web => web_scenario(&mut rng, scenario, now_ms, &session),
        Platform::Android | Platform::Ios => mobile_scenario(&mut rng, platform, scenario, now_ms, &session),
    })
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

fn request_for(
    country: &str,
    ua: Option<String>,
    accept_language: Option<String>,
    rng: &mut SplitMix64,
) -> RequestContext {
    RequestContext {
        ip: Some(format!("203.0.113.{}", 1 + rng.below(250))),
        ip_country: Some(country.to_owned()),
        ip_isp: Some("Example Broadband".to_owned()),
        user_agent: ua,
        accept_language,
        ..RequestContext::default()
    }
}

fn set(payload: &mut DevicePayload, signal: &str, path: &[&str], value: Value) {
    let Some(entry) = payload.signals.get_mut(signal) else { return };
    let mut node = match entry.get_mut("value") {
        Some(v) => v,
        None => return,
    };
    for key in &path[..path.len().saturating_sub(1)] {
        node = match node.get_mut(*key) {
            Some(n) => n,
            None => return,
        };
    }
    if let (Some(last), Value::Object(o)) = (path.last(), node) {
        o.insert((*last).to_owned(), value);
    }
}

fn web_scenario(rng: &mut SplitMix64, scenario: Scenario, now: i64, session: &str) -> Vec<SimulatedPayload> {
    let mut profile = match scenario {
        Scenario::Emulator => android_web(rng, now),
        Scenario::Bot | Scenario::Tampered | Scenario::VirtualMachine => windows_chrome(rng, now),
        _ => WebProfile::random(rng, now),
    };
    profile.fpid_source = "both";
    if matches!(scenario, Scenario::Vpn | Scenario::TravellingUser) {
        profile.country = "DE";
        profile.timezone = "Europe/Berlin";
        profile.languages = vec!["de-DE".into(), "de".into(), "en-US".into(), "en".into()];
    }
    if scenario == Scenario::Emulator {
        profile.model = Some("sdk_gphone64_x86_64");
        profile.gpu =
            "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)".into();
    }
    if scenario == Scenario::VirtualMachine {
        profile.gpu_vendor = "VMware, Inc.".into();
        profile.gpu = "VMware SVGA 3D".into();
        profile.cores = 2;
    }
    let behaviour =
        if scenario == Scenario::Bot { web::bot_behaviour(rng) } else { web::human_behaviour(rng, profile.desktop()) };
    let mut p = profile.render(rng, now, session, Some(behaviour));
    let mut req = request_for(profile.country, Some(profile.user_agent()), Some(profile.accept_language()), rng);
    let mut history = DeviceHistory::default();
    let mut out = Vec::new();
    match scenario {
        Scenario::Bot => {
            let ua = profile
                .user_agent()
                .replace("Windows NT 10.0; Win64; x64", "X11; Linux x86_64")
                .replace("Chrome/", "HeadlessChrome/");
            p.signals.insert("user_agent".into(), json!({"value": ua, "duration_ms": 0.1, "error": null}));
            set(&mut p, "automation", &["webdriver"], json!(true));
            set(&mut p, "automation", &["globals"], json!(["cdc_adoQpoasnfa76pfcZLmcfl_Array"]));
            set(&mut p, "automation", &["software_renderer"], json!(true));
            set(
                &mut p,
                "automation",
                &["renderer"],
                json!("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"),
            );
            set(
                &mut p,
                "automation",
                &["tells"],
                json!(["webdriver", "headless_ua", "automation_globals", "software_renderer", "no_plugins"]),
            );
            set(
                &mut p,
                "webgl",
                &["unmasked_renderer"],
                json!("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"),
            );
            set(&mut p, "plugins", &["count"], json!(0));
            set(&mut p, "plugins", &["names"], json!([]));
            set(&mut p, "window", &["outer_width"], json!(0));
            set(&mut p, "window", &["outer_height"], json!(0));
            set(&mut p, "platform", &["platform"], json!("Linux x86_64"));
            set(&mut p, "worker", &["user_agent"], json!(ua));
            set(&mut p, "worker", &["platform"], json!("Linux x86_64"));
            set(&mut p, "client_hints", &["platform"], json!("Linux"));
            req.user_agent = Some(ua);
            req.ip_is_hosting = Some(true);
            req.ip_country = Some("US".into());
        }
        Scenario::Vpn => {
            req.ip_country = Some("US".into());
            req.ip = Some("203.0.113.50".into());
            set(
                &mut p,
                "webrtc",
                &["addresses"],
                json!(["198.51.100.23", "3f9c2e1a-7b1d-4c0e-9a55-1c2d3e4f5a6b.local"]),
            );
            set(&mut p, "webrtc", &["mdns"], json!(true));
        }
        Scenario::Tampered => {
            let spoofed = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
            p.signals.insert("user_agent".into(), json!({"value": spoofed, "duration_ms": 0.1, "error": null}));
            set(&mut p, "platform", &["platform"], json!("iPhone"));
            set(&mut p, "tampering", &["non_native"], json!(["Navigator.userAgent", "Navigator.platform"]));
            set(&mut p, "tampering", &["mismatches"], json!(["ua_data_without_chromium_ua"]));
            set(&mut p, "tampering", &["tells"], json!(["ua_data_without_chromium_ua", "non_native_functions"]));
            set(&mut p, "worker", &["mismatches"], json!(["user_agent", "platform"]));
            req.user_agent = Some(profile.user_agent());
        }
        _ => {}
    }
    let base = SimulatedPayload {
        label: scenario.as_str().to_owned(),
        payload: p,
        request: req.clone(),
        history: history.clone(),
    };
    out.push(base.clone());
    match scenario {
        Scenario::Replay => out.push(SimulatedPayload { label: "replay (second submission)".into(), ..base }),
        Scenario::TravellingUser => {
            let later = now + 11 * HOUR_MS;
            let mut abroad = profile.clone();
            abroad.timezone = "America/New_York";
            let b2 = web::human_behaviour(rng, abroad.desktop());
            let p2 = abroad.render(rng, later, session, Some(b2));
            history.last_seen = Some(LastSeen { at_ms: now, ip_country: Some(profile.country.to_owned()), geo: None });
            let req2 = request_for("US", Some(abroad.user_agent()), Some(abroad.accept_language()), rng);
            out.push(SimulatedPayload {
                label: "travelling_user (abroad)".into(),
                payload: p2,
                request: req2,
                history,
            });
        }
        Scenario::BrowserUpdate => {
            let later = now + 30 * DAY_MS;
            let mut updated = profile.clone();
            if updated.browser == Browser::Safari {
                let (maj, min) = updated.os_version.split_once('.').unwrap_or(("17", "0"));
                updated.os_version = format!("{maj}.{}", min.parse::<u32>().unwrap_or(0) + 1);
            } else {
                updated.browser_major += 1;
            }
            let b2 = web::human_behaviour(rng, updated.desktop());
            let p2 = updated.render(rng, later, session, Some(b2));
            let req2 = request_for(updated.country, Some(updated.user_agent()), Some(updated.accept_language()), rng);
            out.push(SimulatedPayload {
                label: "browser_update (after)".into(),
                payload: p2,
                request: req2,
                history: DeviceHistory::default(),
            });
        }
        _ => {}
    }
    out
}

fn windows_chrome(rng: &mut SplitMix64, now: i64) -> WebProfile {
    for _ in 0..64 {
        let p = WebProfile::random_desktop(rng, now);
        if p.os == "Windows" && p.browser == Browser::Chrome {
            return p;
        }
    }
    let mut p = WebProfile::random_desktop(rng, now);
    p.os = "Windows";
    p.browser = Browser::Chrome;
    p
}

fn android_web(rng: &mut SplitMix64, now: i64) -> WebProfile {
    for _ in 0..64 {
        let p = WebProfile::random_phone(rng, now);
        if p.os == "Android" && p.browser == Browser::Chrome {
            return p;
        }
    }
    let mut p = WebProfile::random_phone(rng, now);
    p.os = "Android";
    p.browser = Browser::Chrome;
    p.os_version = "14".into();
    p
}

fn mobile_scenario(
    rng: &mut SplitMix64,
    platform: Platform,
    scenario: Scenario,
    now: i64,
    session: &str,
) -> Vec<SimulatedPayload> {
    let mut profile = MobileProfile::random(rng, platform, now);
    if matches!(scenario, Scenario::Vpn | Scenario::TravellingUser) {
        profile.country = "DE";
        profile.timezone = "Europe/Berlin";
        profile.language = "de-DE".into();
    }
    let mut behaviour = mobile::human_behaviour(rng);
    let mut p = profile.render(rng, now, session, None);
    let mut req = request_for(profile.country, None, None, rng);
    let mut history = DeviceHistory::default();
    let android = platform == Platform::Android;
    let edit = |b: &mut Value, k: &str, v: Value| {
        if let Value::Object(o) = b {
            o.insert(k.to_owned(), v);
        }
    };
    match scenario {
        Scenario::Emulator if android => {
            for (k, v) in [
                (
                    "fingerprint",
                    json!("google/sdk_gphone64_x86_64/emu64xa:14/UE1A.230829.036/10990136:userdebug/dev-keys"),
                ),
                ("hardware", json!("ranchu")),
                ("product", json!("sdk_gphone64_x86_64")),
                ("model", json!("sdk_gphone64_x86_64")),
                ("manufacturer", json!("Google")),
                ("tags", json!("dev-keys")),
            ] {
                set(&mut p, "build", &[k], v);
            }
            set(&mut p, "hardware", &["kernel_version"], json!("5.15.41-android14-qemu"));
            set(&mut p, "hardware", &["sensor_count"], json!(0));
            set(&mut p, "security", &["is_emulator"], json!(true));
            set(&mut p, "security", &["emulator_indicators"], json!(["goldfish_pipe", "qemu_props"]));
        }
        Scenario::Emulator => {
            set(&mut p, "device", &["ios_device_name"], json!("arm64"));
            set(&mut p, "device", &["is_simulator"], json!(true));
            set(&mut p, "security", &["is_emulator"], json!(true));
        }
        Scenario::Rooted => {
            set(&mut p, "security", &["is_rooted"], json!(true));
            set(&mut p, "security", &["root_indicators"], json!(["su_binary", "magisk_app"]));
            set(&mut p, "security", &["bootloader_state"], json!("unlocked"));
        }
        Scenario::Jailbroken => {
            set(&mut p, "security", &["is_jailbroken"], json!(true));
            set(
                &mut p,
                "security",
                &["jailbreak_indicators"],
                json!(["cydia_url_scheme", "writable_root", "substrate_dylib"]),
            );
        }
        Scenario::DeviceFarm => {
            edit(&mut behaviour, "motion_std", json!(0.0));
            edit(&mut behaviour, "gyro_std", json!(0.0));
            set(&mut p, "battery", &["charging"], json!(true));
            set(&mut p, "battery", &["level"], json!(100));
            set(&mut p, "system", &["screen_brightness"], json!(3));
            set(&mut p, "network", &["sim_state"], json!("absent"));
            if android {
                set(&mut p, "system", &["usb_debugging_state"], json!("enabled"));
            }
            history.persons_on_device_24h = Some(4);
            history.persons_on_device_30d = Some(14);
            history.is_new_device_for_person = Some(true);
        }
        Scenario::Bot => {
            edit(&mut behaviour, "touch_pressure_std", json!(0.0));
            edit(&mut behaviour, "touch_area_std", json!(0.0));
            edit(&mut behaviour, "tap_interval_std_ms", json!(1.0));
            edit(&mut behaviour, "accessibility_events", json!(40));
            if android {
                set(&mut p, "security", &["is_click_automator_installed"], json!(true));
                set(
                    &mut p,
                    "security",
                    &["interfering_apps"],
                    json!(["com.truedevelopersstudio.automatictap.autoclicker"]),
                );
            }
        }
        Scenario::Vpn => {
            set(&mut p, "network", &["vpn_state"], json!("connected"));
            req.ip_country = Some("US".into());
        }
        Scenario::Tampered => {
            set(
                &mut p,
                "security",
                &["hooking_frameworks"],
                json!(if android { json!(["frida", "lsposed"]) } else { json!(["frida", "substrate"]) }),
            );
            if android {
                set(&mut p, "security", &["root_indicators"], json!(["magisk_hide"]));
            }
        }
        Scenario::Vishing => {
            set(&mut p, "telephony", &["is_on_call"], json!(true));
            set(&mut p, "audio", &["mode"], json!("in_call"));
            edit(&mut behaviour, "call_active_ms", json!(45_000));
            edit(&mut behaviour, "app_backgrounded", json!(3));
        }
        _ => {}
    }
    p.behavior = Some(behaviour);
    let base =
        SimulatedPayload { label: scenario.as_str().to_owned(), payload: p, request: req, history: history.clone() };
    let mut out = vec![base.clone()];
    match scenario {
        Scenario::Replay => out.push(SimulatedPayload { label: "replay (second submission)".into(), ..base }),
        Scenario::TravellingUser => {
            let later = now + 11 * HOUR_MS;
            let mut abroad = profile.clone();
            abroad.timezone = "America/New_York";
            let b2 = mobile::human_behaviour(rng);
            let mut p2 = abroad.render(rng, later, session, Some(b2));
            p2.payload_id = rng.hex(16);
            history.last_seen = Some(LastSeen { at_ms: now, ip_country: Some(profile.country.to_owned()), geo: None });
            let req2 = request_for("US", None, None, rng);
            out.push(SimulatedPayload {
                label: "travelling_user (abroad)".into(),
                payload: p2,
                request: req2,
                history,
            });
        }
        Scenario::BrowserUpdate => {
            let later = now + 30 * DAY_MS;
            let mut updated = profile.clone();
            updated.os_version = if android {
                (updated.os_version.parse::<u32>().unwrap_or(13) + 1).to_string()
            } else {
                let parts: Vec<u32> = updated.os_version.split('.').map(|x| x.parse().unwrap_or(0)).collect();
                format!("{}.{}.0", parts.first().copied().unwrap_or(17), parts.get(1).copied().unwrap_or(0) + 1)
            };
            let b2 = mobile::human_behaviour(rng);
            let p2 = updated.render(rng, later, session, Some(b2));
            let req2 = request_for(updated.country, None, None, rng);
            out.push(SimulatedPayload {
                label: "browser_update (after OS update)".into(),
                payload: p2,
                request: req2,
                history: DeviceHistory::default(),
            });
        }
        _ => {}
    }
    out
}

/// 16 hex characters, the agent's hash width.
pub(crate) fn h16(s: &str) -> String {
    hex::encode(&Sha256::digest(s.as_bytes())[..8])
}

/// Month 1–12 of a Unix time in ms (UTC), via days-to-civil.
pub(crate) fn month_of(ms: i64) -> u32 {
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    (if mp < 10 { mp + 3 } else { mp - 9 }) as u32
}

/// (January, July) offsets of a zone; the southern hemisphere has its DST
/// in January.
pub(crate) fn zone_offsets(zone: &str) -> (i32, i32) {
    let Some(z) = geo::zone(zone) else { return (0, 0) };
    let south = z.country.and_then(geo::country).is_some_and(|c| c.lat < 0.0);
    if south { (z.dst_offset, z.std_offset) } else { (z.std_offset, z.dst_offset) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_month() {
        assert_eq!(month_of(1_704_067_200_000), 1); // 2024-01-01
        assert_eq!(month_of(1_719_792_000_000), 7); // 2024-07-01
        assert_eq!(month_of(0), 1);
        assert_eq!(zone_offsets("Australia/Sydney"), (660, 600));
        assert_eq!(zone_offsets("Europe/Berlin"), (60, 120));
    }

    #[test]
    fn deterministic_and_platform_checked() {
        let now = 1_767_225_600_000;
        let a = simulate(Platform::Web, Scenario::Clean, 3, now);
        let b = simulate(Platform::Web, Scenario::Clean, 3, now);
        assert_eq!(a, b);
        assert!(matches!(simulate(Platform::Ios, Scenario::Rooted, 1, now), Err(SimulateError::Unsupported { .. })));
        assert_eq!("device_farm".parse::<Scenario>(), Ok(Scenario::DeviceFarm));
        assert!("nope".parse::<Scenario>().is_err());
    }
}
