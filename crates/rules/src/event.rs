//! The event a decision is made on. The server assembles it from the request, the module
//! outputs, the device analysis and the counters and list matches it computed; rules see
//! each field as a top-level CEL variable of the same name (see `schema`).

use crate::lists::ListMatches;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Event {
    /// The SEON request attributes (without `config` and `custom_fields`).
    pub request: Map<String, Value>,
    /// The request's `custom_fields`.
    pub custom: Map<String, Value>,
    /// Module outputs; `None` or JSON null when the module is off or failed.
    pub ip: Option<Value>,
    pub email: Option<Value>,
    pub phone: Option<Value>,
    pub card: Option<Value>,
    pub aml: Option<Value>,
    pub device: Option<Value>,
    /// Counter name (velocity naming grammar) → value.
    pub velocity: BTreeMap<String, f64>,
    /// List name (`deny_email`, …) → hit. Names not given read as false.
    pub lists: BTreeMap<String, bool>,
    /// Evaluation time in Unix seconds. The caller passes it so that replays and backtests
    /// decide as they did at the time.
    pub now: Option<i64>,
}

impl Event {
    /// Reads an event from any JSON value, dropping parts of the wrong shape instead of
    /// failing: stored events from older versions must still replay.
    pub fn from_json(value: &Value) -> Event {
        let obj = |name: &str| value.get(name).and_then(Value::as_object).cloned();
        let module = |name: &str| value.get(name).filter(|v| v.is_object()).cloned();
        let velocity = value
            .get("velocity")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| v.as_f64().map(|n| (k.clone(), n))).collect())
            .unwrap_or_default();
        let lists = value
            .get("lists")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| v.as_bool().map(|b| (k.clone(), b))).collect())
            .unwrap_or_default();
        Event {
            request: obj("request").unwrap_or_default(),
            custom: obj("custom").unwrap_or_default(),
            ip: module("ip"),
            email: module("email"),
            phone: module("phone"),
            card: module("card"),
            aml: module("aml"),
            device: module("device"),
            velocity,
            lists,
            now: value.get("now").and_then(Value::as_i64),
        }
    }

    /// Records the list matches the server computed with [`crate::ListSet::matches`].
    pub fn set_list_matches(&mut self, matches: &ListMatches) {
        self.lists = matches.to_event_lists();
    }

    /// A module output, or `None` when it is absent or null.
    pub(crate) fn module(&self, name: &str) -> Option<&Value> {
        let v = match name {
            "ip" => self.ip.as_ref(),
            "email" => self.email.as_ref(),
            "phone" => self.phone.as_ref(),
            "card" => self.card.as_ref(),
            "aml" => self.aml.as_ref(),
            "device" => self.device.as_ref(),
            _ => None,
        };
        v.filter(|v| !v.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_reading_drops_wrong_shapes() {
        let e = Event::from_json(&json!({
            "request": "not an object",
            "custom": {"vip": true},
            "ip": "1.2.3.4",
            "device": {"flags": ["automation"]},
            "aml": null,
            "velocity": {"card_tx_1h": 3, "bad": "x"},
            "lists": {"deny_email": true, "allow_ip": 1},
            "now": 1_700_000_000
        }));
        assert!(e.request.is_empty());
        assert_eq!(e.custom.get("vip"), Some(&json!(true)));
        assert!(e.module("ip").is_none() && e.module("aml").is_none());
        assert!(e.module("device").is_some());
        assert_eq!(e.velocity.len(), 1);
        assert_eq!(e.lists.len(), 1);
        assert_eq!(e.now, Some(1_700_000_000));
        assert!(Event::from_json(&json!([1, 2])).request.is_empty());
    }

    #[test]
    fn serde_round_trip() {
        let e = Event::from_json(&json!({"request": {"ip": "1.2.3.4"}, "now": 5}));
        let back: Event = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
