//! `sightline simulate` and `sightline evaluate`: the device simulator and the linking
//! accuracy evaluation, from the command line.

use crate::cli::{EvaluateArgs, Output, SimulateArgs};
use rand::rngs::OsRng;
use serde_json::json;
use sightline_core::agent_key::current_agent_key;
use sightline_core::{Error, Result, Store, Timestamp};
use sightline_device::LinkConfig;
use sightline_device::population::{PopulationConfig, generate, render_markdown};
use sightline_device::simulate::{Scenario, simulate};
use sightline_payload::{DevicePayload, Platform, SealParams, public_key_from_b64, seal};

pub async fn run_simulate(
    store: &dyn Store,
    tenant: &sightline_core::Tenant,
    args: SimulateArgs,
    output: Output,
) -> Result<()> {
    let platform = match args.platform.to_ascii_lowercase().as_str() {
        "web" => Platform::Web,
        "android" => Platform::Android,
        "ios" => Platform::Ios,
        other => {
            return Err(Error::invalid_field(
                "platform",
                format!("unknown platform `{other}`; use web, android or ios"),
            ));
        }
    };
    let scenario: Scenario = args
        .scenario
        .parse()
        .map_err(|_| Error::invalid_field("scenario", format!("unknown scenario `{}`", args.scenario)))?;
    let now = Timestamp::now().millis();
    let payloads =
        simulate(platform, scenario, args.seed, now).map_err(|e| Error::invalid_field("scenario", e.to_string()))?;
    let key = current_agent_key(store, &tenant.id).await?;
    let public_key = public_key_from_b64(&key.public_key_b64).map_err(Error::internal)?;
    for sim in payloads {
        let mut payload: DevicePayload = sim.payload;
        // Scenarios spread their payloads over days; sealed strings must pass the time window now.
        payload.collected_at = now;
        payload.session_id = args.session.clone();
        for copy in 0..args.count.max(1) {
            if copy > 0 {
                payload.payload_id =
                    DevicePayload::new(&mut OsRng, payload.platform, &payload.sdk_version, &args.session, now)
                        .payload_id;
            }
            let params = SealParams {
                key_id: key.key_id,
                public_key: &public_key,
                platform: payload.platform,
                sdk_version: &payload.sdk_version,
                session_id: &args.session,
            };
            let sealed = seal(&params, &payload.to_json_bytes(), &mut OsRng)
                .map_err(|e| Error::invalid_field("session", e.to_string()))?;
            match output {
                Output::Json => println!("{}", json!({"label": sim.label, "device_data": sealed})),
                Output::Text => println!("# {}\n{sealed}", sim.label),
            }
        }
    }
    Ok(())
}

pub fn run_evaluate(args: EvaluateArgs) {
    let config = PopulationConfig { devices: args.devices, seed: args.seed, ..PopulationConfig::default() };
    let population = generate(&config);
    let weights = if args.prior_weights {
        sightline_device::population::Weights::Prior
    } else {
        sightline_device::population::Weights::SERVER
    };
    let report = sightline_device::population::evaluate_with(&population, &LinkConfig::default(), weights);
    println!("{}", render_markdown(&report));
}
