//! Two server processes sharing one PostgreSQL database: both serve the same data, and the
//! webhook outbox never delivers the same attempt twice.

mod common;

use common::receiver::Receiver;
use common::{Api, Server};
use serde_json::json;
use std::collections::HashMap;

const SEED: &str = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8hQtqbA5LbzEFWDI1bUwZf/zbau0P2MIEUE+LsifBKvxjCYNUyz647bpSjnQ6Tu8IK22sxFlTGEFaHKBigzmP8Nc8FvVSWKzslmSWTFJM5AYc+EGTZLprlcdrLldsZLS5PpHfPMmvtqCXVTnGhYV7GvutI1w5";

/// Two nodes on a fresh database, and a tenant of `mode` with its id and API key.
async fn two_nodes(mode: &str) -> (Server, Server, String, String) {
    let url = sightline_testkit::fresh_pg_database().await;
    let node_a = Server::start_on(url.clone(), tempfile::tempdir().unwrap(), &[]);
    let node_b = Server::start_on(url, tempfile::tempdir().unwrap(), &[]);
    let (tenant_id, key) = node_a.tenant("shared", mode);
    (node_a, node_b, tenant_id, key)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_on_one_postgres_deliver_each_attempt_once() {
    let (node_a, node_b, _, key) = two_nodes("test").await;
    let a = Api::new(&node_a, &key);
    let b = Api::new(&node_b, &key);
    let receiver = Receiver::start().await;
    let (status, _) = b.post("/v1/webhooks", json!({"event_type": "PERSON_CHANGED", "url": receiver.url})).await;
    assert_eq!(status, 201);

    // Events are created alternately through both nodes; both workers race for them.
    let mut persons = Vec::new();
    for i in 0..20 {
        let api = if i % 2 == 0 { &a } else { &b };
        let (_, person) = api.post("/v1/persons", json!({"branch": "DE", "first_name": format!("P{i}")})).await;
        let id = person["id"].as_str().unwrap().to_owned();
        let other = if i % 2 == 0 { &b } else { &a };
        let (status, _) = other
            .post(
                &format!("/v1/persons/{id}/device_consents"),
                json!({"event_type": "APPROVED", "confirmed_at": sightline_core::Timestamp::now().to_rfc3339()}),
            )
            .await;
        assert_eq!(status, 201, "a person created on one node is visible on the other");
        api.post(
            &format!("/v1/persons/{id}/device_activities"),
            json!({"activity_type": "APP_START", "device_data": SEED}),
        )
        .await;
        persons.push(id);
    }
    for person in &persons {
        receiver.wait_for(20, "PERSON_CHANGED", |r| r.header("solaris-entity-id") == person).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for delivery in receiver.deliveries() {
        let key =
            (delivery.header("solaris-webhook-id").to_owned(), delivery.header("solaris-webhook-attempt").to_owned());
        *seen.entry(key).or_default() += 1;
    }
    assert_eq!(seen.len(), persons.len());
    assert!(seen.values().all(|&n| n == 1), "an attempt was delivered twice: {seen:?}");
}

/// Velocity is counted in the shared store, so events spread over two nodes count as one
/// stream: the third event of a user fires the rule whichever node answers it, and a rule
/// change made on one node decides the next call on the other.
#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_count_velocity_and_share_rule_changes() {
    let (node_a, node_b, _, key) = two_nodes("live").await;
    let a = Api::new(&node_a, &key);
    let b = Api::new(&node_b, &key);
    // Node b compiles the default pack first, so the change below must reach its cache.
    let (status, _) = b.post("/v1/fraud-api", json!({"user_id": "warm-up"})).await;
    assert_eq!(status, 200);
    let (status, body) = a
        .send_put(
            "/v1/rules",
            json!({"rules": [{"id": "user_burst", "name": "Third event of a user", "category": "velocity",
                "expression": "velocity.user_tx_1h >= 3", "operation": "decline"}]}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for n in 1..=6_u32 {
        let api = if n % 2 == 0 { &a } else { &b };
        let (status, answer) = api.post("/SeonRestService/fraud-api/v2/", json!({"user_id": "shared-user"})).await;
        assert_eq!(status, 200, "{answer}");
        let data = &answer["data"];
        assert_eq!(data["rule_set_version"], 1, "node {} runs the new rules", if n % 2 == 0 { "a" } else { "b" });
        assert_eq!(data["velocity"]["user_tx_1h"], f64::from(n), "{data}");
        assert_eq!(data["state"], if n >= 3 { "DECLINE" } else { "APPROVE" }, "event {n}: {data}");
    }
}

/// Each node keeps in memory the API keys, settings, agent keys, rules and lists it has read,
/// and checks them against the tenant's configuration version on every request. Changes made
/// through one node, or by the CLI, apply to the very next request on the other.
#[tokio::test(flavor = "multi_thread")]
async fn configuration_changed_on_one_node_applies_at_once_on_the_other() {
    let (node_a, node_b, tenant_id, key) = two_nodes("live").await;
    let a = Api::new(&node_a, &key);
    let b = Api::new(&node_b, &key);
    let event = json!({"email": "buyer@example.com", "user_id": "u-config"});
    let decide = async |api: &Api| {
        let (status, answer) = api.post("/v1/fraud-api", event.clone()).await;
        assert_eq!(status, 200, "{answer}");
        answer["data"].clone()
    };
    // Node b reads and keeps everything once.
    assert_eq!(decide(&b).await["lists"], json!([]));

    let (status, body) = a.send_put("/v1/lists/deny_email/buyer@example.com", json!({})).await;
    assert!(status == 200 || status == 201, "{status} {body}");
    let data = decide(&b).await;
    assert_eq!((data["lists"].clone(), data["state"].clone()), (json!(["deny_email"]), json!("DECLINE")), "{data}");
    let (status, _) = a.delete("/v1/lists/deny_email/buyer@example.com").await;
    assert!(status < 300);
    assert_eq!(decide(&b).await["lists"], json!([]), "the removal reached node b too");

    let (status, settings) = a.patch("/v1/tenant/settings", json!({"reject_replayed_payloads": true})).await;
    assert_eq!(status, 200, "{settings}");
    let (_, seen_by_b) = b.get("/v1/tenant").await;
    assert_eq!(seen_by_b["settings"]["reject_replayed_payloads"], true, "{seen_by_b}");

    let mut payload = sightline_payload::DevicePayload::new(
        &mut rand::rngs::OsRng,
        sightline_payload::Platform::Web,
        "1.0.0",
        "config-session",
        sightline_core::Timestamp::now().millis(),
    );
    let sealed_before = b.seal(&tenant_id, &payload).await;
    payload.payload_id =
        sightline_payload::DevicePayload::new(&mut rand::rngs::OsRng, payload.platform, "1.0.0", "s", 0).payload_id;
    let sealed_after = b.seal(&tenant_id, &payload).await;
    let with_session = |session: &str| json!({"user_id": "u-config", "session": session});
    let (_, answer) = b.post("/v1/fraud-api", with_session(&sealed_before)).await;
    assert!(answer["data"]["device_details"].is_object(), "node b opens the payload: {answer}");
    let (_, config) = b.get(&format!("/agent/v1/config?tenant={tenant_id}")).await;
    let agent_key = config["key_id"].as_u64().unwrap().to_string();
    node_a.cli(&["keys", "agent", "retire", "--tenant", &tenant_id, "--key-id", &agent_key]);
    let (_, answer) = b.post("/v1/fraud-api", with_session(&sealed_after)).await;
    let note = answer["data"]["module_notes"]["device"].as_str().unwrap_or_default();
    assert!(note.contains("unknown_key"), "a key retired by the CLI no longer opens on node b: {answer}");

    let (status, created) = a.post("/v1/api_keys", json!({"label": "second"})).await;
    assert_eq!(status, 201, "{created}");
    let second = Api::new(&node_a, created["api_key"].as_str().unwrap());
    let (_, keys) = second.get("/v1/api_keys").await;
    let first_id = keys.as_array().unwrap().iter().find(|k| k["label"] != "second").unwrap()["id"].clone();
    let (status, _) = second.delete(&format!("/v1/api_keys/{}", first_id.as_str().unwrap())).await;
    assert!(status < 300);
    let (status, _) = b.get("/v1/tenant").await;
    assert_eq!(status, 401, "a key revoked through node a is refused by node b at once");
}
