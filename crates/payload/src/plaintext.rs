//! The JSON document inside the seal. Only the envelope-level facts are
//! typed here; `signals`, `behavior` and `context` stay raw JSON because
//! their meaning belongs to the scoring crate and evolves with the agent.

use std::collections::BTreeMap;

use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::envelope::{Envelope, Platform};
use crate::error::{ClearField, OpenError, excerpt};

/// The only plaintext version this crate understands.
pub const PLAINTEXT_VERSION: u64 = 1;
const PAYLOAD_ID_LEN: usize = 32;

/// The decrypted, validated device payload.
///
/// Unknown top-level keys are ignored so that newer agents can add fields
/// without breaking older servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicePayload {
    pub v: u64,
    /// 128 random bits as 32 lowercase hex: the replay-detection key.
    pub payload_id: String,
    /// Milliseconds since the Unix epoch, by the device's clock.
    pub collected_at: i64,
    pub session_id: String,
    pub platform: Platform,
    pub sdk_version: String,
    /// Per-source results, conventionally `{ value, duration_ms, error }`.
    pub signals: BTreeMap<String, Value>,
    #[serde(default)]
    pub behavior: Option<Value>,
    #[serde(default)]
    pub context: Option<Value>,
}

impl DevicePayload {
    /// A version-1 payload with a fresh random `payload_id` and nothing
    /// collected yet; for tests, the `simulate` command and benches.
    pub fn new<R: RngCore + CryptoRng>(
        rng: &mut R,
        platform: Platform,
        sdk_version: &str,
        session_id: &str,
        collected_at: i64,
    ) -> Self {
        let mut id = [0u8; PAYLOAD_ID_LEN / 2];
        rng.fill_bytes(&mut id);
        Self {
            v: PLAINTEXT_VERSION,
            payload_id: hex::encode(id),
            collected_at,
            session_id: session_id.to_owned(),
            platform,
            sdk_version: sdk_version.to_owned(),
            signals: BTreeMap::new(),
            behavior: None,
            context: None,
        }
    }

    /// Adds a signal in the agent's conventional shape.
    pub fn with_signal(mut self, source: &str, value: Value, duration_ms: f64, error: Option<&str>) -> Self {
        let mut entry = Map::new();
        entry.insert("value".to_owned(), value);
        entry.insert("duration_ms".to_owned(), number(duration_ms));
        entry.insert("error".to_owned(), error.map_or(Value::Null, |e| Value::String(e.to_owned())));
        self.signals.insert(source.to_owned(), Value::Object(entry));
        self
    }

    pub fn with_behavior(mut self, behavior: Value) -> Self {
        self.behavior = Some(behavior);
        self
    }

    pub fn with_context(mut self, context: Value) -> Self {
        self.context = Some(context);
        self
    }

    /// The raw entry for one signal source.
    pub fn signal(&self, source: &str) -> Option<&Value> {
        self.signals.get(source)
    }

