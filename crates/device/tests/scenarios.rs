//! Every simulated scenario, analysed end to end: the flags it is about
//! fire, clean devices stay clean, and `device_details` carries every SEON
//! field of its platform.

use serde_json::Value;
use sightline_device::simulate::{Scenario, SimulatedPayload, simulate};
use sightline_device::{AnalysisInput, DeviceAnalysis, analyse};
use sightline_payload::Platform;

const NOW: i64 = 1_767_225_600_000;

fn run(platform: Platform, scenario: Scenario, seed: u64) -> Vec<DeviceAnalysis> {
    let sims = simulate(platform, scenario, seed, NOW).unwrap_or_default();
    assert!(!sims.is_empty(), "{platform} {scenario} produced nothing");
    sims.iter().enumerate().map(|(i, s)| analyse_one(s, scenario == Scenario::Replay && i == 1)).collect()
}

fn analyse_one(sim: &SimulatedPayload, replayed: bool) -> DeviceAnalysis {
    let mut input = AnalysisInput::new(&sim.payload, sim.payload.collected_at + 400);
    input.request = sim.request.clone();
    input.history = sim.history.clone();
    input.replayed = replayed;
    analyse(&input)
}

fn expect(platform: Platform, scenario: Scenario, step: usize, flags: &[&str]) {
    for seed in [1, 2, 3] {
        let a = &run(platform, scenario, seed)[step];
        for f in flags {
            assert!(a.has_flag(f), "{platform} {scenario} seed {seed}: {f} missing from {:?}", a.flags);
        }
    }
}

#[test]
fn clean_devices_are_clean() {
    for platform in Platform::ALL {
        for seed in 0..20 {
            let a = &run(platform, Scenario::Clean, seed)[0];
            let tolerated = ["autofill_used", "language_ip_mismatch", "fingerprint_noise"];
            let risky: Vec<_> = a.flags.iter().filter(|f| !tolerated.contains(&f.name.as_str())).collect();
            assert!(risky.is_empty(), "{platform} clean seed {seed}: {risky:?}");
            assert!(a.device_risk.value <= 15, "{platform} seed {seed}: risk {}", a.device_risk.value);
        }
    }
}

#[test]
fn web_scenarios() {
    expect(
        Platform::Web,
        Scenario::Bot,
        0,
        &[
            "webdriver",
            "automation_globals",
            "headless",
            "software_renderer",
            "suspicious_keypress_characteristics",
            "suspicious_mouse_movement",
            "hosting_ip",
        ],
    );
    expect(Platform::Web, Scenario::Emulator, 0, &["emulator"]);
    expect(Platform::Web, Scenario::VirtualMachine, 0, &["virtual_machine"]);
    expect(Platform::Web, Scenario::Vpn, 0, &["timezone_ip_mismatch", "webrtc_ip_mismatch"]);
    expect(
        Platform::Web,
        Scenario::Tampered,
        0,
        &[
            "non_native_functions",
            "ua_client_hints_mismatch",
            "ua_platform_mismatch",
            "worker_mismatch",
            "request_ua_mismatch",
        ],
    );
    expect(Platform::Web, Scenario::Replay, 1, &["replayed"]);
    let bot = &run(Platform::Web, Scenario::Bot, 1)[0];
    assert!(bot.device_risk.value >= 90);
    assert_eq!(bot.device_risk.reasons.first().map(String::as_str), Some("R401"));
}

#[test]
fn mobile_scenarios() {
    expect(Platform::Android, Scenario::Emulator, 0, &["emulator"]);
    expect(Platform::Android, Scenario::Rooted, 0, &["rooted", "bootloader_unlocked"]);
    expect(Platform::Android, Scenario::DeviceFarm, 0, &["possible_device_farm", "shared_device_24h", "usb_debugging"]);
    expect(Platform::Android, Scenario::Bot, 0, &["possible_automation", "interfering_apps"]);
    expect(Platform::Android, Scenario::Vpn, 0, &["vpn_active", "timezone_ip_mismatch"]);
    expect(Platform::Android, Scenario::Tampered, 0, &["hooking_framework", "rooted"]);
    expect(Platform::Android, Scenario::Vishing, 0, &["possible_vishing"]);
    expect(Platform::Ios, Scenario::Emulator, 0, &["emulator"]);
    expect(Platform::Ios, Scenario::Jailbroken, 0, &["jailbroken"]);
    expect(Platform::Ios, Scenario::DeviceFarm, 0, &["possible_device_farm"]);
    expect(Platform::Ios, Scenario::Bot, 0, &["possible_automation"]);
    expect(Platform::Ios, Scenario::Tampered, 0, &["hooking_framework"]);
    expect(Platform::Ios, Scenario::Vishing, 0, &["possible_vishing"]);
    for platform in [Platform::Android, Platform::Ios] {
        expect(platform, Scenario::Replay, 1, &["replayed"]);
    }
}

