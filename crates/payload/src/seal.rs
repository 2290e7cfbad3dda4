//! Sealing: the agent's half of the protocol, in Rust. The server never
//! seals real traffic; this exists for tests, the `simulate` command,
//! benches, and as the executable reference for the JS implementation.

use p256::SecretKey;
use rand::{CryptoRng, RngCore};

use crate::b64;
use crate::envelope::{
    self, KEY_ID_LEN, MAX_ENVELOPE_LEN, Platform, SALT_LEN, validate_sdk_version, validate_session_id,
};
use crate::error::SealError;
use crate::kdf::MessageKey;
use crate::keys::{AgentKeyPair, PublicKey, public_key_sec1};

/// Everything the agent knows when sealing: the server's public key and id,
/// and the clear fields it will send alongside.
#[derive(Debug, Clone, Copy)]
pub struct SealParams<'a> {
    pub key_id: u32,
    pub public_key: &'a PublicKey,
    pub platform: Platform,
    pub sdk_version: &'a str,
    pub session_id: &'a str,
}

impl AgentKeyPair {
    /// Sealing parameters targeting this key pair.
    pub fn seal_params<'a>(&'a self, platform: Platform, sdk_version: &'a str, session_id: &'a str) -> SealParams<'a> {
        SealParams { key_id: self.key_id(), public_key: self.public_key(), platform, sdk_version, session_id }
    }
}

/// Seals `plaintext` (normally [`crate::DevicePayload::to_json_bytes`]) into
/// a sealed-shape `device_data` string.
///
/// Refuses clear fields or sizes that [`crate::open`] would reject, so a
/// successful seal is always openable by the matching key.
pub fn seal<R: RngCore + CryptoRng>(
    params: &SealParams<'_>,
    plaintext: &[u8],
    rng: &mut R,
) -> Result<String, SealError> {
    validate_sdk_version(params.sdk_version)?;
    validate_session_id(params.session_id)?;

    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let ephemeral = SecretKey::random(rng);
    let ephemeral_public = public_key_sec1(&ephemeral.public_key());

    let key = MessageKey::derive(&ephemeral.to_nonzero_scalar(), params.public_key, &salt).ok_or(SealError::Crypto)?;
    let aad = envelope::associated_data(params.platform, params.sdk_version, params.session_id);
    let ciphertext = key.encrypt(plaintext, &aad).ok_or(SealError::Crypto)?;

    let mut sealed = Vec::with_capacity(KEY_ID_LEN + ephemeral_public.len() + ciphertext.len());
    sealed.extend_from_slice(&params.key_id.to_be_bytes());
    sealed.extend_from_slice(&ephemeral_public);
    sealed.extend_from_slice(&ciphertext);

    let out = format!(
        "{};{};{};{};{}",
        params.platform,
        params.sdk_version,
        b64::encode(&salt),
        b64::encode(&sealed),
        params.session_id
    );
    if out.len() > MAX_ENVELOPE_LEN {
        return Err(SealError::TooLarge { len: out.len(), max: MAX_ENVELOPE_LEN });
    }
    Ok(out)
}
