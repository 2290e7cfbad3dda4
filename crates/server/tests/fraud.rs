//! The SEON-compatible Fraud API over real HTTP: the seed's request shape, rules and lists
//! changed through the API taking effect on the next decision, velocity counted across
//! events from one device, stored decisions, and SEON-style errors.

#![recursion_limit = "512"]

mod common;

use common::seon::seed_request;
use common::{Api, Backend, Server, TenantServer as Tenant};
use rand::rngs::OsRng;
use serde_json::{Value, json};
use sightline_device::simulate::{Scenario, simulate};
use sightline_payload::{DevicePayload, Platform};

async fn tenant(backend: Backend) -> Tenant {
    Tenant::start(backend).await
}

const SEON: &str = "/SeonRestService/fraud-api/v2/";

impl Tenant {
    async fn decide(&self, body: Value) -> Value {
        let (status, answer) = self.api.post(SEON, body).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["success"], true, "{answer}");
        answer["data"].clone()
    }

    /// A fresh sealing of the same simulated device (new payload id, collected now).
    async fn session(&self, device: &DevicePayload) -> String {
        let mut payload = device.clone();
        payload.collected_at = sightline_core::Timestamp::now().millis();
        payload.payload_id = DevicePayload::new(&mut OsRng, payload.platform, "1.0.0", "s", 0).payload_id;
        self.api.seal(&self.id, &payload).await
    }

    async fn put_rules(&self, rules: Value) {
        let (status, body) = self.api.send_put("/v1/rules", json!({"rules": rules})).await;
        assert_eq!(status, 201, "{body}");
    }
}

