//! Synthetic browsers: a hidden [`WebProfile`] (hardware, browser, user
//! settings, stored id) and its rendering into the agent's plaintext.

use serde_json::{Map, Value, json};
use sightline_payload::{DevicePayload, PLAINTEXT_VERSION, Platform};

use super::catalog::{self, DESKTOPS, FONT_PACKS, FONTS, LOCALES, PHONES};
use super::{h16, month_of, zone_offsets};
use crate::rng::SplitMix64;

const DAY_MS: f64 = 86_400_000.0;
// Release anchors, as in `detect::software`.
const CHROME_120_MS: f64 = 1_701_734_400_000.0;
const FIREFOX_120_MS: f64 = 1_700_524_800_000.0;
const APPLE_17_MS: f64 = 1_695_000_000_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Edge,
    Firefox,
    Safari,
    Samsung,
}

impl Browser {
    fn chromium(self) -> bool {
        matches!(self, Browser::Chrome | Browser::Edge | Browser::Samsung)
    }
}

/// Everything that determines what a browser reports.
#[derive(Debug, Clone)]
pub struct WebProfile {
    /// "Windows", "macOS", "Linux", "iOS", "Android".
    pub os: &'static str,
    /// Windows "10"/"11"; macOS, iOS "major.minor"; Android "major".
    pub os_version: String,
    pub browser: Browser,
    pub browser_major: u32,
    pub model: Option<&'static str>,
    pub screen: (u32, u32),
    pub avail_taskbar: u32,
    pub color_depth: u32,
    pub dpr: f64,
    /// Browser zoom; multiplies the reported DPR on desktop.
    pub zoom: f64,
    pub cores: u32,
    pub memory: f64,
    pub touch_points: u32,
    pub gpu_vendor: String,
    pub gpu: String,
    pub fonts: Vec<&'static str>,
    /// Bumped by updates that change rendering (canvas, WebGL, audio).
    pub render_epoch: u32,
    pub country: &'static str,
    pub timezone: &'static str,
    pub languages: Vec<String>,
    pub keyboard: &'static str,
    pub media: (u32, u32, u32),
    /// The stored first-party id and how the agent found it.
    pub fpid: String,
    pub fpid_source: &'static str,
    /// This session runs in a private window.
    pub private: bool,
    /// The browser randomises canvas/audio (Brave, resist-fingerprinting).
    pub noise: bool,
    pub window: (u32, u32),
    /// GPU driver / OS patch level: changes canvas and WebGL output on
    /// desktops (0 on phones, where the OS version already fixes it).
    pub driver: u32,
}

/// Major version current at `now_ms` for the browser's release train.
pub fn current_major(browser: Browser, now_ms: i64) -> u32 {
    let (anchor_ms, anchor, days) = match browser {
        Browser::Chrome | Browser::Edge | Browser::Samsung => (CHROME_120_MS, 120.0, 30.5),
        Browser::Firefox => (FIREFOX_120_MS, 120.0, 28.5),
        Browser::Safari => (APPLE_17_MS, 17.0, 365.0),
    };
    (anchor + ((now_ms as f64 - anchor_ms) / DAY_MS / days).floor()).max(1.0) as u32
}

fn apple_version(rng: &mut SplitMix64, now_ms: i64) -> (u32, u32) {
    let major = current_major(Browser::Safari, now_ms);
    let months = ((now_ms as f64 - APPLE_17_MS) / DAY_MS / 30.4).rem_euclid(12.0);
    let latest_minor = (months / 1.6).floor() as u32;
    let lag = rng.weighted(&[(0u32, 0.6), (1, 0.25), (2, 0.15)]).copied().unwrap_or(0);
    if lag > latest_minor && major > 17 { (major - 1, 6) } else { (major, latest_minor.saturating_sub(lag)) }
}

impl WebProfile {
    /// A random realistic browser as of `now_ms`.
    pub fn random(rng: &mut SplitMix64, now_ms: i64) -> Self {
        if rng.chance(0.55) { Self::random_desktop(rng, now_ms) } else { Self::random_phone(rng, now_ms) }
    }

