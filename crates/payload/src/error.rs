//! Error types. Every error carries a stable machine code (for API responses,
//! metrics and logs) next to its human message, so callers never have to
//! match on message text.

use std::fmt;

use thiserror::Error;

/// A named field of the envelope, used to say which one is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Platform,
    SdkVersion,
    Salt,
    Sealed,
    SessionId,
    LegacyBlob,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Platform => "platform",
            Field::SdkVersion => "sdk_version",
            Field::Salt => "salt",
            Field::Sealed => "sealed payload",
            Field::SessionId => "session_id",
            Field::LegacyBlob => "legacy blob",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `device_data` string is not a well-formed envelope.
///
/// These are caller mistakes (HTTP 400): the messages name the offending
/// field but never echo more than a short, escaped prefix of the input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("device_data is empty")]
    Empty,
    #[error("device_data is {len} bytes, the limit is {max} bytes")]
    TooLarge { len: usize, max: usize },
    #[error(
        "device_data has {found} ';'-separated fields, expected 5 \
         (platform;sdk_version;salt;sealed;session_id) or 4 for the legacy shape"
    )]
    FieldCount { found: usize },
    #[error("device_data field {field} is empty")]
    EmptyField { field: Field },
    #[error("device_data platform {found} is not one of Web, Android, iOS")]
    UnknownPlatform { found: String },
    #[error("device_data sdk_version must be 1 to 32 characters of [0-9A-Za-z.+-]")]
    InvalidSdkVersion,
    #[error("device_data session_id must be 1 to 128 characters of [A-Za-z0-9_.:-]")]
    InvalidSessionId,
    #[error(
        "device_data legacy session id must be 32 hex characters, \
         optionally followed by a short lowercase suffix"
    )]
    InvalidLegacySessionId,
    #[error("device_data field {field} is not valid padded standard base64")]
    InvalidBase64 { field: Field },
    #[error("device_data salt decodes to {len} bytes, expected {expected}")]
    InvalidSaltLength { len: usize, expected: usize },
}

impl ParseError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "envelope_empty",
            ParseError::TooLarge { .. } => "envelope_too_large",
            ParseError::FieldCount { .. } => "envelope_field_count",
            ParseError::EmptyField { .. } => "envelope_empty_field",
            ParseError::UnknownPlatform { .. } => "envelope_unknown_platform",
            ParseError::InvalidSdkVersion => "envelope_bad_sdk_version",
            ParseError::InvalidSessionId => "envelope_bad_session_id",
            ParseError::InvalidLegacySessionId => "envelope_bad_legacy_session_id",
            ParseError::InvalidBase64 { .. } => "envelope_bad_base64",
            ParseError::InvalidSaltLength { .. } => "envelope_bad_salt_length",
        }
    }
}

/// A clear envelope field that the plaintext repeats and must agree with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClearField {
    SessionId,
    Platform,
    SdkVersion,
}

impl ClearField {
    pub fn as_str(self) -> &'static str {
        match self {
            ClearField::SessionId => "session_id",
            ClearField::Platform => "platform",
            ClearField::SdkVersion => "sdk_version",
        }
    }
}

impl fmt::Display for ClearField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `device_data` string could not be opened into a trusted payload.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OpenError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The 4-field shape of another vendor's SDK: parseable, never decryptable.
    #[error("device_data has the legacy 4-field shape (session {session_id}), which cannot be decrypted")]
    LegacyShape { session_id: String },
    /// Too short to even hold key id, ephemeral key and tag.
    #[error("sealed payload is {len} bytes, at least {min} are needed")]
    Truncated { len: usize, min: usize },
    /// Key id not in the ring: retired, never ours, or another vendor's blob.
    #[error("sealed payload names key id {key_id}, which is not in the key ring")]
    UnknownKey { key_id: u32 },
    /// Deliberately one variant for every cryptographic failure (bad point,
    /// wrong key, flipped bit, edited clear field) so that the response is
    /// not an oracle telling an attacker which part they got right.
    #[error("device_data failed authentication (tampered, or sealed for a different key)")]
    Authentication,
    #[error("plaintext version {v} is not supported (expected 1)")]
    UnsupportedVersion { v: u64 },
    #[error("plaintext is invalid: {0}")]
    BadPlaintext(String),
    /// Authenticated, yet the agent wrote a different value inside than
    /// outside: an agent bug or someone sealing their own payloads.
    #[error("plaintext {field} differs from the envelope's")]
    ClearFieldMismatch { field: ClearField },
    #[error("payload was collected {age_ms} ms ago, the limit is {max_age_ms} ms")]
    Expired { age_ms: u64, max_age_ms: u64 },
    #[error("payload claims to be collected {ahead_ms} ms in the future, the allowed skew is {max_skew_ms} ms")]
    FromFuture { ahead_ms: u64, max_skew_ms: u64 },
}

impl OpenError {
    /// Stable machine code; parse errors keep their own `envelope_*` code.
    pub fn code(&self) -> &'static str {
        match self {
            OpenError::Parse(e) => e.code(),
            OpenError::LegacyShape { .. } => "payload_legacy_shape",
            OpenError::Truncated { .. } => "payload_truncated",
            OpenError::UnknownKey { .. } => "payload_unknown_key",
            OpenError::Authentication => "payload_tampered",
            OpenError::UnsupportedVersion { .. } => "payload_unsupported_version",
            OpenError::BadPlaintext(_) => "payload_bad_plaintext",
            OpenError::ClearFieldMismatch { .. } => "payload_clear_field_mismatch",
            OpenError::Expired { .. } => "payload_expired",
            OpenError::FromFuture { .. } => "payload_from_future",
        }
    }
}

/// Why a key could not be built from stored or supplied bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("secret key must be 32 bytes, got {len}")]
    SecretLength { len: usize },
    #[error("secret key is not a valid P-256 scalar (zero or not below the group order)")]
    SecretOutOfRange,
    #[error("secret key hex is invalid")]
    SecretHex,
    #[error("public key must be a 65-byte uncompressed SEC1 P-256 point")]
    PublicKey,
    #[error("public key base64 is invalid")]
    PublicKeyBase64,
}

impl KeyError {
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::SecretLength { .. } => "key_bad_secret_length",
            KeyError::SecretOutOfRange => "key_bad_secret",
            KeyError::SecretHex => "key_bad_secret_hex",
            KeyError::PublicKey => "key_bad_public_key",
            KeyError::PublicKeyBase64 => "key_bad_public_key_base64",
        }
    }
}

/// Why sealing refused its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SealError {
    /// A clear field the opener would reject; sealing it would only produce
    /// a string that can never be opened.
    #[error(transparent)]
    Field(#[from] ParseError),
    #[error("sealed device_data would be {len} bytes, the limit is {max} bytes")]
    TooLarge { len: usize, max: usize },
    /// Key derivation or encryption refused its input; not reachable with
    /// the fixed sizes used here, but reported rather than panicking.
    #[error("sealing failed inside the cipher")]
    Crypto,
}

impl SealError {
    pub fn code(&self) -> &'static str {
        match self {
            SealError::Field(e) => e.code(),
            SealError::TooLarge { .. } => "seal_too_large",
            SealError::Crypto => "seal_crypto_failure",
        }
    }
}

/// Shortens and escapes attacker-supplied text before it goes into a message,
/// so error responses and logs never carry large or control-laden input.
pub(crate) fn excerpt(s: &str) -> String {
    const MAX_CHARS: usize = 16;
    let mut out: String = s.chars().take(MAX_CHARS).collect();
    if s.chars().nth(MAX_CHARS).is_some() {
        out.push('…');
    }
    format!("{out:?}")
}
