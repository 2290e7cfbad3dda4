//! Prints what `analyse` concludes for every simulated scenario:
//! `cargo run -p sightline-device --example scenarios`.

use sightline_device::simulate::{Scenario, simulate};
use sightline_device::{AnalysisInput, analyse};
use sightline_payload::Platform;

fn main() {
    let now = 1_767_225_600_000;
    println!("| platform | scenario | step | risk | correlation | flags |\n|---|---|---|---:|---:|---|");
    for platform in Platform::ALL {
        for scenario in Scenario::ALL {
            let Ok(sims) = simulate(platform, scenario, 42, now) else { continue };
            for (i, sim) in sims.iter().enumerate() {
                let mut input = AnalysisInput::new(&sim.payload, sim.payload.collected_at + 500);
                input.request = sim.request.clone();
                input.history = sim.history.clone();
                input.replayed = scenario == Scenario::Replay && i == 1;
                let a = analyse(&input);
                let flags: Vec<&str> = a.flags.iter().map(|f| f.name.as_str()).collect();
                println!(
                    "| {platform} | {scenario} | {i} | {} | {} | {} |",
                    a.device_risk.value,
                    a.identity_correlation.value,
                    flags.join(", ")
                );
            }
        }
    }
}
