//! The clear, `;`-separated outer layer of `device_data`, and the rules each
//! clear field must follow. Parsing never touches keys, so the server can
//! route, check consent and reject junk before spending a scalar
//! multiplication on it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::b64;
use crate::error::{Field, ParseError, excerpt};

/// Largest `device_data` accepted, measured before trimming so an oversized
/// body is refused without looking at it.
pub const MAX_ENVELOPE_LEN: usize = 64 * 1024;
/// Length of the random HKDF salt in the sealed shape.
pub const SALT_LEN: usize = 16;
/// Big-endian key id prefix of the sealed blob.
pub const KEY_ID_LEN: usize = 4;
/// Uncompressed SEC1 P-256 point (0x04 ‖ x ‖ y).
pub const EPHEMERAL_KEY_LEN: usize = 65;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
/// Shortest sealed blob that can hold anything: key id, ephemeral key, tag.
pub const MIN_SEALED_LEN: usize = KEY_ID_LEN + EPHEMERAL_KEY_LEN + TAG_LEN;

const MAX_SDK_VERSION_LEN: usize = 32;
const MAX_SESSION_ID_LEN: usize = 128;
const LEGACY_ID_HEX_LEN: usize = 32;
const MAX_LEGACY_SUFFIX_LEN: usize = 16;

/// The platform the agent ran on. Spelled exactly `Web`, `Android`, `iOS`
/// on the wire and in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Platform {
    Web,
    Android,
    #[serde(rename = "iOS")]
    Ios,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Web, Platform::Android, Platform::Ios];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Web => "Web",
            Platform::Android => "Android",
            Platform::Ios => "iOS",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = ParseError;

    /// Case-sensitive on purpose: the agent writes one spelling, and
    /// accepting others would give the same payload several AAD values.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ParseError::UnknownPlatform { found: excerpt(s) })
    }
}

/// Which of the two known layouts a string has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `platform;sdk_version;salt;sealed;session_id` — ours (or the other
    /// vendor's 5-field output, which parses but names a key we lack).
    Sealed,
    /// `platform;session_id;salt;blob` — another vendor's older SDK; can be
    /// recognised and routed, never decrypted.
    Legacy,
}

/// A syntactically valid `device_data` string, nothing verified yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    shape: Shape,
    platform: Platform,
    sdk_version: Option<String>,
    session_id: String,
    salt: Vec<u8>,
    sealed: Vec<u8>,
}

impl Envelope {
    /// Parses either shape. Surrounding whitespace is ignored; everything
    /// else about the sealed shape is strict.
    pub fn parse(input: &str) -> Result<Envelope, ParseError> {
        if input.len() > MAX_ENVELOPE_LEN {
            return Err(ParseError::TooLarge { len: input.len(), max: MAX_ENVELOPE_LEN });
        }
        let s = input.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        // At most six pieces are kept: enough to tell "too many" apart
        // without allocating one slice per ';' of a hostile input.
        let fields: Vec<&str> = s.splitn(6, ';').collect();
        match fields.as_slice() {
            [platform, sdk_version, salt, sealed, session_id] => {
                parse_sealed(platform, sdk_version, salt, sealed, session_id)
            }
            [platform, session_id, salt, blob] => parse_legacy(platform, session_id, salt, blob),
            _ => Err(ParseError::FieldCount { found: s.split(';').count() }),
        }
    }

    pub fn shape(&self) -> Shape {
        self.shape
    }

    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// `None` for the legacy shape, which has no version field.
    pub fn sdk_version(&self) -> Option<&str> {
        self.sdk_version.as_deref()
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Decoded salt (exactly 16 bytes for the sealed shape).
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// Decoded sealed blob (sealed shape) or legacy blob (legacy shape).
    pub fn sealed_bytes(&self) -> &[u8] {
        &self.sealed
    }

    /// Key id the sealed blob names, when it is long enough to be a blob of
    /// ours. Always `None` for the legacy shape.
    pub fn key_id(&self) -> Option<u32> {
        if self.shape != Shape::Sealed || self.sealed.len() < MIN_SEALED_LEN {
            return None;
        }
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&self.sealed[..KEY_ID_LEN]);
        Some(u32::from_be_bytes(id))
    }

    /// The SEC1 ephemeral public key bytes, if the blob is long enough.
    pub fn ephemeral_public_key(&self) -> Option<&[u8]> {
        self.key_id()?;
        self.sealed.get(KEY_ID_LEN..KEY_ID_LEN + EPHEMERAL_KEY_LEN)
    }

    /// AES-GCM ciphertext followed by its tag, if the blob is long enough.
    pub fn ciphertext_and_tag(&self) -> Option<&[u8]> {
        self.key_id()?;
        self.sealed.get(KEY_ID_LEN + EPHEMERAL_KEY_LEN..)
    }

