//! Arbitrary bytes (as lossy UTF-8) through `Envelope::parse` and `open`
//! with a fixed key ring: nothing may panic, and nothing random may open.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sightline_payload::{AgentKeyPair, Envelope, KeyRing, OpenPolicy, open};

fn ring() -> &'static KeyRing {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        [1u32, 2]
            .into_iter()
            .filter_map(|id| {
                let secret = [u8::try_from(id).unwrap_or(1); 32];
                AgentKeyPair::from_secret_bytes(id, &secret).ok()
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    if let Ok(envelope) = Envelope::parse(&input) {
        let _ = envelope.key_id();
        let _ = envelope.to_string();
    }
    let policy = OpenPolicy::new(1_700_000_000_000);
    assert!(open(ring(), &input, &policy).is_err());
});
