//! Linking accuracy targets on fixed-seed synthetic populations
//! (the larger runs: `cargo run --release -p sightline-device --example evaluate`).
//!
//! The targets are asserted on four populations pooled, for a small tenant
//! (200 devices) and a larger one (1,000): a single population of 1,000 devices
//! has ~2,700 returning visits, so one identical-twin merge and the visits that
//! follow it move its precision by half a point either way.

use sightline_device::LinkConfig;
use sightline_device::population::{Metrics, PopulationConfig, evaluate, generate, render_markdown};

#[test]
fn linking_meets_targets_and_beats_the_exact_hash_baseline() {
    for devices in [200, 1_000] {
        meets_targets(devices);
    }
}

fn meets_targets(devices: usize) {
    let (mut ours, mut exact_hash, mut id_or_hash) = (Metrics::default(), Metrics::default(), Metrics::default());
    for seed in 1..=4 {
        let population = generate(&PopulationConfig { devices, seed, ..PopulationConfig::default() });
        let report = evaluate(&population, &LinkConfig::default());
        let table = render_markdown(&report);
        println!("{devices} devices, seed {seed}\n{table}");
        assert!(
            report.counts.linked_by_similarity + report.counts.exact_by_attributes > 0,
            "never linked without an id\n{table}"
        );
        add(&mut ours, &report.overall);
        add(&mut exact_hash, &report.baseline_exact_hash);
        add(&mut id_or_hash, &report.baseline_cookie_or_hash);
    }
    let (precision, recall, f1) = rates(&ours);
    println!(
        "{devices} devices pooled: precision {:.2} %, recall {:.2} %, F1 {f1:.4}",
        precision * 100.0,
        recall * 100.0
    );
    assert!(precision >= 0.995, "{devices} devices: pooled precision below 99.5 %: {ours:?}");
    assert!(recall >= 0.95, "{devices} devices: pooled recall below 95 %: {ours:?}");
    assert!(f1 > rates(&exact_hash).2, "{devices} devices: not better than the exact-hash baseline: {exact_hash:?}");
    assert!(f1 > rates(&id_or_hash).2, "{devices} devices: not better than id-else-hash: {id_or_hash:?}");
}

fn add(total: &mut Metrics, one: &Metrics) {
    total.true_links += one.true_links;
    total.false_links += one.false_links;
    total.missed += one.missed;
}

/// Precision, recall and F1 of summed counts.
fn rates(m: &Metrics) -> (f64, f64, f64) {
    let precision = m.true_links as f64 / (m.true_links + m.false_links).max(1) as f64;
    let recall = m.true_links as f64 / (m.true_links + m.missed).max(1) as f64;
    (precision, recall, 2.0 * precision * recall / (precision + recall))
}

#[test]
fn population_is_deterministic() {
    let config = PopulationConfig { devices: 50, seed: 11, ..PopulationConfig::default() };
    assert_eq!(generate(&config), generate(&config));
}
