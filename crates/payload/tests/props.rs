//! Property tests: no input panics, no mutation of a valid string opens,
//! and anything sealed with valid clear fields opens to the same payload.

mod common;

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use proptest::prelude::*;
use serde_json::json;
use sightline_payload::{DevicePayload, Envelope, KeyRing, OpenError, OpenPolicy, Platform, Shape, open, seal};

fn fixtures() -> &'static (KeyRing, [String; 3]) {
    static FIXTURES: OnceLock<(KeyRing, [String; 3])> = OnceLock::new();
    FIXTURES.get_or_init(|| (ring(&[1, 2]), Platform::ALL.map(|p| sealed(if p == Platform::Web { 1 } else { 2 }, p))))
}

fn platform() -> impl Strategy<Value = Platform> {
    prop::sample::select(Platform::ALL.to_vec())
}

/// Strings built from the envelope's own alphabet, so that a fair share of
/// them reach the later parse stages instead of failing on field count.
fn envelope_like() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(vec!["Web", "Android", "iOS", "x"])),
        prop::collection::vec("[A-Za-z0-9+/=_.:-]{0,150}", 0..7),
    )
        .prop_map(|(platform, fields)| {
            let mut parts: Vec<String> = platform.map(str::to_owned).into_iter().collect();
            parts.extend(fields);
            parts.join(";")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC{0,400}|.{0,100}") {
        let (ring, _) = fixtures();
        let _ = Envelope::parse(&s);
        prop_assert!(open(ring, &s, &policy()).is_err());
    }

    #[test]
    fn envelope_like_strings_never_panic_or_open(s in envelope_like()) {
        let (ring, _) = fixtures();
        if let Ok(env) = Envelope::parse(&s) {
            // Whatever parses must re-encode to something that parses the same.
            if env.shape() == Shape::Sealed {
                prop_assert_eq!(Envelope::parse(&env.to_string()), Ok(env));
            }
        }
        prop_assert!(open(ring, &s, &policy()).is_err());
    }

    #[test]
    fn flipping_any_byte_of_a_valid_string_fails_to_open(
        which in 0usize..3,
        index in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let (ring, strings) = fixtures();
        let mut bytes = strings[which].clone().into_bytes();
        let i = index.index(bytes.len());
        bytes[i] ^= mask;
        let mutated = String::from_utf8_lossy(&bytes);
        let _ = Envelope::parse(&mutated);
        prop_assert!(open(ring, &mutated, &policy()).is_err(), "byte {} ^ {:#x} opened", i, mask);
    }

    #[test]
    fn flipping_any_decoded_byte_fails_to_open(
        which in 0usize..3,
        in_salt in any::<bool>(),
        index in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let (ring, strings) = fixtures();
        let good = &strings[which];
        let env = Envelope::parse(good).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (field, mut bytes) = if in_salt {
            (2, env.salt().to_vec())
        } else {
            (3, env.sealed_bytes().to_vec())
        };
        let i = index.index(bytes.len());
        bytes[i] ^= mask;
        let mutated = replace_field(good, field, &STANDARD.encode(&bytes));
        let result = open(ring, &mutated, &policy());
        prop_assert!(
            matches!(result, Err(OpenError::Authentication | OpenError::UnknownKey { .. })),
            "field {} byte {}: {:?}", field, i, result
        );
    }

    #[test]
    fn truncating_a_valid_string_fails_to_open(which in 0usize..3, index in any::<prop::sample::Index>()) {
        let (ring, strings) = fixtures();
        let good = &strings[which];
        let cut = index.index(good.len());
        prop_assert!(open(ring, &good[..cut], &policy()).is_err());
    }

    #[test]
    fn anything_sealed_with_valid_fields_opens(
        platform in platform(),
        sdk in "[0-9A-Za-z.+-]{1,32}",
        session in "[A-Za-z0-9_.:-]{1,128}",
        age in 0i64..=600_000,
        signals in prop::collection::btree_map("\\PC{0,20}", any::<i64>(), 0..8),
        seed in any::<u64>(),
    ) {
        let key = key(9);
        let mut rng = rng(seed);
        let mut payload = DevicePayload::new(&mut rng, platform, &sdk, &session, NOW_MS - age);
        for (name, value) in signals {
            payload = payload.with_signal(&name, json!(value), 1.0, None);
        }
        let device_data = seal(&key.seal_params(platform, &sdk, &session), &payload.to_json_bytes(), &mut rng)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ring: KeyRing = [key].into_iter().collect();
        let opened = open(&ring, &device_data, &OpenPolicy::new(NOW_MS))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(opened.payload, payload);
        prop_assert_eq!(opened.envelope.session_id(), session.as_str());
    }
}
