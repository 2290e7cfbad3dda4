//! Linking a fingerprint to a known device.
//!
//! 1. Exact: the persistent id (cookie/app id) or a stable device id is
//!    already on a known device; or, failing that, exactly one known device
//!    has the identical attribute hash *and* enough evidence (step 3).
//!    An id that joined a device through a fingerprint link is revoked when
//!    the device turns out to hold two browsers (ids interleave, or the
//!    browser went back a version): the payload is `New` and founds the
//!    record its later payloads link to (see `holds_another_device`).
//! 2. Vetoes: another platform, browser family or OS; more than
//!    `max_strong_changes` unexplained changes of strong attributes (GPU,
//!    canvas, fonts, model, cores, …).
//! 3. Evidence, in bits, as a Fellegi–Sunter log-likelihood ratio "same
//!    device" vs "another device that happens to look like it": each
//!    agreeing value adds its surprisal `-log2(frequency)` from
//!    [`AttributeStats`] (rare values identify, common ones do not), counted
//!    in full only for the strongest agreement of each correlated group;
//!    each unexplained disagreement subtracts `-log2(1 - stability)`;
//!    expected drift (browser/OS update, the rendering changes that come
//!    with it, re-ordered languages) is neutral; a persisted id the known
//!    device never had subtracts `cookie_conflict_bits` (a fresh id — cleared
//!    storage — does not), disjoint stable device ids `id_conflict_bits`.
//!    The link needs `max(min_identifying_bits, log2(known devices) +
//!    collision_margin_bits + idle days / dormancy_half_life_days)`: the more
//!    devices on record, the more look-alikes a new device may have, and the
//!    longer a record has been silent, the likelier a look-alike's first visit
//!    is than its return.
//! 4. Similarity: the weighted share of agreeing attributes (prior bits ×
//!    stability) must reach `link_threshold` — a sanity floor and the
//!    reported confidence's companion.
//! 5. Ambiguity: when another device's evidence is within
//!    `ambiguity_margin_bits` of the best, the answer is `New`, not a guess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sightline_payload::Platform;

use super::stats::{AttributeStats, class_key};
use super::weights::{AttributeSpec, Class, attribute_specs, compare, version_newer};
use super::{Fingerprint, attributes_hash, short_hash};

/// A device on record, as the store keeps it for linking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownDevice {
    pub device_id: String,
    pub platform: Platform,
    /// Every persistent id hash seen on this device.
    pub cookie_hashes: Vec<String>,
    pub id_hashes: Vec<String>,
    pub device_hash: String,
    pub browser_hash: String,
    /// The latest attributes (drift accumulates one visit at a time).
    pub attributes: BTreeMap<String, String>,
    pub attributes_hash: String,
    pub last_seen_ms: i64,
    /// When each persistent id was seen here and how it joined; empty for
    /// records stored before it was kept (the split rules then stay off).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) cookie_history: Vec<CookieSeen>,
}

/// One persistent id of a [`KnownDevice`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CookieSeen {
    hash: String,
    first_ms: i64,
    last_ms: i64,
    /// Joined through a fingerprint link (after cleared storage or in a
    /// private window) rather than founding the record or arriving with a
    /// matching device id: the weaker association, revoked first when the
    /// record turns out to hold two devices.
    linked: bool,
}

/// How many persistent ids of each kind a device record keeps, the most recently seen. A
/// browser gets a new id each time its storage is cleared or a private window opens, so a
/// person's device collects a few; a bot that starts every request from a fresh profile
/// collects one per request, and without a bound its record — read, parsed and rewritten on
/// every decision — grew with every request. An id older than the newest 32 that comes back
/// links through the fingerprint, like a cleared browser's.
pub const KEPT_IDS: usize = 32;

