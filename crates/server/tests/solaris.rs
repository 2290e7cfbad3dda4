//! Solaris device monitoring end to end, over real HTTP against a real server process, with
//! a real webhook receiver that verifies every signature: the seed's sequence diagram for
//! both mock session ids, the branch rules, withdrawal, checks, question sets and reviews.

mod common;

use common::receiver::{Received, Receiver};
use common::{Api, Backend, Server};
use serde_json::{Value, json};

const SEED_LEGACY: &str = "Web;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;NU7aFh0jdzM15wj8hQtqbA5LbzEFWDI1bUwZf/zbau0P2MIEUE+LsifBKvxjCYNUyz647bpSjnQ6Tu8IK22sxFlTGEFaHKBigzmP8Nc8FvVSWKzslmSWTFJM5AYc+EGTZLprlcdrLldsZLS5PpHfPMmvtqCXVTnGhYV7GvutI1w5/67yK7pCQDxDicKjqlMg1naMiwCuqP1U1lUtf+lTdmJ1T1lXMPARffTn4XAr66vUxN++sy7qytkdcOeCsaxZnLspUEvqu+2ILHF8pOJFG7gYC11rqWOyHG3Ns1E1dZ57ybrgGTKfctFOdx2IMXnz1/i/pDC5QokRr2BTIZZ/9Tj+xXzWpzNwHtRWWK5VEufyVRPyMXQdmry7UYKrouAzlLCYSMv7GcPwOZz+gDjCkrNia7/DGBBFLOvtlufDztPpvkH2jmN32/oJHl1Qu6zpxG3Lyl8RNdyukuNYfiPw0ECoXsXObwQc7Ja8R+V5S7QZeV1VV9aavlH1+Xl9v0OlOJ1XujO7izWESMIfzAuaL6ACYhdkmkC3kicjOWUjaY3OJYrrXxQ+MScnJOQ9neMRWij7YqNxP8F259zVjqqyaL6hN8EZU/pi+cZUVkfFvMYT5ugE9JXjkFfyy4UQeSmNRjDXRzu40LyweqUns8u3GOIFzfZ9eVOv+q7OV+RpVLOJLz1Za8RPIh3UKltCzOTmO8OpDz2aGoqNdL4zAaLl4EKRoarEiSG9K2/GoyHchi6xdHYA6DqQg5xQM4s50RUySGwWLxBB3ZlMpZpdZAVBrLSyl1SWqYTosdyURtiiX0So+kdik5XJ5Vsh0v75rNP5Yrv3t5/u94wx51zKlpDH8Uiap7kP0eibRmmN196kxMcOf8Q50JM1Yt8cJiawTWdGHzGRcNtEkpon5VLp/kwDU+4IPwlW976hKsom0PTB/EVxo5CWuL6kPiaEWUrWOL7BZ2jkuebHT2jBAJuFBaeac7IYnrAMoLgfY33Vs3EtVk8HrhFzJCiwR7WC+GHJTHLH1S8FfmHFTXJHecvq6tpMncaJFbo4jSfm9ozBAVAAN2mCn/yBbmX9tPmXdGEsTSpdp6vVWKEdHZ1rjCqmgDENxh75H5uT9DeZ0mAKwkP5Ai+bN3hT0y1XGE44b/aJ7PEObogYAioej/Z690zKx+fHxP50juTgt+UIQ+l/mpcYnbcYe4lkXrqGpwxFU8OrRzzfJX/s90VVlzrQVAPNW/mvYkt+MqSVwI1EP62faXlXnDqbmVFUmMGeoquP58cwqSBaNL/oi2Rg7GVvdvus+i2Qpm1SHtnPVUhTwWFigiWw/T2ZZeUs4nk+Q/xOFa/";
const NO_MATCH_ID: &str = "179ac83968ab42f79e960c1753a4078fdcon";
const POTENTIAL_MATCH_ID: &str = "8ed57aeb750a4b44a4186e0d29826a04dcon";

/// The seed's string with another session id in its second field (the legacy shape).
fn seed_with_session(session: &str) -> String {
    SEED_LEGACY.replacen(NO_MATCH_ID, session, 1)
}

fn now_rfc3339() -> String {
    sightline_core::Timestamp::now().to_rfc3339()
}

struct World {
    server: Server,
    api: Api,
    receiver: Receiver,
    secrets: Vec<String>,
}

