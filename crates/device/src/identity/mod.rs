//! Device identity: the [`Fingerprint`] of one payload and [`link`]ing it to
//! a known device.
//!
//! Three hashes with different lifetimes:
//! - `device_hash` — hardware class: OS family, screen, colour depth, cores,
//!   touch points, GPU vendor. The same on every browser of one machine, and
//!   shared by identical machines (it is a class, not an identity).
//! - `browser_hash` — one browser profile's stable rendering and software
//!   facts (canvas, WebGL, audio, fonts, math, plugins, engine, GPU model).
//!   Excludes everything that drifts: versions, time zone, languages,
//!   window, zoom.
//! - `cookie_hash` — the first-party id (web) or app install id (mobile).
//!
//! `attributes` holds the normalised comparable values used for linking.

mod mobile;
mod stats;
mod web;
pub(crate) mod weights;

pub mod link;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sightline_payload::{DevicePayload, Platform};

pub use link::{
    Change, Explanation, KEPT_IDS, KnownDevice, LinkConfig, LinkDecision, can_link_by_attributes, link, link_by_id,
    link_candidates, link_with_stats,
};
pub use stats::{AttributeStats, MIN_STATS_POPULATION};
pub use web::normalise_gpu;
pub use weights::{AttributeSpec, Comparator, attribute_specs, render_markdown as render_attribute_table};

use crate::signals::Signals;

/// The identity of one payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub platform: Platform,
    pub device_hash: String,
    pub browser_hash: String,
    /// Hash of the first-party id (web) or app install id (mobile).
    pub cookie_hash: Option<String>,
    /// The persistent id was created for this payload (`source: new`): the
    /// storage was empty, so a different id on a known device is no evidence
    /// against it.
    pub cookie_fresh: bool,
    /// Hashes of further stable identifiers (Android ID, GSF ID, IDFV,
    /// advertising id); any match is an exact match.
    pub id_hashes: Vec<String>,
    pub attributes: BTreeMap<String, String>,
}

impl Fingerprint {
    /// Hash over all attributes: equal for two payloads with nothing changed.
    pub fn attributes_hash(&self) -> String {
        attributes_hash(self.platform, &self.attributes)
    }

    /// Retrieval keys: the caller indexes known devices under these and
    /// fetches the union for a candidate. See [`link::candidate_keys`].
    pub fn candidate_keys(&self) -> Vec<String> {
        link::candidate_keys(self)
    }
}

/// Computes the fingerprint of an opened payload.
pub fn fingerprint(payload: &DevicePayload) -> Fingerprint {
    let s = Signals::new(&payload.signals);
    let parts = match payload.platform {
        Platform::Web => web::extract(&s),
        Platform::Android => mobile::extract_android(&s),
        Platform::Ios => mobile::extract_ios(&s),
    };
    Fingerprint {
        platform: payload.platform,
        device_hash: hash_parts(payload.platform, "device", &parts.device),
        browser_hash: hash_parts(payload.platform, "browser", &parts.browser),
        cookie_hash: parts.cookie.as_deref().map(|id| hash_id("cookie", id)),
        cookie_fresh: parts.cookie_fresh,
        id_hashes: parts.ids.iter().map(|(kind, id)| hash_id(kind, id)).collect(),
        attributes: parts.attributes,
    }
}

/// What a platform extractor produces before hashing.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub device: Vec<(&'static str, String)>,
    pub browser: Vec<(&'static str, String)>,
    pub cookie: Option<String>,
    pub cookie_fresh: bool,
    pub ids: Vec<(&'static str, String)>,
    pub attributes: BTreeMap<String, String>,
}

impl Parts {
    pub fn attr(&mut self, key: &str, value: Option<String>) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.attributes.insert(key.to_owned(), v);
        }
    }
}

/// 128 bits of SHA-256 as 32 hex characters: plenty against accidental
/// collisions and short enough to index.
pub(crate) fn short_hash(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    hex::encode(&digest[..16])
}

fn hash_parts(platform: Platform, domain: &str, parts: &[(&'static str, String)]) -> String {
    let mut buf = format!("sightline/{domain}/v1\n{}\n", platform.as_str());
    for (k, v) in parts {
        buf.push_str(k);
        buf.push('=');
        buf.push_str(v);
        buf.push('\n');
    }
    short_hash(buf.as_bytes())
}

pub(crate) fn attributes_hash(platform: Platform, attributes: &BTreeMap<String, String>) -> String {
    let mut buf = format!("sightline/attributes/v1\n{}\n", platform.as_str());
    for (k, v) in attributes {
        buf.push_str(k);
        buf.push('=');
        buf.push_str(v);
        buf.push('\n');
    }
    short_hash(buf.as_bytes())
}

fn hash_id(kind: &str, id: &str) -> String {
    short_hash(format!("sightline/id/v1\n{kind}\n{}", id.trim().to_ascii_lowercase()).as_bytes())
}

/// "1920x1080" with the long side first, so that rotating a phone does not
/// change the value.
pub(crate) fn dims(a: Option<f64>, b: Option<f64>) -> Option<String> {
    let (a, b) = (a?, b?);
    if !(a.is_finite() && b.is_finite()) || a <= 0.0 || b <= 0.0 {
        return None;
    }
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    Some(format!("{}x{}", hi.round() as i64, lo.round() as i64))
}

pub(crate) fn num(x: Option<f64>) -> Option<String> {
    let x = x.filter(|x| x.is_finite())?;
    if x.fract() == 0.0 && x.abs() < 1e15 { Some(format!("{}", x as i64)) } else { Some(format!("{:.2}", x)) }
}
