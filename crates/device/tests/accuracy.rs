//! Linking accuracy targets on a fixed-seed synthetic population
//! (the larger run: `cargo run --release -p sightline-device --example evaluate`).

use sightline_device::LinkConfig;
use sightline_device::population::{PopulationConfig, evaluate, generate, render_markdown};

#[test]
fn linking_meets_targets_and_beats_the_exact_hash_baseline() {
    let population = generate(&PopulationConfig { devices: 1_000, seed: 7, ..PopulationConfig::default() });
    let report = evaluate(&population, &LinkConfig::default());
    let table = render_markdown(&report);
    println!("{table}");
    assert!(report.precision >= 0.995, "precision below 99.5 %\n{table}");
    assert!(report.recall >= 0.95, "recall below 95 %\n{table}");
    assert!(report.f1 > report.baseline_exact_hash.f1, "not better than the exact-hash baseline\n{table}");
    assert!(report.f1 > report.baseline_cookie_or_hash.f1, "not better than id-or-hash\n{table}");
    assert!(
        report.counts.linked_by_similarity + report.counts.exact_by_attributes > 0,
        "never linked without an id\n{table}"
    );
}

#[test]
fn population_is_deterministic() {
    let config = PopulationConfig { devices: 50, seed: 11, ..PopulationConfig::default() };
    assert_eq!(generate(&config), generate(&config));
}
