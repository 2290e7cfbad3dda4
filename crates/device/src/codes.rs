//! The reason-code catalogue. Codes follow Socure's device-risk numbering
//! style — `I4xx` informational (nothing wrong, often reassuring), `R4xx`
//! risk — but the meaning of every number is defined here: the public
//! Socure material shows only the numbers. `docs/reason-codes.md` is
//! generated from this table (a test fails when it is out of date).

use serde::{Deserialize, Serialize};

/// Which family of evidence a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Automation,
    Tampering,
    Privacy,
    Emulation,
    Network,
    Locale,
    Integrity,
    Remote,
    Behaviour,
    Identity,
    Velocity,
    Travel,
    Software,
    Payload,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Automation => "automation",
            Category::Tampering => "tampering",
            Category::Privacy => "privacy",
            Category::Emulation => "emulation",
            Category::Network => "network",
            Category::Locale => "locale",
            Category::Integrity => "integrity",
            Category::Remote => "remote",
            Category::Behaviour => "behaviour",
            Category::Identity => "identity",
            Category::Velocity => "velocity",
            Category::Travel => "travel",
            Category::Software => "software",
            Category::Payload => "payload",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonCodeInfo {
    pub code: &'static str,
    pub category: Category,
    pub title: &'static str,
    pub description: &'static str,
    /// Contribution to `device_risk` (0 for informational codes); combined
    /// as independent probabilities, see `score`.
    pub risk_weight: u8,
    /// Points added to (or taken from) `identity_correlation`, whose
    /// neutral value is 50.
    pub correlation_weight: i8,
}

impl ReasonCodeInfo {
    pub fn is_risk(&self) -> bool {
        self.code.starts_with('R')
    }
}

macro_rules! catalogue {
    ($( $code:literal $cat:ident $risk:literal $corr:literal $title:literal $desc:literal ;)*) => {
        &[ $( ReasonCodeInfo { code: $code, category: Category::$cat, title: $title, description: $desc, risk_weight: $risk, correlation_weight: $corr } ),* ]
    };
}

