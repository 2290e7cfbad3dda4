//! Hostile input over real HTTP. Requests mutated at random from SEON's request example (wrong
//! types, extreme and odd values, broken sealed sessions, cut-off or invalid bodies) each get a
//! decision or a SEON-style 4xx, never a server error; what was stored before stays as it was,
//! and only the calls that got a decision count in velocity. The Solaris dialect's writes on a
//! person and the rule management API get the same treatment. Each sweep is seeded: a failure
//! names the request, and the same seed replays it.

mod common;

use common::seon::seed_request;
use common::{Backend, TenantServer as Tenant};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use sightline_device::simulate::{Scenario, simulate};
use sightline_payload::Platform;

/// Requests per backend: a few seconds of decisions.
const REQUESTS: usize = 300;
const SEED: u64 = 0x5eed_0ff0;
const USER: &str = "hostile-user";

/// The fields a partner most often gets wrong, and the ones whose parsers do the most.
const TARGETS: &[&str] = &[
    "session",
    "ip",
    "email",
    "email_domain",
    "phone_number",
    "user_id",
    "user_dob",
    "user_created",
    "transaction_amount",
    "transaction_currency",
    "card_bin",
    "card_hash",
    "card_expire",
    "device_id",
    "items",
    "custom_fields",
    "config",
    "response_fields",
    "user_fullname",
];

const ODD_TEXT: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{202e}\u{301}",
    "💥",
    "192.0.2.1",
    "::1",
    "fe80::1%eth0",
    "1.2.3.4/33",
    "999.1.1.1",
    "1990-02-30",
    "2030-13",
    "+",
    "+000000000000000000000000",
    "@",
    "a@b",
    "NaN",
    "Infinity",
    "1e999",
    "-0",
    "0x10",
    "null",
    "{}",
    "[]",
    "Web;1.0.0;not;a;payload",
];

struct Hostile {
    rng: StdRng,
    sessions: Vec<String>,
}

