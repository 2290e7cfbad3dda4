//! Two server processes sharing one PostgreSQL database: both serve the same data, and the
//! webhook outbox never delivers the same attempt twice.

mod common;

use common::receiver::Receiver;
use common::{Api, Server};
use serde_json::json;
use std::collections::HashMap;

const SEED: &str = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8hQtqbA5LbzEFWDI1bUwZf/zbau0P2MIEUE+LsifBKvxjCYNUyz647bpSjnQ6Tu8IK22sxFlTGEFaHKBigzmP8Nc8FvVSWKzslmSWTFJM5AYc+EGTZLprlcdrLldsZLS5PpHfPMmvtqCXVTnGhYV7GvutI1w5";

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_on_one_postgres_deliver_each_attempt_once() {
    let url = sightline_testkit::fresh_pg_database().await;
    let node_a = Server::start_on(url.clone(), tempfile::tempdir().unwrap(), &[]);
    let node_b = Server::start_on(url, tempfile::tempdir().unwrap(), &[]);
    let (_, key) = node_a.tenant("shared", "test");
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
    let url = sightline_testkit::fresh_pg_database().await;
    let node_a = Server::start_on(url.clone(), tempfile::tempdir().unwrap(), &[]);
    let node_b = Server::start_on(url, tempfile::tempdir().unwrap(), &[]);
    let (_, key) = node_a.tenant("shared", "live");
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
