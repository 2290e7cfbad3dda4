//! Linking accuracy on a synthetic population, as markdown tables:
//! `cargo run --release -p sightline-device --example evaluate [devices] [seed]`.

use std::time::Instant;

use sightline_device::LinkConfig;
use sightline_device::population::{PopulationConfig, evaluate, generate, render_markdown};

fn main() {
    let mut args = std::env::args().skip(1);
    let devices = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let link = LinkConfig::default();
    let base = PopulationConfig { devices, seed, ..PopulationConfig::default() };
    let variants = [
        ("default: 3 % clears, 2 % private windows per visit, drift", base.clone()),
        (
            "more id loss: 5 % clears, 3 % private windows",
            PopulationConfig { cookie_clear_p: 0.05, private_p: 0.03, ..base.clone() },
        ),
        (
            "default plus Safari's 7-day storage cap (ITP)",
            PopulationConfig { safari_storage_cap_days: Some(7), ..base.clone() },
        ),
    ];
    for (title, config) in variants {
        let t = Instant::now();
        let population = generate(&config);
        let generated = t.elapsed();
        let t = Instant::now();
        let report = evaluate(&population, &link);
        println!("### {devices} devices, seed {seed}: {title}\n");
        print!("{}", render_markdown(&report));
        println!("Generated in {:.1} s, evaluated in {:.1} s.\n", generated.as_secs_f64(), t.elapsed().as_secs_f64());
    }
}
