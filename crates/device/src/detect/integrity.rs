//! Mobile device integrity: root, jailbreak, emulators and simulators,
//! hooking, debugging, remote control and interfering apps. The SDK's own
//! verdicts (`is_rooted`, …) are used together with the raw indicators, so
//! that a tampered verdict alone does not hide a device.

use super::{Ctx, Findings};
use sightline_payload::Platform;

const EMULATOR_HARDWARE: [&str; 7] = ["goldfish", "ranchu", "vbox86", "nox", "ttvm_x86", "qemu", "android_x86"];
const EMULATOR_PRODUCTS: [&str; 6] = ["sdk", "google_sdk", "sdk_x86", "vbox86p", "emulator", "simulator"];
const EMULATOR_MODELS: [&str; 4] = ["sdk_gphone", "android sdk built for", "emulator", "google_sdk"];
/// Machine names an iOS simulator reports instead of "iPhone15,2".
const SIMULATOR_MACHINES: [&str; 3] = ["i386", "x86_64", "arm64"];

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    match ctx.platform {
        Platform::Android => android(ctx, f),
        Platform::Ios => ios(ctx, f),
        Platform::Web => return,
    }
    common(ctx, f);
    let compromised = ["rooted", "jailbroken", "emulator", "hooking_framework"].iter().any(|n| f.has_flag(n));
    if ctx.s.present("security") && !compromised {
        f.note("I412", "no root, jailbreak, emulator or hooking indicators");
    }
}

fn lower(ctx: &Ctx, group: &str, field: &str) -> String {
    ctx.s.str(group, field).unwrap_or("").to_ascii_lowercase()
}

fn android(ctx: &Ctx, f: &mut Findings) {
    let s = &ctx.s;
    let mut root = s.strs("security", "root_indicators").iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    if s.bool("security", "is_rooted") == Some(true) {
        root.insert(0, "sdk verdict".to_owned());
    }
    if lower(ctx, "build", "tags").contains("test-keys") {
        root.push("test-keys build".to_owned());
    }
    if !root.is_empty() {
        f.raise("rooted", "R429", root.join(", "));
    }
    if lower(ctx, "security", "bootloader_state") == "unlocked" {
        f.raise("bootloader_unlocked", "R431", "bootloader unlocked");
    }

    let mut emu: Vec<String> = s.strs("security", "emulator_indicators").iter().map(|x| (*x).to_owned()).collect();
    if s.bool("security", "is_emulator") == Some(true) {
        emu.insert(0, "sdk verdict".to_owned());
    }
    let fingerprint = lower(ctx, "build", "fingerprint");
    if fingerprint.starts_with("generic") || fingerprint.contains("/sdk_gphone") || fingerprint.contains("emulator") {
        emu.push(format!("build fingerprint {fingerprint}"));
    }
    let hardware = lower(ctx, "build", "hardware");
    if EMULATOR_HARDWARE.iter().any(|h| hardware.contains(h)) {
        emu.push(format!("hardware {hardware}"));
    }
    let product = lower(ctx, "build", "product");
    if EMULATOR_PRODUCTS.contains(&product.as_str()) || product.starts_with("sdk_") {
        emu.push(format!("product {product}"));
    }
    let model = lower(ctx, "build", "model");
    if EMULATOR_MODELS.iter().any(|m| model.contains(m)) {
        emu.push(format!("model {model}"));
    }
    let manufacturer = lower(ctx, "build", "manufacturer");
    if manufacturer.contains("genymotion") || manufacturer == "unknown" {
        emu.push(format!("manufacturer {manufacturer}"));
    }
    if lower(ctx, "hardware", "kernel_version").contains("qemu") {
        emu.push("qemu kernel".to_owned());
    }
    if !emu.is_empty() {
        f.raise("emulator", "R413", emu.join(", "));
    }

    if lower(ctx, "system", "usb_debugging_state") == "enabled" {
        f.raise("usb_debugging", "R432", "ADB/USB debugging enabled");
    } else if lower(ctx, "system", "developer_options_state") == "enabled" {
        f.raise("developer_options", "R432", "developer options enabled");
    }
    let apps = s.strs("security", "interfering_apps");
    if !apps.is_empty() || s.bool("security", "is_click_automator_installed") == Some(true) {
        let what = if apps.is_empty() { "click automator installed".to_owned() } else { apps.join(", ") };
        f.raise("interfering_apps", "R434", what);
    }
    if s.bool("security", "is_remote_control_connected") == Some(true)
        || s.str("security", "remote_control_provider").is_some()
    {
        let provider = s.str("security", "remote_control_provider").unwrap_or("unknown provider");
        f.raise("remote_control", "R433", format!("remote control connected ({provider})"));
    }
    if s.bool("security", "is_screen_being_mirrored") == Some(true) {
        f.raise("screen_mirrored", "R433", "screen is mirrored or cast");
    }
    if s.bool("system", "is_keyguard_secure") == Some(true) && s.bool("system", "biometric_status") == Some(true) {
        f.note("I414", "keyguard and biometrics enabled");
    }
}