impl KnownDevice {
    pub fn from_fingerprint(device_id: impl Into<String>, fp: &Fingerprint, seen_ms: i64) -> Self {
        Self {
            device_id: device_id.into(),
            platform: fp.platform,
            cookie_hashes: fp.cookie_hash.iter().cloned().collect(),
            id_hashes: fp.id_hashes.clone(),
            device_hash: fp.device_hash.clone(),
            browser_hash: fp.browser_hash.clone(),
            attributes: fp.attributes.clone(),
            attributes_hash: fp.attributes_hash(),
            last_seen_ms: seen_ms,
            cookie_history: fp
                .cookie_hash
                .iter()
                .map(|c| CookieSeen { hash: c.clone(), first_ms: seen_ms, last_ms: seen_ms, linked: false })
                .collect(),
        }
    }

    /// Takes in a payload linked to this device: its ids join the device's
    /// and its attributes become the reference for the next visit.
    pub fn absorb(&mut self, fp: &Fingerprint, seen_ms: i64) {
        if let Some(c) = &fp.cookie_hash {
            match self.cookie_history.iter_mut().find(|s| &s.hash == c) {
                Some(s) => {
                    s.first_ms = s.first_ms.min(seen_ms);
                    s.last_ms = s.last_ms.max(seen_ms);
                }
                None => {
                    // A new id without a matching device id can only have
                    // come through the fingerprint; one already on a record
                    // stored before the history was kept is of unknown
                    // origin, so it is never revoked.
                    let by_id = fp.id_hashes.iter().any(|id| self.id_hashes.contains(id));
                    self.cookie_history.push(CookieSeen {
                        hash: c.clone(),
                        first_ms: seen_ms,
                        last_ms: seen_ms,
                        linked: !by_id && !self.cookie_hashes.contains(c),
                    });
                }
            }
            keep_newest(&mut self.cookie_hashes, c);
            if self.cookie_history.len() > KEPT_IDS {
                self.cookie_history.sort_by_key(|s| std::cmp::Reverse(s.last_ms));
                self.cookie_history.truncate(KEPT_IDS);
            }
        }
        for id in &fp.id_hashes {
            keep_newest(&mut self.id_hashes, id);
        }
        self.device_hash = fp.device_hash.clone();
        self.browser_hash = fp.browser_hash.clone();
        self.attributes = fp.attributes.clone();
        self.attributes_hash = attributes_hash(fp.platform, &fp.attributes);
        self.last_seen_ms = self.last_seen_ms.max(seen_ms);
    }
}

/// Puts `id` last (the most recent) in `ids` and drops the oldest beyond [`KEPT_IDS`].
fn keep_newest(ids: &mut Vec<String>, id: &str) {
    if ids.last().is_some_and(|last| last == id) {
        return;
    }
    ids.retain(|kept| kept != id);
    ids.push(id.to_owned());
    if ids.len() > KEPT_IDS {
        ids.drain(..ids.len() - KEPT_IDS);
    }
}