    pub fn random_desktop(rng: &mut SplitMix64, now_ms: i64) -> Self {
        let weights: Vec<(usize, f64)> = DESKTOPS.iter().enumerate().map(|(i, d)| (i, d.share)).collect();
        let d = DESKTOPS[rng.weighted(&weights).copied().unwrap_or(0)];
        let browser = *match d.os {
            "Windows" => rng.weighted(&[(Browser::Chrome, 65.0), (Browser::Edge, 22.0), (Browser::Firefox, 13.0)]),
            "macOS" => rng.weighted(&[(Browser::Chrome, 50.0), (Browser::Safari, 42.0), (Browser::Firefox, 8.0)]),
            _ => rng.weighted(&[(Browser::Chrome, 60.0), (Browser::Firefox, 40.0)]),
        }
        .unwrap_or(&Browser::Chrome);
        let (os_version, browser_major) = match d.os {
            "Windows" => (if rng.chance(0.45) { "11" } else { "10" }.to_owned(), 0),
            "macOS" => {
                let (maj, min) = apple_version(rng, now_ms);
                // macOS majors run three behind iOS/Safari (Safari 17 ↔ macOS 14).
                (format!("{}.{}", maj.saturating_sub(3), min), maj)
            }
            _ => ("x86_64".to_owned(), 0),
        };
        let browser_major = if browser == Browser::Safari { browser_major } else { lagged_major(rng, browser, now_ms) };
        let mut fonts: Vec<&'static str> = match d.os {
            "Windows" => catalog::WINDOWS_FONTS.to_vec(),
            "macOS" => catalog::MAC_FONTS.to_vec(),
            _ => catalog::LINUX_FONTS.to_vec(),
        };
        for (pack, p) in FONT_PACKS {
            if rng.chance(*p) {
                fonts.extend_from_slice(pack);
            }
        }
        for f in FONTS {
            if rng.chance(0.015) {
                fonts.push(f);
            }
        }
        let locale = pick_locale(rng);
        let (zone, languages) = locale_choice(rng, locale);
        // A tower's monitor and CPU are bought independently of its GPU.
        let tower = d.os != "macOS" && d.dpr == 1.0 && !d.touch;
        let screen = if tower {
            *rng.weighted(&[
                ((1920u32, 1080u32), 45.0),
                ((2560, 1440), 18.0),
                ((1680, 1050), 5.0),
                ((1600, 900), 5.0),
                ((1280, 1024), 4.0),
                ((3440, 1440), 4.0),
                ((1920, 1200), 6.0),
                ((3840, 2160), 3.0),
                ((1366, 768), 6.0),
                ((2560, 1080), 4.0),
            ])
            .unwrap_or(&d.screen)
        } else {
            d.screen
        };
        let cores = if tower {
            *rng.weighted(&[(4u32, 10.0), (6, 15.0), (8, 25.0), (12, 20.0), (16, 18.0), (20, 6.0), (24, 6.0)])
                .unwrap_or(&d.cores)
        } else {
            d.cores
        };
        let driver = *rng
            .weighted(&[
                (0u32, 30.0),
                (1, 20.0),
                (2, 14.0),
                (3, 10.0),
                (4, 8.0),
                (5, 6.0),
                (6, 5.0),
                (7, 4.0),
                (8, 3.0),
            ])
            .unwrap_or(&0);
        let avail_taskbar = match d.os {
            "Windows" => *rng.pick(&[40u32, 48, 40, 30]).unwrap_or(&40),
            "macOS" => *rng.pick(&[25u32, 95, 25, 33]).unwrap_or(&25),
            _ => 27,
        };
        let window = if rng.chance(0.6) {
            (screen.0, screen.1 - avail_taskbar)
        } else {
            ((screen.0 as f64 * rng.range_f64(0.55, 0.95)) as u32, (screen.1 as f64 * rng.range_f64(0.6, 0.9)) as u32)
        };
        WebProfile {
            os: d.os,
            os_version,
            browser,
            browser_major,
            model: None,
            screen,
            avail_taskbar,
            color_depth: if d.os == "macOS" { 30 } else { 24 },
            dpr: d.dpr,
            zoom: 1.0,
            cores,
            memory: d.memory,
            touch_points: if d.touch { 10 } else { 0 },
            gpu_vendor: d.gpu_vendor.to_owned(),
            gpu: d.gpu.to_owned(),
            fonts: FONTS.iter().copied().filter(|f| fonts.contains(f)).collect(),
            render_epoch: 0,
            country: locale.country,
            timezone: zone,
            languages,
            keyboard: locale.keyboard,
            media: (rng.below(3) as u32, 1 + rng.below(2) as u32, rng.below(2) as u32),
            fpid: rng.hex(16),
            fpid_source: "new",
            private: false,
            noise: browser == Browser::Chrome && rng.chance(0.03),
            window,
            driver,
        }
    }

    pub fn random_phone(rng: &mut SplitMix64, now_ms: i64) -> Self {
        let weights: Vec<(usize, f64)> = PHONES.iter().enumerate().map(|(i, p)| (i, p.share)).collect();
        let p = PHONES[rng.weighted(&weights).copied().unwrap_or(0)];
        let (browser, os_version, major) = if p.os == "iOS" {
            let (maj, min) = apple_version(rng, now_ms);
            (Browser::Safari, format!("{maj}.{min}"), maj)
        } else {
            let b = if p.manufacturer == "samsung" && rng.chance(0.3) { Browser::Samsung } else { Browser::Chrome };
            let v = *rng.weighted(&[(14u32, 0.5), (13, 0.3), (12, 0.15), (11, 0.05)]).unwrap_or(&14);
            (b, v.to_string(), lagged_major(rng, b, now_ms))
        };
        let locale = pick_locale(rng);
        let (zone, languages) = locale_choice(rng, locale);
        let fonts: Vec<&'static str> = if p.os == "iOS" {
            vec![
                "Arial",
                "Courier New",
                "Georgia",
                "Helvetica",
                "Helvetica Neue",
                "Times New Roman",
                "Trebuchet MS",
                "Verdana",
                "Menlo",
                "Futura",
                "Avenir",
                "Avenir Next",
                "Gill Sans",
                "Optima",
                "Apple Color Emoji",
                "Hiragino Sans",
                "PingFang SC",
            ]
        } else {
            vec!["Roboto", "Noto Sans", "Noto Color Emoji"]
        };
        WebProfile {
            os: p.os,
            os_version,
            browser,
            browser_major: major,
            model: (p.os == "Android").then_some(p.model),
            screen: p.screen,
            avail_taskbar: 0,
            color_depth: 24,
            dpr: p.dpr,
            zoom: 1.0,
            cores: p.cores,
            memory: f64::from(p.memory_gib.min(8)),
            touch_points: 5,
            gpu_vendor: if p.os == "iOS" { "Apple Inc.".to_owned() } else { "Qualcomm".to_owned() },
            gpu: p.gpu.to_owned(),
            fonts: FONTS.iter().copied().filter(|f| fonts.contains(f)).collect(),
            render_epoch: 0,
            country: locale.country,
            timezone: zone,
            languages,
            keyboard: locale.keyboard,
            media: (1, 1, 2),
            fpid: rng.hex(16),
            fpid_source: "new",
            private: false,
            noise: false,
            window: (p.screen.0, p.screen.1 - 110),
            driver: 0,
        }
    }

    pub fn desktop(&self) -> bool {
        !matches!(self.os, "iOS" | "Android")
    }

    pub fn user_agent(&self) -> String {
        let m = self.browser_major;
        match (self.os, self.browser) {
            ("iOS", _) => {
                let v = self.os_version.replace('.', "_");
                format!(
                    "Mozilla/5.0 (iPhone; CPU iPhone OS {v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{} Mobile/15E148 Safari/604.1",
                    self.os_version
                )
            }
            ("Android", Browser::Samsung) => format!(
                "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/{m}.0.0.0 Mobile Safari/537.36"
            ),
            ("Android", _) => format!(
                "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{m}.0.0.0 Mobile Safari/537.36"
            ),
            ("macOS", Browser::Safari) => format!(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{m}.{} Safari/605.1.15",
                self.os_version.split('.').nth(1).unwrap_or("0")
            ),
            ("macOS", Browser::Firefox) => {
                format!("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{m}.0) Gecko/20100101 Firefox/{m}.0")
            }
            ("macOS", _) => format!(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{m}.0.0.0 Safari/537.36{}",
                self.edge_suffix()
            ),
            ("Windows", Browser::Firefox) => {
                format!("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{m}.0) Gecko/20100101 Firefox/{m}.0")
            }
            ("Windows", _) => format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{m}.0.0.0 Safari/537.36{}",
                self.edge_suffix()
            ),
            (_, Browser::Firefox) => format!("Mozilla/5.0 (X11; Linux x86_64; rv:{m}.0) Gecko/20100101 Firefox/{m}.0"),
            _ => format!(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{m}.0.0.0 Safari/537.36"
            ),
        }
    }

    fn edge_suffix(&self) -> String {
        if self.browser == Browser::Edge { format!(" Edg/{}.0.2210.91", self.browser_major) } else { String::new() }
    }

    fn engine(&self) -> &'static str {
        match (self.os, self.browser) {
            ("iOS", _) | (_, Browser::Safari) => "WebKit",
            (_, Browser::Firefox) => "Gecko",
            _ => "Blink",
        }
    }

    fn nav_platform(&self) -> &'static str {
        match self.os {
            "Windows" => "Win32",
            "macOS" => "MacIntel",
            "iOS" => "iPhone",
            "Android" => "Linux armv81",
            _ => "Linux x86_64",
        }
    }

    /// The WebGL renderer string as this browser exposes it.
    pub fn renderer(&self) -> String {
        match (self.os, self.engine()) {
            ("iOS", _) | ("macOS", "WebKit") => "Apple GPU".to_owned(),
            ("Android", _) => self.gpu.clone(),
            ("macOS", "Gecko") => self.gpu.clone(),
            ("macOS", _) if self.gpu_vendor == "Apple" => {
                format!("ANGLE (Apple, ANGLE Metal Renderer: {}, Unspecified Version)", self.gpu)
            }
            ("macOS", _) => format!("ANGLE (Intel Inc., {}, OpenGL 4.1)", self.gpu),
            ("Windows", "Gecko") => format!("ANGLE ({}, {} Direct3D11 vs_5_0 ps_5_0)", self.gpu_vendor, self.gpu),
            ("Windows", _) => format!(
                "ANGLE ({}, {} (0x0000{:04X}) Direct3D11 vs_5_0 ps_5_0, D3D11)",
                self.gpu_vendor,
                self.gpu,
                self.gpu.len() * 97 % 0xFFFF
            ),
            _ => self.gpu.clone(),
        }
    }

    fn os_major(&self) -> &str {
        self.os_version.split('.').next().unwrap_or("")
    }

    /// Renders one session's plaintext.
    pub fn render(
        &self,
        rng: &mut SplitMix64,
        now_ms: i64,
        session_id: &str,
        behavior: Option<Value>,
    ) -> DevicePayload {
        let ua = self.user_agent();
        let engine = self.engine();
        let desktop = self.desktop();
        let mut signals = Map::new();
        let mut put = |name: &str, value: Value| {
            signals.insert(name.to_owned(), json!({"value": value, "duration_ms": 0.4, "error": null}));
        };
        let stable_put = |signals: &mut Map<String, Value>, name: &str, value: Value, stable: bool| {
            signals
                .insert(name.to_owned(), json!({"value": value, "duration_ms": 3.1, "error": null, "stable": stable}));
        };
        put("user_agent", json!(ua));
        put(
            "platform",
            json!({"platform": self.nav_platform(), "vendor": match engine { "Blink" => "Google Inc.", "WebKit" => "Apple Computer, Inc.", _ => "" },
                   "product_sub": if engine == "Gecko" { "20100101" } else { "20030107" },
                   "oscpu": if engine == "Gecko" { Value::String(if self.os == "Windows" { "Windows NT 10.0; Win64; x64".into() } else { "Intel Mac OS X 10.15".into() }) } else { Value::Null },
                   "app_version": ua.trim_start_matches("Mozilla/")}),
        );
        let primary = self.languages.first().cloned().unwrap_or_else(|| "en-US".to_owned());
        put("languages", json!({"language": primary, "languages": self.languages}));
        let (jan, jul) = zone_offsets(self.timezone);
        let month = month_of(now_ms);
        let offset = if (4..=9).contains(&month) { jul } else { jan };
        put(
            "timezone",
            json!({"timezone": self.timezone, "offset_minutes": offset, "offset_january": jan, "offset_july": jul,
                   "locale": primary, "calendar": "gregory", "numbering_system": "latn"}),
        );
        let (w, h) = self.screen;
        let portrait = !desktop;
        put(
            "screen",
            json!({"width": w, "height": h, "avail_width": w, "avail_height": h - self.avail_taskbar, "avail_left": 0, "avail_top": 0,
                   "color_depth": self.color_depth, "pixel_depth": self.color_depth,
                   "orientation": if portrait { "portrait-primary" } else { "landscape-primary" }}),
        );
        let (ow, oh) = self.window;
        let chrome_h = if desktop { 85 + rng.below(40) as u32 } else { 0 };
        put(
            "window",
            json!({"inner_width": (f64::from(ow) / self.zoom).round(), "inner_height": (f64::from(oh.saturating_sub(chrome_h)) / self.zoom).round(),
                   "outer_width": ow, "outer_height": oh, "screen_x": 0, "screen_y": 0, "is_top": true}),
        );
        put(
            "device_pixel_ratio",
            json!(((self.dpr * if desktop { self.zoom } else { 1.0 }) * 1000.0).round() / 1000.0),
        );
        put("hardware_concurrency", json!(self.cores));
        if self.browser.chromium() {
            put("device_memory", json!(self.memory));
        } else {
            put("device_memory", Value::Null);
        }
        put(
            "touch",
            json!({"max_touch_points": self.touch_points, "touch_event": self.touch_points > 0, "touch_event_create": self.touch_points > 0}),
        );
        put(
            "media_queries",
            json!({"color_scheme": "light", "reduced_motion": false, "reduced_transparency": false, "contrast": "no-preference", "forced_colors": false,
                   "inverted_colors": false, "color_gamut": if self.os == "macOS" || self.os == "iOS" { "p3" } else { "srgb" }, "dynamic_range_high": false,
                   "pointer": if desktop { "fine" } else { "coarse" }, "any_pointer": if desktop { "fine" } else { "coarse" }, "hover": desktop, "monochrome": false}),
        );
        put(
            "engine",
            json!({"eval_length": if engine == "Blink" { 33 } else { 37 }, "window_chrome": engine == "Blink", "window_safari": self.os == "macOS" && engine == "WebKit",
                   "apple_pay": engine == "WebKit", "install_trigger": false, "moz_appearance": engine == "Gecko", "webkit_temporary_storage": engine == "Blink",
                   "brave": false, "shared_array_buffer": false, "error_stack_style": if engine == "Blink" { "v8" } else { "gecko_webkit" }}),
        );
        let noisy = self.noise || (self.private && engine == "WebKit");
        let epoch = self.render_epoch;
        let canvas = if noisy {
            rng.hex(8)
        } else {
            h16(&format!("canvas|{}|{}|{}|{}|{}|{epoch}", self.os, self.os_major(), self.gpu, engine, self.driver))
        };
        stable_put(&mut signals, "canvas", json!({"hash": canvas, "winding": true}), !noisy);
        let mut put = |name: &str, value: Value| {
            signals.insert(name.to_owned(), json!({"value": value, "duration_ms": 0.4, "error": null}));
        };
        let renderer = self.renderer();
        let (vendor, masked) = match engine {
            "Gecko" => ("Mozilla", "Mozilla"),
            _ => ("WebKit", "WebKit WebGL"),
        };
        put(
            "webgl",
            json!({"version": "WebGL 1.0", "shading_language_version": "WebGL GLSL ES 1.0", "vendor": vendor, "renderer": masked,
                   "unmasked_vendor": if engine == "Blink" { format!("Google Inc. ({})", self.gpu_vendor) } else { self.gpu_vendor.clone() },
                   "unmasked_renderer": renderer, "extension_count": 30 + self.gpu.len() % 10,
                   "extensions_hash": h16(&format!("ext|{}|{engine}|{}|{epoch}", self.gpu, self.browser_major / 12)),
                   "parameters_hash": h16(&format!("par|{}|{engine}|{}", self.gpu, self.driver / 3)), "antialias": true, "webgl2": true}),
        );
        let audio = if noisy { rng.hex(8) } else { h16(&format!("audio|{}|{engine}|{}", self.os, epoch / 2)) };
        let fonts_hash = h16(&self.fonts.join(","));
        let math = h16(&format!("math|{engine}|{}", if self.desktop() { self.os } else { "mobile" }));
        let pdf = desktop;
        let plugin_names: Vec<&str> = if pdf {
            vec![
                "PDF Viewer",
                "Chrome PDF Viewer",
                "Chromium PDF Viewer",
                "Microsoft Edge PDF Viewer",
                "WebKit built-in PDF",
            ]
        } else {
            vec![]
        };
        let automation_tells: Vec<&str> = vec![];
        let webrtc_host = format!("{}-{}-4{}.local", rng.hex(4), rng.hex(2), rng.hex(3));
        let quota: f64 = if self.private { 120_000_000.0 } else { 60_000_000_000.0 };
        let heap: Option<f64> = self.browser.chromium().then_some(4_294_705_152.0);
        let private_reasons: Vec<&str> = if self.private {
            if self.browser.chromium() { vec!["low_quota"] } else { vec!["no_opfs"] }
        } else {
            vec![]
        };
        let mut signals2 = signals;
        stable_put(&mut signals2, "audio", json!({"hash": audio, "sum": 124.04347527516074}), !noisy);
        stable_put(
            &mut signals2,
            "fonts",
            json!({"count": self.fonts.len(), "hash": fonts_hash, "list": self.fonts}),
            true,
        );
        let mut put = |name: &str, value: Value| {
            signals2.insert(name.to_owned(), json!({"value": value, "duration_ms": 0.4, "error": null}));
        };
        put("math", json!({"hash": math}));
        put(
            "plugins",
            json!({"count": plugin_names.len(), "names": plugin_names, "hash": h16(&plugin_names.join(",")), "mime_types_count": if pdf { 2 } else { 0 },
                   "mime_types_hash": h16(if pdf { "application/pdf,text/pdf" } else { "" }), "pdf_viewer_enabled": pdf}),
        );
        put(
            "media_devices",
            json!({"audioinput": self.media.0, "audiooutput": self.media.1, "videoinput": self.media.2}),
        );
        put(
            "permissions",
            json!({"geolocation": "prompt", "notifications": "prompt", "camera": "prompt", "microphone": "prompt", "persistent_storage": "prompt",
                   "clipboard_read": if engine == "Blink" { Value::from("prompt") } else { Value::Null }, "midi": "prompt", "notification_api": "default"}),
        );
        put(
            "storage",
            json!({"cookies": true, "local_storage": true, "session_storage": true, "indexed_db": true, "open_database": false, "cache_storage": true}),
        );
        put("first_party_id", json!({"id": self.fpid, "source": self.fpid_source}));
        put(
            "private_mode",
            json!({"quota_bytes": quota, "heap_limit_bytes": heap, "opfs": !self.private || self.browser.chromium(), "indexed_db": true,
                   "likely_private": self.private, "reasons": private_reasons}),
        );
        put(
            "automation",
            json!({"webdriver": false, "globals": [], "software_renderer": false, "renderer": self.renderer(), "tells": automation_tells}),
        );
        put("tampering", json!({"non_native": [], "shadowed": [], "mismatches": [], "tells": []}));
        put(
            "worker",
            json!({"user_agent": ua, "platform": self.nav_platform(), "hardware_concurrency": self.cores, "languages": self.languages, "mismatches": []}),
        );
        put("webrtc", json!({"candidate_count": 1, "addresses": [webrtc_host], "mdns": true, "types": {"host": 1}}));
        put("do_not_track", json!({"do_not_track": null, "global_privacy_control": null}));
        put(
            "document",
            json!({"has_focus": true, "visibility_state": "visible", "history_length": 1 + rng.below(5), "frame_depth": 0}),
        );
        let mut payload_signals: std::collections::BTreeMap<String, Value> = signals2.into_iter().collect();
        let unsupported = |m: &mut std::collections::BTreeMap<String, Value>, name: &str| {
            m.insert(name.to_owned(), json!({"value": null, "duration_ms": 0.01, "error": "unsupported"}));
        };
        if self.browser.chromium() {
            let cv = [
                ("Not_A Brand", "8".to_owned()),
                ("Chromium", self.browser_major.to_string()),
                (self.brand(), self.browser_major.to_string()),
            ];
            let brands: Vec<Value> = cv.iter().map(|(b, v)| json!({"brand": b, "version": v})).collect();
            let full: Vec<Value> =
                cv.iter().map(|(b, v)| json!({"brand": b, "version": format!("{v}.0.6099.130")})).collect();
            let (hp, pv) = match self.os {
                "Windows" => ("Windows", if self.os_version == "11" { "15.0.0" } else { "10.0.0" }.to_owned()),
                "macOS" => ("macOS", format!("{}.0", self.os_version)),
                "Android" => ("Android", format!("{}.0.0", self.os_version)),
                _ => ("Linux", "6.1.0".to_owned()),
            };
            payload_signals.insert(
                "client_hints".into(),
                json!({"value": {"brands": brands, "mobile": !desktop, "platform": hp, "architecture": if desktop { "x86" } else { "" }, "bitness": "64",
                                 "model": self.model.unwrap_or(""), "platform_version": pv, "full_version_list": full, "wow64": false,
                                 "form_factors": [if desktop { "Desktop" } else { "Mobile" }]},
                       "duration_ms": 1.2, "error": null}),
            );
            payload_signals.insert(
                "network".into(),
                json!({"value": {"effective_type": "4g", "type": null, "rtt": 50, "downlink": 10, "save_data": false}, "duration_ms": 0.1, "error": null}),
            );
            payload_signals.insert(
                "battery".into(),
                json!({"value": {"charging": rng.chance(0.5), "level": (rng.range_f64(0.2, 1.0) * 100.0).round() / 100.0, "charging_time": null, "discharging_time": null},
                       "duration_ms": 0.3, "error": null}),
            );
            if desktop {
                let keys = match self.keyboard {
                    "qwertz" => json!({"KeyQ": "q", "KeyW": "w", "KeyY": "z", "KeyZ": "y"}),
                    "azerty" => json!({"KeyQ": "a", "KeyW": "z", "KeyY": "y", "KeyZ": "w"}),
                    _ => json!({"KeyQ": "q", "KeyW": "w", "KeyY": "y", "KeyZ": "z"}),
                };
                payload_signals.insert(
                    "keyboard_layout".into(),
                    json!({"value": {"layout": self.keyboard, "hash": h16(&format!("kb|{}|{}", self.keyboard, self.country)), "size": 48, "keys": keys},
                           "duration_ms": 0.8, "error": null}),
                );
            } else {
                unsupported(&mut payload_signals, "keyboard_layout");
            }
        } else {
            for name in ["client_hints", "network", "battery", "keyboard_layout"] {
                unsupported(&mut payload_signals, name);
            }
        }
        payload_signals.insert(
            "geolocation".into(),
            json!({"value": null, "duration_ms": 0.01, "error": null, "skipped": "disabled"}),
        );
        DevicePayload {
            v: PLAINTEXT_VERSION,
            payload_id: rng.hex(16),
            collected_at: now_ms,
            session_id: session_id.to_owned(),
            platform: Platform::Web,
            sdk_version: "1.0.0".to_owned(),
            signals: payload_signals,
            behavior,
            context: Some(
                json!({"window_location": "https://app.example.com/signup", "referrer": "https://www.example.com/", "region": null, "tenant": null, "agent_duration_ms": 2.4}),
            ),
        }
    }

    fn brand(&self) -> &'static str {
        match self.browser {
            Browser::Edge => "Microsoft Edge",
            Browser::Samsung => "Samsung Internet",
            _ => "Google Chrome",
        }
    }

    /// `Accept-Language` as this browser sends it.
    pub fn accept_language(&self) -> String {
        self.languages
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { l.clone() } else { format!("{l};q=0.{}", 9usize.saturating_sub(i)) })
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn lagged_major(rng: &mut SplitMix64, browser: Browser, now_ms: i64) -> u32 {
    let lag = *rng.weighted(&[(0u32, 0.7), (1, 0.2), (2, 0.05), (3, 0.03), (6, 0.02)]).unwrap_or(&0);
    current_major(browser, now_ms).saturating_sub(lag)
}