impl Hostile {
    fn odd_value(&mut self, depth: u32) -> Value {
        match self.rng.gen_range(0..12) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.r#gen()),
            2 => [
                json!(0),
                json!(-1),
                json!(i64::MAX),
                json!(i64::MIN),
                json!(u64::MAX),
                json!(1e308),
                json!(-1e308),
                json!(5e-324),
                json!(-0.0),
            ]
            .choose(&mut self.rng)
            .cloned()
            .unwrap_or(Value::Null),
            3 => Value::from(*ODD_TEXT.choose(&mut self.rng).unwrap_or(&"")),
            4 => {
                let len = self.rng.gen_range(0..40);
                Value::from(
                    (0..len).filter_map(|_| char::from_u32(self.rng.gen_range(1..0x2_FFFF))).collect::<String>(),
                )
            }
            5 if depth < 3 => Value::Array((0..self.rng.gen_range(0..5)).map(|_| self.odd_value(depth + 1)).collect()),
            6 if depth < 3 => {
                let keys = ["a", "", "item_price", "💥", "user_id"];
                let fields = (0..self.rng.gen_range(0..5))
                    .map(|_| (keys.choose(&mut self.rng).unwrap_or(&"a").to_string(), self.odd_value(depth + 1)));
                Value::Object(fields.collect())
            }
            7 => json!(self.rng.gen_range(-1e12..1e12)),
            // Long text at the top only: the sweep stays under the 1 MB body limit, whose 413 is
            // sent before the body is read, which a client still sending it may see as a reset.
            8 => Value::from("x".repeat(if depth == 0 {
                self.rng.gen_range(1000..100_000)
            } else {
                self.rng.gen_range(0..1000)
            })),
            9 => Value::from(self.broken_session()),
            10 => json!([{"item_price": self.odd_value(depth + 1), "item_quantity": self.odd_value(depth + 1)}]),
            _ => json!(self.rng.gen_range(-1_000_000..1_000_000)),
        }
    }

    /// A real sealed session cut short or with one character changed, or noise.
    fn broken_session(&mut self) -> String {
        let session = self.sessions.choose(&mut self.rng).cloned().unwrap_or_default();
        match self.rng.gen_range(0..3) {
            0 => session.chars().take(self.rng.gen_range(0..session.len().max(1))).collect(),
            1 => {
                let mut chars: Vec<char> = session.chars().collect();
                let at = self.rng.gen_range(0..chars.len().max(1));
                if let Some(c) = chars.get_mut(at) {
                    *c = *['A', 'z', '0', '+', '/', '=', '.', '_', '-', ';'].choose(&mut self.rng).unwrap_or(&'A');
                }
                chars.into_iter().collect()
            }
            _ => (0..self.rng.gen_range(0..400)).map(|_| self.rng.gen_range(b'!'..=b'~') as char).collect(),
        }
    }

    /// One of the body's fields, at random, gets an odd value.
    fn replace_a_field(&mut self, body: &mut Map<String, Value>) {
        let keys: Vec<String> = body.keys().cloned().collect();
        if let Some(key) = keys.choose(&mut self.rng) {
            let value = self.odd_value(0);
            body.insert(key.clone(), value);
        }
    }

    fn drop_a_field(&mut self, body: &mut Map<String, Value>) {
        let keys: Vec<String> = body.keys().cloned().collect();
        if let Some(key) = keys.choose(&mut self.rng) {
            body.remove(key);
        }
    }

    fn mutate(&mut self, body: &mut Map<String, Value>) {
        for _ in 0..self.rng.gen_range(1..6) {
            match self.rng.gen_range(0..6) {
                0 => self.replace_a_field(body),
                1 => self.drop_a_field(body),
                2 => {
                    let target = TARGETS.choose(&mut self.rng).unwrap_or(&"ip").to_string();
                    let value = self.odd_value(0);
                    body.insert(target, value);
                }
                3 => {
                    let fields =
                        (0..self.rng.gen_range(0..100)).map(|i| (format!("k{i}"), self.odd_value(2))).collect();
                    body.insert("custom_fields".into(), Value::Object(fields));
                }
                4 => {
                    let switches = [
                        "ip_api",
                        "email_api",
                        "phone_api",
                        "aml_api",
                        "device_fingerprinting",
                        "ip",
                        "email",
                        "response_fields",
                    ];
                    let config = (0..self.rng.gen_range(0..4))
                        .map(|_| (switches.choose(&mut self.rng).unwrap_or(&"ip").to_string(), self.odd_value(1)))
                        .collect();
                    body.insert("config".into(), Value::Object(config));
                }
                _ => {
                    let session = if self.rng.gen_bool(0.5) {
                        self.sessions.choose(&mut self.rng).cloned().unwrap_or_default()
                    } else {
                        self.broken_session()
                    };
                    body.insert("session".into(), Value::from(session));
                }
            }
        }
    }

    /// A Solaris write's body: its valid template with a few fields replaced, dropped or added,
    /// and `device_data` real, broken or noise.
    fn solaris_body(&mut self, template: Value) -> Value {
        let mut body = template.as_object().cloned().unwrap_or_default();
        for _ in 0..self.rng.gen_range(0..4) {
            match self.rng.gen_range(0..4) {
                0 => self.replace_a_field(&mut body),
                1 => self.drop_a_field(&mut body),
                2 => {
                    let value = self.odd_value(1);
                    body.insert(
                        ["extra", "id", "version", "person_id"].choose(&mut self.rng).unwrap_or(&"extra").to_string(),
                        value,
                    );
                }
                _ => {
                    let session = self.broken_session();
                    body.insert("device_data".into(), Value::from(session));
                }
            }
        }
        Value::Object(body)
    }

    /// The request as sent: usually the mutated object, sometimes bytes no parser should take.
    fn request(&mut self, seed: &Value) -> Vec<u8> {
        let mut body = seed.as_object().cloned().unwrap_or_default();
        if self.rng.gen_bool(0.5) {
            let session = self.sessions.choose(&mut self.rng).cloned().unwrap_or_default();
            body.insert("session".into(), Value::from(session));
        }
        self.mutate(&mut body);
        body.insert("user_id".into(), Value::from(USER));
        let text = Value::Object(body).to_string();
        match self.rng.gen_range(0..40) {
            0 => text.as_bytes()[..self.rng.gen_range(0..text.len())].to_vec(),
            1 => text.replacen("\"user_id\":", "\"transaction_amount\":1e999,\"user_id\":", 1).into_bytes(),
            2 => {
                let depth = self.rng.gen_range(100..5000);
                text.replacen(
                    "\"user_id\":",
                    &format!("\"custom_fields\":{}{},\"user_id\":", "[".repeat(depth), "]".repeat(depth)),
                    1,
                )
                .into_bytes()
            }
            3 => [&[0xff, 0xfe][..], text.as_bytes()].concat(),
            4 => [&b"[1,"[..], text.as_bytes(), b"]"].concat(),
            _ => text.into_bytes(),
        }
    }
}

fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(600)]).into_owned()
}

async fn hostile_requests_get_a_decision_or_a_seon_error(backend: Backend) {
    let t = Tenant::start(backend).await;
    let rules = json!({"rules": [{"id": "seen", "name": "Seen", "category": "velocity",
        "expression": "velocity.user_tx_1h >= 1", "operation": {"score": 1}}]});
    let (status, answer) = t.api.send_put("/v1/rules", rules).await;
    assert_eq!(status, 201, "{answer}");
    let now = sightline_core::Timestamp::now().millis();
    let mut sessions = Vec::new();
    for (platform, scenario) in
        [(Platform::Web, Scenario::Clean), (Platform::Android, Scenario::Emulator), (Platform::Ios, Scenario::Clean)]
    {
        for simulated in simulate(platform, scenario, 2, now).expect("simulated devices") {
            sessions.push(t.api.seal(&t.id, &simulated.payload).await);
        }
    }

    let mut first = seed_request();
    first["user_id"] = Value::from(USER);
    first["session"] = Value::from(sessions[0].clone());
    let (status, answer) = t.api.post("/v1/fraud-api", first).await;
    assert_eq!(status, 200, "{answer}");
    let first_id = answer["data"]["id"].as_str().expect("a decision id").to_owned();
    let (status, stored_before) = t.api.get(&format!("/v1/fraud-api/{first_id}")).await;
    assert_eq!(status, 200, "{stored_before}");

    let seed = seed_request();
    let mut hostile = Hostile { rng: StdRng::seed_from_u64(SEED), sessions };
    let (mut decided, mut refused) = (0u64, 0u64);
    for n in 0..REQUESTS {
        let body = hostile.request(&seed);
        let path = if n % 2 == 0 { "/v1/fraud-api" } else { "/SeonRestService/fraud-api/v2/" };
        let (status, answer) = t.api.post_bytes(path, body.clone()).await;
        let context = || format!("request {n} (seed {SEED:#x}) → {status} {answer}\nbody: {}", shown(&body));
        match status {
            200 => {
                assert_eq!(answer["success"], true, "{}", context());
                // `config.response_fields` may have left these out; when present they hold.
                if let Some(state) = answer["data"].get("state") {
                    assert!(
                        ["APPROVE", "REVIEW", "DECLINE"].contains(&state.as_str().unwrap_or_default()),
                        "{}",
                        context()
                    );
                }
                if let Some(score) = answer["data"].get("fraud_score") {
                    assert!(score.as_f64().is_some_and(|s| (0.0..=100.0).contains(&s)), "{}", context());
                }
                decided += 1;
            }
            400..=499 => {
                assert_eq!(answer["success"], false, "{}", context());
                assert!(answer["error"]["code"].as_str().is_some_and(|c| !c.is_empty()), "{}", context());
                assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", context());
                refused += 1;
            }
            _ => panic!("neither a decision nor a client error: {}", context()),
        }
    }
    // Both kinds of answer were exercised, or the sweep proves little.
    assert!(decided >= 20 && refused >= 20, "decided {decided}, refused {refused}");

    let (status, stored_after) = t.api.get(&format!("/v1/fraud-api/{first_id}")).await;
    assert_eq!(status, 200, "{stored_after}");
    assert_eq!(stored_after, stored_before, "the first decision changed under the sweep");
    let (status, answer) = t.api.post("/v1/fraud-api", json!({"user_id": USER})).await;
    assert_eq!(status, 200, "{answer}");
    // The first decision, every call that got one, and this one; refused calls left no trace.
    assert_eq!(answer["data"]["velocity"]["user_tx_1h"], json!(decided as f64 + 2.0), "{answer}");
}

