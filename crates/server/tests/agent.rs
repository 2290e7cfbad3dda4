//! The agent as served to partner pages, and sealed payloads through the Solaris activity
//! endpoint: opening, replay memory and policy, tampering, key rotation and retirement.

mod common;

use common::{Api, Backend, Server};
use rand::rngs::OsRng;
use serde_json::{Value, json};
use sightline_payload::{DevicePayload, Platform};

struct Tenant {
    server: Server,
    api: Api,
    id: String,
}

async fn tenant(backend: Backend, mode: &str) -> Tenant {
    let server = Server::start(backend).await;
    let (id, key) = server.tenant("shop", mode);
    let api = Api::new(&server, &key);
    Tenant { server, api, id }
}

impl Tenant {
    async fn agent_config(&self) -> Value {
        let (status, config) = self.api.get(&format!("/agent/v1/config?tenant={}", self.id)).await;
        assert_eq!(status, 200, "{config}");
        config
    }

    /// A payload with these signals, sealed like the agent does.
    async fn sealed(&self, session: &str, collected_at: i64, signals: Value) -> String {
        let mut payload = DevicePayload::new(&mut OsRng, Platform::Web, "1.0.0", session, collected_at);
        for (name, value) in signals.as_object().unwrap() {
            payload = payload.with_signal(name, value.clone(), 1.0, None);
        }
        self.api.seal(&self.id, &payload).await
    }

    async fn person_with_consent(&self) -> (String, String) {
        self.api.person_with_consent(json!({"branch": "DE", "first_name": "Ada"})).await
    }

    async fn activity(&self, person: &str, device_data: &str) -> (u16, Value) {
        self.api
            .post(
                &format!("/v1/persons/{person}/device_activities"),
                json!({"activity_type": "APP_START", "device_data": device_data}),
            )
            .await
    }
}

fn now_ms() -> i64 {
    sightline_core::Timestamp::now().millis()
}

async fn agent_is_served_with_the_tenant_key(backend: Backend) {
    let t = tenant(backend, "test").await;
    let config = t.agent_config().await;
    let key_id = config["key_id"].as_u64().unwrap();
    let http = common::client();
    for file in ["agent.js", "agent.mjs"] {
        let response = http.get(t.server.url(&format!("/agent/v1/{}/{file}", t.id))).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, max-age=300");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
        let body = response.text().await.unwrap();
        assert!(!body.contains("__SIGHTLINE_AGENT_CONFIG__"));
        assert!(body.contains(&format!("\"key_id\":{key_id}")));
        assert!(body.contains(config["public_key"].as_str().unwrap()));
    }
    let versioned = http.get(t.server.url(&format!("/agent/v1/{}/k{key_id}/agent.js", t.id))).send().await.unwrap();
    assert_eq!(versioned.status(), 200);
    assert_eq!(versioned.headers()["cache-control"], "public, max-age=31536000, immutable");
    let unknown = http.get(t.server.url(&format!("/agent/v1/{}/k1/agent.js", t.id))).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let no_tenant =
        http.get(t.server.url("/agent/v1/00000000000000000000000000000000tent/agent.js")).send().await.unwrap();
    assert_eq!(no_tenant.status(), 404);

    // CORS: any origin until the tenant lists its own.
    let get_config = |origin: &'static str| {
        http.get(t.server.url(&format!("/agent/v1/config?tenant={}", t.id))).header("origin", origin).send()
    };
    let open = get_config("https://anywhere.example").await.unwrap();
    assert_eq!(open.headers()["access-control-allow-origin"], "https://anywhere.example");
    let (status, settings) =
        t.api.patch("/v1/tenant/settings", json!({"agent_allowed_origins": ["https://shop.example.com"]})).await;
    assert_eq!(status, 200, "{settings}");
    let refused = get_config("https://anywhere.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
    let allowed = get_config("https://shop.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://shop.example.com");
    let (status, body) = t.api.patch("/v1/tenant/settings", json!({"agent_allowed_origins": ["not an origin"]})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("agent_allowed_origins")));
}

