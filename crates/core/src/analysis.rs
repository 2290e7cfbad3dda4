//! A first reading of a device payload: the flags that matter for vetting and protected
//! actions today. The device-intelligence crate will replace this with full analysis
//! (identity, linking, detectors); the contract — flags, reasons, a 0–100 risk — stays.

use crate::activity::Reason;
use serde_json::Value;

/// Automation tells strong enough on their own; weaker ones (e.g. no plugins) only count
/// together with another.
const STRONG_AUTOMATION_TELLS: [&str; 4] = ["webdriver", "headless_ua", "automation_globals", "software_renderer"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    pub flags: Vec<String>,
    pub reasons: Vec<Reason>,
    pub risk_score: u8,
}

impl Findings {
    fn raise(&mut self, flag: &str, code: &str, description: &str, risk: u8) {
        self.flags.push(flag.to_owned());
        self.reasons.push(Reason::new(code, description));
        self.risk_score = self.risk_score.saturating_add(risk).min(100);
    }

    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// Enough to put the person in front of a compliance analyst.
    pub fn suspicious(&self) -> bool {
        ["automation", "tampering", "replayed"].iter().any(|f| self.has(f))
    }
}

fn tells(signals: &Value, source: &str) -> Vec<String> {
    signals
        .get(source)
        .and_then(|s| s.get("value"))
        .and_then(|v| v.get("tells"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Reads the signals of an opened payload. `replayed` comes from the store's replay memory.
pub fn analyse(signals: Option<&Value>, replayed: bool) -> Findings {
    let mut findings = Findings::default();
    if replayed {
        findings.raise("replayed", "R901", "The same device_data payload was already submitted", 50);
    }
    let Some(signals) = signals else { return findings };
    let automation = tells(signals, "automation");
    let strong = automation.iter().filter(|t| STRONG_AUTOMATION_TELLS.contains(&t.as_str())).count();
    if strong >= 1 || automation.len() >= 2 {
        findings.raise("automation", "R910", "The browser shows signs of automation or a headless engine", 60);
    }
    if !tells(signals, "tampering").is_empty() {
        findings.raise("tampering", "R920", "Browser APIs were modified to misreport device attributes", 40);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headless_automation_is_suspicious() {
        let signals = json!({"automation": {"value": {"tells": ["webdriver", "headless_ua"]}}});
        let f = analyse(Some(&signals), false);
        assert!(f.has("automation") && f.suspicious());
        assert_eq!(f.risk_score, 60);
    }

    #[test]
    fn one_weak_tell_is_not_enough() {
        let signals =
            json!({"automation": {"value": {"tells": ["no_plugins"]}}, "tampering": {"value": {"tells": []}}});
        assert!(!analyse(Some(&signals), false).suspicious());
    }

    #[test]
    fn replay_and_tampering_accumulate() {
        let signals = json!({"tampering": {"value": {"tells": ["non_native_functions"]}}});
        let f = analyse(Some(&signals), true);
        assert!(f.has("replayed") && f.has("tampering"));
        assert_eq!(f.risk_score, 90);
        assert!(!analyse(None, false).suspicious());
    }
}