    /// Serialises the payload exactly as the agent would before sealing.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        // Built as a `Value` because rendering a `Value` cannot fail, whereas
        // `serde_json::to_vec` of a struct returns a `Result` to unwrap.
        let mut obj = Map::new();
        obj.insert("v".to_owned(), Value::from(self.v));
        obj.insert("payload_id".to_owned(), Value::String(self.payload_id.clone()));
        obj.insert("collected_at".to_owned(), Value::from(self.collected_at));
        obj.insert("session_id".to_owned(), Value::String(self.session_id.clone()));
        obj.insert("platform".to_owned(), Value::String(self.platform.as_str().to_owned()));
        obj.insert("sdk_version".to_owned(), Value::String(self.sdk_version.clone()));
        obj.insert(
            "signals".to_owned(),
            Value::Object(self.signals.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
        obj.insert("behavior".to_owned(), self.behavior.clone().unwrap_or(Value::Null));
        obj.insert("context".to_owned(), self.context.clone().unwrap_or(Value::Null));
        Value::Object(obj).to_string().into_bytes()
    }

    /// Parses and validates decrypted bytes against the envelope they came
    /// in. Time is checked separately (it needs the caller's clock).
    pub(crate) fn from_plaintext(bytes: &[u8], envelope: &Envelope) -> Result<Self, OpenError> {
        // A struct also decodes from a JSON array, field by field: only objects are payloads.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => OpenError::BadPlaintext("not a JSON object".to_owned()),
                Err(e) => OpenError::BadPlaintext(format!("not JSON: {e}")),
            });
        }
        // Decoded straight from the bytes (a `Value` tree first cost as much again as the
        // decode); only when that fails is the version read on its own, so that a v2 document
        // with a new layout reports "unsupported version", not a confusing field error.
        // The field path only matters in an error, and tracking it slows every decode down:
        // a payload that decodes is decoded once, one that does not again with its path.
        let decoded = serde_json::from_slice::<DevicePayload>(bytes).or_else(|_| {
            let mut decoder = serde_json::Deserializer::from_slice(bytes);
            serde_path_to_error::deserialize::<_, DevicePayload>(&mut decoder)
                .map_err(|e| e.to_string())
                .and_then(|payload| decoder.end().map(|()| payload).map_err(|e| e.to_string()))
        });
        let payload = match decoded {
            Ok(payload) if payload.v == PLAINTEXT_VERSION => payload,
            Ok(payload) => return Err(OpenError::UnsupportedVersion { v: payload.v }),
            Err(field_error) => {
                return Err(version_error(bytes).unwrap_or(OpenError::BadPlaintext(field_error)));
            }
        };
        payload.validate(envelope)?;
        Ok(payload)
    }

    fn validate(&self, envelope: &Envelope) -> Result<(), OpenError> {
        let id_ok = self.payload_id.len() == PAYLOAD_ID_LEN
            && self.payload_id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !id_ok {
            return Err(OpenError::BadPlaintext("payload_id must be 32 lowercase hex characters".to_owned()));
        }
        if self.session_id != envelope.session_id() {
            return Err(OpenError::ClearFieldMismatch { field: ClearField::SessionId });
        }
        if self.platform != envelope.platform() {
            return Err(OpenError::ClearFieldMismatch { field: ClearField::Platform });
        }
        if Some(self.sdk_version.as_str()) != envelope.sdk_version() {
            return Err(OpenError::ClearFieldMismatch { field: ClearField::SdkVersion });
        }
        if let Some((name, _)) = self.signals.iter().find(|(_, v)| !v.is_object()) {
            return Err(OpenError::BadPlaintext(format!("signals.{} is not an object", excerpt(name))));
        }
        for (name, value) in [("behavior", &self.behavior), ("context", &self.context)] {
            if value.as_ref().is_some_and(|v| !v.is_object() && !v.is_null()) {
                return Err(OpenError::BadPlaintext(format!("{name} must be an object or null")));
            }
        }
        Ok(())
    }
}

/// `duration_ms` from `performance.now()` differences is fractional; NaN
/// and infinities have no JSON form, so they become `null`.
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// What is wrong with a plaintext's version, if anything: it is not JSON at all, `v` is
/// missing, not a non-negative integer, or not the version this server reads.
fn version_error(bytes: &[u8]) -> Option<OpenError> {
    let VersionField { v } = match serde_json::from_slice(bytes) {
        Ok(version) => version,
        Err(e) => return Some(OpenError::BadPlaintext(format!("not JSON: {e}"))),
    };
    match v {
        None => Some(OpenError::BadPlaintext("missing field `v`".to_owned())),
        Some(v) => match v.as_u64() {
            Some(PLAINTEXT_VERSION) => None,
            Some(v) => Some(OpenError::UnsupportedVersion { v }),
            None => Some(OpenError::BadPlaintext("v is not a non-negative integer".to_owned())),
        },
    }
}

/// The plaintext's version alone; every other field is skipped. A `null` version is present
/// (and wrong), not missing.
#[derive(Deserialize)]
struct VersionField {
    #[serde(default, deserialize_with = "present")]
    v: Option<Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}