fn rule_ids(data: &Value) -> Vec<String> {
    data["applied_rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

fn clean_device() -> DevicePayload {
    let now = sightline_core::Timestamp::now().millis();
    simulate(Platform::Web, Scenario::Clean, 5, now).unwrap().remove(0).payload
}

async fn seed_request_gets_a_seon_shaped_answer(backend: Backend) {
    let t = tenant(backend).await;
    let mut body = seed_request();
    body["session"] = Value::from(t.session(&clean_device()).await);
    let data = t.decide(body).await;
    for field in [
        "id",
        "state",
        "fraud_score",
        "blackbox_score",
        "ip_details",
        "email_details",
        "bin_details",
        "phone_details",
        "aml_details",
        "version",
        "applied_rules",
        "device_details",
        "geolocation_details",
        "calculation_time",
        "seon_id",
        "rule_category_details",
    ] {
        assert!(data.get(field).is_some(), "data.{field} missing: {data}");
    }
    assert!(["APPROVE", "REVIEW", "DECLINE"].contains(&data["state"].as_str().unwrap()));
    let score = data["fraud_score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score));
    assert!(data["calculation_time"].as_u64().is_some());
    assert_eq!(data["device_details"]["sightline"]["device_id"].as_str().map(|d| d.ends_with("dvce")), Some(true));
    assert_eq!(data["velocity"]["user_amount_24h"], 554.0, "{data}");

    // Stored and retrievable by id, with the same decision and no personal data in clear.
    let id = data["id"].as_str().unwrap();
    let (status, stored) = t.api.get(&format!("/v1/fraud-api/{id}")).await;
    assert_eq!(status, 200, "{stored}");
    assert_eq!(stored["data"]["state"], data["state"]);
    assert_eq!(stored["data"]["applied_rules"], data["applied_rules"]);
    assert!(!stored.to_string().contains("Example Name"), "{stored}");
    let (status, _) = t.api.get("/v1/fraud-api/00000000000000000000000000000000dcsn").await;
    assert_eq!(status, 404);
}

async fn missing_or_broken_sessions_still_decide(backend: Backend) {
    let t = tenant(backend).await;
    let data = t.decide(json!({"email": "a@example.com", "transaction_amount": 10.0})).await;
    assert!(data["device_details"].is_null());
    assert!(data["module_notes"]["device"].as_str().unwrap().contains("no session"), "{data}");
    let data = t.decide(json!({"session": "Web;1.0.0;not;a;payload", "transaction_amount": 10.0})).await;
    assert!(data["device_details"].is_null());
    assert!(data["module_notes"]["device"].as_str().unwrap().starts_with("envelope_"), "{data}");
    let data = t.decide(json!({"config": {"device_fingerprinting": false}, "session": "x"})).await;
    assert_eq!(data["module_notes"]["device"], "switched off in config");
    // Modules whose data is not installed say so rather than inventing answers.
    assert!(data["ip_details"].is_null() && data["module_notes"]["ip"].is_string(), "{data}");
}

async fn bad_input_is_a_seon_error_and_stores_nothing(backend: Backend) {
    let t = tenant(backend).await;
    t.put_rules(json!([{"id": "seen", "name": "Seen", "category": "velocity",
        "expression": "velocity.user_tx_1h >= 1", "operation": {"score": 1}}]))
        .await;
    for (mut body, field) in [
        (json!({"transaction_amount": "lots"}), "transaction_amount"),
        (json!({"custom_fields": {"nested": {"a": 1}}}), "custom_fields.nested"),
        (json!({"items": [{"item_price": "x"}]}), "items[0].item_price"),
        (json!({"user_dob": "02/08/1990"}), "user_dob"),
        (json!({"card_bin": "42"}), "card_bin"),
        (json!({"config": {"ip_api": "yes"}}), "config.ip_api"),
        (json!([1, 2]), ""),
    ] {
        if let Some(fields) = body.as_object_mut() {
            fields.insert("user_id".into(), json!("u"));
        }
        let (status, answer) = t.api.post("/v1/fraud-api", body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["success"], false);
        assert!(answer["error"]["code"].is_string());
        assert!(answer["error"]["message"].as_str().unwrap().starts_with(field), "{answer}");
    }
    let (status, answer) = t.api.post("/v1/fraud-api", json!({"user_id": "u"})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"]["velocity"]["user_tx_1h"], 1.0, "no rejected call was stored: {answer}");
}

async fn rules_and_lists_changed_through_the_api_take_effect(backend: Backend) {
    let t = tenant(backend).await;
    let body = json!({"email": "buyer@example.com", "transaction_amount": 1500.0, "user_id": "u-1"});
    let before = t.decide(body.clone()).await;
    assert_eq!(before["state"], "APPROVE", "{before}");
    t.put_rules(json!([{"id": "big_ticket", "name": "Big ticket", "category": "amount",
        "expression": "request.transaction_amount > 1000.0", "operation": {"score": 15}}]))
        .await;
    let after = t.decide(body.clone()).await;
    assert_eq!(rule_ids(&after), vec!["big_ticket"]);
    assert_eq!((after["state"].as_str(), after["fraud_score"].as_f64()), (Some("REVIEW"), Some(15.0)));
    assert_eq!(after["rule_set_version"], 1);
    assert_eq!(after["rule_category_details"], json!([{"category": "amount", "score": 15}]));

    // A deny-list entry forces DECLINE, whatever the score.
    t.put_rules(json!([{"id": "deny", "name": "Deny list", "category": "lists", "expression": "lists.deny_any",
        "operation": "decline"}]))
        .await;
    let (status, _) = t.api.send_put("/v1/lists/deny_email/Buyer@Example.com", json!({})).await;
    assert_eq!(status, 201);
    let denied = t.decide(body.clone()).await;
    assert_eq!((denied["state"].as_str(), rule_ids(&denied)), (Some("DECLINE"), vec!["deny".to_owned()]));
    assert_eq!(denied["lists"], json!(["deny_email"]));
    let other = t.decide(json!({"email": "someone@example.com"})).await;
    assert_eq!(other["state"], "APPROVE");
    let (status, _) = t.api.send_put("/v1/lists/deny_cidr/10.1.0.0%2F16", json!({})).await;
    assert_eq!(status, 201);
    let from_range = t.decide(json!({"ip": "10.1.2.3"})).await;
    assert_eq!(from_range["state"], "DECLINE", "{from_range}");
}

/// The Nth event from one device fires a velocity rule; the (N-1)th does not.
async fn velocity_fires_on_the_nth_event_from_a_device(backend: Backend) {
    let t = tenant(backend).await;
    t.put_rules(json!([
        {"id": "device_burst", "name": "Third event from a device in 10 minutes", "category": "velocity",
         "expression": "velocity.device_tx_10m >= 3", "operation": "decline"},
        {"id": "device_users", "name": "Two users on a device", "category": "velocity",
         "expression": "velocity.device_users_24h >= 2", "operation": {"score": 5}}
    ]))
    .await;
    let device = clean_device();
    let mut devices = Vec::new();
    for (n, user) in [(1, "u-1"), (2, "u-1"), (3, "u-2")] {
        let data = t.decide(json!({"user_id": user, "session": t.session(&device).await})).await;
        devices.push(data["device_details"]["sightline"]["device_id"].clone());
        assert_eq!(data["velocity"]["device_tx_10m"], f64::from(n), "{data}");
        assert_eq!(data["velocity_saturated"], json!([]), "exact counts are not marked: {data}");
        let fired = rule_ids(&data);
        if n < 3 {
            assert!(fired.is_empty(), "event {n}: {data}");
            assert_eq!(data["velocity"]["device_users_24h"], 1.0);
        } else {
            assert_eq!(fired, vec!["device_burst", "device_users"], "{data}");
            assert_eq!(data["state"], "DECLINE");
        }
    }
    assert!(devices.windows(2).all(|w| w[0] == w[1] && !w[0].is_null()), "one device: {devices:?}");
    // Another device starts from one.
    let now = sightline_core::Timestamp::now().millis();
    let other = simulate(Platform::Android, Scenario::Clean, 77, now).unwrap().remove(0).payload;
    let data = t.decide(json!({"user_id": "u-1", "session": t.session(&other).await})).await;
    assert_eq!(data["velocity"]["device_tx_10m"], 1.0, "{data}");
}

/// The identity graph's facts about a device and its users reach the device analysis: a user's
/// first use of the device, a returning user (counted once), and the third user in a day (the
/// shared-device threshold).
async fn the_device_analysis_counts_the_users_of_a_device(backend: Backend) {
    let t = tenant(backend).await;
    let device = clean_device();
    let mut codes_of = Vec::new();
    for user in ["u-1", "u-2", "u-2", "u-3"] {
        let data = t.decide(json!({"user_id": user, "session": t.session(&device).await})).await;
        let codes: Vec<String> = data["device_details"]["sightline"]["reason_codes"]
            .as_array()
            .unwrap_or_else(|| panic!("reason codes: {data}"))
            .iter()
            .filter_map(|c| c["code"].as_str().map(str::to_owned))
            .collect();
        codes_of.push(codes);
    }
    let has = |event: usize, code: &str| codes_of[event].iter().any(|c| c == code);
    assert!(has(0, "R426") && !has(0, "I403"), "first use by u-1: {:?}", codes_of[0]);
    assert!(has(1, "R426") && !has(1, "R424"), "u-2, two users: {:?}", codes_of[1]);
    assert!(has(2, "I403") && !has(2, "R426") && !has(2, "R424"), "u-2 again, still two: {:?}", codes_of[2]);
    assert!(has(3, "R424"), "u-3, three users in a day: {:?}", codes_of[3]);
}

/// Lists too long to keep in memory are looked up per decision, and a CIDR list too long to
/// read whole on every decision is searched by the networks that contain the event's IP: it
/// still matches, and an address outside it still does not.
async fn a_long_cidr_list_still_matches(backend: Backend) {
    let t = tenant(backend).await;
    t.put_rules(json!([{"id": "deny_range", "name": "Denied range", "category": "lists",
        "expression": "lists.deny_cidr", "operation": "decline"}]))
        .await;
    // 2,100 /24 networks (more than the 2,048 entries a node keeps, and than the 256 read
    // whole), and one IPv6 /48.
    for i in 0..2_100_u32 {
        let (status, answer) =
            t.api.send_put(&format!("/v1/lists/deny_cidr/10.{}.{}.0%2F24", i / 256, i % 256), json!({})).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (status, _) = t.api.send_put("/v1/lists/deny_cidr/2001:db8:7::%2F48", json!({})).await;
    assert_eq!(status, 201);
    for (ip, state) in [
        ("10.1.43.9", "DECLINE"),
        ("10.0.0.255", "DECLINE"),
        ("10.8.51.9", "DECLINE"),
        ("10.8.52.9", "APPROVE"),
        ("::ffff:10.1.20.1", "DECLINE"),
        ("2001:db8:7:1::5", "DECLINE"),
        ("2001:db8:8::5", "APPROVE"),
    ] {
        let data = t.decide(json!({"ip": ip})).await;
        assert_eq!(data["state"], state, "{ip}: {data}");
    }
}

/// A draft rule replayed over stored history reports the events it would flip.
async fn backtest_reports_the_flips_of_a_draft(backend: Backend) {
    let t = tenant(backend).await;
    t.put_rules(json!([{"id": "never", "name": "Never", "category": "x", "expression": "false",
        "operation": "decline"}]))
        .await;
    let mut ids = Vec::new();
    for amount in [100.0, 2000.0, 5000.0] {
        let data = t.decide(json!({"user_id": "u", "transaction_amount": amount})).await;
        assert_eq!(data["state"], "APPROVE");
        ids.push(data["id"].as_str().unwrap().to_owned());
    }
    let draft = json!({"rules": [{"id": "big", "name": "Big ticket", "category": "amount",
        "expression": "request.transaction_amount > 1000.0", "operation": "decline"}]});
    let (status, report) = t.api.post("/v1/rules/backtest", draft.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["total"], 3, "{report}");
    assert_eq!(report["flip_count"], 2);
    assert_eq!(report["by_state_before"], json!({"approve": 3, "review": 0, "decline": 0}));
    assert_eq!(report["by_state_after"], json!({"approve": 1, "review": 0, "decline": 2}));
    let flipped: Vec<&str> =
        report["flips"].as_array().unwrap().iter().map(|f| f["event_id"].as_str().unwrap()).collect();
    assert_eq!(flipped, vec![ids[1].as_str(), ids[2].as_str()]);
    assert_eq!(report["flips"][0]["after"], "DECLINE");

    // Streamed: progress lines, then the same report.
    let response = common::client()
        .post(format!("{}/v1/rules/backtest?stream=true", t.api.base))
        .bearer_auth(&t.api.key)
        .json(&draft)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let text = response.text().await.unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["progress"], 1.0, "{text}");
    assert_eq!(lines.last().unwrap()["report"]["flip_count"], 2, "{text}");

    // Nothing before the range; a broken draft or range is a 400.
    let (_, empty) =
        t.api.post("/v1/rules/backtest", json!({"from": "2019-01-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"})).await;
    assert_eq!(empty["total"], 0, "{empty}");
    let (status, _) = t
        .api
        .post(
            "/v1/rules/backtest",
            json!({"rules": [{"id": "x", "name": "x", "category": "x",
        "expression": "request.nope > 1", "operation": "decline"}]}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) =
        t.api.post("/v1/rules/backtest", json!({"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"})).await;
    assert_eq!(status, 400);
}

/// `config.response_fields` keeps only the listed top-level fields (and `id`); a module's own
/// `response_fields` keeps only the listed keys of its details. Without them, everything.
async fn response_fields_select_what_the_answer_carries(backend: Backend) {
    let t = tenant(backend).await;
    let session = t.session(&clean_device()).await;
    let full = t.decide(json!({"email": "a@example.com", "session": session})).await;
    let device = full["device_details"].as_object().expect("device details");
    assert!(device.len() > 1 && device.contains_key("sightline"), "{full}");
    assert!(full["module_notes"].is_object() && full.get("calculation_time_breakdown").is_some(), "{full}");

    let session = t.session(&clean_device()).await;
    let config =
        json!({"response_fields": "state, device_details,,", "device": {"response_fields": "sightline,no_such_key"}});
    let data = t.decide(json!({"email": "a@example.com", "session": session, "config": config})).await;
    let mut keys: Vec<&str> = data.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["device_details", "id", "state"], "{data}");
    let device: Vec<&String> = data["device_details"].as_object().expect("device details").keys().collect();
    assert_eq!(device, ["sightline"], "{data}");
    assert!(data["device_details"]["sightline"]["device_id"].is_string(), "{data}");

    // Only separators: nothing is selected, so everything is answered.
    let session = t.session(&clean_device()).await;
    let data = t.decide(json!({"session": session, "config": {"response_fields": " , "}})).await;
    assert!(data.get("applied_rules").is_some() && data.get("velocity").is_some(), "{data}");
}

/// The raw device details are stored once, in the answer; a replay puts them back into the
/// event, so a draft rule on them sees what the live rule would have seen.
async fn backtests_replay_the_raw_device_details(backend: Backend) {
    let t = tenant(backend).await;
    let session = t.session(&clean_device()).await;
    let with_device = t.decide(json!({"user_id": "u", "session": session})).await;
    let key = with_device["device_details"]
        .as_object()
        .and_then(|d| {
            d.keys().find(|k| k.as_str() != "sightline" && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        })
        .cloned()
        .expect("a device detail");
    t.decide(json!({"user_id": "u"})).await;
    let draft = json!({"rules": [{"id": "detail", "name": "Has the detail", "category": "device",
        "expression": format!("has(device.details.{key})"), "operation": "decline"}]});
    let (status, report) = t.api.post("/v1/rules/backtest", draft).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["total"], 2, "{report}");
    assert_eq!(report["flip_count"], 1, "{report}");
    assert_eq!(report["flips"][0]["event_id"], with_device["id"], "{report}");
}

both_backends!(
    backtests_replay_the_raw_device_details,
    response_fields_select_what_the_answer_carries,
    backtest_reports_the_flips_of_a_draft,
    seed_request_gets_a_seon_shaped_answer,
    missing_or_broken_sessions_still_decide,
    bad_input_is_a_seon_error_and_stores_nothing,
    rules_and_lists_changed_through_the_api_take_effect,
    velocity_fires_on_the_nth_event_from_a_device,
    the_device_analysis_counts_the_users_of_a_device,
    a_long_cidr_list_still_matches,
);

/// The workspace's `data/` when `scripts/data-fetch.sh` filled it. Without it the test is
/// skipped, unless `SIGHTLINE_REQUIRE_DATA` says CI installed the data (then it must be there).
fn installed_data() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let present = dir.join("enrich/manifest.json").exists();
    if std::env::var_os("SIGHTLINE_REQUIRE_DATA").is_some() {
        assert!(present, "SIGHTLINE_REQUIRE_DATA is set but {} has no enrichment data", dir.display());
    }
    present.then_some(dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn modules_enrich_the_decision_with_installed_data() {
    let Some(data) = installed_data() else {
        eprintln!("skipped: no enrichment data (run scripts/data-fetch.sh)");
        return;
    };
    let server = Server::start_with(Backend::Sqlite, &["--data-dir", data.to_str().unwrap()]).await;
    let (tenant_id, key) = server.tenant("shop", "live");
    let api = Api::new(&server, &key);
    let mut device = clean_device();
    device.collected_at = sightline_core::Timestamp::now().millis();
    let session = api.seal(&tenant_id, &device).await;
    let (status, modules) = api.get("/v1/modules").await;
    assert_eq!(status, 200, "{modules}");
    assert!(modules["attributions"].to_string().contains("DB-IP"), "{modules}");
    let (status, answer) = api
        .post(
            "/v1/fraud-api",
            json!({"ip": "8.8.8.8", "email": "someone@mailinator.com", "phone_number": "+4915112345678",
                   "card_bin": "424242", "billing_country": "DE", "transaction_amount": 20.0, "session": session}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let data = &answer["data"];
    assert_eq!(data["ip_details"]["country"], "US", "{data}");
    assert_eq!(data["ip_details"]["asn"], 15169);
    assert_eq!(data["email_details"]["domain_details"]["disposable"], true, "{data}");
    assert_eq!(data["phone_details"]["valid"], true);
    assert_eq!(data["phone_details"]["country"], "DE");
    assert_eq!(data["phone_details"]["type"], "mobile", "{data}");
    assert!(data["bin_details"]["bin_card"].as_str().unwrap().to_lowercase().contains("visa"), "{data}");
    let fired = rule_ids(data);
    assert!(fired.contains(&"email_disposable".to_owned()), "{fired:?}");
    assert!(data["calculation_time_breakdown"]["ip"].as_f64().is_some());
    // The device's time zone and WebRTC addresses are checked against the IP.
    let consistency = &data["ip_details"]["device_consistency"];
    assert!(consistency["device_timezone"].is_string(), "{consistency}");
    assert!(consistency["timezone_matches_ip_country"].is_boolean(), "{consistency}");
    // Stored without the email in clear.
    let (_, stored) = api.get(&format!("/v1/fraud-api/{}", data["id"].as_str().unwrap())).await;
    assert!(!stored.to_string().contains("someone@mailinator.com"), "{stored}");
}

/// A list imported with `sightline sanctions import` screens the customer's name: a
/// transliterated, reordered and misspelt listed name matches and declines; another does not.
#[tokio::test(flavor = "multi_thread")]
async fn imported_sanctions_list_screens_names() {
    let data = tempfile::tempdir().unwrap();
    let list = data.path().join("own-list.csv");
    std::fs::write(
        &list,
        "id,name,kind,aliases,birth_dates,countries,programs,remarks\n\
         S-1,Vladimir Petrovich Sokolov,person,Владимир Соколов,1971-03-14,RU,synthetic,test entry\n\
         S-2,Blocked Widgets Ltd,entity,,,DE,,\n",
    )
    .unwrap();
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["--output", "json", "sanctions", "import", "--list", "custom", "--file"])
        .arg(&list)
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let report: Value = serde_json::from_slice(&import.stdout).unwrap();
    assert_eq!(report["entries"], 2, "{report}");

    let server = Server::start_with(Backend::Sqlite, &["--data-dir", data.path().to_str().unwrap()]).await;
    let (_, key) = server.tenant("bank", "live");
    let api = Api::new(&server, &key);
    let screen = |name: &str| {
        let api = api.clone();
        let body = json!({"user_fullname": name, "user_dob": "1971-03-14", "user_country": "RU"});
        async move {
            let (status, answer) = api.post("/v1/fraud-api", body).await;
            assert_eq!(status, 200, "{answer}");
            answer["data"].clone()
        }
    };
    let hit = screen("Sokolov Wladimir Petrovitch").await;
    assert_eq!(hit["aml_details"]["has_sanction_match"], true, "{hit}");
    assert_eq!(hit["aml_details"]["matches"][0]["list_id"], "S-1");
    assert!(rule_ids(&hit).contains(&"aml_sanctions".to_owned()), "{hit}");
    assert_eq!(hit["state"], "DECLINE");
    let clear = screen("Maria Fernanda Oliveira").await;
    assert_eq!(clear["aml_details"]["result_count"], 0, "{clear}");
    assert!(!rule_ids(&clear).contains(&"aml_sanctions".to_owned()));
    // The tenant's threshold applies: at 100 % a misspelt name without a matching birth date
    // or country no longer matches.
    let (status, _) = api.patch("/v1/tenant/settings", json!({"aml_match_threshold": 100})).await;
    assert_eq!(status, 200);
    let (_, strict) = api.post("/v1/fraud-api", json!({"user_fullname": "Sokolov Wladimir Petrovitch"})).await;
    assert_eq!(strict["data"]["aml_details"]["result_count"], 0, "{strict}");
    let (status, _) = api.patch("/v1/tenant/settings", json!({"aml_match_threshold": 20})).await;
    assert_eq!(status, 400);
}