fn ios(ctx: &Ctx, f: &mut Findings) {
    let s = &ctx.s;
    let mut jb: Vec<String> = s.strs("security", "jailbreak_indicators").iter().map(|x| (*x).to_owned()).collect();
    if s.bool("security", "is_jailbroken") == Some(true) {
        jb.insert(0, "sdk verdict".to_owned());
    }
    if !jb.is_empty() {
        f.raise("jailbroken", "R430", jb.join(", "));
    }
    let on_mac = s.bool("device", "is_ios_app_on_mac") == Some(true);
    let machine = lower(ctx, "device", "ios_device_name");
    let mut sim = Vec::new();
    if s.bool("security", "is_emulator") == Some(true) || s.bool("device", "is_simulator") == Some(true) {
        sim.push("sdk verdict".to_owned());
    }
    if !on_mac && SIMULATOR_MACHINES.contains(&machine.as_str()) {
        sim.push(format!("machine {machine}"));
    }
    if !on_mac && lower(ctx, "hardware", "kernel_arch").contains("x86") {
        sim.push("x86 kernel".to_owned());
    }
    if !sim.is_empty() {
        f.raise("emulator", "R413", format!("iOS simulator: {}", sim.join(", ")));
    }
    if on_mac {
        f.note("I426", "iOS app on an Apple-silicon Mac");
    }
    if s.bool("system", "is_screen_captured") == Some(true) {
        f.raise("screen_captured", "R452", "screen is being recorded, mirrored or shared");
    }
    if s.bool("system", "is_passcode_enabled") == Some(true) && s.bool("system", "is_biometrics_enabled") == Some(true)
    {
        f.note("I414", "passcode and biometrics enabled");
    }
}

fn common(ctx: &Ctx, f: &mut Findings) {
    let hooks = ctx.s.strs("security", "hooking_frameworks");
    if !hooks.is_empty() {
        f.raise("hooking_framework", "R435", hooks.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{findings, payload};
    use crate::input::AnalysisInput;

    fn flags(platform: Platform, signals: serde_json::Value) -> crate::detect::Findings {
        let p = payload(platform, signals);
        findings(&AnalysisInput::new(&p, p.collected_at))
    }

    #[test]
    fn android_clean_device() {
        let f = flags(
            Platform::Android,
            json!({"build": {"manufacturer": "samsung", "model": "SM-S911B", "fingerprint": "samsung/dm1qxxx/dm1q:14/UP1A/S911BXXU3BWK5:user/release-keys", "hardware": "qcom", "product": "dm1qxxx", "tags": "release-keys"},
                   "security": {"is_rooted": false, "root_indicators": [], "is_emulator": false, "emulator_indicators": [], "bootloader_state": "locked", "hooking_frameworks": [], "interfering_apps": [], "is_click_automator_installed": false, "is_remote_control_connected": false, "is_screen_being_mirrored": false},
                   "system": {"usb_debugging_state": "disabled", "developer_options_state": "disabled", "is_keyguard_secure": true, "biometric_status": true}}),
        );
        assert!(f.flags.is_empty(), "{:?}", f.flags);
        assert!(f.has_code("I412") && f.has_code("I414"));
    }

    #[test]
    fn android_root_emulator_debugging_remote() {
        let f = flags(
            Platform::Android,
            json!({"security": {"root_indicators": ["su_binary", "magisk"]}, "build": {"tags": "test-keys"}}),
        );
        assert!(f.has_flag("rooted") && !f.has_code("I412"));
        let f = flags(
            Platform::Android,
            json!({"build": {"fingerprint": "google/sdk_gphone64_x86_64/emu64xa:14/UE1A/1:userdebug/dev-keys", "hardware": "ranchu", "product": "sdk_gphone64_x86_64", "model": "sdk_gphone64_x86_64"}}),
        );
        assert!(f.has_flag("emulator"));
        let f = flags(
            Platform::Android,
            json!({"system": {"usb_debugging_state": "enabled"}, "security": {"is_remote_control_connected": true, "remote_control_provider": "TeamViewer", "interfering_apps": ["com.auto.clicker"], "hooking_frameworks": ["frida"]}}),
        );
        for n in ["usb_debugging", "remote_control", "interfering_apps", "hooking_framework"] {
            assert!(f.has_flag(n), "{n}");
        }
    }

    #[test]
    fn ios_jailbreak_simulator_mac() {
        let f = flags(
            Platform::Ios,
            json!({"security": {"is_jailbroken": false, "jailbreak_indicators": ["cydia_url_scheme"], "is_emulator": false}}),
        );
        assert!(f.has_flag("jailbroken"));
        let f = flags(Platform::Ios, json!({"device": {"ios_device_name": "x86_64", "is_ios_app_on_mac": false}}));
        assert!(f.has_flag("emulator"));
        let f = flags(
            Platform::Ios,
            json!({"device": {"ios_device_name": "arm64", "is_ios_app_on_mac": true}, "security": {"is_jailbroken": false, "jailbreak_indicators": []}}),
        );
        assert!(!f.has_flag("emulator") && f.has_code("I426") && f.has_code("I412"));
        let f = flags(Platform::Ios, json!({"system": {"is_screen_captured": true}}));
        assert!(f.has_flag("screen_captured"));
    }
}