async fn world(backend: Backend, mode: &str) -> World {
    let server = Server::start(backend).await;
    let (_, key) = server.tenant("partner", mode);
    let api = Api::new(&server, &key);
    let receiver = Receiver::start().await;
    let mut secrets = Vec::new();
    if mode == "test" {
        for event_type in ["PERSON_CHANGED", "QUESTIONS_REQUIRE_RESPONSE"] {
            let (status, body) = api.post("/v1/webhooks", json!({"event_type": event_type, "url": receiver.url})).await;
            assert_eq!(status, 201, "{body}");
            secrets.push(body["secret"].as_str().unwrap().to_owned());
        }
    }
    World { server, api, receiver, secrets }
}

impl World {
    async fn person(&self, branch: &str, before_rollout: bool) -> String {
        let (status, body) = self
            .api
            .post(
                "/v1/persons",
                json!({"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com",
                       "mobile_number": "+4915112345678", "birth_date": "1990-02-28", "branch": branch,
                       "onboarded_before_device_monitoring": before_rollout}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["customer_vetting_status"], "NOT_VETTED");
        body["id"].as_str().unwrap().to_owned()
    }

    async fn consent(&self, person: &str, event_type: &str) -> (u16, Value) {
        self.api
            .post(
                &format!("/v1/persons/{person}/device_consents"),
                json!({"event_type": event_type, "confirmed_at": now_rfc3339(), "consent_text_version": "v1-en"}),
            )
            .await
    }

    async fn activity(&self, person: &str, activity_type: &str, device_data: &str) -> (u16, Value) {
        self.api
            .post(
                &format!("/v1/persons/{person}/device_activities"),
                json!({"activity_type": activity_type, "device_data": device_data}),
            )
            .await
    }

    async fn vetting(&self, person: &str) -> String {
        let (_, body) = self.api.get(&format!("/v1/persons/{person}")).await;
        body["customer_vetting_status"].as_str().unwrap().to_owned()
    }

    fn assert_signed(&self, delivery: &Received) {
        let signature = delivery.header("solaris-webhook-signature");
        assert!(
            self.secrets.iter().any(|s| sightline_webhooks::verify(s, &delivery.body, signature)),
            "signature {signature} does not verify"
        );
        for header in
            ["solaris-webhook-id", "solaris-webhook-subscription-id", "solaris-entity-id", "solaris-webhook-attempt"]
        {
            assert!(!delivery.header(header).is_empty(), "{header} missing");
        }
    }

    async fn person_changed(&self, person: &str, nth: usize) -> Received {
        let person = person.to_owned();
        for _ in 0..200 {
            let found: Vec<Received> = self
                .receiver
                .deliveries()
                .into_iter()
                .filter(|r| {
                    r.header("solaris-webhook-event-type") == "PERSON_CHANGED"
                        && r.header("solaris-entity-id") == person
                })
                .collect();
            if found.len() >= nth {
                let delivery = found[nth - 1].clone();
                self.assert_signed(&delivery);
                assert_eq!(&delivery.body[..], b"{}", "PERSON_CHANGED has an empty JSON body");
                return delivery;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("PERSON_CHANGED #{nth} for {person} never arrived");
    }

    fn person_changed_count(&self, person: &str) -> usize {
        self.receiver
            .deliveries()
            .iter()
            .filter(|r| {
                r.header("solaris-webhook-event-type") == "PERSON_CHANGED" && r.header("solaris-entity-id") == person
            })
            .count()
    }
}

/// The seed's sequence diagram with the "no suspicious behaviour" mock id: consent, the
/// CONSENT_PROVIDED and APP_START activities (the seed's exact sample string), vetting,
/// webhook, GET person.
async fn sequence_no_match(backend: Backend) {
    let w = world(backend, "test").await;
    let verification = &w.receiver.verifications()[0];
    assert!(verification.body.is_empty(), "verification POST has an empty body");

    let person = w.person("DE", false).await;
    let (status, consent) = w.consent(&person, "APPROVED").await;
    assert_eq!(status, 201, "{consent}");
    let keys: Vec<&String> = consent.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5, "Solaris' consent resource has exactly five fields: {consent}");
    assert_eq!(consent["person_id"], person.as_str());
    assert!(consent["id"].as_str().unwrap().ends_with("dcon"));

    let (status, activity) = w.activity(&person, "CONSENT_PROVIDED", SEED_LEGACY).await;
    assert_eq!(status, 201, "{activity}");
    let (status, _) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(status, 201);

    let delivery = w.person_changed(&person, 1).await;
    assert_eq!(delivery.header("solaris-webhook-attempt"), "1");
    assert_eq!(w.vetting(&person).await, "NO_MATCH");

    // The activity is stored with what was concluded from it.
    let (_, stored) = w.api.get(&format!("/v1/device_activities/{}", activity["id"].as_str().unwrap())).await;
    assert_eq!(stored["device"]["shape"], "legacy");
    assert_eq!(stored["device"]["session_id"], NO_MATCH_ID);
    assert_eq!(stored["activity_type"], "CONSENT_PROVIDED");
}

/// The "suspicious" mock id: POTENTIAL_MATCH, a question set and QUESTIONS_REQUIRE_RESPONSE;
/// answering every question moves the person to INFORMATION_RECEIVED; a reviewer decides.
async fn sequence_potential_match_with_question_set(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("FR", false).await;
    assert_eq!(w.consent(&person, "APPROVED").await.0, 201);
    let (status, _) = w.activity(&person, "APP_START", &seed_with_session(POTENTIAL_MATCH_ID)).await;
    assert_eq!(status, 201);
    w.person_changed(&person, 1).await;
    assert_eq!(w.vetting(&person).await, "POTENTIAL_MATCH");

    let questions = w
        .receiver
        .wait_for(10, "QUESTIONS_REQUIRE_RESPONSE", |r| {
            r.header("solaris-webhook-event-type") == "QUESTIONS_REQUIRE_RESPONSE"
        })
        .await;
    w.assert_signed(&questions);
    let set_id = questions.header("solaris-entity-id").to_owned();
    let (status, set) = w.api.get(&format!("/v1/question_set/{set_id}")).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["person_id"], person.as_str());
    let question_ids: Vec<String> =
        set["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap().to_owned()).collect();
    assert!(!question_ids.is_empty());

    // A second suspicious activity does not open a second set.
    w.activity(&person, "APP_START", &seed_with_session(POTENTIAL_MATCH_ID)).await;
    let (_, sets) = w.api.get(&format!("/v1/persons/{person}/question_sets")).await;
    assert_eq!(sets.as_array().unwrap().len(), 1);

    for (i, qid) in question_ids.iter().enumerate() {
        let (status, answered) = w
            .api
            .patch(
                &format!("/v1/question_set/{set_id}/questions/{qid}/answer"),
                json!({"response": "Only the customer uses the phone.", "partner_notes": "called", "attachments": [], "ready_for_review": true}),
            )
            .await;
        assert_eq!(status, 200, "{answered}");
        let expected = if i + 1 == question_ids.len() { "INFORMATION_RECEIVED" } else { "POTENTIAL_MATCH" };
        assert_eq!(w.vetting(&person).await, expected);
    }
    w.person_changed(&person, 2).await;

    let (status, reviewed) = w
        .api
        .post(&format!("/v1/persons/{person}/vetting_review"), json!({"customer_vetting_status": "RISK_ACCEPTED"}))
        .await;
    assert_eq!(status, 200, "{reviewed}");
    assert_eq!(reviewed["customer_vetting_status"], "RISK_ACCEPTED");
    w.person_changed(&person, 3).await;

    // A manual decision is not overwritten by later automatic outcomes.
    w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(w.vetting(&person).await, "RISK_ACCEPTED");
    let (status, _) = w
        .api
        .post(&format!("/v1/persons/{person}/vetting_review"), json!({"customer_vetting_status": "RISK_REJECTED"}))
        .await;
    assert_eq!(status, 409, "a decided person is not under review");
    let (status, _) = w
        .api
        .post(&format!("/v1/persons/{person}/vetting_review"), json!({"customer_vetting_status": "NO_MATCH"}))
        .await;
    assert_eq!(status, 400);
}

/// DE, FR and IT new customers must consent: a REJECTED consent blocks activities.
async fn mandatory_branches_refuse_rejected_consent(backend: Backend) {
    let w = world(backend, "test").await;
    for branch in ["DE", "FR", "IT"] {
        let person = w.person(branch, false).await;
        let (status, _) = w.consent(&person, "REJECTED").await;
        assert_eq!(status, 201);
        let (status, body) = w.activity(&person, "APP_START", SEED_LEGACY).await;
        assert_eq!(status, 403, "{branch}: {body}");
        assert_eq!(body["errors"][0]["code"], "consent_rejected");
        assert!(body["errors"][0]["detail"].as_str().unwrap().contains("mandatory"));
        let (_, activities) = w.api.get(&format!("/v1/persons/{person}/device_activities")).await;
        assert_eq!(activities, json!([]), "nothing stored");
    }
}

/// ES customers may reject and still proceed, with no fingerprint stored or analysed.
async fn spain_may_reject_and_proceed_without_fingerprint(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("ES", false).await;
    assert_eq!(w.consent(&person, "REJECTED").await.0, 201);
    let (status, body) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["device"], Value::Null, "no fingerprint stored");
    assert_eq!(w.vetting(&person).await, "NOT_VETTED", "nothing analysed");
    let (_, p) = w.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(p["device_monitoring"]["status"], "REJECTED");
    assert_eq!(p["device_monitoring"]["enhanced_due_diligence"], false);
}

/// Customers onboarded before monitoring may reject in any branch, and get enhanced due diligence.
async fn pre_rollout_customers_may_reject_with_enhanced_due_diligence(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("IT", true).await;
    assert_eq!(w.consent(&person, "REJECTED").await.0, 201);
    w.person_changed(&person, 1).await;
    let (_, p) = w.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(p["device_monitoring"]["enhanced_due_diligence"], true);
    let (status, body) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(status, 201);
    assert_eq!(body["device"], Value::Null);
}

/// Withdrawal (PATCH to REJECTED) takes effect at once; in DE it marks the person and sends
/// PERSON_CHANGED; the next activity from that device is refused and nothing is stored.
async fn withdrawal_blocks_the_device_at_once(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("DE", false).await;
    let (_, consent) = w.consent(&person, "APPROVED").await;
    let consent_id = consent["id"].as_str().unwrap().to_owned();
    assert_eq!(w.activity(&person, "APP_START", SEED_LEGACY).await.0, 201);
    w.person_changed(&person, 1).await; // NOT_VETTED -> NO_MATCH

    let (status, updated) = w
        .api
        .patch(
            &format!("/v1/persons/{person}/device_consents/{consent_id}"),
            json!({"event_type": "REJECTED", "confirmed_at": now_rfc3339()}),
        )
        .await;
    assert_eq!(status, 201, "{updated}");
    assert_eq!(updated["event_type"], "REJECTED");
    w.person_changed(&person, 2).await;
    let (_, p) = w.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(p["device_monitoring"]["status"], "WITHDRAWN");
    assert_eq!(p["device_monitoring"]["blocked"], true);

    let (_, before) = w.api.get(&format!("/v1/persons/{person}/device_activities")).await;
    let (status, body) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["code"], "device_monitoring_withdrawn");
    let (status, _) = w
        .api
        .post(
            &format!("/v1/persons/{person}/device_checks"),
            json!({"action": "CARD_CHANGE_PIN", "device_data": SEED_LEGACY}),
        )
        .await;
    assert_eq!(status, 403, "protected actions are refused too");
    let (_, after) = w.api.get(&format!("/v1/persons/{person}/device_activities")).await;
    assert_eq!(before, after, "nothing from the refused device was stored");

