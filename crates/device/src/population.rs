//! A synthetic device population for measuring linking accuracy, and the
//! evaluation itself.
//!
//! Devices are browsers drawn from [`crate::simulate::WebProfile`]'s
//! catalogues (so identical models collide: thousands of iPhone 15s with
//! the same screen, GPU and fonts; fleets of identical laptops). Each
//! visits a few times over the period and drifts between visits: browser
//! and OS updates (sometimes changing canvas/WebGL/audio), zoom, laptops
//! docking to an external monitor, trips to other time zones, re-ordered
//! languages, new fonts, headsets. The persistent id is lost by cookie
//! clearing, private windows and (optionally) Safari's 7-day storage cap.
//!
//! [`evaluate`] replays the observations in time order through [`link`]
//! against the devices known so far (fetched with the candidate keys, as a
//! store would), and runs an exact-hash baseline on the same data.
//!
//! [`link`]: crate::link

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::identity::{
    AttributeStats, Fingerprint, KnownDevice, LinkConfig, LinkDecision, MIN_STATS_POPULATION, can_link_by_attributes,
    fingerprint, link_candidates,
};
use crate::rng::SplitMix64;
use crate::simulate::catalog::{FONTS, LOCALES};
use crate::simulate::web::{self, Browser, WebProfile, current_major};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PopulationConfig {
    pub devices: usize,
    pub seed: u64,
    pub start_ms: i64,
    pub days: u32,
    /// Mean number of visits per device (at least one).
    pub mean_visits: f64,
    /// Mean days between two visits of a device.
    pub mean_gap_days: f64,
    /// Per visit: storage was cleared since the previous visit.
    pub cookie_clear_p: f64,
    /// Per visit: the session runs in a private window.
    pub private_p: f64,
    /// After a clear, the first session never reached us, so the next one
    /// carries a persisted id we do not know.
    pub unrecorded_after_clear_p: f64,
    /// Per visit: a trip to another time zone starts.
    pub travel_p: f64,
    pub zoom_p: f64,
    /// Share of laptops that alternate between the built-in screen and an
    /// external monitor.
    pub dock_share: f64,
    pub font_install_p: f64,
    pub language_change_p: f64,
    pub media_change_p: f64,
    /// Per visit of a Chromium/Firefox update: the update changed rendering.
    pub render_change_p: f64,
    /// Share of new devices cloned from an existing one (same model, fonts
    /// and locale: a corporate fleet or a family's identical phones).
    pub clone_share: f64,
    /// Safari deletes script-written storage after this many days without
    /// a visit (ITP); `None` = not modelled.
    pub safari_storage_cap_days: Option<u32>,
}

impl Default for PopulationConfig {
    fn default() -> Self {
        Self {
            devices: 2_000,
            seed: 1,
            start_ms: 1_767_225_600_000,
            days: 180,
            mean_visits: 5.0,
            mean_gap_days: 12.0,
            cookie_clear_p: 0.03,
            private_p: 0.02,
            unrecorded_after_clear_p: 0.2,
            travel_p: 0.02,
            zoom_p: 0.03,
            dock_share: 0.15,
            font_install_p: 0.005,
            language_change_p: 0.005,
            media_change_p: 0.05,
            render_change_p: 0.3,
            clone_share: 0.02,
            safari_storage_cap_days: None,
        }
    }
}

/// One payload of one (hidden) true device.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub device: usize,
    pub at_ms: i64,
    pub fingerprint: Fingerprint,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    pub config: PopulationConfig,
    pub devices: usize,
    /// In time order.
    pub observations: Vec<Observation>,
}

/// Generates the population (deterministic from `config.seed`).
pub fn generate(config: &PopulationConfig) -> Population {
    let mut rng = SplitMix64::new(config.seed);
    let end = config.start_ms + i64::from(config.days) * DAY_MS;
    let mut observations = Vec::new();
    let mut profiles: Vec<WebProfile> = Vec::with_capacity(config.devices);
    for device in 0..config.devices {
        let first = config.start_ms + (rng.next_f64() * f64::from(config.days) * DAY_MS as f64) as i64;
        let mut profile = match profiles.get(rng.below(profiles.len().max(1))) {
            Some(p) if rng.chance(config.clone_share) => {
                let mut twin = p.clone();
                twin.fpid = rng.hex(16);
                twin.fpid_source = "new";
                twin
            }
            _ => WebProfile::random(&mut rng, first),
        };
        profiles.push(profile.clone());
        let mut state = DeviceState::new(&mut rng, &profile, config);
        let visits = 1 + rng.exponential((config.mean_visits - 1.0).max(0.0)).round() as usize;
        let mut at = first;
        for visit in 0..visits {
            if visit > 0 {
                at += (rng.exponential(config.mean_gap_days) * DAY_MS as f64) as i64 + 60_000;
            }
            if at > end {
                break;
            }
            state.before_visit(&mut rng, &mut profile, config, at, visit);
            let behaviour = web::human_behaviour(&mut rng, profile.desktop());
            let payload = profile.render(&mut rng, at, "eval", Some(behaviour));
            observations.push(Observation { device, at_ms: at, fingerprint: fingerprint(&payload) });
            state.after_visit(&mut profile, at);
        }
    }
    observations.sort_by_key(|o| (o.at_ms, o.device));
    Population { config: config.clone(), devices: config.devices, observations }
}