/// Thresholds of [`link`]; defaults are tuned on the synthetic population
/// (`cargo run --release -p sightline-device --example evaluate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkConfig {
    /// Minimum weighted similarity (0–1) to link.
    pub link_threshold: f64,
    /// Floor of the required evidence, in bits.
    pub min_identifying_bits: f64,
    /// Evidence required above log2(known devices): the prior odds against
    /// "returning device without its id" plus a safety margin.
    pub collision_margin_bits: f64,
    /// Required lead, in bits, of the best device over the runner-up.
    pub ambiguity_margin_bits: f64,
    /// Evidence subtracted when the payload carries a persisted first-party
    /// id the known device never had. Such an id is on no record at all, so
    /// its first session never reached us — often a cleared browser coming
    /// back, but also exactly what a second machine of the same model looks
    /// like; two people's identical hardware must stay apart, so the
    /// penalty is large. (Measured: 1 bit instead would lift recall at 300
    /// devices from 94.85 % to 95.09 % at equal precision.)
    pub cookie_conflict_bits: f64,
    /// Evidence subtracted when the payload's stable device ids (Android
    /// ID, IDFV, …) and the known device's are disjoint: those survive
    /// reinstalls, so another id is another device.
    pub id_conflict_bits: f64,
    /// More changed strong attributes than this vetoes the link.
    pub max_strong_changes: usize,
    /// Largest forward jump of a browser major version taken as an update.
    pub max_version_jump: u32,
    /// Similarity credit for expected drift (version bump, re-ordered languages).
    pub drift_credit: f64,
    /// Similarity credit for a changed rendering hash after an update.
    pub update_credit: f64,
    /// Agreements beyond the strongest of a correlated group count this much.
    pub group_discount: f64,
    /// Below this total weight of comparable attributes there is too little
    /// to compare.
    pub min_compared_weight: f64,
    /// The prior odds that a known device is the one returning halve for
    /// every this many days it has been idle: devices are replaced, sold and
    /// reset, so a record silent for months is more likely a look-alike's
    /// than the returning device's. Applies to fingerprint links only (an id
    /// match stands on its own); 0 turns it off.
    pub dormancy_half_life_days: f64,
    /// Subtracted from the evidence's surplus over log2(known devices)
    /// before the logistic that gives `confidence`: the prior odds of "new
    /// device" against "returning without its id" (about 2 bits) plus the
    /// model's optimism. 7 makes `confidence` match the measured precision of
    /// fingerprint-only links on the synthetic population (≈ 0.9 at the
    /// threshold). Does not affect decisions.
    pub confidence_offset_bits: f64,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            link_threshold: 0.75,
            min_identifying_bits: 14.0,
            collision_margin_bits: 9.0,
            ambiguity_margin_bits: 3.0,
            cookie_conflict_bits: 10.0,
            id_conflict_bits: 10.0,
            max_strong_changes: 1,
            max_version_jump: 8,
            drift_credit: 0.9,
            update_credit: 0.5,
            group_discount: 0.0,
            min_compared_weight: 8.0,
            confidence_offset_bits: 7.0,
            dormancy_half_life_days: 20.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub attr: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub matched: Vec<String>,
    pub changed: Vec<Change>,
    pub missing: Vec<String>,
    /// Weighted share of agreeing attributes, 0–1.
    pub similarity: f64,
    /// Evidence for "same device" in bits, and what was required.
    pub evidence_bits: f64,
    pub required_bits: f64,
    /// Days the device had been idle, and the bits that cost the evidence
    /// (`LinkConfig::dormancy_half_life_days`).
    #[serde(default)]
    pub idle_days: f64,
    #[serde(default)]
    pub dormancy_bits: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkDecision {
    /// Same persistent id (`matched_on`: "cookie" or "id") or identical
    /// attributes with enough evidence ("attributes").
    Exact {
        device_id: String,
        matched_on: String,
    },
    /// `confidence`: probability of "same device" from the evidence and the
    /// population size (see `LinkConfig::confidence_offset_bits`).
    Linked {
        device_id: String,
        confidence: f64,
        explanation: Explanation,
    },
    New,
}

impl LinkDecision {
    pub fn device_id(&self) -> Option<&str> {
        match self {
            LinkDecision::Exact { device_id, .. } | LinkDecision::Linked { device_id, .. } => Some(device_id),
            LinkDecision::New => None,
        }
    }
}

/// Links with prior identifying power only (no population statistics);
/// `now_ms` is when the payload was seen.
pub fn link(candidate: &Fingerprint, now_ms: i64, known: &[KnownDevice], config: &LinkConfig) -> LinkDecision {
    link_with_stats(candidate, now_ms, known, config, &AttributeStats::default())
}

/// Links using the population's value frequencies for the evidence.
pub fn link_with_stats(
    candidate: &Fingerprint,
    now_ms: i64,
    known: &[KnownDevice],
    config: &LinkConfig,
    stats: &AttributeStats,
) -> LinkDecision {
    let refs: Vec<&KnownDevice> = known.iter().collect();
    link_candidates(candidate, now_ms, &refs, config, stats)
}

