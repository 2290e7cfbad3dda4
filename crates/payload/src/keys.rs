//! Agent key pairs and the ring of keys the server will open with.
//!
//! The browser agent only ever holds a public key (imported with WebCrypto
//! `importKey('raw', …)`), so every agent copy can seal but none can open.
//! Which keys are live or retired is the store's decision; this module only
//! holds what it is handed.

use std::collections::BTreeMap;
use std::fmt;

use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{FieldBytes, SecretKey};
use rand::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::b64;
use crate::envelope::EPHEMERAL_KEY_LEN;
use crate::error::KeyError;

pub use p256::PublicKey;

/// Length of a stored P-256 secret scalar.
pub const SECRET_KEY_LEN: usize = 32;

/// A static P-256 key pair under a numeric key id. The id travels in every
/// sealed blob so the server can pick the right secret during rotation.
#[derive(Clone)]
pub struct AgentKeyPair {
    key_id: u32,
    secret: SecretKey,
    public: PublicKey,
}

impl AgentKeyPair {
    /// Fresh key pair. The key id is the caller's (the store's) choice.
    pub fn generate<R: RngCore + CryptoRng>(key_id: u32, rng: &mut R) -> Self {
        Self::from_secret(key_id, SecretKey::random(rng))
    }

    /// Rebuilds a key pair from the 32-byte big-endian scalar returned by
    /// [`AgentKeyPair::secret_bytes`].
    pub fn from_secret_bytes(key_id: u32, bytes: &[u8]) -> Result<Self, KeyError> {
        // `SecretKey::from_slice` would also accept shorter slices by
        // zero-padding; a stored key of the wrong length is a bug to surface.
        let array: [u8; SECRET_KEY_LEN] = bytes.try_into().map_err(|_| KeyError::SecretLength { len: bytes.len() })?;
        let field_bytes = Zeroizing::new(FieldBytes::from(array));
        let secret = SecretKey::from_bytes(&field_bytes).map_err(|_| KeyError::SecretOutOfRange)?;
        Ok(Self::from_secret(key_id, secret))
    }

    /// Same as [`AgentKeyPair::from_secret_bytes`], from 64 hex characters.
    pub fn from_secret_hex(key_id: u32, hex_str: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(hex::decode(hex_str.trim()).map_err(|_| KeyError::SecretHex)?);
        Self::from_secret_bytes(key_id, &bytes)
    }

    fn from_secret(key_id: u32, secret: SecretKey) -> Self {
        let public = secret.public_key();
        Self { key_id, secret, public }
    }

    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Uncompressed SEC1 encoding (`0x04 ‖ x ‖ y`), the WebCrypto "raw" format.
    pub fn public_key_sec1(&self) -> [u8; EPHEMERAL_KEY_LEN] {
        public_key_sec1(&self.public)
    }

    /// Standard padded base64 of [`AgentKeyPair::public_key_sec1`]: what the
    /// agent is configured with.
    pub fn public_key_b64(&self) -> String {
        b64::encode(&self.public_key_sec1())
    }

    /// The secret scalar for storage; wiped from memory when dropped.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
        let mut out = Zeroizing::new([0u8; SECRET_KEY_LEN]);
        out.copy_from_slice(&self.secret.to_bytes());
        out
    }

    pub(crate) fn secret(&self) -> &SecretKey {
        &self.secret
    }
}

/// Never prints the secret: key pairs end up in `{:?}` of configs and logs.
impl fmt::Debug for AgentKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentKeyPair")
            .field("key_id", &self.key_id)
            .field("public_key", &self.public_key_b64())
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Parses a public key as the agent receives it: 65-byte uncompressed SEC1.
/// Compressed points are refused because WebCrypto's raw import on the agent
/// side does not reliably accept them.
pub fn public_key_from_sec1(bytes: &[u8]) -> Result<PublicKey, KeyError> {
    if bytes.len() != EPHEMERAL_KEY_LEN || bytes.first() != Some(&0x04) {
        return Err(KeyError::PublicKey);
    }
    PublicKey::from_sec1_bytes(bytes).map_err(|_| KeyError::PublicKey)
}

/// Parses the standard padded base64 form of [`public_key_from_sec1`].
pub fn public_key_from_b64(s: &str) -> Result<PublicKey, KeyError> {
    let bytes = b64::decode_strict(s.trim()).ok_or(KeyError::PublicKeyBase64)?;
    public_key_from_sec1(&bytes)
}

