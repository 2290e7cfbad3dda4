//! The two base64 dialects the format meets: strict for our own sealed shape
//! (exactly one accepted spelling per byte string, so a re-encoded string
//! cannot slip past as "different but equal"), lenient for legacy blobs
//! copied out of documentation, where padding and tails often got lost.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Standard alphabet, padding required on decode, non-zero trailing bits
/// rejected: the only spelling the JS agent's `btoa` produces.
pub(crate) const STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

pub(crate) fn encode(bytes: &[u8]) -> String {
    STRICT.encode(bytes)
}

pub(crate) fn decode_strict(s: &str) -> Option<Vec<u8>> {
    STRICT.decode(s).ok()
}

/// Accepts either alphabet, any padding, embedded whitespace, and a dangling
/// final character (the usual result of truncating at an arbitrary point).
pub(crate) fn decode_lenient(s: &str) -> Option<Vec<u8>> {
    let mut cleaned: Vec<u8> = s
        .bytes()
        .filter(|b| !matches!(b, b'=' | b' ' | b'\t' | b'\r' | b'\n'))
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    if cleaned.len() % 4 == 1 {
        cleaned.pop();
    }
    LENIENT.decode(&cleaned).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_rejects_missing_padding_and_dirty_tail_bits() {
        assert_eq!(decode_strict("AAE=").as_deref(), Some(&[0u8, 1][..]));
        assert!(decode_strict("AAE").is_none());
        assert!(decode_strict("AAF=").is_none());
        assert!(decode_strict("AA-_").is_none());
    }

    #[test]
    fn lenient_accepts_truncation_and_url_alphabet() {
        assert_eq!(decode_lenient("AAE").as_deref(), Some(&[0u8, 1][..]));
        assert_eq!(decode_lenient("AAF=").as_deref(), Some(&[0u8, 1][..]));
        assert_eq!(decode_lenient("-_-_").as_deref(), Some(&[0xfb, 0xff, 0xbf][..]));
        assert_eq!(decode_lenient("AAECA").as_deref(), Some(&[0u8, 1, 2][..]));
        assert!(decode_lenient("AA*A").is_none());
    }
}