/// [`link_with_stats`] over borrowed candidates, e.g. the union of the
/// store's [`candidate_keys`] look-ups, without copying them.
pub fn link_candidates(
    candidate: &Fingerprint,
    now_ms: i64,
    known: &[&KnownDevice],
    config: &LinkConfig,
    stats: &AttributeStats,
) -> LinkDecision {
    if let Some(d) = exact_id(candidate, known) {
        return d;
    }
    let prepared = Prepared::new(candidate, config, stats);
    let required = required_bits(config, stats);
    if prepared.bound() < required {
        // Even a perfect match would not identify: a common set-up.
        return LinkDecision::New;
    }
    let mut best: Option<(usize, Comparison)> = None;
    let mut runner_up = f64::NEG_INFINITY;
    for (i, k) in known.iter().copied().enumerate() {
        if k.platform != candidate.platform {
            continue;
        }
        let Some(c) = prepared.compare(k, now_ms) else { continue };
        if c.similarity < config.link_threshold {
            continue;
        }
        // Ranked by posterior odds: evidence less what idleness costs.
        match &best {
            Some((bi, b)) if c.odds_bits() <= b.odds_bits() => {
                if known[*bi].device_id != k.device_id {
                    runner_up = runner_up.max(c.odds_bits());
                }
            }
            _ => {
                if let Some((bi, b)) = &best {
                    if known[*bi].device_id != k.device_id {
                        runner_up = runner_up.max(b.odds_bits());
                    }
                }
                best = Some((i, c));
            }
        }
    }
    let Some((i, c)) = best else { return LinkDecision::New };
    // Idleness lowers the prior odds of this record against a look-alike's
    // first visit; the floor is an absolute standard of evidence and stays.
    let required = required.max(population_bits(stats) + config.collision_margin_bits + c.dormancy_bits);
    if c.bits < required || c.odds_bits() - runner_up < config.ambiguity_margin_bits {
        return LinkDecision::New;
    }
    let k = known[i];
    if c.changed == 0 && c.missing == 0 && c.penalty == 0.0 {
        return LinkDecision::Exact { device_id: k.device_id.clone(), matched_on: "attributes".to_owned() };
    }
    let odds_bits = c.odds_bits() - population_bits(stats) - config.confidence_offset_bits;
    let confidence = 1.0 / (1.0 + 2f64.powf(-odds_bits));
    LinkDecision::Linked {
        device_id: k.device_id.clone(),
        confidence: (confidence * 1000.0).round() / 1000.0,
        explanation: prepared.explain(k, &c, required),
    }
}

/// The decision the persistent ids settle on their own (step 1), if any. A
/// store can read the records holding the payload's ids first and look up
/// attribute candidates only when this has no answer.
pub fn link_by_id(candidate: &Fingerprint, known: &[&KnownDevice]) -> Option<LinkDecision> {
    exact_id(candidate, known)
}

fn exact_id(candidate: &Fingerprint, known: &[&KnownDevice]) -> Option<LinkDecision> {
    let mut best: Option<(&KnownDevice, &str)> = None;
    let mut revoked = false;
    for k in known.iter().copied() {
        let on = match &candidate.cookie_hash {
            Some(c) if k.cookie_hashes.contains(c) => {
                if holds_another_device(k, candidate, c) {
                    revoked = true;
                    continue;
                }
                "cookie"
            }
            _ if candidate.id_hashes.iter().any(|id| k.id_hashes.contains(id)) => "id",
            _ => continue,
        };
        // Should two devices share an id (a past mis-link), the most
        // recently seen one is the live record.
        if best.is_none_or(|(b, _)| k.last_seen_ms > b.last_seen_ms) {
            best = Some((k, on));
        }
    }
    match best {
        Some((k, on)) => Some(LinkDecision::Exact { device_id: k.device_id.clone(), matched_on: on.to_owned() }),
        // The fingerprint already linked this id to a device it does not
        // belong to; linking by attributes would repeat the mistake.
        None if revoked => Some(LinkDecision::New),
        None => None,
    }
}