/// What drifts between visits and the hidden state behind it.
struct DeviceState {
    lag: u32,
    laptop_screens: Option<[((u32, u32), f64); 2]>,
    home_zone: &'static str,
    trip_left: u32,
    stored_id: String,
    last_visit: Option<i64>,
}

impl DeviceState {
    fn new(rng: &mut SplitMix64, p: &WebProfile, c: &PopulationConfig) -> Self {
        let laptop = p.desktop() && (p.touch_points > 0 || p.dpr > 1.0);
        let laptop_screens = (laptop && rng.chance(c.dock_share)).then(|| {
            let external = *rng
                .pick(&[((1920, 1080), 1.0), ((2560, 1440), 1.0), ((1920, 1200), 1.0)])
                .unwrap_or(&((1920, 1080), 1.0));
            [(p.screen, p.dpr), external]
        });
        Self {
            lag: *rng.weighted(&[(0u32, 0.7), (1, 0.2), (2, 0.07), (4, 0.03)]).unwrap_or(&0),
            laptop_screens,
            home_zone: p.timezone,
            trip_left: 0,
            stored_id: p.fpid.clone(),
            last_visit: None,
        }
    }

    fn before_visit(&mut self, rng: &mut SplitMix64, p: &mut WebProfile, c: &PopulationConfig, at: i64, visit: usize) {
        // Updates: Chromium and Firefox follow their trains with a per-device lag.
        if p.browser != Browser::Safari {
            let target = current_major(p.browser, at).saturating_sub(self.lag);
            while p.browser_major < target {
                p.browser_major += 1;
                if rng.chance(c.render_change_p) {
                    p.render_epoch += 1;
                }
            }
        } else if rng.chance(0.08) {
            let (maj, min) = p
                .os_version
                .split_once('.')
                .map(|(a, b)| (a.to_owned(), b.parse::<u32>().unwrap_or(0)))
                .unwrap_or_default();
            p.os_version = format!("{maj}.{}", min + 1);
            if rng.chance(c.render_change_p) {
                p.render_epoch += 1;
            }
        }
        if p.desktop() && rng.chance(c.zoom_p) {
            p.zoom = *rng.pick(&[1.0, 0.9, 1.1, 1.25]).unwrap_or(&1.0);
        }
        if let Some(screens) = self.laptop_screens {
            let (screen, dpr) = screens[rng.below(2)];
            p.screen = screen;
            p.dpr = dpr;
            p.window = (screen.0, screen.1.saturating_sub(p.avail_taskbar));
        }
        if self.trip_left > 0 {
            self.trip_left -= 1;
            if self.trip_left == 0 {
                p.timezone = self.home_zone;
            }
        } else if visit > 0 && rng.chance(c.travel_p) {
            let locale = &LOCALES[rng.below(LOCALES.len())];
            p.timezone = rng.pick(locale.zones).copied().unwrap_or(self.home_zone);
            self.trip_left = 1 + rng.below(3) as u32;
        }
        if rng.chance(c.language_change_p) {
            if p.languages.len() > 1 {
                p.languages.swap(0, 1);
            } else {
                p.languages.push("en".to_owned());
            }
        }
        if p.desktop() && rng.chance(c.font_install_p) {
            let f = FONTS[rng.below(FONTS.len())];
            if !p.fonts.contains(&f) {
                p.fonts.push(f);
                p.fonts = FONTS.iter().copied().filter(|x| p.fonts.contains(x)).collect();
            }
        }
        if rng.chance(c.media_change_p) {
            p.media.0 = rng.below(3) as u32;
        }
        if !p.desktop() {
            p.window.1 = p.screen.1.saturating_sub(80 + rng.below(60) as u32);
        }

        // The persistent id.
        let itp_expired = p.browser == Browser::Safari
            && c.safari_storage_cap_days
                .is_some_and(|d| self.last_visit.is_some_and(|l| at - l > i64::from(d) * DAY_MS));
        p.private = rng.chance(c.private_p);
        if p.private {
            p.fpid = rng.hex(16);
            p.fpid_source = "new";
        } else if visit == 0 {
            p.fpid = self.stored_id.clone();
            p.fpid_source = "new";
        } else if itp_expired || rng.chance(c.cookie_clear_p) {
            self.stored_id = rng.hex(16);
            p.fpid = self.stored_id.clone();
            p.fpid_source = if rng.chance(c.unrecorded_after_clear_p) { "both" } else { "new" };
        } else {
            p.fpid = self.stored_id.clone();
            p.fpid_source = "both";
        }
    }