/// Solaris error bodies: every entry carries the response's status, a code and a detail.
fn assert_solaris_error(status: u16, answer: &Value, context: &dyn Fn() -> String) {
    let errors = answer["errors"].as_array().filter(|e| !e.is_empty());
    assert!(errors.is_some(), "{}", context());
    for error in errors.into_iter().flatten() {
        assert_eq!(error["status"], json!(status), "{}", context());
        assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()), "{}", context());
        assert!(error["detail"].as_str().is_some_and(|d| !d.is_empty()), "{}", context());
    }
}

/// The Solaris dialect's writes on one person under the same kind of sweep: activities,
/// protected-action checks, updates, consents and reviews. Each answer is a success or a
/// Solaris-style 4xx; afterwards the person reads back, and its activity log holds exactly the
/// activities and checks that were answered with an id (a denied update's check included),
/// nothing from the calls refused for their input.
async fn hostile_solaris_writes_leave_only_what_was_accepted(backend: Backend) {
    let t = Tenant::start(backend).await;
    let (person, consent) = t.api.person_with_consent(json!({"branch": "DE", "email": "ada@example.com"})).await;
    let now = sightline_core::Timestamp::now().millis();
    let mut sessions = Vec::new();
    for (platform, seed) in [(Platform::Web, 3), (Platform::Android, 4), (Platform::Ios, 5)] {
        for simulated in simulate(platform, Scenario::Clean, seed, now).expect("simulated devices") {
            let mut payload = simulated.payload;
            payload.session_id = consent.clone();
            payload.collected_at = now;
            sessions.push(t.api.seal(&t.id, &payload).await);
        }
    }
    let mut hostile = Hostile { rng: StdRng::seed_from_u64(SEED + 1), sessions };
    let mut logged: Vec<String> = Vec::new();
    for n in 0..REQUESTS / 2 {
        let session = hostile.sessions.choose(&mut hostile.rng).cloned().unwrap_or_default();
        let on = if hostile.rng.gen_bool(0.9) { person.clone() } else { "0".repeat(32) + "cper" };
        let confirmed_at = sightline_core::Timestamp::now().to_rfc3339();
        let (patch, path, template) = match hostile.rng.gen_range(0..6) {
            0 | 1 => (
                false,
                format!("/v1/persons/{on}/device_activities"),
                json!({"activity_type": "APP_START", "device_data": session}),
            ),
            2 => (
                false,
                format!("/v1/persons/{on}/device_checks"),
                json!({"action": "SMS_CHALLENGE_CREATE", "device_data": session}),
            ),
            3 => {
                // An address that fails validation must be refused before the device check.
                let email = *["new@example.com", "not-an-email"].choose(&mut hostile.rng).unwrap_or(&"");
                (true, format!("/v1/persons/{on}"), json!({"email": email, "device_data": session}))
            }
            4 => (
                false,
                format!("/v1/persons/{on}/device_consents"),
                json!({"event_type": "APPROVED", "confirmed_at": confirmed_at, "consent_text_version": "v1-en"}),
            ),
            _ => {
                (false, format!("/v1/persons/{on}/vetting_review"), json!({"customer_vetting_status": "RISK_ACCEPTED"}))
            }
        };
        let body = hostile.solaris_body(template);
        let (status, answer) =
            if patch { t.api.patch(&path, body.clone()).await } else { t.api.post(&path, body.clone()).await };
        let context = || format!("request {n} (seed {:#x}) {path} → {status} {answer}\nbody: {body}", SEED + 1);
        match status {
            200..=299 => {
                // Activities and checks answer with their id, an update with its check's.
                let id = answer.get("device_check_id").or_else(|| answer.get("id"));
                if path.ends_with("device_activities") || path.ends_with("device_checks") || patch {
                    logged
                        .push(id.and_then(Value::as_str).unwrap_or_else(|| panic!("no id: {}", context())).to_owned());
                }
            }
            400..=499 => {
                assert_solaris_error(status, &answer, &context);
                // A denied update's check is stored, and the error names it.
                if answer["errors"][0]["code"] == "device_check_denied" {
                    let detail = answer["errors"][0]["detail"].as_str().unwrap_or_default();
                    let check = detail.split(' ').find(|word| word.ends_with("dchk"));
                    logged.push(check.unwrap_or_else(|| panic!("no check id: {}", context())).to_owned());
                }
            }
            _ => panic!("neither a success nor a client error: {}", context()),
        }
    }
    assert!(logged.len() >= 5, "only {} activities were accepted", logged.len());

    let (status, read) = t.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(status, 200, "{read}");
    assert!(read["customer_vetting_status"].is_string(), "{read}");
    let (status, log) = t.api.get(&format!("/v1/persons/{person}/device_activities?limit=500")).await;
    assert_eq!(status, 200, "{log}");
    let mut listed: Vec<String> =
        log.as_array().into_iter().flatten().filter_map(|a| a["id"].as_str().map(str::to_owned)).collect();
    listed.sort();
    logged.sort();
    assert_eq!(listed, logged, "the activity log holds exactly the accepted activities and checks");
}

