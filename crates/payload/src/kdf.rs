//! ECDH + HKDF key schedule shared by sealing and opening. Kept in one place
//! because any drift between the two sides (or from the JS agent) shows up
//! only as "authentication failed".

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hkdf::Hkdf;
use p256::{NonZeroScalar, PublicKey};
use sha2::Sha256;
use zeroize::Zeroizing;

/// HKDF `info`: versions the derivation so a future format cannot be
/// confused with this one even under the same keys.
pub const HKDF_INFO: &[u8] = b"sightline/device-data/v1";

const AES_KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;

/// AES key and nonce for one message. A fresh ephemeral key and salt per
/// message make the key unique, so a derived (not random) nonce is safe.
pub(crate) struct MessageKey {
    okm: Zeroizing<[u8; AES_KEY_LEN + NONCE_LEN]>,
}

impl MessageKey {
    /// `secret` is either side's scalar, `peer` the other side's public key:
    /// the agent uses (ephemeral, server static), the server the reverse.
    pub(crate) fn derive(secret: &NonZeroScalar, peer: &PublicKey, salt: &[u8]) -> Option<Self> {
        // The x-coordinate alone, matching WebCrypto `deriveBits(ECDH, 256)`.
        let shared = p256::ecdh::diffie_hellman(secret, peer.as_affine());
        let hk = Hkdf::<Sha256>::new(Some(salt), shared.raw_secret_bytes());
        let mut okm = Zeroizing::new([0u8; AES_KEY_LEN + NONCE_LEN]);
        hk.expand(HKDF_INFO, okm.as_mut_slice()).ok()?;
        Some(Self { okm })
    }

    fn cipher(&self) -> Aes256Gcm {
        let mut key = Zeroizing::new([0u8; AES_KEY_LEN]);
        key.copy_from_slice(&self.okm[..AES_KEY_LEN]);
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key))
    }

    fn nonce(&self) -> Nonce<aes_gcm::aead::consts::U12> {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&self.okm[AES_KEY_LEN..]);
        Nonce::from(nonce)
    }

    /// Returns ciphertext ‖ tag.
    pub(crate) fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        self.cipher().encrypt(&self.nonce(), Payload { msg: plaintext, aad }).ok()
    }

    /// `None` on any authentication failure.
    pub(crate) fn decrypt(&self, ciphertext_and_tag: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        self.cipher().decrypt(&self.nonce(), Payload { msg: ciphertext_and_tag, aad }).ok()
    }
}
