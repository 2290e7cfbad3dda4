//! Sealing and opening behaviour through the public API.

mod common;

use common::*;
use serde_json::json;
use sightline_payload::{
    ClearField, DevicePayload, Envelope, OpenError, OpenPolicy, Platform, SealError, Shape, open, open_envelope, seal,
};

#[test]
fn round_trip_each_platform() {
    let ring = ring(&[1]);
    for platform in Platform::ALL {
        let original = payload(platform, NOW_MS - 1000);
        let device_data = seal_raw(1, platform, &original.to_json_bytes());
        assert!(device_data.starts_with(&format!("{platform};{SDK};")));
        assert!(device_data.ends_with(&format!(";{SESSION}")));

        let opened = open(&ring, &device_data, &policy()).expect("opens");
        assert_eq!(opened.payload, original);
        assert_eq!(opened.key_id(), 1);
        assert_eq!(opened.envelope.platform(), platform);
        assert_eq!(opened.envelope.shape(), Shape::Sealed);
        assert_eq!(
            opened.payload.signal("screen"),
            Some(&json!({"value": {"w": 1920, "h": 1080}, "duration_ms": 0.4, "error": null}))
        );
    }
}

#[test]
fn sealing_is_randomised() {
    let k = key(1);
    let plaintext = payload(Platform::Web, NOW_MS).to_json_bytes();
    let params = k.seal_params(Platform::Web, SDK, SESSION);
    let a = seal(&params, &plaintext, &mut rng(1)).expect("seal");
    let b = seal(&params, &plaintext, &mut rng(2)).expect("seal");
    assert_ne!(a, b);
}

#[test]
fn rotation_two_keys_in_ring_both_open() {
    let ring = ring(&[1, 2]);
    for id in [1, 2] {
        let opened = open(&ring, &sealed(id, Platform::Android), &policy()).expect("opens");
        assert_eq!(opened.key_id(), id);
    }
}

#[test]
fn retired_key_is_unknown() {
    let mut ring = ring(&[1, 2]);
    ring.remove(1);
    let err = open(&ring, &sealed(1, Platform::Web), &policy()).expect_err("retired");
    assert_eq!(err, OpenError::UnknownKey { key_id: 1 });
    assert_eq!(err.code(), "payload_unknown_key");
}

#[test]
fn key_with_same_id_but_different_secret_fails_authentication() {
    let impostor = sightline_payload::AgentKeyPair::generate(1, &mut rng(12345));
    let ring: sightline_payload::KeyRing = [impostor].into_iter().collect();
    let err = open(&ring, &sealed(1, Platform::Web), &policy()).expect_err("wrong key");
    assert_eq!(err, OpenError::Authentication);
    assert_eq!(err.code(), "payload_tampered");
}

#[test]
fn changing_any_clear_field_breaks_authentication() {
    let ring = ring(&[1]);
    let good = sealed(1, Platform::Web);
    let other_salt = "AAAAAAAAAAAAAAAAAAAAAA==";
    let cases = [(0, "Android"), (0, "iOS"), (1, "1.2.4"), (2, other_salt), (4, "sess_01:abc.DEF-8")];
    for (index, value) in cases {
        let tampered = replace_field(&good, index, value);
        assert_eq!(open(&ring, &tampered, &policy()), Err(OpenError::Authentication), "field {index} -> {value}");
    }
}

#[test]
fn tampered_ciphertext_and_ephemeral_key_fail_authentication() {
    let ring = ring(&[1]);
    let good = sealed(1, Platform::Web);
    let envelope = Envelope::parse(&good).expect("parses");
    let b64 = |bytes: &[u8]| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    for index in [4, 5, 40, 68, 69, 80, envelope.sealed_bytes().len() - 1] {
        let mut bytes = envelope.sealed_bytes().to_vec();
        bytes[index] ^= 0x01;
        let tampered = replace_field(&good, 3, &b64(&bytes));
        assert_eq!(open(&ring, &tampered, &policy()), Err(OpenError::Authentication), "byte {index}");
    }
    // Swapping in a valid point that is not the sender's.
    let mut bytes = envelope.sealed_bytes().to_vec();
    bytes[4..69].copy_from_slice(&key(77).public_key_sec1());
    let swapped = replace_field(&good, 3, &b64(&bytes));
    assert_eq!(open(&ring, &swapped, &policy()), Err(OpenError::Authentication));
}