/// Whether the payload, carrying persistent id `cookie` that joined `known`
/// through a fingerprint link, shows that the link was wrong: the record
/// holds two devices, and this id is the other one's. One browser profile
/// has one live id at a time — clearing storage retires the old id for
/// good, a private window's id lives for one session — and its versions
/// only move forward. So either sign is impossible for one device:
/// - interleaving: an id older than this one came back after this one
///   joined (so this one was no replacement), and now this one is back too
///   (so it was no one-off private session either);
/// - regression: the record's latest payload came with another id and a
///   newer browser or OS than this payload's.
///
/// The id that founded the record, or joined with a matching device id,
/// is never revoked: it stands on stronger evidence than the fingerprint.
fn holds_another_device(known: &KnownDevice, candidate: &Fingerprint, cookie: &str) -> bool {
    let Some(own) = known.cookie_history.iter().find(|s| s.hash == cookie) else { return false };
    if !own.linked {
        return false;
    }
    let interleaved =
        known.cookie_history.iter().any(|s| s.hash != cookie && s.first_ms < own.first_ms && s.last_ms > own.first_ms);
    interleaved || (own.last_ms < known.last_seen_ms && regressed(candidate, known))
}

/// The payload runs an older browser or OS than the device on record did.
fn regressed(candidate: &Fingerprint, known: &KnownDevice) -> bool {
    let (c, k) = (&candidate.attributes, &known.attributes);
    fn family_major(ua: &str) -> (Option<&str>, Option<u32>) {
        let mut p = ua.splitn(3, '/');
        (p.next(), p.next().and_then(|m| m.parse().ok()))
    }
    let ua_older = match (c.get("ua"), k.get("ua")) {
        (Some(a), Some(b)) => matches!(
            (family_major(a), family_major(b)),
            ((fa, Some(ma)), (fb, Some(mb))) if fa == fb && ma < mb
        ),
        _ => false,
    };
    let os_older = matches!((c.get("os_version"), k.get("os_version")), (Some(a), Some(b)) if version_newer(b, a));
    ua_older || os_older
}

const DAY_MS: f64 = 86_400_000.0;

/// log2 of the devices on record: the look-alikes a new device may have.
fn population_bits(stats: &AttributeStats) -> f64 {
    (stats.devices() as f64 + 1.0).log2()
}

/// The gate for a record seen just now (see [`LinkConfig`]).
fn required_bits(config: &LinkConfig, stats: &AttributeStats) -> f64 {
    config.min_identifying_bits.max(population_bits(stats) + config.collision_margin_bits)
}

/// Whether a fingerprint could be linked by attributes at all with this
/// population; when not, a store only needs to look up its id keys.
pub fn can_link_by_attributes(candidate: &Fingerprint, config: &LinkConfig, stats: &AttributeStats) -> bool {
    Prepared::new(candidate, config, stats).bound() >= required_bits(config, stats)
}

/// One comparison's numbers; attributes are bit masks over the spec table
/// so that scanning many devices allocates nothing.
#[derive(Debug)]
struct Comparison {
    // `bits` is the evidence; `dormancy_bits` the prior odds idleness costs.
    similarity: f64,
    bits: f64,
    penalty: f64,
    idle_days: f64,
    dormancy_bits: f64,
    matched: u64,
    changed: u64,
    missing: u64,
}

impl Comparison {
    fn odds_bits(&self) -> f64 {
        self.bits - self.dormancy_bits
    }
}

/// The candidate's side of every comparison, computed once per link: its
/// values in table order and the bits each would earn on agreement.
struct Prepared<'a> {
    cand: &'a Fingerprint,
    config: &'a LinkConfig,
    class_bits: f64,
    /// (spec index, spec, candidate value, weight, bits on agreement).
    items: Vec<(usize, &'static AttributeSpec, Option<&'a str>, f64, f64)>,
    ua: Option<&'a str>,
    os_version: Option<&'a str>,
}

