//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use sightline_payload::{AgentKeyPair, DevicePayload, KeyRing, OpenPolicy, Platform, seal};

pub const NOW_MS: i64 = 1_700_000_000_000;
pub const SDK: &str = "1.2.3-beta.1+build.7";
pub const SESSION: &str = "sess_01:abc.DEF-9";

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

pub fn key(id: u32) -> AgentKeyPair {
    AgentKeyPair::generate(id, &mut rng(u64::from(id)))
}

pub fn ring(ids: &[u32]) -> KeyRing {
    ids.iter().map(|&id| key(id)).collect()
}

pub fn policy() -> OpenPolicy {
    OpenPolicy::new(NOW_MS)
}

pub fn payload(platform: Platform, collected_at: i64) -> DevicePayload {
    DevicePayload::new(&mut rng(99), platform, SDK, SESSION, collected_at)
        .with_signal("screen", json!({"w": 1920, "h": 1080}), 0.4, None)
        .with_signal("battery", serde_json::Value::Null, 1.5, Some("NotAllowedError"))
        .with_context(json!({"url": "https://shop.example/checkout"}))
}

/// Seals `plaintext` for key `key_id` with the standard clear fields.
pub fn seal_raw(key_id: u32, platform: Platform, plaintext: &[u8]) -> String {
    let k = key(key_id);
    seal(&k.seal_params(platform, SDK, SESSION), plaintext, &mut rng(5)).expect("seal")
}

pub fn sealed(key_id: u32, platform: Platform) -> String {
    seal_raw(key_id, platform, &payload(platform, NOW_MS - 1000).to_json_bytes())
}

/// Replaces field `index` of a `;`-separated string.
pub fn replace_field(s: &str, index: usize, value: &str) -> String {
    let mut fields: Vec<&str> = s.split(';').collect();
    fields[index] = value;
    fields.join(";")
}
