//! `analyse` of one payload, and linking one drifted, cookieless desktop
//! fingerprint against 100 000 known devices: full scan versus the
//! candidate-key retrieval a store would do.
//! Run: `cargo bench -p sightline-device --bench analyse`.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use sightline_device::population::{PopulationConfig, generate};
use sightline_device::simulate::{Scenario, simulate};
use sightline_device::{
    AnalysisInput, AttributeStats, KnownDevice, LinkConfig, analyse, can_link_by_attributes, link_candidates,
    link_with_stats,
};
use sightline_payload::Platform;

const NOW: i64 = 1_767_225_600_000;
const KNOWN: usize = 100_000;

fn bench_analyse(c: &mut Criterion) {
    for platform in [Platform::Web, Platform::Android] {
        let sims = simulate(platform, Scenario::Clean, 1, NOW).unwrap_or_default();
        let Some(sim) = sims.first() else { return };
        let mut input = AnalysisInput::new(&sim.payload, NOW + 500);
        input.request = sim.request.clone();
        c.bench_function(&format!("analyse/{platform}"), |b| b.iter(|| black_box(analyse(black_box(&input)))));
    }
}

fn bench_link(c: &mut Criterion) {
    let population =
        generate(&PopulationConfig { devices: KNOWN, mean_visits: 1.0, seed: 5, ..PopulationConfig::default() });
    let mut stats = AttributeStats::new();
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    let known: Vec<KnownDevice> = population
        .observations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            stats.add(o.fingerprint.platform, &o.fingerprint.attributes);
            for key in o.fingerprint.candidate_keys() {
                index.entry(key).or_default().push(i);
            }
            KnownDevice::from_fingerprint(i.to_string(), &o.fingerprint, o.at_ms)
        })
        .collect();
    // Linked as of the end of the generated history.
    let now = population.observations.iter().map(|o| o.at_ms).max().unwrap_or_default();
    // A desktop that cleared its cookies and updated its browser since, with
    // a set-up distinctive enough to be linked at this population size.
    let config = LinkConfig::default();
    let drifted = |fp: &sightline_device::Fingerprint| {
        let mut candidate = fp.clone();
        candidate.cookie_hash = Some("0".repeat(32));
        candidate.cookie_fresh = true;
        if let Some(ua) = candidate.attributes.get_mut("ua") {
            let parts: Vec<String> = ua.split('/').map(str::to_owned).collect();
            if let [family, major, os] = parts.as_slice() {
                *ua = format!("{family}/{}/{os}", major.parse::<u32>().unwrap_or(0) + 1);
            }
        }
        candidate
    };
    let blocked = |c: &sightline_device::Fingerprint| {
        let mut idx: Vec<usize> = c.candidate_keys().iter().filter_map(|k| index.get(k)).flatten().copied().collect();
        idx.sort_unstable();
        idx.dedup();
        let refs: Vec<&KnownDevice> = idx.iter().map(|i| &known[*i]).collect();
        link_candidates(c, now, &refs, &config, &stats)
    };
    let Some(candidate) = population
        .observations
        .iter()
        .map(|o| drifted(&o.fingerprint))
        .filter(|c| {
            c.attributes.get("ua").is_some_and(|u| u.ends_with("/windows"))
                && can_link_by_attributes(c, &config, &stats)
        })
        .find(|c| blocked(c).device_id().is_some())
    else {
        return;
    };
    let mut group = c.benchmark_group("link_100k");
    group.sample_size(10).measurement_time(Duration::from_secs(3));
    group.bench_function("full_scan", |b| {
        b.iter(|| black_box(link_with_stats(black_box(&candidate), now, &known, &config, &stats)))
    });
    group.bench_function("blocked", |b| b.iter(|| black_box(blocked(black_box(&candidate)))));
    group.finish();
    let blocked: usize = candidate.candidate_keys().iter().filter_map(|k| index.get(k)).map(Vec::len).sum();
    println!(
        "candidates fetched by key: {blocked} of {KNOWN}; decision: {:?}",
        link_with_stats(&candidate, now, &known, &config, &stats).device_id()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = bench_analyse, bench_link
}
criterion_main!(benches);