static CATALOGUE: &[ReasonCodeInfo] = catalogue! {
    "I401" Identity 0 10 "Known device" "The persistent device id (first-party cookie/local storage id, or app install/vendor id) belongs to a device already on record.";
    "I402" Identity 0 5 "Device recognised by fingerprint" "The persistent id was new or unknown, but the attributes matched a known device closely enough to link it.";
    "I403" Identity 0 30 "Device associated with this person" "The person has used this device before.";
    "I404" Identity 0 10 "Established device of this person" "The person first used this device at least 30 days ago.";
    "I405" Identity 0 5 "Persistent id intact" "The first-party id was read back from both cookie and local storage (or the app id persisted), so storage was not cleared.";
    "I406" Velocity 0 5 "Device used by one person" "No other person used this device in the last 30 days.";
    "I407" Payload 0 0 "Native app payload" "The payload came from the Android or iOS SDK rather than a browser.";
    "I408" Travel 0 0 "GPS consistent with IP country" "The device's geolocation lies in or near the IP address's country.";
    "I409" Locale 0 0 "Time zone consistent with IP country" "The device's time zone offset is one used in the IP address's country.";
    "I410" Locale 0 0 "Languages consistent with IP country" "At least one preferred language is expected in the IP address's country.";
    "I411" Behaviour 0 0 "Human-like interaction" "Behaviour was collected and showed no automation, remote-control or form-filling anomaly.";
    "I412" Integrity 0 0 "Device integrity checks passed" "The mobile SDK found no root, jailbreak, emulator or hooking framework.";
    "I413" Software 0 0 "Browser up to date" "The browser's major version is less than about four months old.";
    "I414" Integrity 0 0 "Device secured" "A screen lock (passcode/keyguard) and biometrics are enabled.";
    "I415" Travel 0 0 "Same country as last session" "The IP country matches the previous session of this person or device.";
    "I416" Automation 0 0 "No automation traces" "The automation probe ran and found no webdriver, headless or framework traces.";
    "I417" Tampering 0 0 "No API tampering" "The tampering probe ran and found no overridden native functions or identity contradictions.";
    "I418" Identity 0 5 "Same hardware as the known device" "The hardware-level device hash equals the one stored for the linked device.";
    "I419" Identity 0 0 "Browser change on known hardware" "The hardware hash matches the linked device but the browser hash differs (browser switch, reset or update of rendering).";
    "I420" Privacy 0 0 "Normal browsing mode" "The private-mode probe ran and found no incognito/private-window indications.";
    "I421" Emulation 0 0 "Hardware GPU" "WebGL reports a hardware GPU, not a software or virtual-machine renderer.";
    "I422" Payload 0 0 "Signals complete" "Nearly all signal sources reported a value.";
    "I423" Tampering 0 0 "Consistent screen geometry" "Screen, available area and window sizes are mutually possible.";
    "I424" Tampering 0 0 "Client hints consistent with user agent" "User-Agent Client Hints agree with the User-Agent string on browser version and platform.";
    "I425" Travel 0 0 "Plausible travel" "The country changed since the last session at a speed a traveller can reach.";
    "I426" Integrity 0 0 "iOS app running on a Mac" "The iOS app runs on an Apple-silicon Mac (not a simulator).";
    "I427" Privacy 0 0 "Privacy signals set" "Do Not Track or Global Privacy Control is enabled.";
    "R401" Automation 70 0 "Automation framework detected" "navigator.webdriver is set or automation framework globals (Selenium, Puppeteer, Playwright, PhantomJS…) are present.";
    "R402" Automation 70 0 "Headless browser" "The user agent (page or worker) names a headless engine.";
    "R403" Automation 35 0 "Software renderer" "WebGL renders on the CPU (SwiftShader, llvmpipe, Microsoft Basic Render Driver), typical of headless and server environments.";
    "R404" Automation 30 0 "Bot-like browser profile" "Several weak automation tells together: no plugins or window.chrome on desktop Chrome, zero outer window size, no languages.";
    "R405" Tampering 35 0 "Native functions overridden" "Fingerprinting-relevant browser functions or getters no longer stringify as native code (stealth plugins, spoofing extensions).";
    "R406" Tampering 40 0 "User agent contradicts client hints" "Client hints disagree with the User-Agent string on browser, version, platform or mobile flag.";
    "R407" Tampering 45 0 "User agent contradicts platform or engine" "navigator.platform, the JavaScript engine or the GPU cannot belong to the operating system or browser the User-Agent claims.";
    "R408" Tampering 40 0 "Worker disagrees with page" "A Web Worker sees a different user agent, platform, core count or languages than the page: page-level spoofing.";
    "R409" Tampering 25 0 "Touch capability contradicts device type" "A phone user agent without touch support, or a Mac user agent with touch points on a non-iPad screen (device emulation).";
    "R410" Tampering 25 0 "Impossible screen or window geometry" "Window larger than the screen, inner larger than outer, available area larger than the screen, or zero-sized screen.";
    "R411" Privacy 10 0 "Private browsing" "Storage quota, OPFS or noise indicate an incognito/private window: the persistent id will not survive.";
    "R412" Emulation 35 0 "Virtual machine" "The GPU renderer names a virtual machine (VMware, VirtualBox, Parallels, Hyper-V, QEMU/virgl).";
    "R413" Emulation 60 0 "Emulator or simulator" "Android emulator build properties, an iOS simulator, or emulator GPU/model strings in a mobile user agent.";
    "R414" Network 25 0 "Time zone far from IP country" "The device's UTC offset is not used anywhere in the IP address's country: typical of VPNs and proxies.";
    "R415" Network 35 0 "WebRTC address differs from request IP" "A public address on a local network interface differs from the request IP: the request came through a proxy or VPN.";
    "R416" Locale 10 0 "Languages unexpected for IP country" "No preferred language is expected in the IP country and none is English.";
    "R417" Network 50 0 "Tor" "The IP is a Tor exit (caller's IP intelligence) or the browser has the Tor Browser profile (UTC, letterboxed window, en-US, Gecko).";
    "R418" Tampering 35 0 "Time zone name contradicts offsets" "The IANA zone name does not have the January/July UTC offsets the device reports: the zone name was spoofed.";
    "R419" Locale 15 0 "Locale contradicts languages" "The Intl locale's language is absent from navigator.languages: one of them was overridden.";
    "R420" Tampering 25 0 "Accept-Language contradicts browser languages" "The HTTP Accept-Language header's first language differs from navigator.languages.";
    "R421" Tampering 30 0 "Request user agent differs from device" "The User-Agent header of the partner's request names another browser, version or OS than the payload.";
    "R422" Payload 80 -20 "Replayed payload" "This exact device_data payload was already submitted.";
    "R423" Payload 20 0 "Stale or future-dated payload" "The payload was collected long before the analysis, or in the future by more than the clock-skew allowance.";
    "R424" Velocity 50 -30 "Device used by many persons (24 h)" "At least the configured number of distinct persons used this device in the last 24 hours.";
    "R425" Velocity 30 -20 "Device used by many persons (30 days)" "At least the configured number of distinct persons used this device in the last 30 days.";
    "R426" Identity 10 -20 "New device for this person" "The person has not used this device before.";
    "R427" Velocity 20 -10 "Person uses many devices" "The person used at least the configured number of devices in the last 30 days.";
    "R428" Travel 45 -15 "Impossible travel" "Distance from the previous session divided by the elapsed time exceeds the configured speed (about an airliner's).";
    "R429" Integrity 45 0 "Rooted Android device" "su binaries, Magisk, root-management apps, test-keys builds or the SDK's root check.";
    "R430" Integrity 45 0 "Jailbroken iOS device" "Cydia/Sileo, substrate libraries, writable system paths, sandbox escape or the SDK's jailbreak check.";
    "R431" Integrity 20 0 "Unlocked bootloader" "The Android bootloader is unlocked: the OS image may be modified.";
    "R432" Integrity 15 0 "USB debugging or developer options" "ADB/USB debugging or developer options are enabled, needed by most scripted and remote-control setups.";
    "R433" Remote 60 0 "Remote control or screen mirroring" "A remote-control app is connected or the screen is mirrored/cast.";
    "R434" Integrity 35 0 "Interfering or automation apps" "Auto-clickers, accessibility automators, screen overlays or other interfering apps are installed or active.";
    "R435" Integrity 55 0 "Hooking framework" "Frida, Xposed/LSPosed, Substrate or similar instrumentation is present.";
    "R436" Automation 50 0 "Possible automation" "Mobile touch input is machine-regular (identical pressure and area, metronomic taps) or injected through accessibility.";
    "R437" Velocity 55 0 "Possible device farm" "The phone lies still on a charger with dimmed screen and serves many persons or looks rack-mounted.";
    "R438" Remote 50 0 "Possible vishing" "The user operated the app during an active phone call: a caller may be directing them.";
    "R439" Remote 20 0 "Possible ongoing call" "Audio routing shows an active call although call state could not be read.";
    "R440" Behaviour 25 0 "Suspicious keypress characteristics" "Key hold and gap times are machine-regular or impossibly short.";
    "R441" Behaviour 25 0 "Suspicious mouse movement" "Pointer strokes are ruler-straight or teleport, or clicks came without any pointer movement.";
    "R442" Behaviour 20 0 "Suspicious form fill-out" "The form was completed faster than a person can read and type it.";
    "R443" Behaviour 5 0 "Paste used" "Values were pasted into form fields.";
    "R444" Behaviour 2 0 "Autofill used" "Values were inserted by browser or password-manager autofill (or a script).";
    "R445" Remote 20 0 "Potential remote interaction" "The user repeatedly left the window while filling the form and pasted values: typical of coached or scripted fraud.";
    "R446" Remote 45 0 "Potential remote control" "Input timing typical of remote-desktop tools: near-zero key hold times or coarse jumping pointer movement.";
    "R447" Automation 45 0 "Script-dispatched input events" "Input events with isTrusted = false were observed on the form.";
    "R448" Tampering 20 0 "First-party id tampered" "The first-party id in the cookie differs from the one in local storage.";
    "R449" Privacy 10 0 "Storage disabled" "Cookies or local storage are disabled, so the device cannot keep a persistent id.";
    "R450" Software 10 0 "Outdated browser" "The browser's major version is more than a year old (unpatched, or a frozen automation build).";
    "R451" Network 25 0 "VPN or proxy on device" "The mobile SDK reports an active VPN or a configured HTTP proxy; or the caller's IP intelligence flags a VPN/proxy.";
    "R452" Remote 30 0 "Screen being captured" "The iOS screen is recorded, mirrored or shared.";
    "R453" Payload 20 0 "Most signals missing" "At least half of the signal sources failed: a stripped-down or hostile environment.";
    "R454" Identity 10 -5 "Device ids reset" "The device was recognised only by fingerprint: its persistent id was cleared or never stored.";
    "R455" Travel 25 0 "GPS far from IP country" "The device's geolocation is far from the IP address's country.";
    "R456" Network 30 0 "Hosting or data-centre IP" "The caller's IP intelligence places the request in a hosting provider or data centre.";
    "R457" Privacy 10 0 "Anti-fingerprinting noise" "Canvas, audio or font probes returned different results on repeated reads (Brave, Safari private mode, extensions).";
};

