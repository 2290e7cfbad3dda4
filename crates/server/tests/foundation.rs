//! The foundation over real HTTP: health, docs, authentication in every dialect's header,
//! tenant isolation, error shapes, limits and the CLI — on SQLite and PostgreSQL.

mod common;

use common::{Backend, Server, client};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn health_readiness_docs_and_metrics(backend: Backend) {
    let server = Server::start(backend).await;
    let http = client();
    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    let ready: Value = http.get(server.url("/readyz")).send().await.unwrap().json().await.unwrap();
    let expected = if backend == Backend::Sqlite { "sqlite" } else { "postgres" };
    assert_eq!(ready, json!({"status": "ready", "store": expected}));

    let docs = http.get(server.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"), "Swagger UI is served from the binary");
    let spec: Value = http.get(server.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/healthz",
        "/readyz",
        "/metrics",
        "/v1/tenant",
        "/v1/api_keys",
        "/v1/api_keys/{id}",
        "/v1/persons/{person_id}/device_activities",
        "/v1/webhooks/{id}/deliveries",
        "/agent/v1/config",
        "/demo",
        "/demo/api/consent",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing from /openapi.json");
    }

    let mut operation_ids: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let total = operation_ids.len();
    operation_ids.sort_unstable();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), total, "operationIds must be unique");

    let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"}"#), "{metrics}");
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    if backend == Backend::Sqlite {
        // The checkpoint thread reports the WAL's size after each pass (every 250 ms).
        let mut seen = false;
        for _ in 0..50 {
            let text = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
            if text.lines().any(|line| line.starts_with("sqlite_wal_frames ")) {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(seen, "sqlite_wal_frames is exported");

        // A decision goes through the group commit, which reports its wait and its batch.
        let (_, key) = server.tenant("metrics", "test");
        let decided = http.post(server.url("/v1/fraud-api")).bearer_auth(&key).json(&json!({"user_id": "u"})).send();
        assert_eq!(decided.await.unwrap().status(), 200);
        let text = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
        for metric in ["sqlite_commit_wait_seconds_count", "sqlite_commit_write_seconds_count"] {
            let count = text.lines().find_map(|line| line.strip_prefix(metric)).map(str::trim);
            assert!(count.and_then(|n| n.parse::<u64>().ok()).is_some_and(|n| n >= 1), "{metric} in {text}");
        }
        assert!(text.contains(r#"sqlite_commit_batch_changes_bucket{le="1"}"#), "{text}");
    }
}

async fn first_start_creates_a_test_tenant_and_prints_its_key(backend: Backend) {
    let server = Server::start(backend).await;
    let line = server.stdout_lines.iter().find(|l| l.contains("API key")).expect("key printed on first start");
    let key = line.rsplit(' ').next().unwrap();
    let tenant: Value =
        client().get(server.url("/v1/tenant")).bearer_auth(key).send().await.unwrap().json().await.unwrap();
    assert_eq!(tenant["name"], "default");
    assert_eq!(tenant["mode"], "test");
    let config = server.stdout_lines.iter().find(|l| l.contains("configuration")).unwrap();
    assert!(config.contains("database_url"));
}

async fn every_dialect_header_authenticates(backend: Backend) {
    let server = Server::start(backend).await;
    let (tenant_id, key) = server.tenant("acme", "live");
    let http = client();
    for header in ["authorization", "x-api-key", "u21-key"] {
        let value = if header == "authorization" { format!("Bearer {key}") } else { key.clone() };
        let body: Value =
            http.get(server.url("/v1/tenant")).header(header, value).send().await.unwrap().json().await.unwrap();
        assert_eq!(body["id"], tenant_id.as_str(), "{header}");
        assert_eq!(body["mode"], "live");
    }

    let missing = http.get(server.url("/v1/tenant")).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "unauthorized");
    let wrong = http.get(server.url("/v1/tenant")).bearer_auth("sl_live_nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);

    // SEON's paths answer in SEON's error envelope.
    let seon = http.post(server.url("/SeonRestService/fraud-api/v2/")).send().await.unwrap();
    let body: Value = seon.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert!(body["error"]["code"].is_string());
}

async fn tenants_cannot_see_or_change_each_other(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, key_a) = server.tenant("tenant-a", "test");
    let (_, key_b) = server.tenant("tenant-b", "test");
    let http = client();
    let keys_a: Value =
        http.get(server.url("/v1/api_keys")).bearer_auth(&key_a).send().await.unwrap().json().await.unwrap();
    let key_a_id = keys_a[0]["id"].as_str().unwrap().to_owned();

    let keys_b: Value =
        http.get(server.url("/v1/api_keys")).bearer_auth(&key_b).send().await.unwrap().json().await.unwrap();
    assert_eq!(keys_b.as_array().unwrap().len(), 1);
    assert_ne!(keys_b[0]["id"], key_a_id.as_str());

    // B revoking A's key: 404 (not 403), and A's key keeps working.
    let revoke = http.delete(server.url(&format!("/v1/api_keys/{key_a_id}"))).bearer_auth(&key_b).send().await.unwrap();
    assert_eq!(revoke.status(), 404);
    assert_eq!(http.get(server.url("/v1/tenant")).bearer_auth(&key_a).send().await.unwrap().status(), 200);

    // A revoking its own key works, and the key stops working at once.
    let revoke = http.delete(server.url(&format!("/v1/api_keys/{key_a_id}"))).bearer_auth(&key_a).send().await.unwrap();
    assert_eq!(revoke.status(), 204);
    assert_eq!(http.get(server.url("/v1/tenant")).bearer_auth(&key_a).send().await.unwrap().status(), 401);
}

async fn bad_input_gets_clear_client_errors(backend: Backend) {
    let server = Server::start_with(backend, &["--body-limit-bytes", "2048"]).await;
    let (_, key) = server.tenant("strict", "test");
    let http = client();
    let post = |body: &'static str, content_type: &'static str| {
        http.post(server.url("/v1/api_keys")).bearer_auth(&key).header("content-type", content_type).body(body).send()
    };

    let malformed = post("{\"label\": ", "application/json").await.unwrap();
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "malformed_json");

    let wrong_type = post("{\"label\": 7}", "application/json").await.unwrap();
    assert_eq!(wrong_type.status(), 400);
    let body: Value = wrong_type.json().await.unwrap();
    assert_eq!(body["errors"][0]["source"]["field"], "label");

    let unknown_field = post("{\"lable\": \"x\"}", "application/json").await.unwrap();
    assert_eq!(unknown_field.status(), 400);

    assert_eq!(post("label=x", "application/x-www-form-urlencoded").await.unwrap().status(), 415);

    let big = format!("{{\"label\": \"{}\"}}", "x".repeat(10_000));
    let too_large = http
        .post(server.url("/v1/api_keys"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), 413);
    let body: Value = too_large.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "payload_too_large");

    let missing = http.get(server.url("/v1/nothing-here")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["errors"][0]["status"], 404);

    let wrong_method = http.put(server.url("/healthz")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);

    // Nothing stored was disturbed: exactly the one key from tenant creation exists.
    let keys: Value =
        http.get(server.url("/v1/api_keys")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(keys.as_array().unwrap().len(), 1);
}

async fn rate_limit_answers_429_with_retry_after(backend: Backend) {
    let server = Server::start_with(backend, &["--rate-limit-per-second", "1", "--rate-limit-burst", "2"]).await;
    let (_, key) = server.tenant("busy", "test");
    let (_, other) = server.tenant("calm", "test");
    let http = client();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = http.get(server.url("/v1/tenant")).bearer_auth(&key).send().await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(retry >= 1);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["errors"][0]["code"], "rate_limited");
            statuses.push(429);
        } else {
            statuses.push(response.status().as_u16());
        }
    }
    assert_eq!(&statuses[..2], &[200, 200]);
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    // Limits are per key: another tenant is unaffected.
    assert_eq!(http.get(server.url("/v1/tenant")).bearer_auth(&other).send().await.unwrap().status(), 200);
}

