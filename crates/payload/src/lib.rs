//! `sightline-payload` owns the wire format of `device_data`: the opaque
//! string the browser agent seals and the partner's backend forwards to us.
//!
//! It parses the clear envelope (ours and a foreign legacy shape), seals and
//! opens the ECDH-P256 / HKDF-SHA256 / AES-256-GCM payload, validates the
//! plaintext JSON against the envelope and a caller-supplied time window,
//! and holds the key pair and key ring types used for rotation.
//!
//! It is pure logic: no I/O, no clock, no storage. Replay memory and key
//! lifecycle belong to the store; interpreting signals belongs to scoring.
//! The format itself is specified in `docs/device-data-format.md`.
//!
//! ```
//! use rand::rngs::OsRng;
//! use sightline_payload::{AgentKeyPair, DevicePayload, KeyRing, OpenPolicy, Platform, open, seal};
//!
//! let key = AgentKeyPair::generate(1, &mut OsRng);
//! let now = 1_700_000_000_000;
//! let payload = DevicePayload::new(&mut OsRng, Platform::Web, "1.0.0", "sess-1", now);
//! let params = key.seal_params(Platform::Web, "1.0.0", "sess-1");
//! let device_data = seal(&params, &payload.to_json_bytes(), &mut OsRng)?;
//!
//! let ring: KeyRing = [key].into_iter().collect();
//! let opened = open(&ring, &device_data, &OpenPolicy::new(now))?;
//! assert_eq!(opened.payload.payload_id, payload.payload_id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod b64;
mod envelope;
mod error;
mod kdf;
mod keys;
mod open;
mod plaintext;
mod seal;

pub use envelope::{
    EPHEMERAL_KEY_LEN, Envelope, KEY_ID_LEN, MAX_ENVELOPE_LEN, MIN_SEALED_LEN, Platform, SALT_LEN, Shape, TAG_LEN,
};
pub use error::{ClearField, Field, KeyError, OpenError, ParseError, SealError};
pub use kdf::HKDF_INFO;
pub use keys::{AgentKeyPair, KeyRing, PublicKey, SECRET_KEY_LEN, public_key_from_b64, public_key_from_sec1};
pub use open::{DEFAULT_MAX_AGE_MS, DEFAULT_MAX_FUTURE_SKEW_MS, OpenPolicy, Opened, open, open_envelope};
pub use plaintext::{DevicePayload, PLAINTEXT_VERSION};
pub use seal::{SealParams, seal};