    fn after_visit(&mut self, p: &mut WebProfile, at: i64) {
        p.private = false;
        self.last_visit = Some(at);
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_links: u64,
    pub false_links: u64,
    pub missed: u64,
    pub true_new: u64,
}

impl Metrics {
    fn record(&mut self, positive: bool, predicted: Option<bool>) {
        match (positive, predicted) {
            (_, Some(true)) => self.true_links += 1,
            (true, Some(false)) => {
                self.false_links += 1;
                self.missed += 1;
            }
            (false, Some(false)) => self.false_links += 1,
            (true, None) => self.missed += 1,
            (false, None) => self.true_new += 1,
        }
    }

    fn finish(&mut self) {
        let tp = self.true_links as f64;
        self.precision = if tp + self.false_links as f64 > 0.0 { tp / (tp + self.false_links as f64) } else { 1.0 };
        // A wrong link of a returning device counts as false link and as missed.
        let positives = tp + self.missed as f64;
        self.recall = if positives > 0.0 { tp / positives } else { 1.0 };
        self.f1 = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub observations: u64,
    pub devices: u64,
    /// Observations of a device already seen (should be linked).
    pub returning: u64,
    /// Returning observations whose persistent id was not on record.
    pub returning_without_known_id: u64,
    pub exact_by_id: u64,
    pub exact_by_attributes: u64,
    pub linked_by_similarity: u64,
    pub new: u64,
    pub mean_candidates: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvaluationReport {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// The same, restricted to observations whose persistent id was not on
    /// record: the cases that only the fingerprint can link.
    pub without_known_id: Metrics,
    pub overall: Metrics,
    /// Link only when the full attribute hash was seen before.
    pub baseline_exact_hash: Metrics,
    /// Link on a known persistent id, else on an exact attribute hash.
    pub baseline_cookie_or_hash: Metrics,
    pub counts: Counts,
}

/// How the linker weighs evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Value frequencies learnt from the devices seen so far.
    Frequencies,
    /// The attributes' prior weights only.
    Prior,
    /// What the server does: prior weights until this many devices are on
    /// record, learnt frequencies from then on.
    FrequenciesFrom(u64),
}

impl Weights {
    /// The server's choice ([`MIN_STATS_POPULATION`]).
    pub const SERVER: Weights = Weights::FrequenciesFrom(MIN_STATS_POPULATION);
}

/// Replays the population through the linker and the baselines, weighing
/// evidence as the server does.
pub fn evaluate(population: &Population, config: &LinkConfig) -> EvaluationReport {
    evaluate_with(population, config, Weights::SERVER)
}

/// [`evaluate`] with a choice of evidence weights.
pub fn evaluate_with(population: &Population, config: &LinkConfig, weights: Weights) -> EvaluationReport {
    let prior = AttributeStats::new();
    let mut known: Vec<KnownDevice> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    let mut cookies: HashSet<String> = HashSet::new();
    let mut stats = AttributeStats::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut report = EvaluationReport::default();
    let mut candidates_total = 0usize;

    let mut hash_only: HashMap<String, usize> = HashMap::new();
    let mut cookie_or_hash: (HashMap<String, usize>, HashMap<String, usize>) = (HashMap::new(), HashMap::new());

    for obs in &population.observations {
        let fp = &obs.fingerprint;
        let positive = seen.contains(&obs.device);
        let id_known = fp.cookie_hash.as_ref().is_some_and(|c| cookies.contains(c));

        let keys = fp.candidate_keys();
        // A store skips the attribute keys when the fingerprint cannot be
        // linked by attributes anyway (the answer is the same).
        let linking_stats = match weights {
            Weights::Frequencies => &stats,
            Weights::Prior => &prior,
            Weights::FrequenciesFrom(devices) => stats.or_prior(&prior, devices),
        };
        let fetch_attributes = can_link_by_attributes(fp, config, linking_stats);
        let mut idx: Vec<usize> = keys
            .iter()
            .filter(|k| fetch_attributes || k.starts_with("id:"))
            .filter_map(|k| index.get(k))
            .flatten()
            .copied()
            .collect();
        idx.sort_unstable();
        idx.dedup();
        candidates_total += idx.len();
        let refs: Vec<&KnownDevice> = idx.iter().map(|i| &known[*i]).collect();
        let decision = link_candidates(fp, obs.at_ms, &refs, config, linking_stats);
        let target = decision.device_id().and_then(|id| id.parse::<usize>().ok());
        let predicted = target.map(|k| owner.get(k) == Some(&obs.device));
        report.overall.record(positive, predicted);
        if !id_known {
            report.without_known_id.record(positive, predicted);
        }
        if positive {
            report.counts.returning += 1;
            if !id_known {
                report.counts.returning_without_known_id += 1;
            }
        }
        match &decision {
            LinkDecision::Exact { matched_on, .. } if matched_on == "attributes" => {
                report.counts.exact_by_attributes += 1
            }
            LinkDecision::Exact { .. } => report.counts.exact_by_id += 1,
            LinkDecision::Linked { .. } => report.counts.linked_by_similarity += 1,
            LinkDecision::New => report.counts.new += 1,
        }
        let k = match target {
            Some(k) if k < known.len() => {
                let old = known[k].attributes.clone();
                known[k].absorb(fp, obs.at_ms);
                stats.replace(fp.platform, &old, &known[k].attributes);
                k
            }
            _ => {
                let k = known.len();
                known.push(KnownDevice::from_fingerprint(k.to_string(), fp, obs.at_ms));
                owner.push(obs.device);
                stats.add(fp.platform, &fp.attributes);
                k
            }
        };
        for key in keys {
            let list = index.entry(key).or_default();
            if !list.contains(&k) {
                list.push(k);
            }
        }
        if let Some(c) = &fp.cookie_hash {
            cookies.insert(c.clone());
        }

        // Baselines keep their own device lists (index → true owner).
        let h = fp.attributes_hash();
        baseline_step(&mut report.baseline_exact_hash, &mut hash_only, &h, obs.device, positive);
        let (by_cookie, by_hash) = &mut cookie_or_hash;
        let by_id = fp.cookie_hash.as_ref().and_then(|c| by_cookie.get(c).copied());
        let hit = by_id.or_else(|| by_hash.get(&h).copied());
        report.baseline_cookie_or_hash.record(positive, hit.map(|owner| owner == obs.device));
        let owner_now = hit.unwrap_or(obs.device);
        by_hash.insert(h, owner_now);
        if let Some(c) = &fp.cookie_hash {
            by_cookie.insert(c.clone(), owner_now);
        }
        seen.insert(obs.device);
    }
    for m in [
        &mut report.overall,
        &mut report.without_known_id,
        &mut report.baseline_exact_hash,
        &mut report.baseline_cookie_or_hash,
    ] {
        m.finish();
    }
    report.precision = report.overall.precision;
    report.recall = report.overall.recall;
    report.f1 = report.overall.f1;
    report.counts.observations = population.observations.len() as u64;
    report.counts.devices = seen.len() as u64;
    report.counts.mean_candidates = candidates_total as f64 / population.observations.len().max(1) as f64;
    report
}

/// One exact-hash step: the map sends a hash to the true owner of the device
/// it was first linked to (a wrong link keeps the wrong owner, as a store would).
fn baseline_step(m: &mut Metrics, map: &mut HashMap<String, usize>, h: &str, device: usize, positive: bool) {
    let hit = map.get(h).copied();
    m.record(positive, hit.map(|owner| owner == device));
    map.insert(h.to_owned(), hit.unwrap_or(device));
}

/// Renders a report as a markdown table.
pub fn render_markdown(report: &EvaluationReport) -> String {
    let row = |name: &str, m: &Metrics| {
        format!(
            "| {name} | {:.2} % | {:.2} % | {:.4} | {} | {} | {} | {} |\n",
            m.precision * 100.0,
            m.recall * 100.0,
            m.f1,
            m.true_links,
            m.false_links,
            m.missed,
            m.true_new
        )
    };
    let c = &report.counts;
    let mut out = String::from(
        "| method | precision | recall | F1 | true links | false links | missed | true new |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    out.push_str(&row("sightline link", &report.overall));
    out.push_str(&row("sightline link, persistent id not on record", &report.without_known_id));
    out.push_str(&row("baseline: exact attribute hash", &report.baseline_exact_hash));
    out.push_str(&row("baseline: persistent id, else exact hash", &report.baseline_cookie_or_hash));
    out.push_str(&format!(
        "\n{} observations of {} devices; {} returning ({} without a known persistent id). Decisions: {} exact by id, {} exact by attributes, {} linked by similarity, {} new. Mean candidates fetched per observation: {:.1}.\n",
        c.observations, c.devices, c.returning, c.returning_without_known_id, c.exact_by_id, c.exact_by_attributes, c.linked_by_similarity, c.new, c.mean_candidates
    ));
    out
}