/// Every reason code this crate can emit, in code order.
pub fn catalogue() -> &'static [ReasonCodeInfo] {
    CATALOGUE
}

pub fn info(code: &str) -> Option<&'static ReasonCodeInfo> {
    CATALOGUE.iter().find(|c| c.code == code)
}

/// The markdown page `docs/reason-codes.md`, rendered from the catalogue.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# Reason codes\n\n\
         Generated from `crates/device/src/codes.rs` by `cargo test -p sightline-device --test reason_codes_doc`\n\
         (set `UPDATE_DOCS=1` to rewrite this file); do not edit by hand.\n\n\
         Codes follow Socure's device-risk style: `I4xx` are informational (nothing wrong, often reassuring),\n\
         `R4xx` are risks. The meaning of each number is Sightline's own. `device_risk` combines the risk weights\n\
         of the `R` codes present as independent probabilities: `100 × (1 − Π(1 − wᵢ/100))`. `identity_correlation`\n\
         starts at 50 and adds the correlation weights of the codes present, clamped to 0–100.\n\n\
         | code | category | title | risk weight | correlation | description |\n\
         |---|---|---|---:|---:|---|\n",
    );
    for c in CATALOGUE {
        let corr = if c.correlation_weight == 0 { String::new() } else { format!("{:+}", c.correlation_weight) };
        let risk = if c.is_risk() { c.risk_weight.to_string() } else { String::new() };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            c.code,
            c.category.as_str(),
            c.title,
            risk,
            corr,
            c.description
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        let codes: Vec<_> = CATALOGUE.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for c in CATALOGUE {
            assert!(c.code.len() == 4 && (c.code.starts_with("I4") || c.code.starts_with("R4")), "{}", c.code);
            if c.is_risk() {
                assert!(c.risk_weight > 0 && c.risk_weight <= 100, "{}", c.code);
            } else {
                assert_eq!(c.risk_weight, 0, "{}", c.code);
            }
            assert!(!c.description.contains('|'), "{} breaks the table", c.code);
        }
    }
}
