//! Opening: the server's half. Checks run cheapest-first (parse, shape,
//! key lookup) so junk and foreign strings are turned away before any
//! elliptic-curve work, and everything after decryption is only trusted
//! because authentication succeeded.

use crate::envelope::{Envelope, MIN_SEALED_LEN, Shape};
use crate::error::OpenError;
use crate::kdf::MessageKey;
use crate::keys::{KeyRing, public_key_from_sec1};
use crate::plaintext::DevicePayload;

/// Default oldest acceptable payload: long enough for a slow page plus a
/// partner backend's queueing, short enough to bound replay storage.
pub const DEFAULT_MAX_AGE_MS: u64 = 15 * 60 * 1000;
/// Default tolerance for device clocks running ahead of the server.
pub const DEFAULT_MAX_FUTURE_SKEW_MS: u64 = 2 * 60 * 1000;

/// Time window a payload's `collected_at` must fall into. `now_ms` comes
/// from the caller so this crate never reads a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPolicy {
    pub now_ms: i64,
    pub max_age_ms: u64,
    pub max_future_skew_ms: u64,
}

impl OpenPolicy {
    /// The default window around `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        Self { now_ms, max_age_ms: DEFAULT_MAX_AGE_MS, max_future_skew_ms: DEFAULT_MAX_FUTURE_SKEW_MS }
    }

    /// Accepts `collected_at` in `[now - max_age, now + max_future_skew]`.
    pub fn check(&self, collected_at: i64) -> Result<(), OpenError> {
        // i128 so that hostile extremes (i64::MIN vs i64::MAX) cannot overflow.
        let delta = i128::from(self.now_ms) - i128::from(collected_at);
        if delta > i128::from(self.max_age_ms) {
            return Err(OpenError::Expired { age_ms: saturate(delta), max_age_ms: self.max_age_ms });
        }
        if -delta > i128::from(self.max_future_skew_ms) {
            return Err(OpenError::FromFuture { ahead_ms: saturate(-delta), max_skew_ms: self.max_future_skew_ms });
        }
        Ok(())
    }
}

fn saturate(x: i128) -> u64 {
    u64::try_from(x).unwrap_or(u64::MAX)
}

/// A payload that decrypted, authenticated and passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub envelope: Envelope,
    pub payload: DevicePayload,
}

impl Opened {
    /// Key id that opened it (useful to watch old keys drain during rotation).
    pub fn key_id(&self) -> u32 {
        // Present by construction: opening requires a key id.
        self.envelope.key_id().unwrap_or_default()
    }
}

/// Parses, decrypts and validates a `device_data` string.
pub fn open(ring: &KeyRing, device_data: &str, policy: &OpenPolicy) -> Result<Opened, OpenError> {
    let envelope = Envelope::parse(device_data)?;
    open_envelope(ring, envelope, policy)
}

/// Same as [`open`] for an envelope the caller already parsed (e.g. to route
/// on the session id first).
pub fn open_envelope(ring: &KeyRing, envelope: Envelope, policy: &OpenPolicy) -> Result<Opened, OpenError> {
    if envelope.shape() == Shape::Legacy {
        return Err(OpenError::LegacyShape { session_id: envelope.session_id().to_owned() });
    }
    let (Some(key_id), Some(ephemeral), Some(ciphertext)) =
        (envelope.key_id(), envelope.ephemeral_public_key(), envelope.ciphertext_and_tag())
    else {
        return Err(OpenError::Truncated { len: envelope.sealed_bytes().len(), min: MIN_SEALED_LEN });
    };
    let key = ring.get(key_id).ok_or(OpenError::UnknownKey { key_id })?;

    let ephemeral = public_key_from_sec1(ephemeral).map_err(|_| OpenError::Authentication)?;
    let message_key = MessageKey::derive(&key.secret().to_nonzero_scalar(), &ephemeral, envelope.salt())
        .ok_or(OpenError::Authentication)?;
    let plaintext = message_key.decrypt(ciphertext, &envelope.associated_data()).ok_or(OpenError::Authentication)?;

    let payload = DevicePayload::from_plaintext(&plaintext, &envelope)?;
    policy.check(payload.collected_at)?;
    Ok(Opened { envelope, payload })
}