    // The history proves who consented, when, to which text, and the withdrawal.
    let (_, history) = w.api.get(&format!("/v1/persons/{person}/device_consents/{consent_id}/history")).await;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["event_type"].as_str(), history[1]["event_type"].as_str()),
        (Some("APPROVED"), Some("REJECTED"))
    );
    assert_eq!(history[0]["consent_text_version"], "v1-en");
    assert_eq!(history[1]["consent_text_version"], "v1-en", "unchanged text version carries over");
    assert!(history[0]["recorded_by_key_id"].as_str().unwrap().ends_with("akey"));
}

/// Consent input errors, in Solaris' error format.
async fn consent_errors(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("DE", false).await;
    let future = sightline_core::Timestamp::now().plus_millis(3_600_000).to_rfc3339();
    let (status, body) = w
        .api
        .post(
            &format!("/v1/persons/{person}/device_consents"),
            json!({"event_type": "APPROVED", "confirmed_at": future}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["code"], "constraint_violation");
    assert_eq!(body["errors"][0]["source"]["field"], "confirmed_at");

    let (status, body) = w
        .api
        .post(
            &format!("/v1/persons/{person}/device_consents"),
            json!({"event_type": "MAYBE", "confirmed_at": now_rfc3339()}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["source"]["field"], "event_type");
    let (status, body) = w
        .api
        .post(
            &format!("/v1/persons/{person}/device_consents"),
            json!({"event_type": "APPROVED", "confirmed_at": "yesterday"}),
        )
        .await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("confirmed_at")));

    let unknown = "00000000000000000000000000000000cper";
    let (status, _) = w.consent(unknown, "APPROVED").await;
    assert_eq!(status, 404);
    let (status, _) = w.consent("not-an-id", "APPROVED").await;
    assert_eq!(status, 404);

    let (status, body) = w.api.post("/v1/persons", json!({"first_name": "X", "branch": "UK"})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("branch")));
    let (status, body) = w.api.post("/v1/persons", json!({"branch": "DE", "birth_date": "1990-13-01"})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("birth_date")));
}