impl<'a> Prepared<'a> {
    fn new(cand: &'a Fingerprint, config: &'a LinkConfig, stats: &AttributeStats) -> Self {
        let class = Class::of(cand.platform, &cand.attributes);
        let key = class_key(cand.platform, &cand.attributes);
        let items = attribute_specs()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.weight(class) > 0.0)
            .map(|(i, s)| {
                let v = cand.attributes.get(s.key).map(String::as_str);
                let bits = v.map_or(0.0, |v| stats.bits_within(&key, s.key, v, s.prior_bits(class)));
                (i, s, v, s.weight(class), bits)
            })
            .collect();
        Self {
            cand,
            config,
            class_bits: stats.class_bits(&key),
            items,
            ua: cand.attributes.get("ua").map(String::as_str),
            os_version: cand.attributes.get("os_version").map(String::as_str),
        }
    }

    /// The evidence of a device agreeing on everything: an upper bound.
    fn bound(&self) -> f64 {
        self.class_bits + self.grouped(|_| true)
    }

    fn grouped(&self, include: impl Fn(usize) -> bool) -> f64 {
        let mut groups: [(f64, f64); 5] = [(0.0, 0.0); 5];
        for (i, spec, v, _, bits) in &self.items {
            if v.is_none() || !include(*i) {
                continue;
            }
            let g = &mut groups[spec.group as usize];
            // (strongest agreement, sum of the others)
            if *bits > g.0 {
                g.1 += g.0;
                g.0 = *bits;
            } else {
                g.1 += *bits;
            }
        }
        groups.iter().map(|(top, rest)| top + self.config.group_discount * rest).sum()
    }

    fn compare(&self, known: &KnownDevice, now_ms: i64) -> Option<Comparison> {
        let config = self.config;
        let ka = &known.attributes;
        // An update of the browser or OS explains changed rendering hashes.
        let major = |s: &str| s.split('/').nth(1).and_then(|m| m.parse::<u32>().ok());
        let updated = matches!((self.ua.and_then(major), ka.get("ua").and_then(|u| major(u))), (Some(x), Some(y)) if x > y)
            || matches!((self.os_version, ka.get("os_version")), (Some(a), Some(b)) if version_newer(a, b));
        let (mut total, mut score, mut against) = (0.0, 0.0, 0.0);
        let mut strong_changes = 0;
        let mut c = Comparison {
            similarity: 0.0,
            bits: 0.0,
            penalty: 0.0,
            idle_days: 0.0,
            dormancy_bits: 0.0,
            matched: 0,
            changed: 0,
            missing: 0,
        };
        for (i, spec, cv, w, _) in &self.items {
            let bit = 1u64 << i;
            match (cv, ka.get(spec.key)) {
                (Some(a), Some(b)) => {
                    let mut sim = compare(spec.comparator, a, b, config.max_version_jump, config.drift_credit)?;
                    total += w;
                    if sim >= 0.999 {
                        c.matched |= bit;
                    } else {
                        // Only designated drift (a newer version, the same
                        // languages re-ordered) or an update explains a change.
                        let after_update = spec.update_sensitive && updated;
                        if after_update {
                            sim = sim.max(config.update_credit);
                        }
                        if sim < config.drift_credit - 1e-9 && !after_update {
                            against += -(1.0 - spec.stability).max(1e-3).log2();
                            if spec.strong {
                                strong_changes += 1;
                            }
                        }
                        c.changed |= bit;
                    }
                    score += w * sim;
                }
                (Some(_), None) | (None, Some(_)) => c.missing |= bit,
                (None, None) => {}
            }
        }
        if strong_changes > config.max_strong_changes || total < config.min_compared_weight {
            return None;
        }
        let cand = self.cand;
        let cookie_conflict = cand
            .cookie_hash
            .as_ref()
            .is_some_and(|h| !cand.cookie_fresh && !known.cookie_hashes.is_empty() && !known.cookie_hashes.contains(h));
        let id_conflict = !cand.id_hashes.is_empty()
            && !known.id_hashes.is_empty()
            && !cand.id_hashes.iter().any(|id| known.id_hashes.contains(id));
        c.penalty = if id_conflict {
            config.id_conflict_bits
        } else if cookie_conflict {
            config.cookie_conflict_bits
        } else {
            0.0
        };
        c.similarity = score / total;
        c.idle_days = now_ms.saturating_sub(known.last_seen_ms).max(0) as f64 / DAY_MS;
        if config.dormancy_half_life_days > 0.0 {
            c.dormancy_bits = c.idle_days / config.dormancy_half_life_days;
        }
        // The class (platform, OS, browser family) is itself evidence, and
        // the attributes' bits were measured within it.
        let matched = c.matched;
        c.bits = self.class_bits + self.grouped(|i| matched & (1u64 << i) != 0) - against - c.penalty;
        Some(c)
    }

    fn explain(&self, known: &KnownDevice, c: &Comparison, required: f64) -> Explanation {
        let mut e = Explanation {
            similarity: (c.similarity * 1000.0).round() / 1000.0,
            evidence_bits: (c.bits * 10.0).round() / 10.0,
            required_bits: (required * 10.0).round() / 10.0,
            idle_days: (c.idle_days * 10.0).round() / 10.0,
            dormancy_bits: (c.dormancy_bits * 10.0).round() / 10.0,
            ..Explanation::default()
        };
        for (i, spec, cv, _, _) in &self.items {
            let bit = 1u64 << i;
            if c.matched & bit != 0 {
                e.matched.push(spec.key.to_owned());
            } else if c.changed & bit != 0 {
                let from = known.attributes.get(spec.key).cloned().unwrap_or_default();
                e.changed.push(Change { attr: spec.key.to_owned(), from, to: cv.unwrap_or("").to_owned() });
            } else if c.missing & bit != 0 {
                e.missing.push(spec.key.to_owned());
            }
        }
        e
    }
}

