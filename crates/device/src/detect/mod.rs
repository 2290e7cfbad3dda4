//! Detectors: each file reads the payload (and request/history facts) for
//! one family of evidence and raises flags, each tied to a reason code.
//! A detector that lacks its inputs stays silent: absence of evidence is
//! never turned into a finding.

mod automation;
mod behaviour;
mod history;
mod integrity;
mod locale;
mod network;
mod payload;
mod privacy;
mod software;
mod tampering;
mod vm;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sightline_payload::Platform;

use crate::codes::{self, Category};
use crate::identity::Fingerprint;
use crate::input::{AnalysisConfig, AnalysisInput};
use crate::signals::Signals;
use crate::ua::{self, UserAgent};

pub(crate) use software::browser_age_days;

/// One named finding. `name` is stable and machine-readable (the SEON
/// behaviour flags keep SEON's spelling); `code` is its reason code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub name: String,
    pub code: String,
    pub category: Category,
    /// Short human-readable evidence, e.g. "renderer: llvmpipe".
    pub evidence: String,
}

/// What the detectors read, prepared once.
pub(crate) struct Ctx<'a> {
    pub input: &'a AnalysisInput<'a>,
    pub s: Signals<'a>,
    pub behavior: Option<&'a Value>,
    pub context: Option<&'a Value>,
    pub platform: Platform,
    /// The payload's own user agent (web only).
    pub ua: Option<UserAgent>,
    pub fp: Fingerprint,
    pub cfg: &'a AnalysisConfig,
}

impl<'a> Ctx<'a> {
    pub fn new(input: &'a AnalysisInput<'a>) -> Self {
        let s = Signals::new(&input.payload.signals);
        let ua = match input.payload.platform {
            Platform::Web => s.scalar_str("user_agent").map(ua::parse),
            _ => None,
        };
        Self {
            input,
            s,
            behavior: input.payload.behavior.as_ref().filter(|b| b.is_object()),
            context: input.payload.context.as_ref().filter(|c| c.is_object()),
            platform: input.payload.platform,
            ua,
            fp: crate::identity::fingerprint(input.payload),
            cfg: &input.config,
        }
    }

    pub fn web(&self) -> bool {
        self.platform == Platform::Web
    }

    pub fn behaviour_f64(&self, key: &str) -> Option<f64> {
        self.behavior?.get(key)?.as_f64().filter(|x| x.is_finite())
    }

    pub fn ip_country(&self) -> Option<&str> {
        self.input.request.ip_country.as_deref().map(str::trim).filter(|c| c.len() == 2)
    }
}

/// Accumulates flags and informational codes in detection order.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub flags: Vec<Flag>,
    /// Code → evidence lines, for risk and informational codes alike.
    pub codes: BTreeMap<&'static str, Vec<String>>,
}

impl Findings {
    /// A risk (or SEON-style) finding with a flag name.
    pub fn raise(&mut self, name: &str, code: &'static str, evidence: impl Into<String>) {
        let Some(info) = codes::info(code) else {
            debug_assert!(false, "unknown reason code {code}");
            return;
        };
        if self.flags.iter().any(|f| f.name == name) {
            return;
        }
        let evidence = evidence.into();
        self.codes.entry(code).or_default().push(evidence.clone());
        self.flags.push(Flag { name: name.to_owned(), code: code.to_owned(), category: info.category, evidence });
    }

    /// An informational code without a flag.
    pub fn note(&mut self, code: &'static str, evidence: impl Into<String>) {
        debug_assert!(codes::info(code).is_some(), "unknown reason code {code}");
        self.codes.entry(code).or_default().push(evidence.into());
    }

    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f.name == name)
    }

    #[cfg(test)]
    pub fn has_code(&self, code: &str) -> bool {
        self.codes.contains_key(code)
    }
}

/// Runs every detector.
pub(crate) fn run(ctx: &Ctx) -> Findings {
    let mut f = Findings::default();
    payload::detect(ctx, &mut f);
    automation::detect(ctx, &mut f);
    tampering::detect(ctx, &mut f);
    privacy::detect(ctx, &mut f);
    vm::detect(ctx, &mut f);
    network::detect(ctx, &mut f);
    locale::detect(ctx, &mut f);
    software::detect(ctx, &mut f);
    integrity::detect(ctx, &mut f);
    behaviour::detect(ctx, &mut f);
    history::detect(ctx, &mut f);
    f
}

/// SEON's `suspicious_flags` vocabulary: behaviour flags on the web, the
/// mobile SDK's behaviour flags on Android and iOS.
pub const SUSPICIOUS_FLAGS: [&str; 11] = [
    "suspicious_keypress_characteristics",
    "suspicious_mouse_movement",
    "suspicious_form_fillout",
    "paste_used",
    "autofill_used",
    "potential_remote_interaction",
    "potential_remote_control",
    "possible_automation",
    "possible_device_farm",
    "possible_vishing",
    "possible_ongoing_call",
];

#[cfg(test)]
pub(crate) mod testing {
    //! Builders for detector tests.
    use serde_json::{Value, json};
    use sightline_payload::{DevicePayload, Platform};

    use super::{Ctx, Findings, run};
    use crate::input::AnalysisInput;

    pub fn payload(platform: Platform, signals: Value) -> DevicePayload {
        let mut map = std::collections::BTreeMap::new();
        if let Value::Object(o) = signals {
            for (k, v) in o {
                map.insert(k, json!({"value": v, "duration_ms": 1.0, "error": null}));
            }
        }
        DevicePayload {
            v: 1,
            payload_id: "0".repeat(32),
            collected_at: 1_700_000_000_000,
            session_id: "s".to_owned(),
            platform,
            sdk_version: "1.0.0".to_owned(),
            signals: map,
            behavior: None,
            context: None,
        }
    }

    pub fn findings(input: &AnalysisInput) -> Findings {
        run(&Ctx::new(input))
    }

    pub fn flags_of(input: &AnalysisInput) -> Vec<String> {
        findings(input).flags.into_iter().map(|f| f.name).collect()
    }

    pub const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    pub const SAFARI_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
}