    /// Bytes authenticated alongside the ciphertext: every clear field that
    /// is not already bound through the key derivation.
    pub(crate) fn associated_data(&self) -> Vec<u8> {
        associated_data(self.platform, self.sdk_version.as_deref().unwrap_or(""), &self.session_id)
    }
}

/// Canonical re-encoding (legacy blobs come out normalised to padded
/// standard base64).
impl fmt::Display for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shape {
            Shape::Sealed => write!(
                f,
                "{};{};{};{};{}",
                self.platform,
                self.sdk_version.as_deref().unwrap_or(""),
                b64::encode(&self.salt),
                b64::encode(&self.sealed),
                self.session_id
            ),
            Shape::Legacy => write!(
                f,
                "{};{};{};{}",
                self.platform,
                self.session_id,
                b64::encode(&self.salt),
                b64::encode(&self.sealed)
            ),
        }
    }
}

pub(crate) fn associated_data(platform: Platform, sdk_version: &str, session_id: &str) -> Vec<u8> {
    format!("{platform};{sdk_version};{session_id}").into_bytes()
}

fn parse_sealed(
    platform: &str,
    sdk_version: &str,
    salt: &str,
    sealed: &str,
    session_id: &str,
) -> Result<Envelope, ParseError> {
    non_empty(&[
        (platform, Field::Platform),
        (sdk_version, Field::SdkVersion),
        (salt, Field::Salt),
        (sealed, Field::Sealed),
        (session_id, Field::SessionId),
    ])?;
    let platform: Platform = platform.parse()?;
    validate_sdk_version(sdk_version)?;
    let salt = b64::decode_strict(salt).ok_or(ParseError::InvalidBase64 { field: Field::Salt })?;
    if salt.len() != SALT_LEN {
        return Err(ParseError::InvalidSaltLength { len: salt.len(), expected: SALT_LEN });
    }
    let sealed = b64::decode_strict(sealed).ok_or(ParseError::InvalidBase64 { field: Field::Sealed })?;
    validate_session_id(session_id)?;
    Ok(Envelope {
        shape: Shape::Sealed,
        platform,
        sdk_version: Some(sdk_version.to_owned()),
        session_id: session_id.to_owned(),
        salt,
        sealed,
    })
}

fn parse_legacy(platform: &str, session_id: &str, salt: &str, blob: &str) -> Result<Envelope, ParseError> {
    non_empty(&[
        (platform, Field::Platform),
        (session_id, Field::SessionId),
        (salt, Field::Salt),
        (blob, Field::LegacyBlob),
    ])?;
    let platform: Platform = platform.parse()?;
    validate_legacy_session_id(session_id)?;
    let salt = b64::decode_lenient(salt).ok_or(ParseError::InvalidBase64 { field: Field::Salt })?;
    let blob = b64::decode_lenient(blob).ok_or(ParseError::InvalidBase64 { field: Field::LegacyBlob })?;
    Ok(Envelope {
        shape: Shape::Legacy,
        platform,
        sdk_version: None,
        session_id: session_id.to_owned(),
        salt,
        sealed: blob,
    })
}

fn non_empty(fields: &[(&str, Field)]) -> Result<(), ParseError> {
    match fields.iter().find(|(value, _)| value.is_empty()) {
        Some(&(_, field)) => Err(ParseError::EmptyField { field }),
        None => Ok(()),
    }
}

pub(crate) fn validate_sdk_version(s: &str) -> Result<(), ParseError> {
    let ok = (1..=MAX_SDK_VERSION_LEN).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
    if ok { Ok(()) } else { Err(ParseError::InvalidSdkVersion) }
}

pub(crate) fn validate_session_id(s: &str) -> Result<(), ParseError> {
    let ok = (1..=MAX_SESSION_ID_LEN).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'));
    if ok { Ok(()) } else { Err(ParseError::InvalidSessionId) }
}

/// The other vendor's ids: 128 bits of hex, sometimes with a short
/// lowercase tag appended (e.g. `dcon`).
fn validate_legacy_session_id(s: &str) -> Result<(), ParseError> {
    let bytes = s.as_bytes();
    let ok = bytes.len() >= LEGACY_ID_HEX_LEN
        && bytes.len() <= LEGACY_ID_HEX_LEN + MAX_LEGACY_SUFFIX_LEN
        && bytes[..LEGACY_ID_HEX_LEN].iter().all(u8::is_ascii_hexdigit)
        && bytes[LEGACY_ID_HEX_LEN..].iter().all(u8::is_ascii_lowercase);
    if ok { Ok(()) } else { Err(ParseError::InvalidLegacySessionId) }
}