async fn sealed_payloads_open_and_replays_are_flagged(backend: Backend) {
    let t = tenant(backend, "live").await;
    let (person, consent) = t.person_with_consent().await;
    let signals = json!({"user_agent": "Mozilla/5.0", "first_party_id": {"id": "ab".repeat(16), "source": "cookie"}});
    let device_data = t.sealed(&consent, now_ms(), signals).await;

    let (status, first) = t.activity(&person, &device_data).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["device"]["opened"], true);
    assert_eq!(first["device"]["replayed"], false);
    assert_eq!(first["device"]["signals"]["user_agent"]["value"], "Mozilla/5.0");

    let (status, replay) = t.activity(&person, &device_data).await;
    assert_eq!(status, 201, "replays are flagged, not refused, by default");
    assert_eq!(replay["device"]["replayed"], true);
    assert!(replay["device"]["flags"].as_array().unwrap().contains(&json!("replayed")));

    t.api.patch("/v1/tenant/settings", json!({"reject_replayed_payloads": true})).await;
    let (status, refused) = t.activity(&person, &device_data).await;
    assert_eq!(status, 400);
    assert_eq!(refused["errors"][0]["code"], "payload_replayed");

    let (_, activities) = t.api.get(&format!("/v1/persons/{person}/device_activities")).await;
    assert_eq!(activities.as_array().unwrap().len(), 2, "the refused replay stored nothing");
}

async fn tampered_and_stale_payloads_are_refused(backend: Backend) {
    let t = tenant(backend, "live").await;
    let (person, consent) = t.person_with_consent().await;
    let device_data = t.sealed(&consent, now_ms(), json!({})).await;
    let fields: Vec<&str> = device_data.split(';').collect();

    // One flipped character of the sealed part.
    let mut sealed: Vec<char> = fields[3].chars().collect();
    let i = sealed.len() / 2;
    sealed[i] = if sealed[i] == 'A' { 'B' } else { 'A' };
    let flipped = [fields[0], fields[1], fields[2], &sealed.into_iter().collect::<String>(), fields[4]].join(";");
    let (status, body) = t.activity(&person, &flipped).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (400, Some("payload_tampered")), "{body}");

    // A changed clear field breaks authentication too.
    let relabelled = [fields[0], "1.0.1", fields[2], fields[3], fields[4]].join(";");
    let (status, body) = t.activity(&person, &relabelled).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (400, Some("payload_tampered")));

    let stale = t.sealed(&consent, now_ms() - 3_600_000, json!({})).await;
    let (status, body) = t.activity(&person, &stale).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (400, Some("payload_expired")));

    let (_, activities) = t.api.get(&format!("/v1/persons/{person}/device_activities")).await;
    assert_eq!(activities, json!([]), "nothing refused was stored");
    // The untouched original still opens.
    assert_eq!(t.activity(&person, &device_data).await.0, 201);
}

async fn rotation_keeps_old_keys_until_retired(backend: Backend) {
    let t = tenant(backend, "live").await;
    let (person, consent) = t.person_with_consent().await;
    let old_key = t.agent_config().await["key_id"].as_u64().unwrap();
    let sealed_to_old = t.sealed(&consent, now_ms(), json!({})).await;

    let rotated = t.server.cli(&["keys", "agent", "rotate", "--tenant", &t.id]);
    let new_key = rotated["key_id"].as_u64().unwrap();
    assert_ne!(new_key, old_key);
    assert_eq!(t.agent_config().await["key_id"].as_u64().unwrap(), new_key, "the agent now seals to the new key");
    let sealed_to_new = t.sealed(&consent, now_ms(), json!({})).await;
    assert_eq!(t.activity(&person, &sealed_to_new).await.0, 201);

    let listed = t.server.cli(&["keys", "agent", "list", "--tenant", &t.id]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains("secret"), "only public halves are listed");

    t.server.cli(&["keys", "agent", "retire", "--tenant", &t.id, "--key-id", &old_key.to_string()]);
    let (status, body) = t.activity(&person, &sealed_to_old).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (400, Some("payload_unknown_key")), "{body}");
}

async fn automation_in_real_signals_raises_a_potential_match(backend: Backend) {
    let t = tenant(backend, "live").await;
    let (person, consent) = t.person_with_consent().await;
    let bot = json!({"automation": {"webdriver": true, "tells": ["webdriver", "headless_ua"]}});
    let (status, body) = t.activity(&person, &t.sealed(&consent, now_ms(), bot).await).await;
    assert_eq!(status, 201, "{body}");
    assert!(body["device"]["flags"].as_array().unwrap().contains(&json!("automation")));
    let (_, p) = t.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(p["customer_vetting_status"], "POTENTIAL_MATCH");
}

both_backends!(
    agent_is_served_with_the_tenant_key,
    sealed_payloads_open_and_replays_are_flagged,
    tampered_and_stale_payloads_are_refused,
    rotation_keeps_old_keys_until_retired,
    automation_in_real_signals_raises_a_potential_match,
);
