//! `sightline-device` owns device intelligence: everything Sightline
//! concludes from one opened device payload plus what the caller knows
//! about the request and the store.
//!
//! - [`analyse`]: SEON-compatible `device_details`, detector flags,
//!   Socure-style reason codes, `device_risk` and `identity_correlation`
//!   scores, and the payload's [`Fingerprint`].
//! - [`fingerprint`] and [`link`]: device identity — hardware, browser and
//!   cookie hashes, normalised attributes, and linking a payload to a known
//!   device with an explanation; [`Fingerprint::candidate_keys`] lets a
//!   store fetch a handful of candidates out of many devices.
//! - [`catalogue`]: every reason code (rendered to `docs/reason-codes.md`).
//! - [`simulate`]: realistic Web, Android and iOS payloads for scenarios
//!   (clean, emulator, rooted, bot, VPN, …), deterministic from a seed.
//! - [`population`]: a synthetic device population with drift and an
//!   accuracy evaluation of linking against an exact-hash baseline.
//!
//! It is pure logic: no files, network, clock or database. Storing known
//! devices, counting persons per device and replay memory belong to the
//! store; the caller passes their results in [`DeviceHistory`]. The design
//! is described in `docs/device-intelligence.md`.
//!
//! ```
//! use sightline_device::{AnalysisInput, analyse, simulate};
//! use sightline_payload::Platform;
//!
//! let now = 1_767_225_600_000;
//! let sim = simulate::simulate(Platform::Web, simulate::Scenario::Bot, 7, now)?;
//! let mut input = AnalysisInput::new(&sim[0].payload, now);
//! input.request = sim[0].request.clone();
//! let analysis = analyse(&input);
//! assert!(analysis.has_flag("webdriver"));
//! assert!(analysis.device_risk.value >= 70);
//! # Ok::<(), simulate::SimulateError>(())
//! ```

mod analysis;
mod codes;
mod details;
mod detect;
mod geo;
mod identity;
mod input;
pub mod rng;
mod score;
mod signals;
mod ua;

pub mod population;
pub mod simulate;

pub use analysis::{DeviceAnalysis, ReasonCode, analyse};
pub use codes::{Category, ReasonCodeInfo, catalogue, render_markdown as render_reason_codes_markdown};
pub use detect::{Flag, SUSPICIOUS_FLAGS};
pub use identity::{
    AttributeSpec, AttributeStats, Change, Comparator, Explanation, Fingerprint, KEPT_IDS, KnownDevice, LinkConfig,
    LinkDecision, MIN_STATS_POPULATION, attribute_specs, can_link_by_attributes, fingerprint, link, link_by_id,
    link_candidates, link_with_stats, normalise_gpu, render_attribute_table,
};
pub use input::{AnalysisConfig, AnalysisInput, DeviceHistory, GeoPoint, LastSeen, RequestContext};
pub use score::Score;