pub(crate) fn public_key_sec1(key: &PublicKey) -> [u8; EPHEMERAL_KEY_LEN] {
    let point = key.to_encoded_point(false);
    let mut out = [0u8; EPHEMERAL_KEY_LEN];
    // An uncompressed non-identity P-256 point is always 65 bytes; a
    // `PublicKey` cannot be the identity, so the copy lengths match.
    if point.as_bytes().len() == EPHEMERAL_KEY_LEN {
        out.copy_from_slice(point.as_bytes());
    }
    out
}

/// The key pairs the server currently opens with, by key id. Rotation is
/// "insert the new key, keep the old one until its payloads have aged out,
/// then remove it".
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: BTreeMap<u32, AgentKeyPair>,
}

impl KeyRing {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key, returning the one it replaced under the same id.
    pub fn insert(&mut self, key: AgentKeyPair) -> Option<AgentKeyPair> {
        self.keys.insert(key.key_id, key)
    }

    /// Retires a key: payloads sealed to it stop opening (`UnknownKey`).
    pub fn remove(&mut self, key_id: u32) -> Option<AgentKeyPair> {
        self.keys.remove(&key_id)
    }

    pub fn get(&self, key_id: u32) -> Option<&AgentKeyPair> {
        self.keys.get(&key_id)
    }

    pub fn contains(&self, key_id: u32) -> bool {
        self.keys.contains_key(&key_id)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Key ids in ascending order.
    pub fn key_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.keys.keys().copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = &AgentKeyPair> + '_ {
        self.keys.values()
    }
}

impl FromIterator<AgentKeyPair> for KeyRing {
    fn from_iter<I: IntoIterator<Item = AgentKeyPair>>(iter: I) -> Self {
        let mut ring = KeyRing::new();
        for key in iter {
            ring.insert(key);
        }
        ring
    }
}

impl Extend<AgentKeyPair> for KeyRing {
    fn extend<I: IntoIterator<Item = AgentKeyPair>>(&mut self, iter: I) {
        for key in iter {
            self.insert(key);
        }
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("key_ids", &self.keys.keys().collect::<Vec<_>>()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn secret_round_trips_and_debug_hides_it() {
        let mut rng = StdRng::seed_from_u64(7);
        let key = AgentKeyPair::generate(42, &mut rng);
        let again = AgentKeyPair::from_secret_bytes(42, key.secret_bytes().as_slice()).expect("valid secret");
        assert_eq!(again.public_key_sec1(), key.public_key_sec1());
        assert_eq!(key.public_key_sec1()[0], 0x04);

        let debug = format!("{key:?}");
        let secret_hex = hex::encode(key.secret_bytes().as_slice());
        assert!(!debug.contains(&secret_hex));
        assert!(debug.contains("redacted"));
        assert!(debug.contains(&key.public_key_b64()));
    }

    #[test]
    fn bad_secrets_are_refused() {
        assert_eq!(AgentKeyPair::from_secret_bytes(1, &[1u8; 31]).err(), Some(KeyError::SecretLength { len: 31 }));
        assert_eq!(AgentKeyPair::from_secret_bytes(1, &[0u8; 32]).err(), Some(KeyError::SecretOutOfRange));
        assert_eq!(AgentKeyPair::from_secret_bytes(1, &[0xffu8; 32]).err(), Some(KeyError::SecretOutOfRange));
        assert_eq!(AgentKeyPair::from_secret_hex(1, "zz").err(), Some(KeyError::SecretHex));
    }

    #[test]
    fn public_key_parsing() {
        let mut rng = StdRng::seed_from_u64(8);
        let key = AgentKeyPair::generate(1, &mut rng);
        let parsed = public_key_from_b64(&key.public_key_b64()).expect("own key parses");
        assert_eq!(&parsed, key.public_key());
        let compressed = key.public_key().to_encoded_point(true);
        assert_eq!(public_key_from_sec1(compressed.as_bytes()).err(), Some(KeyError::PublicKey));
        let mut off_curve = key.public_key_sec1();
        off_curve[64] ^= 1;
        assert_eq!(public_key_from_sec1(&off_curve).err(), Some(KeyError::PublicKey));
        assert_eq!(public_key_from_b64("not base64!").err(), Some(KeyError::PublicKeyBase64));
    }

    #[test]
    fn ring_rotation_bookkeeping() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut ring: KeyRing = [1, 2].into_iter().map(|id| AgentKeyPair::generate(id, &mut rng)).collect();
        assert_eq!(ring.key_ids().collect::<Vec<_>>(), vec![1, 2]);
        assert!(ring.remove(1).is_some());
        assert!(!ring.contains(1));
        assert_eq!(ring.len(), 1);
        assert!(format!("{ring:?}").contains('2'));
    }
}