/// device_data must be present and well-formed, and its session must be this person's consent.
async fn device_data_is_validated(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("DE", false).await;
    let other = w.person("DE", false).await;
    let (_, consent) = w.consent(&person, "APPROVED").await;
    let (_, others_consent) = w.consent(&other, "APPROVED").await;

    let (status, body) =
        w.api.post(&format!("/v1/persons/{person}/device_activities"), json!({"activity_type": "APP_START"})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("device_data")));
    for garbled in [
        "",
        "garbage",
        "Web;1.0.0;!!!;???;abc",
        "Mac;179ac83968ab42f79e960c1753a4078fdcon;jVl14emA+OcyALb9F+CMFg==;AAAA",
    ] {
        let (status, body) = w.activity(&person, "APP_START", garbled).await;
        assert_eq!(status, 400, "{garbled}: {body}");
        assert_eq!(body["errors"][0]["source"]["field"], "device_data");
    }
    let (status, body) = w
        .api
        .post(
            &format!("/v1/persons/{person}/device_activities"),
            json!({"activity_type": "LOGIN", "device_data": SEED_LEGACY}),
        )
        .await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("activity_type")));

    // Another person's consent id as the session: 403, in any mode.
    let (status, body) =
        w.activity(&person, "APP_START", &seed_with_session(others_consent["id"].as_str().unwrap())).await;
    assert_eq!(status, 403, "{body}");
    // Our own consent id but a foreign-vendor blob: accepted in test mode, not decryptable.
    let (status, body) = w.activity(&person, "APP_START", &seed_with_session(consent["id"].as_str().unwrap())).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["device"]["opened"], false);
}