fn pick_locale(rng: &mut SplitMix64) -> &'static catalog::Locale {
    let weights: Vec<(usize, f64)> = LOCALES.iter().enumerate().map(|(i, l)| (i, l.share)).collect();
    &LOCALES[rng.weighted(&weights).copied().unwrap_or(0)]
}

/// A zone and a language list for someone living in `locale`; a few are
/// expats with another country's languages.
fn locale_choice(rng: &mut SplitMix64, locale: &catalog::Locale) -> (&'static str, Vec<String>) {
    let zone = rng.pick(locale.zones).copied().unwrap_or("UTC");
    let source = if rng.chance(0.06) { pick_locale(rng) } else { locale };
    let weights: Vec<(usize, f64)> = (0..source.languages.len()).map(|i| (i, 1.0 / (1.0 + i as f64 * 0.8))).collect();
    let list = source.languages[rng.weighted(&weights).copied().unwrap_or(0)];
    (zone, list.iter().map(|s| (*s).to_owned()).collect())
}

/// Human-looking web behaviour features.
pub fn human_behaviour(rng: &mut SplitMix64, desktop: bool) -> Value {
    let keys = 20 + rng.below(60);
    json!({
        "targets": 1, "keystrokes": keys,
        "dwell_mean_ms": rng.normal(100.0, 12.0).max(55.0), "dwell_std_ms": rng.normal(30.0, 6.0).max(12.0),
        "flight_mean_ms": rng.normal(210.0, 40.0).max(90.0), "flight_std_ms": rng.normal(110.0, 25.0).max(40.0),
        "backspaces": rng.below(6), "pastes": 0, "pasted_fields": 0,
        "autofills": if rng.chance(0.2) { 2 } else { 0 }, "autofilled_fields": 0,
        "mouse_moves": if desktop { 150 + rng.below(400) } else { 0 },
        "mouse_speed_px_ms": if desktop { Value::from(rng.range_f64(0.4, 1.6)) } else { Value::Null },
        "mouse_straightness": if desktop { Value::from(rng.range_f64(0.6, 0.9)) } else { Value::Null },
        "clicks": 3 + rng.below(5), "touches": if desktop { 0 } else { 6 + rng.below(10) },
        "focus_changes": 6 + rng.below(6), "window_blurs": rng.below(2), "visibility_changes": 0, "untrusted_events": 0,
        "form_fill_duration_ms": rng.range_f64(15_000.0, 90_000.0).round(), "init_to_session_ms": rng.range_f64(20_000.0, 120_000.0).round(),
    })
}

/// Scripted input: uniform key timings, ruler-straight pointer, instant form.
pub fn bot_behaviour(rng: &mut SplitMix64) -> Value {
    json!({
        "targets": 1, "keystrokes": 32, "dwell_mean_ms": 1.2, "dwell_std_ms": 0.3, "flight_mean_ms": 4.0, "flight_std_ms": 0.8,
        "backspaces": 0, "pastes": 0, "pasted_fields": 0, "autofills": 0, "autofilled_fields": 0,
        "mouse_moves": 12, "mouse_speed_px_ms": 14.0 + rng.next_f64(), "mouse_straightness": 1.0, "clicks": 2, "touches": 0,
        "focus_changes": 4, "window_blurs": 0, "visibility_changes": 0, "untrusted_events": 6,
        "form_fill_duration_ms": 640.0, "init_to_session_ms": 900.0,
    })
}