/// Keys under which a store indexes known devices so that a candidate's
/// look-up fetches few of them. Each payload yields its id keys plus two or
/// three attribute keys chosen so that any single expected drift (monitor
/// change, travel, browser update, font install) leaves at least one key
/// unchanged.
pub fn candidate_keys(fp: &Fingerprint) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(c) = &fp.cookie_hash {
        keys.push(format!("id:{c}"));
    }
    keys.extend(fp.id_hashes.iter().map(|h| format!("id:{h}")));
    let a = |k: &str| fp.attributes.get(k).map(String::as_str).unwrap_or("-");
    let family = a("ua").split('/').next().unwrap_or("-").to_owned();
    let os = a("ua").rsplit('/').next().unwrap_or("-").to_owned();
    let combos: Vec<(&str, Vec<&str>)> = match Class::of(fp.platform, &fp.attributes) {
        Class::Desktop => vec![
            ("d1", vec![&family, &os, a("gpu"), a("screen")]),
            ("d2", vec![&family, &os, a("gpu"), a("cores"), a("fonts")]),
            ("d3", vec![&family, &os, a("screen"), a("fonts"), a("canvas")]),
        ],
        Class::MobileWeb => vec![
            ("m1", vec![&family, &os, a("screen"), a("model"), a("timezone")]),
            ("m2", vec![&family, &os, a("screen"), a("languages"), a("gpu")]),
        ],
        Class::Native => vec![
            ("n1", vec![fp.platform.as_str(), a("model"), a("screen"), a("storage")]),
            ("n2", vec![fp.platform.as_str(), a("model"), a("sensors"), a("device_name")]),
        ],
    };
    for (name, parts) in combos {
        let joined = format!("{}|{}", fp.platform.as_str(), parts.join("|"));
        keys.push(format!("{name}:{}", &short_hash(joined.as_bytes())[..16]));
    }
    keys
}