async fn cli_manages_keys(backend: Backend) {
    let server = Server::start(backend).await;
    let (tenant_id, _) = server.tenant("cli-co", "test");
    let created = server.cli(&["keys", "create", "--tenant", "cli-co", "--label", "second"]);
    let secret = created["api_key"].as_str().unwrap().to_owned();
    let key_id = created["key"]["id"].as_str().unwrap().to_owned();
    let http = client();
    assert_eq!(http.get(server.url("/v1/tenant")).bearer_auth(&secret).send().await.unwrap().status(), 200);

    let listed = server.cli(&["keys", "list", "--tenant", &tenant_id]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains(&secret), "secrets are never listed");

    server.cli(&["keys", "revoke", "--tenant", "cli-co", "--key", &key_id]);
    assert_eq!(http.get(server.url("/v1/tenant")).bearer_auth(&secret).send().await.unwrap().status(), 401);
    let tenants = server.cli(&["tenants", "list"]);
    assert!(tenants.as_array().unwrap().iter().any(|t| t["name"] == "cli-co"));
}

/// SIGTERM lets an in-flight request finish (here a webhook subscription whose endpoint
/// verification takes a second), then exits 0.
async fn sigterm_finishes_in_flight_requests(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, key) = server.tenant("graceful", "test");
    let receiver = common::receiver::Receiver::start().await;
    receiver.delay(1500);
    let request = client()
        .post(server.url("/v1/webhooks"))
        .bearer_auth(&key)
        .json(&json!({"event_type": "PERSON_CHANGED", "url": receiver.url}))
        .send();
    let in_flight = tokio::spawn(request);
    // The verification reaching the receiver, which holds its answer back, is what puts the
    // request in flight; on a loaded machine that can take longer than any fixed pause.
    receiver.wait_for_verification(10).await;
    assert!(!in_flight.is_finished(), "the request is in flight");
    let status = tokio::task::spawn_blocking(move || server.terminate()).await.unwrap();
    let response = in_flight.await.unwrap().expect("the in-flight request was answered");
    assert_eq!(response.status(), 201);
    assert!(status.success(), "graceful shutdown exits 0, got {status:?}");
}

async fn responses_are_gzipped_on_request(backend: Backend) {
    let server = Server::start(backend).await;
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = raw.get(server.url("/openapi.json")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

async fn demo_can_be_turned_off(backend: Backend) {
    let server = Server::start_with(backend, &["--no-demo"]).await;
    let http = client();
    assert_eq!(http.get(server.url("/demo")).send().await.unwrap().status(), 404);
    let spec: Value = http.get(server.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(spec["paths"].get("/demo").is_none());
}

both_backends!(
    demo_can_be_turned_off,
    health_readiness_docs_and_metrics,
    first_start_creates_a_test_tenant_and_prints_its_key,
    every_dialect_header_authenticates,
    tenants_cannot_see_or_change_each_other,
    bad_input_gets_clear_client_errors,
    rate_limit_answers_429_with_retry_after,
    cli_manages_keys,
    sigterm_finishes_in_flight_requests,
    responses_are_gzipped_on_request,
);
