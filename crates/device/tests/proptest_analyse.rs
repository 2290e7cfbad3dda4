//! `analyse`, `fingerprint` and `link` never panic, whatever the payload
//! holds: signals, behaviour and context are attacker-controlled JSON.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use sightline_device::{
    AnalysisInput, DeviceHistory, GeoPoint, KnownDevice, LastSeen, LinkConfig, analyse, fingerprint, link,
};
use sightline_payload::{DevicePayload, Platform};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-zA-Z0-9 ._:/-]{0,24}".prop_map(Value::String),
        prop::sample::select(vec![
            "new",
            "both",
            "mismatch",
            "connected",
            "enabled",
            "in_call",
            "v8",
            "Europe/Berlin",
            "UTC",
            "203.0.113.7",
            "ANGLE (VMware)",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) Version/17.2 Safari/604.1"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "value",
        "error",
        "stable",
        "hash",
        "tells",
        "timezone",
        "offset_minutes",
        "offset_january",
        "offset_july",
        "languages",
        "width",
        "height",
        "unmasked_renderer",
        "addresses",
        "id",
        "source",
        "keystrokes",
        "dwell_mean_ms",
        "mouse_moves",
        "latitude",
        "longitude",
        "is_rooted",
        "fingerprint",
        "model",
        "brands",
        "platform",
        "mismatches",
        "non_native",
        "touches",
        "is_on_call",
        "mode",
    ])
    .prop_map(str::to_owned)
}

fn signal_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "user_agent",
        "client_hints",
        "platform",
        "languages",
        "timezone",
        "screen",
        "window",
        "device_pixel_ratio",
        "hardware_concurrency",
        "touch",
        "engine",
        "canvas",
        "webgl",
        "audio",
        "fonts",
        "automation",
        "tampering",
        "worker",
        "webrtc",
        "first_party_id",
        "private_mode",
        "geolocation",
        "storage",
        "plugins",
        "build",
        "security",
        "system",
        "network",
        "telephony",
        "ids",
        "device",
        "hardware",
        "location",
        "battery",
        "audio",
        "keyboard_layout",
        "document",
    ])
    .prop_map(str::to_owned)
}

fn payload() -> impl Strategy<Value = DevicePayload> {
    (
        prop::sample::select(Platform::ALL.to_vec()),
        prop::collection::btree_map(signal_name(), json_value(), 0..12),
        proptest::option::of(json_value()),
        proptest::option::of(json_value()),
        any::<i64>(),
    )
        .prop_map(|(platform, signals, behavior, context, collected_at)| DevicePayload {
            v: 1,
            payload_id: "0".repeat(32),
            collected_at,
            session_id: "s".into(),
            platform,
            sdk_version: "1.0.0".into(),
            signals: signals
                .into_iter()
                .map(|(k, v)| (k, json!({"value": v, "error": null})))
                .collect::<BTreeMap<_, _>>(),
            behavior,
            context,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn analyse_never_panics(p in payload(), now in any::<i64>(), lat in -1000.0f64..1000.0, country in "[A-Z]{2}") {
        let mut input = AnalysisInput::new(&p, now);
        input.request.ip = Some("203.0.113.9".into());
        input.request.ip_country = Some(country.clone());
        input.request.user_agent = Some("Mozilla/5.0".into());
        input.request.accept_language = Some("de-DE,de;q=0.9".into());
        input.history = DeviceHistory {
            persons_on_device_24h: Some(9),
            persons_on_device_30d: Some(0),
            is_new_device_for_person: Some(false),
            person_device_first_seen_ms: Some(i64::MIN),
            last_seen: Some(LastSeen { at_ms: now.wrapping_sub(1), ip_country: Some(country), geo: Some(GeoPoint { latitude: lat, longitude: lat, accuracy_m: None }) }),
            ..DeviceHistory::default()
        };
        let a = analyse(&input);
        prop_assert!(a.device_risk.value <= 100 && a.identity_correlation.value <= 100);
        prop_assert!(a.device_details.is_object());
        let k = KnownDevice::from_fingerprint("k", &fingerprint(&p), 0);
        let _ = link(&a.fingerprint, now, &[k], &LinkConfig::default());
    }

    #[test]
    fn raw_signal_shapes_never_panic(p in payload(), raw in json_value()) {
        let mut p = p;
        // Entries that are not even `{value, error}` objects.
        p.signals.insert("screen".into(), raw.clone());
        p.signals.insert("user_agent".into(), json!({"value": raw, "error": raw}));
        let a = analyse(&AnalysisInput::new(&p, 0));
        prop_assert!(a.device_details.is_object());
    }
}