/// Expression fragments, valid and not: unknown names, broken syntax, type errors, deep
/// nesting, numbers out of range, division by zero.
const EXPRESSIONS: &[&str] = &[
    "velocity.card_tx_1h >= 3",
    "velocity.device_users_24h > 2",
    "nope > 1",
    "((1)",
    "1 +",
    "'x' * 3",
    "(((((((((((((((((((((1)))))))))))))))))))))",
    "9223372036854775808 > 1",
    "velocity.card_tx_1h >= 'a'",
    "1 / 0 > 0",
    "",
    "💥",
];

/// Rule management under the same kind of sweep: rule sets holding odd rules, validation and
/// dry runs. Each answer is a success or a Solaris-style 4xx, and the rule set's version counts
/// exactly the rule sets that were accepted, one at a time.
async fn hostile_rule_changes_leave_only_what_was_accepted(backend: Backend) {
    let t = Tenant::start(backend).await;
    let mut hostile = Hostile { rng: StdRng::seed_from_u64(SEED + 2), sessions: Vec::new() };
    let mut version = 0u64;
    for n in 0..REQUESTS / 2 {
        let parts = hostile.rng.gen_range(1..3);
        let expression =
            (0..parts).map(|_| *EXPRESSIONS.choose(&mut hostile.rng).unwrap_or(&"")).collect::<Vec<_>>().join(" && ");
        let mut rule = json!({"id": "r1", "name": "Rule", "category": "velocity", "expression": expression,
            "operation": {"score": 10}, "enabled": true})
        .as_object()
        .cloned()
        .unwrap_or_default();
        for _ in 0..hostile.rng.gen_range(0..3) {
            if hostile.rng.gen_bool(0.7) { hostile.replace_a_field(&mut rule) } else { hostile.drop_a_field(&mut rule) }
        }
        let rule = Value::Object(rule);
        let (put, path, body) = match n % 4 {
            0 | 1 => (true, "/v1/rules", json!({"rules": [rule]})),
            2 => (false, "/v1/rules/validate", json!({"expression": expression})),
            _ => (
                false,
                "/v1/rules/dry-run",
                json!({"rules": [rule], "event": {"transaction_amount": hostile.odd_value(0)}}),
            ),
        };
        let (status, answer) =
            if put { t.api.send_put(path, body.clone()).await } else { t.api.post(path, body.clone()).await };
        let context = || format!("request {n} (seed {:#x}) {path} → {status} {answer}\nbody: {body}", SEED + 2);
        match status {
            200..=299 => {
                if put {
                    version += 1;
                    assert_eq!(answer["version"], json!(version), "{}", context());
                }
            }
            400..=499 => assert_solaris_error(status, &answer, &context),
            _ => panic!("neither a success nor a client error: {}", context()),
        }
    }
    assert!(version >= 3, "only {version} rule sets were accepted");
    let (status, rules) = t.api.get("/v1/rules").await;
    assert_eq!(status, 200, "{rules}");
    assert_eq!(rules["version"], json!(version), "refused rule sets made no version: {rules}");
}

both_backends!(
    hostile_requests_get_a_decision_or_a_seon_error,
    hostile_solaris_writes_leave_only_what_was_accepted,
    hostile_rule_changes_leave_only_what_was_accepted
);