#[test]
fn truncated_blob_is_reported_before_crypto() {
    let good = sealed(1, Platform::Web);
    let short = replace_field(&good, 3, "AAAAAAAA");
    let err = open(&ring(&[1]), &short, &policy()).expect_err("short");
    assert!(matches!(err, OpenError::Truncated { len: 6, .. }), "{err:?}");
    assert_eq!(err.code(), "payload_truncated");
}

#[test]
fn time_window() {
    let ring = ring(&[1]);
    let at = |collected_at: i64| {
        let device_data = seal_raw(1, Platform::Web, &payload(Platform::Web, collected_at).to_json_bytes());
        open(&ring, &device_data, &policy())
    };
    let max_age = i64::try_from(policy().max_age_ms).expect("fits");
    let skew = i64::try_from(policy().max_future_skew_ms).expect("fits");

    assert!(at(NOW_MS).is_ok());
    assert!(at(NOW_MS - max_age).is_ok());
    assert!(at(NOW_MS + skew).is_ok());
    assert_eq!(
        at(NOW_MS - max_age - 1),
        Err(OpenError::Expired { age_ms: policy().max_age_ms + 1, max_age_ms: policy().max_age_ms })
    );
    assert_eq!(
        at(NOW_MS + skew + 1),
        Err(OpenError::FromFuture {
            ahead_ms: policy().max_future_skew_ms + 1,
            max_skew_ms: policy().max_future_skew_ms
        })
    );
    assert_eq!(at(i64::MIN).map_err(|e| e.code()), Err("payload_expired"));
    assert_eq!(at(i64::MAX).map_err(|e| e.code()), Err("payload_from_future"));
}

#[test]
fn custom_policy_window() {
    let device_data = seal_raw(1, Platform::Web, &payload(Platform::Web, NOW_MS - 5_000).to_json_bytes());
    let strict = OpenPolicy { now_ms: NOW_MS, max_age_ms: 4_999, max_future_skew_ms: 0 };
    assert_eq!(open(&ring(&[1]), &device_data, &strict).map_err(|e| e.code()), Err("payload_expired"));
}

#[test]
fn plaintext_clear_field_mismatch() {
    let ring = ring(&[1]);
    let base = payload(Platform::Web, NOW_MS);
    let cases = [
        (DevicePayload { session_id: "someone-else".into(), ..base.clone() }, ClearField::SessionId),
        (DevicePayload { platform: Platform::Ios, ..base.clone() }, ClearField::Platform),
        (DevicePayload { sdk_version: "9.9.9".into(), ..base.clone() }, ClearField::SdkVersion),
    ];
    for (inner, field) in cases {
        let device_data = seal_raw(1, Platform::Web, &inner.to_json_bytes());
        let err = open(&ring, &device_data, &policy()).expect_err("mismatch");
        assert_eq!(err, OpenError::ClearFieldMismatch { field });
        assert_eq!(err.code(), "payload_clear_field_mismatch");
    }
}

fn open_json(value: serde_json::Value) -> Result<DevicePayload, OpenError> {
    let device_data = seal_raw(1, Platform::Web, value.to_string().as_bytes());
    open(&ring(&[1]), &device_data, &policy()).map(|o| o.payload)
}

fn valid_json() -> serde_json::Value {
    serde_json::from_slice(&payload(Platform::Web, NOW_MS).to_json_bytes()).expect("json")
}

#[test]
fn unknown_plaintext_keys_are_tolerated() {
    let mut value = valid_json();
    value["future_field"] = json!({"anything": [1, 2, 3]});
    value["signals"]["screen"]["extra"] = json!(true);
    let payload = open_json(value).expect("opens");
    assert_eq!(payload.signal("screen").and_then(|s| s.get("extra")), Some(&json!(true)));
}

#[test]
fn missing_behavior_and_context_mean_null() {
    let mut value = valid_json();
    let obj = value.as_object_mut().expect("object");
    obj.remove("behavior");
    obj.remove("context");
    let payload = open_json(value).expect("opens");
    assert_eq!((payload.behavior, payload.context), (None, None));
}

