//! Linking accuracy on a synthetic population, as markdown tables:
//! `cargo run --release -p sightline-device --example evaluate [devices] [seed] [--prior-weights] [--default-only]`.
//!
//! By default evidence is weighed as the server weighs it: the attributes'
//! prior weights until `MIN_STATS_POPULATION` devices are on record, value
//! frequencies learnt from the devices seen so far after that.
//! `--prior-weights` and `--frequencies` use one of the two throughout,
//! `--frequencies-from=N` switches at N devices. `--default-only`
//! skips the id-loss variants. `--set=name=value` overrides a `LinkConfig`
//! threshold (e.g. `--set=dormancy_half_life_days=45`) to tune it;
//! `--gap-days=D` sets the mean days between two visits of a device.

use std::time::Instant;

use sightline_device::LinkConfig;
use sightline_device::population::{PopulationConfig, Weights, evaluate_with, generate, render_markdown};

fn main() {
    let (flags, positional): (Vec<String>, Vec<String>) = std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let mut positional = positional.into_iter();
    let devices = positional.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let seed = positional.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let flag = |name: &str| flags.iter().any(|f| f == name);
    let weights = if flag("--prior-weights") {
        Weights::Prior
    } else if flag("--frequencies") {
        Weights::Frequencies
    } else {
        flags
            .iter()
            .find_map(|f| f.strip_prefix("--frequencies-from=")?.parse().ok())
            .map_or(Weights::SERVER, Weights::FrequenciesFrom)
    };
    let link = link_config(&flags);
    let mut base = PopulationConfig { devices, seed, ..PopulationConfig::default() };
    if let Some(days) = flags.iter().find_map(|f| f.strip_prefix("--gap-days=")?.parse().ok()) {
        base.mean_gap_days = days;
    }
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
        Weights::Frequencies => "learnt frequencies".to_owned(),
        Weights::Prior => "prior weights".to_owned(),
        Weights::FrequenciesFrom(n) => format!("prior weights, learnt frequencies from {n} devices"),
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

/// The default thresholds with every `--set=name=value` applied.
fn link_config(flags: &[String]) -> LinkConfig {
    let mut config = serde_json::to_value(LinkConfig::default()).unwrap_or_default();
    for (name, value) in flags.iter().filter_map(|f| f.strip_prefix("--set=")?.split_once('=')) {
        let value = match (value.parse::<u64>(), value.parse::<f64>()) {
            (Ok(n), _) if config[name].is_u64() => serde_json::json!(n),
            (_, Ok(x)) if config[name].is_number() => serde_json::json!(x),
            _ => {
                eprintln!("--set={name}={value}: no such numeric threshold, or not a number");
                std::process::exit(2);
            }
        };
        config[name] = value;
    }
    match serde_json::from_value(config) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("--set: {e}");
            std::process::exit(2);
        }
    }
}
