//! Linking accuracy on a synthetic population, as markdown tables:
//! `cargo run --release -p sightline-device --example evaluate [devices] [seed] [--prior-weights] [--default-only]`.
//!
//! `--prior-weights` links on the attributes' prior weights alone (what the
//! server does below `MIN_STATS_POPULATION` devices); without it the linker
//! learns value frequencies from the devices seen so far. `--default-only`
//! skips the id-loss variants.

use std::time::Instant;

use sightline_device::LinkConfig;
use sightline_device::population::{PopulationConfig, Weights, evaluate_with, generate, render_markdown};

fn main() {
    let (flags, positional): (Vec<String>, Vec<String>) = std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let mut positional = positional.into_iter();
    let devices = positional.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let seed = positional.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let flag = |name: &str| flags.iter().any(|f| f == name);
    let weights = if flag("--prior-weights") { Weights::Prior } else { Weights::Frequencies };
    let link = LinkConfig::default();
    let base = PopulationConfig { devices, seed, ..PopulationConfig::default() };
    let mut variants = vec![("default: 3 % clears, 2 % private windows per visit, drift", base.clone())];
    if !flag("--default-only") {
        variants.push((
            "more id loss: 5 % clears, 3 % private windows",
            PopulationConfig { cookie_clear_p: 0.05, private_p: 0.03, ..base.clone() },
        ));
        variants.push((
            "default plus Safari's 7-day storage cap (ITP)",
            PopulationConfig { safari_storage_cap_days: Some(7), ..base.clone() },
        ));
    }
    let mode = match weights {
        Weights::Frequencies => "learnt frequencies",
        Weights::Prior => "prior weights",
    };
    for (title, config) in variants {
        let t = Instant::now();
        let population = generate(&config);
        let generated = t.elapsed();
        let t = Instant::now();
        let report = evaluate_with(&population, &link, weights);
        println!("### {devices} devices, seed {seed}, {mode}: {title}\n");
        print!("{}", render_markdown(&report));
        println!("Generated in {:.1} s, evaluated in {:.1} s.\n", generated.as_secs_f64(), t.elapsed().as_secs_f64());
    }
}