#[test]
fn bad_plaintexts() {
    let bad_raw =
        |bytes: &[u8]| open(&ring(&[1]), &seal_raw(1, Platform::Web, bytes), &policy()).expect_err("bad plaintext");
    assert_eq!(bad_raw(b"not json").code(), "payload_bad_plaintext");
    assert_eq!(bad_raw(b"[1,2]").code(), "payload_bad_plaintext");
    assert_eq!(bad_raw(&[0xff, 0xfe]).code(), "payload_bad_plaintext");

    let with = |key: &str, v: serde_json::Value| {
        let mut value = valid_json();
        value[key] = v;
        open_json(value).expect_err("invalid")
    };
    assert_eq!(with("v", json!(2)), OpenError::UnsupportedVersion { v: 2 });
    assert_eq!(with("v", json!("1")).code(), "payload_bad_plaintext");
    let message = |err: OpenError| err.to_string();
    assert!(message(with("v", json!(null))).contains("v is not a non-negative integer"));
    // A later version with another layout is reported as a version, not as a field error.
    let v2 = json!({"v": 2, "fingerprint": "a new layout"});
    assert_eq!(open_json(v2).expect_err("v2"), OpenError::UnsupportedVersion { v: 2 });
    let mut without_v = valid_json();
    without_v.as_object_mut().expect("object").remove("v");
    assert!(message(open_json(without_v).expect_err("no v")).contains("missing field `v`"));
    let mut trailing = serde_json::to_vec(&valid_json()).expect("json");
    trailing.extend_from_slice(b" {}");
    assert!(message(bad_raw(&trailing)).contains("not JSON"));
    assert!(message(bad_raw(b"[1,2]")).contains("not a JSON object"));
    for id in ["ABCDEF0123456789ABCDEF0123456789", "abc", "g".repeat(32).as_str()] {
        assert_eq!(with("payload_id", json!(id)).code(), "payload_bad_plaintext", "{id}");
    }
    assert_eq!(with("collected_at", json!(1.5)).code(), "payload_bad_plaintext");
    assert_eq!(with("platform", json!("web")).code(), "payload_bad_plaintext");
    assert_eq!(with("signals", json!([])).code(), "payload_bad_plaintext");
    assert_eq!(with("signals", json!({"x": 1})).code(), "payload_bad_plaintext");
    assert_eq!(with("behavior", json!("x")).code(), "payload_bad_plaintext");
    assert_eq!(with("context", json!(3)).code(), "payload_bad_plaintext");

    let mut missing = valid_json();
    missing.as_object_mut().expect("object").remove("payload_id");
    let err = open_json(missing).expect_err("missing");
    assert!(err.to_string().contains("payload_id"), "{err}");
}

#[test]
fn legacy_shape_cannot_be_opened() {
    let legacy = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8";
    let err = open(&ring(&[1]), legacy, &policy()).expect_err("legacy");
    assert_eq!(err, OpenError::LegacyShape { session_id: "179ac83968ab42f79e960c1753a4078fdcon".into() });
    assert_eq!(err.code(), "payload_legacy_shape");
}

#[test]
fn open_envelope_after_routing() {
    let device_data = sealed(1, Platform::Ios);
    let envelope = Envelope::parse(&device_data).expect("parses");
    assert_eq!(envelope.session_id(), SESSION);
    assert!(open_envelope(&ring(&[1]), envelope, &policy()).is_ok());
}

#[test]
fn seal_refuses_what_open_would_reject() {
    let k = key(1);
    let bad_session = k.seal_params(Platform::Web, SDK, "has space");
    assert_eq!(seal(&bad_session, b"{}", &mut rng(1)).map_err(|e| e.code()), Err("envelope_bad_session_id"));
    let bad_sdk = k.seal_params(Platform::Web, "1;2", SESSION);
    assert_eq!(seal(&bad_sdk, b"{}", &mut rng(1)).map_err(|e| e.code()), Err("envelope_bad_sdk_version"));
    let huge = vec![b'x'; 60 * 1024];
    let err = seal(&k.seal_params(Platform::Web, SDK, SESSION), &huge, &mut rng(1)).expect_err("too large");
    assert!(matches!(err, SealError::TooLarge { .. }));
}

#[test]
fn errors_have_messages() {
    let err = open(&ring(&[1]), "Web;1", &policy()).expect_err("bad");
    assert_eq!(err.code(), "envelope_field_count");
    assert!(err.to_string().contains("2 ';'-separated fields"), "{err}");
}
