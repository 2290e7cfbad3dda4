//! Device intelligence through the Solaris activity endpoint, with payloads from the
//! simulator sealed to the tenant's key: recognition across a browser update, the identity
//! graph, and every simulator preset's effect on vetting.

mod common;

use common::{Backend, TenantServer as Tenant};
use rand::rngs::OsRng;
use serde_json::{Value, json};
use sightline_device::simulate::{Scenario, simulate};
use sightline_payload::{DevicePayload, Platform};

async fn tenant(backend: Backend) -> Tenant {
    Tenant::start(backend).await
}

fn now_ms() -> i64 {
    sightline_core::Timestamp::now().millis()
}

impl Tenant {
    async fn person(&self) -> (String, String) {
        self.api.person_with_consent(json!({"branch": "DE", "email": "ada@example.com"})).await
    }

    /// Seals a simulated payload as collected now, under the consent's session id.
    async fn seal(&self, payload: &DevicePayload, session: &str) -> String {
        let mut payload = payload.clone();
        payload.session_id = session.to_owned();
        payload.collected_at = now_ms();
        payload.payload_id = DevicePayload::new(&mut OsRng, payload.platform, "1.0.0", session, 0).payload_id;
        self.api.seal(&self.id, &payload).await
    }

    async fn activity(&self, person: &str, device_data: &str) -> Value {
        let (status, body) = self
            .api
            .post(
                &format!("/v1/persons/{person}/device_activities"),
                json!({"activity_type": "APP_START", "device_data": device_data}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }
}

fn device_id(activity: &Value) -> String {
    activity["device"]["device_id"].as_str().expect("device id").to_owned()
}

/// The same browser after a version bump, with its cookies cleared: still the same device,
/// linked by attributes, with an explanation naming what changed.
async fn browser_update_keeps_the_device(backend: Backend) {
    let t = tenant(backend).await;
    let (person, consent) = t.person().await;
    let sims = simulate(Platform::Web, Scenario::BrowserUpdate, 11, now_ms()).unwrap();
    let first = t.activity(&person, &t.seal(&sims[0].payload, &consent).await).await;
    let mut updated = sims[1].payload.clone();
    updated.signals.insert(
        "first_party_id".into(),
        json!({"value": {"id": "ab".repeat(16), "source": "new"}, "duration_ms": 1.0, "error": null}),
    );
    let second = t.activity(&person, &t.seal(&updated, &consent).await).await;
    assert_eq!(device_id(&first), device_id(&second), "{}", second["device"]["link"]);
    let link = &second["device"]["link"];
    assert_eq!(link["kind"], "linked", "{link}");
    let changed = link["explanation"]["changed"].as_array().unwrap();
    assert!(
        changed.iter().any(|c| c["attr"] == "ua" && c["to"].as_str().unwrap().contains("156")),
        "the explanation names the user-agent change: {link}"
    );
    assert!(link["confidence"].as_f64().unwrap() > 0.8);
    assert!(second["device"]["device_details"].is_object());
}

/// Devices of a person, persons of a device, and a shared device.
async fn identity_graph_is_exposed(backend: Backend) {
    let t = tenant(backend).await;
    let (ada, ada_consent) = t.person().await;
    let laptop = &simulate(Platform::Web, Scenario::Clean, 1, now_ms()).unwrap()[0].payload;
    let phone = &simulate(Platform::Web, Scenario::Clean, 2, now_ms()).unwrap()[0].payload;
    let a = t.activity(&ada, &t.seal(laptop, &ada_consent).await).await;
    let b = t.activity(&ada, &t.seal(phone, &ada_consent).await).await;
    assert_ne!(device_id(&a), device_id(&b));

    let (_, devices) = t.api.get(&format!("/v1/persons/{ada}/devices")).await;
    assert_eq!(devices.as_array().unwrap().len(), 2, "{devices}");

    // Bob signs in on Ada's laptop.
    let (bob, bob_consent) = t.person().await;
    let c = t.activity(&bob, &t.seal(laptop, &bob_consent).await).await;
    assert_eq!(device_id(&c), device_id(&a));
    let laptop_id = device_id(&a);
    let (status, device) = t.api.get(&format!("/v1/devices/{laptop_id}")).await;
    assert_eq!(status, 200, "{device}");
    assert_eq!(device["persons_24h"], 2);
    let (_, links) = t.api.get(&format!("/v1/devices/{laptop_id}/links")).await;
    let persons: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "person")
        .map(|l| l["value"].as_str().unwrap())
        .collect();
    assert!(persons.contains(&ada.as_str()) && persons.contains(&bob.as_str()));
    assert!(links.as_array().unwrap().iter().any(|l| l["kind"] == "email"), "contacts are linked, hashed");
    assert!(!links.to_string().contains("ada@example.com"));

    let (status, _) = t.api.get("/v1/devices/00000000000000000000000000000000dvce").await;
    assert_eq!(status, 404);
    let (_, codes) = t.api.get("/v1/reason_codes").await;
    assert!(codes.as_array().unwrap().iter().any(|c| c["code"] == "R401"));
}

/// Every simulator preset, on each platform it supports, through the real endpoint, with
/// what it must lead to: the vetting outcome and the finding that explains it.
async fn simulator_presets_drive_vetting(backend: Backend) {
    let t = tenant(backend).await;
    // (preset, expected vetting, flags of which the analysis must carry at least one)
    let cases = [
        (Scenario::Clean, Some("NO_MATCH"), &[][..]),
        (Scenario::BrowserUpdate, Some("NO_MATCH"), &[]),
        (Scenario::TravellingUser, Some("NO_MATCH"), &[]),
        (Scenario::Bot, Some("POTENTIAL_MATCH"), &["automation"]),
        (Scenario::Emulator, Some("POTENTIAL_MATCH"), &["emulation"]),
        (Scenario::VirtualMachine, Some("POTENTIAL_MATCH"), &["emulation"]),
        (Scenario::Rooted, Some("POTENTIAL_MATCH"), &["integrity"]),
        (Scenario::Jailbroken, Some("POTENTIAL_MATCH"), &["integrity"]),
        // Web tampering lies in browser APIs; on a phone it shows as a hooking framework.
        (Scenario::Tampered, Some("POTENTIAL_MATCH"), &["tampering", "integrity"]),
        (Scenario::DeviceFarm, Some("POTENTIAL_MATCH"), &[]),
        (Scenario::Replay, Some("POTENTIAL_MATCH"), &["replayed"]),
        (Scenario::Vpn, None, &["network"]),
        (Scenario::Vishing, None, &["possible_vishing"]),
    ];
    let mut report = Vec::new();
    // Each case is a different person on a different simulated device.
    let mut seed = 100;
    for platform in [Platform::Web, Platform::Android, Platform::Ios] {
        for (scenario, vetting_expected, flag_expected) in cases {
            if !scenario.supports(platform) {
                continue;
            }
            seed += 1;
            let (person, consent) = t.person().await;
            let sims = simulate(platform, scenario, seed, now_ms()).unwrap();
            let mut activity = Value::Null;
            if scenario == Scenario::Replay {
                // The same sealed string twice.
                let sealed = t.seal(&sims[0].payload, &consent).await;
                t.activity(&person, &sealed).await;
                activity = t.activity(&person, &sealed).await;
            } else {
                for sim in &sims {
                    // The partner passes the customer's IP and user agent along, as the API allows.
                    let mut headers = Vec::new();
                    if let Some(ip) = &sim.request.ip {
                        headers.push(("x-customer-ip", ip.clone()));
                    }
                    if let Some(ua) = &sim.request.user_agent {
                        headers.push(("x-customer-user-agent", ua.clone()));
                    }
                    let body =
                        json!({"activity_type": "APP_START", "device_data": t.seal(&sim.payload, &consent).await});
                    let (status, answer) = t
                        .api
                        .post_with_headers(&format!("/v1/persons/{person}/device_activities"), body, &headers)
                        .await;
                    assert_eq!(status, 201, "{answer}");
                    activity = answer;
                }
            }
            let (_, p) = t.api.get(&format!("/v1/persons/{person}")).await;
            let vetting = p["customer_vetting_status"].as_str().unwrap().to_owned();
            let flags = activity["device"]["flags"].clone();
            report.push(format!(
                "{platform:?}/{}: risk {} -> {vetting} {flags}",
                scenario.as_str(),
                activity["device"]["risk_score"]
            ));
            if let Some(expected) = vetting_expected {
                assert_eq!(vetting, expected, "{platform:?}/{} flags {flags}", scenario.as_str());
            }
            if !flag_expected.is_empty() {
                let found = flag_expected.iter().any(|f| flags.as_array().unwrap().contains(&json!(f)));
                assert!(found, "{platform:?}/{}: expected one of {flag_expected:?} in {flags}", scenario.as_str());
            }
        }
    }
    println!("{}", report.join("\n"));
}

/// `sightline simulate` prints strings sealed to the tenant's key that the API opens.
async fn simulate_command_seals_for_the_tenant(backend: Backend) {
    let t = tenant(backend).await;
    let (person, consent) = t.person().await;
    let out = t.server.cli(&["simulate", "--tenant", &t.id, "--scenario", "bot", "--session", &consent, "--seed", "5"]);
    let activity = t.activity(&person, out["device_data"].as_str().unwrap()).await;
    assert_eq!(activity["device"]["opened"], true);
    assert!(activity["device"]["flags"].as_array().unwrap().contains(&json!("automation")));

    // `--count`: the same device sealed again under new payload ids, each seen once.
    let copies =
        t.server.cli_lines(&["simulate", "--tenant", &t.id, "--session", &consent, "--seed", "6", "--count", "3"]);
    assert_eq!(copies.len(), 3);
    for copy in &copies {
        let activity = t.activity(&person, copy["device_data"].as_str().unwrap()).await;
        assert_eq!(activity["device"]["replayed"], false, "{activity}");
    }
    let again = t.activity(&person, copies[0]["device_data"].as_str().unwrap()).await;
    assert_eq!(again["device"]["replayed"], true, "{again}");
}

both_backends!(
    simulate_command_seals_for_the_tenant,
    browser_update_keeps_the_device,
    identity_graph_is_exposed,
    simulator_presets_drive_vetting
);