/// Live mode has no mock behaviour: the session id must be a consent of the person.
async fn live_mode_requires_a_real_consent(backend: Backend) {
    let w = world(backend, "live").await;
    let person = w.person("ES", false).await;
    w.consent(&person, "APPROVED").await;
    let (status, body) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["code"], "consent_not_found");
    // Live tenants cannot subscribe loopback or plain-http receivers.
    let (status, body) =
        w.api.post("/v1/webhooks", json!({"event_type": "PERSON_CHANGED", "url": w.receiver.url})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["source"]["field"], "url");
}

/// Protected actions: ALLOW, STEP_UP or DENY with reasons; PATCH person needs device_data.
async fn protected_action_checks(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("DE", false).await;
    w.consent(&person, "APPROVED").await;
    let check = |action: &str, data: String| {
        let api = w.api.clone();
        let path = format!("/v1/persons/{person}/device_checks");
        let body = json!({"action": action, "device_data": data});
        async move { api.post(&path, body).await }
    };
    let (status, clean) = check("SMS_CHALLENGE_CREATE", SEED_LEGACY.to_owned()).await;
    assert_eq!(status, 201, "{clean}");
    assert_eq!(clean["decision"], "ALLOW");
    assert_eq!(clean["action"], "SMS_CHALLENGE_CREATE");
    assert!(clean["id"].as_str().unwrap().ends_with("dchk"));

    let (_, suspicious) = check("CHANGE_REQUEST_AUTHORIZE", seed_with_session(POTENTIAL_MATCH_ID)).await;
    assert_eq!(suspicious["decision"], "STEP_UP");
    let (_, under_review) = check("MOBILE_NUMBER_CONFIRM", SEED_LEGACY.to_owned()).await;
    assert_eq!(under_review["decision"], "STEP_UP", "a person under review steps up: {under_review}");

    w.api
        .post(&format!("/v1/persons/{person}/vetting_review"), json!({"customer_vetting_status": "RISK_REJECTED"}))
        .await;
    let (_, rejected) = check("CARD_SECURE_VIEW", SEED_LEGACY.to_owned()).await;
    assert_eq!(rejected["decision"], "DENY");
    assert!(rejected["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "R950"));

    let (status, _) = check("WIRE_TRANSFER", SEED_LEGACY.to_owned()).await;
    assert_eq!(status, 400);

    // PATCH person is itself protected.
    let other = w.person("ES", false).await;
    w.consent(&other, "APPROVED").await;
    let (status, body) = w.api.patch(&format!("/v1/persons/{other}"), json!({"email": "new@example.com"})).await;
    assert_eq!((status, body["errors"][0]["source"]["field"].as_str()), (400, Some("device_data")));
    let (status, body) = w
        .api
        .patch(&format!("/v1/persons/{other}"), json!({"email": "new@example.com", "device_data": SEED_LEGACY}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["email"], "new@example.com");
    assert_eq!(body["device_check_decision"], "ALLOW");
    let changes_before = w.person_changed_count(&other);
    assert!(changes_before >= 1 || w.person_changed(&other, 1).await.body.len() == 2);
}

/// Subscriptions: verification first, secret shown once, list/get/delete, no update,
/// delivery log; 410 from the receiver cancels the subscription.
async fn webhook_subscriptions(backend: Backend) {
    let w = world(backend, "test").await;
    let (_, subs) = w.api.get("/v1/webhooks").await;
    let subs = subs.as_array().unwrap().clone();
    assert_eq!(subs.len(), 2);
    assert!(subs.iter().all(|s| s.get("secret").is_none()), "secrets are shown once");
    let id = subs[0]["id"].as_str().unwrap();
    let (status, one) = w.api.get(&format!("/v1/webhooks/{id}")).await;
    assert_eq!((status, one.get("secret")), (200, None));
    let (status, _) = w.api.patch(&format!("/v1/webhooks/{id}"), json!({"url": "http://127.0.0.1:1/"})).await;
    assert_eq!(status, 405, "subscriptions cannot be updated");

    let (status, body) =
        w.api.post("/v1/webhooks", json!({"event_type": "PERSON_CHANGED", "url": "http://127.0.0.1:1/nothing"})).await;
    assert_eq!(status, 400, "unverifiable endpoint: {body}");
    let (status, _) =
        w.api.post("/v1/webhooks", json!({"event_type": "PERSON_CHANGED", "url": "http://10.1.2.3/hook"})).await;
    assert_eq!(status, 400, "private address");
    let (status, _) = w.api.post("/v1/webhooks", json!({"event_type": "EVERYTHING", "url": w.receiver.url})).await;
    assert_eq!(status, 400);

    // Deliveries are logged per subscription.
    let person = w.person("DE", false).await;
    w.consent(&person, "APPROVED").await;
    w.activity(&person, "APP_START", SEED_LEGACY).await;
    let delivery = w.person_changed(&person, 1).await;
    let sub_id = delivery.header("solaris-webhook-subscription-id").to_owned();
    let mut log = Value::Null;
    for _ in 0..100 {
        log = w.api.get(&format!("/v1/webhooks/{sub_id}/deliveries")).await.1;
        if !log.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(log[0]["status_code"], 200);
    assert_eq!(log[0]["outcome"], "delivered");
    assert_eq!(log[0]["entity_id"], person.as_str());

    // 410 Gone cancels the subscription.
    w.receiver.answer_with(410);
    let second = w.person("DE", false).await;
    w.consent(&second, "APPROVED").await;
    w.activity(&second, "APP_START", SEED_LEGACY).await;
    for _ in 0..200 {
        let (status, _) = w.api.get(&format!("/v1/webhooks/{sub_id}")).await;
        if status == 404 {
            let (status, _) = w.api.delete(&format!("/v1/webhooks/{}", subs[1]["id"].as_str().unwrap())).await;
            assert_eq!(status, 204);
            let (_, left) = w.api.get("/v1/webhooks").await;
            assert_eq!(left, json!([]));
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("410 did not cancel the subscription");
}

/// Tenant isolation for the monitoring resources: 404, never 403.
async fn other_tenants_see_nothing(backend: Backend) {
    let w = world(backend, "test").await;
    let person = w.person("DE", false).await;
    let (_, consent) = w.consent(&person, "APPROVED").await;
    let (_, activity) = w.activity(&person, "APP_START", SEED_LEGACY).await;
    let (_, other_key) = w.server.tenant("intruder", "test");
    let intruder = Api::new(&w.server, &other_key);
    let consent_id = consent["id"].as_str().unwrap();
    let activity_id = activity["id"].as_str().unwrap();
    for path in [
        format!("/v1/persons/{person}"),
        format!("/v1/persons/{person}/device_consents"),
        format!("/v1/persons/{person}/device_consents/{consent_id}/history"),
        format!("/v1/persons/{person}/device_activities"),
        format!("/v1/device_activities/{activity_id}"),
    ] {
        assert_eq!(intruder.get(&path).await.0, 404, "{path}");
    }
    let (status, _) = intruder
        .patch(
            &format!("/v1/persons/{person}/device_consents/{consent_id}"),
            json!({"event_type": "REJECTED", "confirmed_at": now_rfc3339()}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        intruder
            .post(&format!("/v1/persons/{person}/vetting_review"), json!({"customer_vetting_status": "RISK_REJECTED"}))
            .await
            .0,
        404
    );
    let (_, p) = w.api.get(&format!("/v1/persons/{person}")).await;
    assert_eq!(p["device_monitoring"]["status"], "CONSENTED", "nothing changed");
}

/// Kill the server with SIGKILL while deliveries are pending; after a restart every pending
/// webhook arrives, signed.
async fn pending_webhooks_survive_sigkill(backend: Backend) {
    let w = world(backend, "test").await;
    w.receiver.answer_with(503);
    let mut persons = Vec::new();
    for _ in 0..3 {
        let person = w.person("DE", false).await;
        w.consent(&person, "APPROVED").await;
        w.activity(&person, "APP_START", SEED_LEGACY).await;
        persons.push(person);
    }
    // Every delivery was tried once and its failure is in the delivery log; now they wait for
    // their retry. The receiver seeing the attempt is not enough: killed before the failure is
    // committed, a delivery stays claimed for the whole lease (90 s) after the restart.
    for person in &persons {
        let first = w.receiver.wait_for(10, "first failed attempt", |r| r.header("solaris-entity-id") == person).await;
        let subscription = first.header("solaris-webhook-subscription-id").to_owned();
        let mut logged = false;
        for _ in 0..400 {
            let (_, log) = w.api.get(&format!("/v1/webhooks/{subscription}/deliveries")).await;
            logged = log.as_array().is_some_and(|attempts| {
                attempts.iter().any(|a| a["entity_id"] == person.as_str() && a["status_code"] == 503)
            });
            if logged {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        assert!(logged, "the failed attempt for {person} never reached the delivery log");
    }
    let World { server, api: _, receiver, secrets } = w;
    let (url, dir) = server.kill();
    receiver.answer_with(200);
    let server = Server::start_on(url, dir, &[]);
    let w = World { api: Api::new(&server, "unused"), server, receiver, secrets };
    for person in &persons {
        for _ in 0..1200 {
            let ok = w
                .receiver
                .deliveries()
                .iter()
                .any(|r| r.header("solaris-entity-id") == person && r.header("solaris-webhook-attempt") != "1");
            if ok {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let delivered: Vec<Received> = w
            .receiver
            .deliveries()
            .into_iter()
            .filter(|r| r.header("solaris-entity-id") == person && r.header("solaris-webhook-attempt") != "1")
            .collect();
        assert!(!delivered.is_empty(), "webhook for {person} was not delivered after the restart");
        w.assert_signed(&delivered[0]);
    }
}

both_backends!(
    sequence_no_match,
    sequence_potential_match_with_question_set,
    mandatory_branches_refuse_rejected_consent,
    spain_may_reject_and_proceed_without_fingerprint,
    pre_rollout_customers_may_reject_with_enhanced_due_diligence,
    withdrawal_blocks_the_device_at_once,
    consent_errors,
    device_data_is_validated,
    live_mode_requires_a_real_consent,
    protected_action_checks,
    webhook_subscriptions,
    other_tenants_see_nothing,
    pending_webhooks_survive_sigkill,
);
