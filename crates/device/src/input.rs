//! What the caller hands to [`crate::analyse`]: the opened payload, facts
//! about the HTTP request, the clock, and what the store knows about the
//! device and the person. Everything is optional except the payload: a
//! missing fact disables the checks that need it instead of guessing.

use serde::{Deserialize, Serialize};
use sightline_payload::DevicePayload;

use crate::identity::LinkDecision;

/// Facts about the partner's request that carried the payload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestContext {
    /// End-user IP address as the partner saw it (textual IPv4/IPv6).
    pub ip: Option<String>,
    /// ISO 3166-1 alpha-2 country of `ip` from the caller's IP intelligence.
    pub ip_country: Option<String>,
    pub ip_region: Option<String>,
    pub ip_isp: Option<String>,
    pub ip_is_tor: Option<bool>,
    pub ip_is_vpn: Option<bool>,
    pub ip_is_proxy: Option<bool>,
    pub ip_is_hosting: Option<bool>,
    /// The end user's `User-Agent` header as the partner received it.
    pub user_agent: Option<String>,
    /// The end user's `Accept-Language` header.
    pub accept_language: Option<String>,
}

/// A point on earth, e.g. from the device's geolocation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    /// Radius in metres; `None` when unknown.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
}

/// Where and when the previous session was (the person's previous session
/// when the person is known, else the device's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastSeen {
    pub at_ms: i64,
    #[serde(default)]
    pub ip_country: Option<String>,
    #[serde(default)]
    pub geo: Option<GeoPoint>,
}

/// What the store knows about the linked device and the person. The caller
/// normally computes [`crate::fingerprint`], runs [`crate::link`] against
/// candidates from the store, reads the counters for the resulting device
/// and person, and only then calls [`crate::analyse`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceHistory {
    /// The device this payload was linked to (SEON's `true_device_id`).
    pub device_id: Option<String>,
    /// How the device was recognised.
    pub link: Option<LinkDecision>,
    /// Hashes stored for the linked device, to tell hardware from browser changes.
    pub known_device_hash: Option<String>,
    pub known_browser_hash: Option<String>,
    /// Distinct persons seen on this device in the last 24 hours / 30 days,
    /// including the current one.
    pub persons_on_device_24h: Option<u32>,
    pub persons_on_device_30d: Option<u32>,
    /// Distinct devices the person used in the last 30 days, including this one.
    pub devices_of_person_30d: Option<u32>,
    /// `Some(true)` when the person is known and has never used this device.
    pub is_new_device_for_person: Option<bool>,
    /// When the person first used this device.
    pub person_device_first_seen_ms: Option<i64>,
    pub last_seen: Option<LastSeen>,
}

/// Tunable thresholds of the detectors; the defaults are documented in
/// `docs/device-intelligence.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisConfig {
    pub shared_device_persons_24h: u32,
    pub shared_device_persons_30d: u32,
    pub many_devices_of_person_30d: u32,
    pub established_device_days: u32,
    /// Above this speed between two sessions the travel is impossible.
    pub max_travel_kmh: f64,
    /// Distances below this are never impossible travel: IP-country
    /// reference points are only that precise.
    pub min_travel_km: f64,
    /// GPS readings less precise than this are not used.
    pub max_geo_accuracy_m: f64,
    pub stale_payload_ms: i64,
    pub future_skew_ms: i64,
    pub outdated_browser_days: i64,
    pub current_browser_days: i64,
    /// GPS further than this from the IP country's reference point counts
    /// as far (countries are large; this is deliberately generous).
    pub gps_ip_max_km: f64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        Self {
            shared_device_persons_24h: 3,
            shared_device_persons_30d: 5,
            many_devices_of_person_30d: 5,
            established_device_days: 30,
            max_travel_kmh: 1000.0,
            min_travel_km: 500.0,
            max_geo_accuracy_m: 50_000.0,
            stale_payload_ms: 15 * 60 * 1000,
            future_skew_ms: 2 * 60 * 1000,
            outdated_browser_days: 365,
            current_browser_days: 120,
            gps_ip_max_km: 1500.0,
        }
    }
}

/// Everything [`crate::analyse`] reads.
#[derive(Debug, Clone)]
pub struct AnalysisInput<'a> {
    pub payload: &'a DevicePayload,
    pub request: RequestContext,
    /// The caller's clock, milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// The store's replay memory already holds this `payload_id`.
    pub replayed: bool,
    pub history: DeviceHistory,
    pub config: AnalysisConfig,
}

impl<'a> AnalysisInput<'a> {
    /// An input with no request facts, no history and default thresholds.
    pub fn new(payload: &'a DevicePayload, now_ms: i64) -> Self {
        Self {
            payload,
            request: RequestContext::default(),
            now_ms,
            replayed: false,
            history: DeviceHistory::default(),
            config: AnalysisConfig::default(),
        }
    }
}
