//! Lenient, typed reads over the raw signal map. Every accessor returns
//! `None` for anything missing, errored or of the wrong JSON type, because a
//! payload is attacker-controlled: a wrong type is treated as "not collected",
//! never as a reason to fail the whole analysis.

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Clone, Copy)]
pub struct Signals<'a> {
    map: &'a BTreeMap<String, Value>,
}

impl<'a> Signals<'a> {
    pub fn new(map: &'a BTreeMap<String, Value>) -> Self {
        Self { map }
    }

    /// The signal's `value` when the source reported no error.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        let entry = self.map.get(name)?;
        if entry.get("error").is_some_and(|e| !e.is_null()) {
            return None;
        }
        entry.get("value").filter(|v| !v.is_null())
    }

    /// `stable: false` means the browser injected noise: the hash changes on
    /// every read and must not be used for identity.
    pub fn stable(&self, name: &str) -> bool {
        self.map.get(name).and_then(|e| e.get("stable")).and_then(Value::as_bool).unwrap_or(true)
    }

    pub fn error(&self, name: &str) -> Option<&'a str> {
        self.map.get(name)?.get("error")?.as_str()
    }

    pub fn present(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    pub fn field(&self, name: &str, field: &str) -> Option<&'a Value> {
        self.value(name)?.get(field).filter(|v| !v.is_null())
    }

    pub fn str(&self, name: &str, field: &str) -> Option<&'a str> {
        self.field(name, field)?.as_str()
    }

    pub fn f64(&self, name: &str, field: &str) -> Option<f64> {
        self.field(name, field)?.as_f64()
    }

    pub fn bool(&self, name: &str, field: &str) -> Option<bool> {
        self.field(name, field)?.as_bool()
    }

    pub fn strs(&self, name: &str, field: &str) -> Vec<&'a str> {
        self.field(name, field).map(strs).unwrap_or_default()
    }

    /// A signal whose whole value is a scalar (`user_agent`, `device_pixel_ratio`).
    pub fn scalar_str(&self, name: &str) -> Option<&'a str> {
        self.value(name)?.as_str()
    }

    pub fn scalar_f64(&self, name: &str) -> Option<f64> {
        self.value(name)?.as_f64()
    }

    /// How many sources were sent at all, and how many of those failed;
    /// a payload that is mostly errors is itself a signal.
    pub fn counts(&self) -> (usize, usize) {
        let failed = self.map.values().filter(|e| e.get("error").is_some_and(|e| !e.is_null())).count();
        (self.map.len(), failed)
    }
}

pub fn strs(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap_or_default()
    }

    #[test]
    fn errored_and_mistyped_signals_read_as_absent() {
        let m = map(json!({
            "screen": {"value": {"width": 1920, "height": "x"}, "error": null},
            "webgl": {"value": {"renderer": "r"}, "error": "timeout"},
            "canvas": {"value": {"hash": "h"}, "error": null, "stable": false},
            "user_agent": {"value": "Mozilla", "error": null},
        }));
        let s = Signals::new(&m);
        assert_eq!(s.f64("screen", "width"), Some(1920.0));
        assert_eq!(s.f64("screen", "height"), None);
        assert!(s.value("webgl").is_none());
        assert!(!s.stable("canvas"));
        assert!(s.stable("screen"));
        assert_eq!(s.scalar_str("user_agent"), Some("Mozilla"));
        assert_eq!(s.counts(), (4, 1));
    }
}
