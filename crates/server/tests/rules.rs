//! Rule-set versions and allow/deny lists over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::{Api, Backend, Server};
use serde_json::{Value, json};

async fn rule_sets_are_compiled_and_versioned(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, key) = server.tenant("rules", "test");
    let api = Api::new(&server, &key);

    let (status, current) = api.get("/v1/rules").await;
    assert_eq!(status, 200);
    assert_eq!(current["version"], 0, "the default pack until the tenant changes it");
    assert!(current["rules"].as_array().unwrap().len() >= 30);

    let (_, answer) =
        api.post("/v1/rules/validate", json!({"expression": "device.risk > 50 &&\n device.flgs.size() > 0"})).await;
    assert_eq!(answer["valid"], false);
    assert_eq!(answer["errors"][0]["line"], 2, "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("flgs"));
    let (_, ok) = api.post("/v1/rules/validate", json!({"expression": "device.risk >= 70"})).await;
    assert_eq!(ok, json!({"valid": true, "errors": []}));

    let mut rules: Vec<Value> = current["rules"].as_array().unwrap().clone();
    rules.push(json!({"id": "custom_high_amount", "name": "High amount", "category": "custom",
                      "expression": "request.transaction_amount > 5000.0", "operation": {"score": 15}}));
    let broken = {
        let mut r = rules.clone();
        r.push(json!({"id": "broken", "name": "Broken", "category": "custom", "expression": "request.amount_typo > 1",
                      "operation": {"score": 5}}));
        r
    };
    let (status, body) = api.send_put("/v1/rules", json!({"rules": broken})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["code"], "rule_compile_error");
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("amount_typo"));
    assert_eq!(api.get("/v1/rules").await.1["version"], 0, "a refused set stores nothing");

    let (status, v1) = api.send_put("/v1/rules", json!({"rules": rules})).await;
    assert_eq!(status, 201, "{v1}");
    assert_eq!(v1["version"], 1);
    let (_, v2) = api
        .send_put("/v1/rules", json!({"rules": rules, "thresholds": {"approve_below": 5, "review_below": 30}}))
        .await;
    assert_eq!(v2["version"], 2);
    assert_eq!(api.get("/v1/rules").await.1["thresholds"]["approve_below"], 5);
    let (status, old) = api.get("/v1/rules/versions/1").await;
    assert_eq!((status, old["version"].as_u64()), (200, Some(1)));
    assert_eq!(api.get("/v1/rules/versions/9").await.0, 404);

    let (_, other_key) = server.tenant("other", "test");
    assert_eq!(Api::new(&server, &other_key).get("/v1/rules").await.1["version"], 0, "per tenant");
}

async fn lists_are_managed_per_tenant(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, key) = server.tenant("lists", "test");
    let api = Api::new(&server, &key);
    let (status, entry) =
        api.send_put("/v1/lists/deny_email/fraud@example.com", json!({"note": "chargeback 42"})).await;
    assert_eq!(status, 201, "{entry}");
    assert_eq!(entry["list"], "deny_email");
    assert_eq!(api.send_put("/v1/lists/deny_cidr/10.0.0.0%2F8", json!({})).await.0, 201);
    let (status, body) = api.send_put("/v1/lists/deny_cidr/not-a-cidr", json!({})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("value")), "{body}");
    assert_eq!(api.send_put("/v1/lists/deny_everything/x", json!({})).await.0, 404);
    assert_eq!(api.send_put("/v1/lists/deny_any/x", json!({})).await.0, 400);

    let (_, list) = api.get("/v1/lists/deny_email").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, other_key) = server.tenant("other", "test");
    assert_eq!(Api::new(&server, &other_key).get("/v1/lists/deny_email").await.1, json!([]));

    assert_eq!(api.delete("/v1/lists/deny_email/fraud@example.com").await.0, 204);
    assert_eq!(api.delete("/v1/lists/deny_email/fraud@example.com").await.0, 404);
}

async fn dry_run_decides_without_storing(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, key) = server.tenant("dry", "test");
    let api = Api::new(&server, &key);
    let clean = json!({"request": {"transaction_amount": 20.0, "email": "ada@example.com"}, "device": {"flags": [], "risk": 0}});
    let (status, decision) = api.post("/v1/rules/dry-run", json!({"event": clean})).await;
    assert_eq!(status, 200, "{decision}");
    assert_eq!(decision["state"], "APPROVE");
    assert_eq!(decision["rule_set_version"], 0);

    let denied = json!({"request": {"email": "fraud@example.com"}, "lists": {"deny_email": true}});
    let (_, decision) = api.post("/v1/rules/dry-run", json!({"event": denied})).await;
    assert_eq!(decision["state"], "DECLINE", "a deny-list hit forces DECLINE: {decision}");

    // A draft with one rule, tried on the same clean event.
    let draft =
        json!([{"id": "all", "name": "Everything", "category": "test", "expression": "true", "operation": "decline"}]);
    let (_, decision) = api.post("/v1/rules/dry-run", json!({"event": clean, "rules": draft})).await;
    assert_eq!(decision["state"], "DECLINE");
    assert_eq!(decision["applied_rules"][0]["id"], "all");
    let (status, _) = api
        .post(
            "/v1/rules/dry-run",
            json!({"event": clean, "rules": [{"id": "x", "name": "x", "category": "x",
        "expression": "nope.field", "operation": "decline"}]}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = api.post("/v1/rules/dry-run", json!({"event": 5})).await;
    assert_eq!(status, 400);
    assert_eq!(api.get("/v1/rules").await.1["version"], 0, "a dry run stores nothing");
}

both_backends!(rule_sets_are_compiled_and_versioned, lists_are_managed_per_tenant, dry_run_decides_without_storing);