#[test]
fn travel_and_updates_are_not_risks() {
    for platform in Platform::ALL {
        let travel = run(platform, Scenario::TravellingUser, 5);
        assert!(!travel[1].has_flag("impossible_travel"), "{platform}: {:?}", travel[1].flags);
        assert!(travel[1].has_code("I425"), "{platform}: {:?}", travel[1].reason_codes);
        let update = run(platform, Scenario::BrowserUpdate, 5);
        assert_eq!(update[1].device_risk.value, 0, "{platform}: {:?}", update[1].flags);
        // The hardware hash survives the update; the persistent id too.
        assert_eq!(update[0].fingerprint.device_hash, update[1].fingerprint.device_hash, "{platform}");
        assert_eq!(update[0].fingerprint.cookie_hash, update[1].fingerprint.cookie_hash, "{platform}");
    }
}

#[test]
fn unsupported_combinations_are_refused() {
    assert!(simulate(Platform::Web, Scenario::Rooted, 1, NOW).is_err());
    assert!(simulate(Platform::Android, Scenario::Jailbroken, 1, NOW).is_err());
    assert!(simulate(Platform::Web, Scenario::DeviceFarm, 1, NOW).is_err());
}

const WEB_FIELDS: &str = "os vpn type proxy webgl dns_ip locale source adblock battery browser plugins private platform referrer timezone device_ip font_hash font_list has_focus languages math_hash audio_hash dns_ip_isp extensions font_count font_noise session_id user_agent webrtc_ips canvas_hash cookie_hash device_hash device_type mouse_moved permissions price_range screen_data browser_hash do_not_track java_enabled webrtc_count device_ip_isp device_memory dns_ip_region flash_enabled media_devices spoofing_hash touch_support cookie_enabled dns_ip_country mobile_details browser_version device_location drm_key_systems mime_types_hash timezone_offset user_agent_data window_location device_ip_region max_touch_points suspicious_flags timezone_country webrtc_activated device_ip_country system_colors_hash browser_version_age hardware_concurrency keyboard_layout_hash keyboard_layout_name unpopular_user_agent unpopular_device_resolution";
const IOS_FIELDS: &str = "type source session_id accessories_count audio_mute_status audio_volume_current battery_charging battery_level can_send_mail can_send_text cpu_count cpu_type device_adid device_hash device_name device_orientation device_udid icloud_ubiquity_token ios_device_name ios_version is_biometrics_enabled is_emulator is_ios_app_on_mac is_jailbroken is_on_call is_passcode_enabled is_screen_captured kernel_arch kernel_name kernel_version network_config pasteboard_hash physical_memory region_country region_language region_timezone screen_brightness screen_height screen_width system_uptime timezone_identifier wifi_mac_address wifi_ssid dns_ip dns_ip_country dns_ip_isp device_ip_address device_ip_country device_ip_isp device_location suspicious_flags true_device_id";
const ANDROID_FIELDS: &str = "type source session_id android_id android_version app_guid audio_mute_status audio_volume_current battery_charging battery_health battery_level battery_temperature battery_voltage biometric_status bootloader_state build_device build_id build_manufacturer build_model build_number build_time carrier_country carrier_name cpu_count cpu_hash cpu_speed cpu_type developer_options_state device_hash device_cellular_id device_name device_orientation free_storage gsf_id has_proximity_sensor interfering_apps is_click_automator_installed is_emulator is_keyguard_secure is_nfc_available is_nfc_enabled is_on_call is_remote_control_connected is_rooted is_screen_being_mirrored kernel_arch kernel_name kernel_version last_boot_time network_config pasteboard_hash physical_memory region_country region_language region_timezone remote_control_provider screen_brightness screen_height screen_scale screen_width sensor_hash system_uptime timezone_identifier total_storage usb_cable_state usb_debugging_state wifi_mac_address wifi_ssid dns_ip dns_ip_country dns_ip_isp device_ip_address device_ip_country device_ip_isp device_location vpn_state proxy_state proxy_address first_api_level power_source suspicious_flags true_device_id";

#[test]
fn device_details_have_every_seon_field() {
    for (platform, fields) in
        [(Platform::Web, WEB_FIELDS), (Platform::Ios, IOS_FIELDS), (Platform::Android, ANDROID_FIELDS)]
    {
        let a = &run(platform, Scenario::Clean, 9)[0];
        let Value::Object(details) = &a.device_details else { panic!("{platform}: not an object") };
        let expected: Vec<&str> = fields.split_whitespace().collect();
        for f in &expected {
            assert!(details.contains_key(*f), "{platform}: {f} missing");
        }
        assert_eq!(details.len(), expected.len(), "{platform}: extra fields");
        let filled = details.values().filter(|v| !v.is_null()).count();
        assert!(filled * 10 >= details.len() * 6, "{platform}: only {filled} of {} fields filled", details.len());
    }
    let web = &run(Platform::Web, Scenario::Clean, 9)[0].device_details;
    assert_eq!(web["type"], "web");
    assert!(web["dns_ip"].is_null() && web["adblock"].is_null(), "never invented");
    assert_eq!(
        web["device_hash"],
        Value::String(run(Platform::Web, Scenario::Clean, 9)[0].fingerprint.device_hash.clone())
    );
}
