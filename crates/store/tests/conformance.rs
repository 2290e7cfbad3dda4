//! One behavioural contract, run against SQLite and against a real PostgreSQL. Each check is
//! an async function over `&dyn Store`; the macro at the bottom instantiates it per backend.

use serde_json::json;
use sightline_core::activity::{ActivityKind, ActivityType, DeviceActivity};
use sightline_core::agent_key::AgentKeyRecord;
use sightline_core::consent::{ConsentEventType, DeviceConsent};
use sightline_core::decision::{ListEntry, StoredDecision, StoredRuleSet};
use sightline_core::device::{DeviceLink, DeviceRecord, GraphCounts, GraphQuery, LinkKind};
use sightline_core::person::{Branch, Person, Profile, VettingStatus};
use sightline_core::question::{Answer, QuestionSet};
use sightline_core::tenant::hash_api_key;
use sightline_core::velocity::{
    SCAN_LIMIT, VelocityAnswer, VelocityEvent, VelocityKey, VelocityMeasure, VelocityQuery, VelocityValues,
};
use sightline_core::webhook::{AttemptOutcome, DeliveryStatus, WebhookEvent, WebhookEventType, WebhookSubscription};
use sightline_core::{ChangeSet, Id, NewApiKey, ResourceKind, Store, Tenant, TenantMode, Timestamp};
use sightline_store::{PgStore, SqliteStore};

async fn ping_and_backend(store: &dyn Store) {
    store.ping().await.unwrap();
    assert!(["sqlite", "postgres"].contains(&store.backend()));
}

async fn tenants_round_trip(store: &dyn Store) {
    assert!(store.tenants().await.unwrap().is_empty());
    let a = Tenant::new("alpha", TenantMode::Test).unwrap();
    let b = Tenant::new("beta", TenantMode::Live).unwrap();
    store.insert_tenant(&a).await.unwrap();
    store.insert_tenant(&b).await.unwrap();
    assert_eq!(store.tenant(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.tenant_by_name("beta").await.unwrap(), Some(b.clone()));
    assert_eq!(store.tenant(&Id::new(ResourceKind::Tenant)).await.unwrap(), None);
    let names: Vec<_> = store.tenants().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"alpha".to_owned()) && names.contains(&"beta".to_owned()));
}

async fn tenant_settings_round_trip(store: &dyn Store) {
    let mut t = Tenant::new("settings", TenantMode::Test).unwrap();
    store.insert_tenant(&t).await.unwrap();
    t.settings.agent_allowed_origins = vec!["https://shop.example.com".into()];
    t.settings.reject_replayed_payloads = true;
    assert!(store.update_tenant_settings(&t.id, &t.settings).await.unwrap());
    assert_eq!(store.tenant(&t.id).await.unwrap(), Some(t.clone()));
    let key = NewApiKey::generate(&t, "k");
    store.insert_api_key(&key.key, &key.secret_hash).await.unwrap();
    assert_eq!(store.authenticate(&key.secret_hash).await.unwrap().unwrap().tenant.settings, t.settings);
    assert!(!store.update_tenant_settings(&Id::new(ResourceKind::Tenant), &t.settings).await.unwrap());
}

async fn duplicate_tenant_name_is_a_conflict(store: &dyn Store) {
    store.insert_tenant(&Tenant::new("same", TenantMode::Test).unwrap()).await.unwrap();
    let err = store.insert_tenant(&Tenant::new("same", TenantMode::Test).unwrap()).await.unwrap_err();
    assert_eq!(err.status(), 409);
    assert_eq!(store.tenants().await.unwrap().len(), 1);
}

async fn api_keys_authenticate_until_revoked(store: &dyn Store) {
    let tenant = Tenant::new("keys", TenantMode::Test).unwrap();
    store.insert_tenant(&tenant).await.unwrap();
    let key = NewApiKey::generate(&tenant, "first");
    store.insert_api_key(&key.key, &key.secret_hash).await.unwrap();

    let auth = store.authenticate(&hash_api_key(&key.secret)).await.unwrap().unwrap();
    assert_eq!(auth.tenant, tenant);
    assert_eq!(auth.key_id, key.key.id);
    assert!(store.authenticate(&hash_api_key("sl_test_wrong")).await.unwrap().is_none());

    let listed = store.api_keys(&tenant.id).await.unwrap();
    assert_eq!(listed, vec![key.key.clone()]);

    assert!(store.revoke_api_key(&tenant.id, &key.key.id).await.unwrap());
    assert!(!store.revoke_api_key(&tenant.id, &key.key.id).await.unwrap(), "second revoke is a no-op");
    assert!(store.authenticate(&hash_api_key(&key.secret)).await.unwrap().is_none());
    assert!(store.api_keys(&tenant.id).await.unwrap()[0].revoked_at.is_some());
}

async fn keys_are_scoped_to_their_tenant(store: &dyn Store) {
    let a = Tenant::new("a", TenantMode::Test).unwrap();
    let b = Tenant::new("b", TenantMode::Test).unwrap();
    store.insert_tenant(&a).await.unwrap();
    store.insert_tenant(&b).await.unwrap();
    let key_a = NewApiKey::generate(&a, "a");
    store.insert_api_key(&key_a.key, &key_a.secret_hash).await.unwrap();
    assert!(store.api_keys(&b.id).await.unwrap().is_empty());
    assert!(!store.revoke_api_key(&b.id, &key_a.key.id).await.unwrap());
    assert!(store.authenticate(&key_a.secret_hash).await.unwrap().is_some());
}

/// Every change to what a request reads about its tenant (settings, API keys, agent keys, rule
/// sets, list entries) moves the tenant's configuration version in its own transaction; writes
/// that change none of it, and other tenants' changes, leave it alone.
async fn config_version_moves_with_every_configuration_change(store: &dyn Store) {
    let mut t = tenant(store, "config").await;
    let other = tenant(store, "config-other").await;
    let other_at = store.tenant_config_version(&other.id).await.unwrap();
    assert!(other_at.is_some());
    assert_eq!(store.tenant_config_version(&Id::new(ResourceKind::Tenant)).await.unwrap(), None);
    let mut last = store.tenant_config_version(&t.id).await.unwrap().unwrap();
    let mut expect = async |moved: bool, what: &str| {
        let now = store.tenant_config_version(&t.id).await.unwrap().unwrap();
        assert_eq!(now != last, moved, "{what}: version {last} → {now}");
        last = now;
        now
    };

    let key = NewApiKey::generate(&t, "config");
    store.insert_api_key(&key.key, &key.secret_hash).await.unwrap();
    let at = expect(true, "API key added").await;
    let caller = store.authenticate(&key.secret_hash).await.unwrap().unwrap();
    assert_eq!(caller.config_version, Some(at), "read with the key, in the same statement");
    t.settings.reject_replayed_payloads = true;
    assert!(store.update_tenant_settings(&t.id, &t.settings).await.unwrap());
    let at = expect(true, "settings changed").await;
    assert_eq!(store.authenticate(&key.secret_hash).await.unwrap().unwrap().config_version, Some(at));

    let agent_key = AgentKeyRecord {
        tenant_id: t.id.clone(),
        key_id: 3,
        secret_hex: "11".repeat(32),
        public_key_b64: "pub".into(),
        created_at: Timestamp::now(),
        retired_at: None,
    };
    store.insert_agent_key(&agent_key).await.unwrap();
    expect(true, "agent key added").await;
    assert!(store.retire_agent_key(&t.id, 3, Timestamp::now()).await.unwrap());
    expect(true, "agent key retired").await;

    let rule_set = StoredRuleSet {
        tenant_id: t.id.clone(),
        version: 1,
        rule_set: json!({"rules": []}),
        created_at: Timestamp::now(),
        created_by: key.key.id.clone(),
    };
    store.insert_rule_set(&rule_set).await.unwrap();
    expect(true, "rule set added").await;
    assert_eq!(store.insert_rule_set(&rule_set).await.unwrap_err().status(), 409);
    expect(false, "rule set refused").await;

    let entry = ListEntry {
        list: "deny_email".into(),
        value: "x@example.com".into(),
        note: None,
        created_at: Timestamp::now(),
    };
    store.upsert_list_entry(&t.id, &entry).await.unwrap();
    expect(true, "list entry added").await;
    store.upsert_list_entry(&t.id, &ListEntry { note: Some("chargeback".into()), ..entry.clone() }).await.unwrap();
    expect(true, "list entry replaced").await;
    assert!(store.delete_list_entry(&t.id, "deny_email", "x@example.com").await.unwrap());
    expect(true, "list entry deleted").await;
    assert!(!store.delete_list_entry(&t.id, "deny_email", "x@example.com").await.unwrap());
    expect(false, "nothing to delete").await;

    let decision = StoredDecision {
        id: Id::new(ResourceKind::Decision),
        tenant_id: t.id.clone(),
        created_at: Timestamp::now(),
        state: "APPROVE".into(),
        fraud_score: 0.0,
        rule_set_version: 1,
        event: raw(json!({})),
        response: raw(json!({})),
    };
    let device = device_record(&t, Some("cookie-c"), &["k:c"], 1_000);
    let decided = ChangeSet {
        decisions: vec![decision],
        devices: vec![device.clone()],
        device_links: vec![link(&t, &device, LinkKind::UserId, "u1", 1_000)],
        seen_payloads: vec![(t.id.clone(), "config-1".into(), Timestamp::now())],
        persons: vec![person(&t)],
        ..ChangeSet::default()
    };
    store.commit(&decided).await.unwrap();
    expect(false, "a decision and a person").await;
    assert!(store.revoke_api_key(&t.id, &key.key.id).await.unwrap());
    expect(true, "API key revoked").await;
    assert_eq!(store.tenant_config_version(&other.id).await.unwrap(), other_at, "another tenant's version");
}

async fn tenant(store: &dyn Store, name: &str) -> Tenant {
    let t = Tenant::new(name, TenantMode::Test).unwrap();
    store.insert_tenant(&t).await.unwrap();
    t
}

fn raw(value: serde_json::Value) -> Box<serde_json::value::RawValue> {
    serde_json::value::to_raw_value(&value).unwrap()
}

fn person(t: &Tenant) -> Person {
    let profile =
        Profile { first_name: Some("Ada".into()), email: Some("ada@example.com".into()), ..Profile::default() };
    Person::new(&t.id, profile, Branch::DE, false).unwrap()
}

fn subscription(t: &Tenant, event_type: WebhookEventType) -> WebhookSubscription {
    WebhookSubscription::new(&t.id, event_type, "http://127.0.0.1:9/hook", "secret".into())
}

/// Change sets committed concurrently (SQLite writes them in one transaction) stay
/// independent: the one that conflicts fails alone and leaves nothing behind; the others land.
async fn concurrent_commits_fail_alone(store: &dyn Store) {
    let t = tenant(store, "group").await;
    let p = person(&t);
    store.commit(&ChangeSet { persons: vec![p.clone()], ..ChangeSet::default() }).await.unwrap();
    let update = |status: VettingStatus| {
        let mut next = p.clone();
        next.customer_vetting_status = status;
        next.touch();
        let event = WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, p.id.as_str(), json!({}));
        ChangeSet { persons: vec![next], events: vec![event], ..ChangeSet::default() }
    };
    let (a, b) = (update(VettingStatus::NoMatch), update(VettingStatus::PotentialMatch));
    let payloads: Vec<ChangeSet> = (0..8)
        .map(|i| ChangeSet {
            seen_payloads: vec![(t.id.clone(), format!("p{i}"), Timestamp::now())],
            ..ChangeSet::default()
        })
        .collect();
    let (ra, rb, rest) = tokio::join!(store.commit(&a), store.commit(&b), async {
        let mut results = Vec::new();
        for (i, changes) in payloads.iter().enumerate() {
            results.push((i, store.commit(changes).await));
        }
        results
    });
    assert!(ra.is_ok() != rb.is_ok(), "exactly one of two updates of the same version lands: {ra:?} {rb:?}");
    let loser = if ra.is_err() { ra } else { rb };
    assert_eq!(loser.unwrap_err().status(), 409);
    for (i, result) in rest {
        result.unwrap();
        assert!(store.payload_seen(&t.id, &format!("p{i}")).await.unwrap());
    }
    let stored = store.person(&t.id, &p.id).await.unwrap().unwrap();
    assert_eq!(stored.version, p.version + 1);
}

/// Decision-shaped change sets committed concurrently (SQLite merges them into one write per
/// table): the same device and edge written by several land as if written one after another,
/// and the one whose decision id is already stored fails alone, leaving nothing behind.
async fn concurrent_decisions_merge_and_fail_alone(store: &dyn Store) {
    let t = tenant(store, "merge").await;
    let device = device_record(&t, Some("cookie-m"), &["k:1"], 1_000);
    let decision = |id: Id, at: i64| StoredDecision {
        id,
        tenant_id: t.id.clone(),
        created_at: Timestamp::from_millis(at),
        state: "APPROVE".into(),
        fraud_score: 0.0,
        rule_set_version: 1,
        event: raw(json!({})),
        response: raw(json!({})),
    };
    let taken = Id::new(ResourceKind::Decision);
    store.commit(&ChangeSet { decisions: vec![decision(taken.clone(), 500)], ..ChangeSet::default() }).await.unwrap();
    let sighting = |i: i64, id: Id| {
        let mut seen = device.clone();
        seen.last_seen = Timestamp::from_millis(1_000 + i);
        seen.seen_count = i + 1;
        ChangeSet {
            decisions: vec![decision(id, 1_000 + i)],
            devices: vec![seen],
            device_links: vec![link(&t, &device, LinkKind::UserId, "u1", 1_000 + i)],
            seen_payloads: vec![(t.id.clone(), format!("merge-{i}"), Timestamp::from_millis(1_000 + i))],
            ..ChangeSet::default()
        }
    };
    let sets: Vec<ChangeSet> =
        (0..8).map(|i| sighting(i, if i == 3 { taken.clone() } else { Id::new(ResourceKind::Decision) })).collect();
    let results = futures_join_all(store, &sets).await;
    for (i, result) in results.iter().enumerate() {
        if i == 3 {
            assert!(result.is_err(), "a decision id already stored is refused");
            assert!(!store.payload_seen(&t.id, "merge-3").await.unwrap(), "nothing of the refused set is left");
        } else {
            assert!(result.is_ok(), "{i}: {result:?}");
            assert!(store.payload_seen(&t.id, &format!("merge-{i}")).await.unwrap());
            assert!(store.decision(&t.id, &sets[i].decisions[0].id).await.unwrap().is_some());
        }
    }
    let links = store.device_links(&t.id, &device.id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].count, 7, "seven landed sightings of one edge");
    // Concurrent sightings land in no particular order: the times are one of theirs.
    let landed = |at: i64| (1_000..=1_007).contains(&at) && at != 1_003;
    assert!(landed(links[0].first_seen.millis()) && landed(links[0].last_seen.millis()), "{links:?}");
    let stored = store.device(&t.id, &device.id).await.unwrap().unwrap();
    assert!(landed(stored.last_seen.millis()), "one landed sighting's record is kept");
}

/// Commits every change set at once (polled together, so that SQLite's writer finds them all
/// queued); the answers in order.
async fn futures_join_all(store: &dyn Store, sets: &[ChangeSet]) -> Vec<sightline_core::Result<()>> {
    use std::task::Poll;
    let mut pending: Vec<_> = sets.iter().map(|changes| store.commit(changes)).collect();
    let mut results: Vec<Option<sightline_core::Result<()>>> = sets.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (future, result) in pending.iter_mut().zip(results.iter_mut()) {
            if result.is_none()
                && let Poll::Ready(r) = future.as_mut().poll(cx)
            {
                *result = Some(r);
            }
        }
        if results.iter().all(Option::is_some) { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    results.into_iter().flatten().collect()
}

/// Decisions (on SQLite, the writer thread's) and other write transactions (webhook fan-out,
/// on sqlx's connection) at the same time: each waits for the other's lock, none fails.
async fn decisions_and_other_write_transactions_interleave(store: &dyn Store) {
    let t = tenant(store, "interleave").await;
    store.insert_webhook_subscription(&subscription(&t, WebhookEventType::PersonChanged)).await.unwrap();
    let decisions: Vec<ChangeSet> = (0..48)
        .map(|i| ChangeSet {
            seen_payloads: vec![(t.id.clone(), format!("i{i}"), Timestamp::now())],
            velocity_events: vec![VelocityEvent {
                tenant_id: t.id.clone(),
                event_id: Id::new(ResourceKind::Decision),
                at: Timestamp::now(),
                amount: Some(1.0),
                values: VelocityValues { user_id: Some("u".into()), ..VelocityValues::default() },
            }],
            ..ChangeSet::default()
        })
        .collect();
    let events: Vec<WebhookEvent> = (0..12)
        .map(|i| WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, &format!("person-{i}"), json!({})))
        .collect();
    let (committed, enqueued) = tokio::join!(futures_join_all(store, &decisions), async {
        let mut results = Vec::new();
        for event in &events {
            results.push(store.enqueue_event(event).await);
        }
        results
    });
    assert!(committed.iter().all(Result::is_ok), "{committed:?}");
    assert!(enqueued.iter().all(Result::is_ok), "{enqueued:?}");
    let due = store.claim_due_deliveries(Timestamp::now().plus_millis(60_000), 100).await.unwrap();
    assert_eq!(due.len(), events.len(), "one delivery per event");
    for i in 0..decisions.len() {
        assert!(store.payload_seen(&t.id, &format!("i{i}")).await.unwrap());
    }
}

async fn persons_use_optimistic_concurrency(store: &dyn Store) {
    let t = tenant(store, "p").await;
    let mut p = person(&t);
    store.commit(&ChangeSet { persons: vec![p.clone()], ..ChangeSet::default() }).await.unwrap();
    assert_eq!(store.person(&t.id, &p.id).await.unwrap(), Some(p.clone()));

    let stale = p.clone();
    p.customer_vetting_status = VettingStatus::NoMatch;
    p.touch();
    store.commit(&ChangeSet { persons: vec![p.clone()], ..ChangeSet::default() }).await.unwrap();

    // A write based on the stale read fails, and nothing in its change set is written.
    let mut stale = stale;
    stale.customer_vetting_status = VettingStatus::PotentialMatch;
    stale.touch();
    let sub = subscription(&t, WebhookEventType::PersonChanged);
    store.insert_webhook_subscription(&sub).await.unwrap();
    let event = WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, p.id.as_str(), json!({}));
    let err = store
        .commit(&ChangeSet { persons: vec![stale], events: vec![event], ..ChangeSet::default() })
        .await
        .unwrap_err();
    assert_eq!(err.status(), 409);
    let stored = store.person(&t.id, &p.id).await.unwrap().unwrap();
    assert_eq!(stored.customer_vetting_status, VettingStatus::NoMatch);
    assert!(store.claim_due_deliveries(Timestamp::now().plus_millis(1000), 10).await.unwrap().is_empty());

    let other = tenant(store, "other").await;
    assert_eq!(store.person(&other.id, &p.id).await.unwrap(), None, "persons are tenant-scoped");
}

async fn consents_keep_their_history(store: &dyn Store) {
    let t = tenant(store, "c").await;
    let p = person(&t);
    let key = Id::new(ResourceKind::ApiKey);
    let mut c = DeviceConsent::new(&p, ConsentEventType::Approved, Timestamp::now(), Some("v1-en".into()));
    let first = c.history_entry(&key);
    store
        .commit(&ChangeSet {
            persons: vec![p.clone()],
            consents: vec![c.clone()],
            consent_events: vec![first.clone()],
            ..ChangeSet::default()
        })
        .await
        .unwrap();
    c.event_type = ConsentEventType::Rejected;
    c.updated_at = c.updated_at.plus_millis(5);
    let second = c.history_entry(&key);
    store
        .commit(&ChangeSet { consents: vec![c.clone()], consent_events: vec![second.clone()], ..ChangeSet::default() })
        .await
        .unwrap();
    assert_eq!(store.consent(&t.id, &c.id).await.unwrap(), Some(c.clone()));
    assert_eq!(store.consents_of_person(&t.id, &p.id).await.unwrap(), vec![c.clone()]);
    assert_eq!(store.consent_history(&t.id, &c.id).await.unwrap(), vec![first, second]);
    let other = tenant(store, "c2").await;
    assert!(store.consent(&other.id, &c.id).await.unwrap().is_none());
    assert!(store.consent_history(&other.id, &c.id).await.unwrap().is_empty());
}

async fn activities_and_question_sets_round_trip(store: &dyn Store) {
    let t = tenant(store, "a").await;
    let p = person(&t);
    let now = Timestamp::now();
    let activity = |offset: i64| DeviceActivity {
        id: Id::new(ResourceKind::DeviceActivity),
        tenant_id: t.id.clone(),
        person_id: p.id.clone(),
        consent_id: None,
        kind: ActivityKind::Activity(ActivityType::AppStart),
        session_id: "s".into(),
        evidence: None,
        decision: None,
        reasons: vec![],
        created_at: now.plus_millis(offset),
    };
    let (a1, a2) = (activity(0), activity(10));
    let mut set = QuestionSet::device_follow_up(&t.id, &p.id, now);
    store
        .commit(&ChangeSet {
            persons: vec![p.clone()],
            activities: vec![a1.clone(), a2.clone()],
            question_sets: vec![set.clone()],
            ..ChangeSet::default()
        })
        .await
        .unwrap();
    assert_eq!(store.activity(&t.id, &a1.id).await.unwrap(), Some(a1.clone()));
    assert_eq!(store.activities_of_person(&t.id, &p.id, 10).await.unwrap(), vec![a2.clone(), a1.clone()]);
    assert_eq!(store.activities_of_person(&t.id, &p.id, 1).await.unwrap(), vec![a2]);

    let qid = set.questions[0].id.to_string();
    let answer = Answer { response: "yes".into(), partner_notes: None, attachments: vec![], ready_for_review: true };
    set.answer(&qid, answer, now).unwrap();
    store.commit(&ChangeSet { question_sets: vec![set.clone()], ..ChangeSet::default() }).await.unwrap();
    assert_eq!(store.question_set(&t.id, &set.id).await.unwrap(), Some(set.clone()));
    assert_eq!(store.question_sets_of_person(&t.id, &p.id).await.unwrap(), vec![set]);
}

async fn payload_ids_are_remembered_once(store: &dyn Store) {
    let t = tenant(store, "r").await;
    let u = tenant(store, "r2").await;
    let now = Timestamp::now();
    assert!(store.remember_payload(&t.id, "abc", now).await.unwrap());
    assert!(!store.remember_payload(&t.id, "abc", now).await.unwrap());
    assert!(store.remember_payload(&u.id, "abc", now).await.unwrap(), "per tenant");
    assert_eq!(store.forget_payloads_before(now.plus_millis(1)).await.unwrap(), 2);
    assert!(store.remember_payload(&t.id, "abc", now).await.unwrap());
    // Remembered as part of a commit: visible to `payload_seen` and to `remember_payload`;
    // committing an id again is not an error.
    assert!(!store.payload_seen(&t.id, "def").await.unwrap());
    let seen = ChangeSet { seen_payloads: vec![(t.id.clone(), "def".into(), now)], ..ChangeSet::default() };
    store.commit(&seen).await.unwrap();
    store.commit(&seen).await.unwrap();
    assert!(store.payload_seen(&t.id, "def").await.unwrap());
    assert!(!store.payload_seen(&u.id, "def").await.unwrap());
    assert!(!store.remember_payload(&t.id, "def", now).await.unwrap());
}

async fn agent_keys_rotate_and_retire(store: &dyn Store) {
    let t = tenant(store, "k").await;
    let key = |id: u32| AgentKeyRecord {
        tenant_id: t.id.clone(),
        key_id: id,
        secret_hex: "11".repeat(32),
        public_key_b64: "pub".into(),
        created_at: Timestamp::now().plus_millis(i64::from(id)),
        retired_at: None,
    };
    store.insert_agent_key(&key(7)).await.unwrap();
    store.insert_agent_key(&key(u32::MAX)).await.unwrap();
    assert_eq!(store.insert_agent_key(&key(7)).await.unwrap_err().status(), 409);
    assert!(store.retire_agent_key(&t.id, 7, Timestamp::now()).await.unwrap());
    assert!(!store.retire_agent_key(&t.id, 7, Timestamp::now()).await.unwrap());
    let keys = store.agent_keys(&t.id).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.key_id).collect::<Vec<_>>(), vec![7, u32::MAX]);
    assert!(keys[0].retired_at.is_some() && keys[1].retired_at.is_none());
}

async fn webhook_outbox_claims_each_delivery_once(store: &dyn Store) {
    let t = tenant(store, "w").await;
    let sub = subscription(&t, WebhookEventType::PersonChanged);
    let other = subscription(&t, WebhookEventType::QuestionsRequireResponse);
    store.insert_webhook_subscription(&sub).await.unwrap();
    store.insert_webhook_subscription(&other).await.unwrap();
    assert_eq!(store.webhook_subscriptions(&t.id).await.unwrap().len(), 2);
    assert_eq!(store.webhook_subscription(&t.id, &sub.id).await.unwrap().unwrap().secret, "secret");

    let event = WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, "p1cper", json!({}));
    store.enqueue_event(&event).await.unwrap();
    let now = Timestamp::now().plus_millis(10);
    let due = store.claim_due_deliveries(now, 10).await.unwrap();
    assert_eq!(due.len(), 1, "only the PERSON_CHANGED subscriber gets a delivery");
    assert_eq!((due[0].attempt, &due[0].event, &due[0].url), (1, &event, &sub.url));
    assert!(store.claim_due_deliveries(now, 10).await.unwrap().is_empty(), "claimed rows are leased");

    let retry_at = now.plus_millis(1000);
    store
        .finish_attempt(&due[0], &AttemptOutcome::Retry { at: retry_at }, Some(500), Some("HTTP 500"), 12)
        .await
        .unwrap();
    assert!(store.claim_due_deliveries(now, 10).await.unwrap().is_empty(), "not due before retry time");
    let again = store.claim_due_deliveries(retry_at, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempt, 2);
    store.finish_attempt(&again[0], &AttemptOutcome::Delivered, Some(200), None, 5).await.unwrap();
    assert!(store.claim_due_deliveries(retry_at.plus_millis(10_000_000), 10).await.unwrap().is_empty());

    let log = store.delivery_attempts(&t.id, &sub.id, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].attempt, log[0].outcome, log[0].status_code), (2, DeliveryStatus::Delivered, Some(200)));
    assert_eq!((log[1].attempt, log[1].outcome), (1, DeliveryStatus::Pending));
    let stranger = tenant(store, "w2").await;
    assert!(store.delivery_attempts(&stranger.id, &sub.id, 10).await.unwrap().is_empty());
}

async fn gone_cancels_the_subscription(store: &dyn Store) {
    let t = tenant(store, "g").await;
    let sub = subscription(&t, WebhookEventType::PersonChanged);
    store.insert_webhook_subscription(&sub).await.unwrap();
    for entity in ["a", "b"] {
        store
            .enqueue_event(&WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, entity, json!({})))
            .await
            .unwrap();
    }
    let now = Timestamp::now().plus_millis(10);
    let due = store.claim_due_deliveries(now, 1).await.unwrap();
    assert_eq!(due.len(), 1);
    store.finish_attempt(&due[0], &AttemptOutcome::Gone, Some(410), None, 3).await.unwrap();
    assert!(store.webhook_subscription(&t.id, &sub.id).await.unwrap().is_none());
    assert!(
        store.claim_due_deliveries(now.plus_millis(1_000_000), 10).await.unwrap().is_empty(),
        "the other delivery was cancelled"
    );

    let sub2 = subscription(&t, WebhookEventType::PersonChanged);
    store.insert_webhook_subscription(&sub2).await.unwrap();
    store.enqueue_event(&WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, "c", json!({}))).await.unwrap();
    assert!(store.cancel_webhook_subscription(&t.id, &sub2.id).await.unwrap());
    assert!(!store.cancel_webhook_subscription(&t.id, &sub2.id).await.unwrap());
    assert!(store.claim_due_deliveries(now.plus_millis(1_000_000), 10).await.unwrap().is_empty());
}

async fn concurrent_claims_never_overlap(store: &dyn Store) {
    let t = tenant(store, "cc").await;
    let sub = subscription(&t, WebhookEventType::PersonChanged);
    store.insert_webhook_subscription(&sub).await.unwrap();
    for i in 0..40 {
        let e = WebhookEvent::new(&t.id, WebhookEventType::PersonChanged, &i.to_string(), json!({}));
        store.enqueue_event(&e).await.unwrap();
    }
    let now = Timestamp::now().plus_millis(10);
    let (a, b, c) = tokio::join!(
        store.claim_due_deliveries(now, 15),
        store.claim_due_deliveries(now, 15),
        store.claim_due_deliveries(now, 15)
    );
    let mut ids: Vec<String> =
        [a.unwrap(), b.unwrap(), c.unwrap()].concat().into_iter().map(|d| d.delivery_id.to_string()).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "no delivery claimed twice");
    assert_eq!(total, 40);
}

fn device_record(t: &Tenant, cookie: Option<&str>, keys: &[&str], seen: i64) -> DeviceRecord {
    DeviceRecord {
        id: Id::new(ResourceKind::Device),
        tenant_id: t.id.clone(),
        platform: "Web".into(),
        device_hash: "dh".into(),
        browser_hash: "bh".into(),
        cookie_hash: cookie.map(str::to_owned),
        attributes: json!({"screen": "1920x1080"}),
        blocking_keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        first_seen: Timestamp::from_millis(seen),
        last_seen: Timestamp::from_millis(seen),
        seen_count: 1,
        last_location: None,
    }
}

fn link(t: &Tenant, d: &DeviceRecord, kind: LinkKind, value: &str, at: i64) -> DeviceLink {
    DeviceLink {
        tenant_id: t.id.clone(),
        device_id: d.id.clone(),
        kind,
        value: value.into(),
        first_seen: Timestamp::from_millis(at),
        last_seen: Timestamp::from_millis(at),
        count: 1,
    }
}

async fn devices_and_identity_graph(store: &dyn Store) {
    let t = tenant(store, "dev").await;
    let other = tenant(store, "dev2").await;
    let a = device_record(&t, Some("cookie-a"), &["gpu:x|screen:1", "tz:Europe/Berlin"], 1_000);
    let b = device_record(&t, None, &["gpu:x|screen:1"], 2_000);
    let c = device_record(&other, Some("cookie-a"), &["gpu:x|screen:1"], 3_000);
    store.commit(&ChangeSet { devices: vec![a.clone(), b.clone()], ..ChangeSet::default() }).await.unwrap();
    store.commit(&ChangeSet { devices: vec![c.clone()], ..ChangeSet::default() }).await.unwrap();
    assert_eq!(store.device(&t.id, &a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.device(&other.id, &a.id).await.unwrap(), None);

    let by_cookie = store.device_candidates(&t.id, Some("cookie-a"), &[], 10).await.unwrap();
    assert_eq!(by_cookie, vec![a.clone()], "tenant-scoped");
    let by_key = store.device_candidates(&t.id, None, &["gpu:x|screen:1".into()], 10).await.unwrap();
    assert_eq!(
        by_key.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
        vec![b.id.clone(), a.id.clone()],
        "newest first"
    );
    assert!(store.device_candidates(&t.id, Some("none"), &["none".into()], 10).await.unwrap().is_empty());
    let first = store.devices_page(&t.id, None, 1).await.unwrap();
    let rest = store.devices_page(&t.id, Some(&first[0].id), 10).await.unwrap();
    let mut paged: Vec<Id> = first.iter().chain(rest.iter()).map(|d| d.id.clone()).collect();
    paged.sort();
    let mut expected = vec![a.id.clone(), b.id.clone()];
    expected.sort();
    assert_eq!(paged, expected, "every device of the tenant exactly once");

    // Links: first sighting inserts; a repeat moves last_seen and counts.
    store
        .commit(&ChangeSet {
            device_links: vec![
                link(&t, &a, LinkKind::Person, "p1", 1_000),
                link(&t, &a, LinkKind::Email, "e-hash", 1_000),
            ],
            ..ChangeSet::default()
        })
        .await
        .unwrap();
    store
        .commit(&ChangeSet {
            device_links: vec![
                link(&t, &a, LinkKind::Person, "p1", 5_000),
                link(&t, &b, LinkKind::Person, "p1", 4_000),
            ],
            ..ChangeSet::default()
        })
        .await
        .unwrap();
    let links = store.device_links(&t.id, &a.id).await.unwrap();
    let person = links.iter().find(|l| l.kind == LinkKind::Person).unwrap();
    assert_eq!((person.first_seen.millis(), person.last_seen.millis(), person.count), (1_000, 5_000, 2));
    assert_eq!(links.len(), 2);
    let devices_of_p1 = store.links_to(&t.id, LinkKind::Person, "p1").await.unwrap();
    assert_eq!(devices_of_p1.iter().map(|l| l.device_id.clone()).collect::<Vec<_>>(), vec![a.id.clone(), b.id.clone()]);
    assert!(store.links_to(&other.id, LinkKind::Person, "p1").await.unwrap().is_empty());

    // A decision counts one kind of link within its windows, and stops at the limit.
    store
        .commit(&ChangeSet { device_links: vec![link(&t, &a, LinkKind::Person, "p0", 500)], ..ChangeSet::default() })
        .await
        .unwrap();
    let query = |value: Option<&'static str>, limit: u32| GraphQuery {
        device_id: &a.id,
        kind: LinkKind::Person,
        value,
        since_day: Timestamp::from_millis(1_000),
        since_month: Timestamp::from_millis(0),
        limit,
    };
    let counts = store.graph_counts(&t.id, &query(Some("p1"), 1_000)).await.unwrap();
    let seen = |first, last| Some((Timestamp::from_millis(first), Timestamp::from_millis(last)));
    assert_eq!(
        counts,
        GraphCounts { subjects_day: 1, subjects_month: 2, devices_month: 2, this_link: seen(1_000, 5_000) },
        "p0 is older than a day, e-hash another kind; p1 is on devices a and b"
    );
    let capped = store.graph_counts(&t.id, &query(Some("p1"), 1)).await.unwrap();
    assert_eq!((capped.subjects_month, capped.devices_month), (1, 1));
    let stranger = store.graph_counts(&t.id, &query(Some("p9"), 1_000)).await.unwrap();
    assert_eq!(stranger, GraphCounts { subjects_day: 1, subjects_month: 2, devices_month: 0, this_link: None });
    let anonymous = store.graph_counts(&t.id, &query(None, 1_000)).await.unwrap();
    assert_eq!(anonymous, GraphCounts { subjects_day: 1, subjects_month: 2, devices_month: 0, this_link: None });
    assert_eq!(store.graph_counts(&other.id, &query(Some("p1"), 1_000)).await.unwrap(), GraphCounts::default());
}

async fn velocity_counts_within_windows(store: &dyn Store) {
    let t = tenant(store, "vel").await;
    let other = tenant(store, "vel2").await;
    let event = |tenant: &Tenant, at: i64, user: &str, amount: f64| VelocityEvent {
        tenant_id: tenant.id.clone(),
        event_id: Id::new(ResourceKind::Decision),
        at: Timestamp::from_millis(at),
        amount: Some(amount),
        values: VelocityValues {
            device_id: Some("dev-1".into()),
            user_id: Some(user.into()),
            ip: Some("ip-1".into()),
            ..VelocityValues::default()
        },
    };
    store
        .commit(&ChangeSet {
            velocity_events: vec![
                event(&t, 1_000, "u1", 10.0),
                event(&t, 2_000, "u1", 20.0),
                event(&t, 3_000, "u2", 30.5),
                event(&other, 3_000, "u9", 99.0),
            ],
            ..ChangeSet::default()
        })
        .await
        .unwrap();
    let q = |since: i64, measure: VelocityMeasure| VelocityQuery {
        key: VelocityKey::DeviceId,
        value: "dev-1".into(),
        since: Timestamp::from_millis(since),
        measure,
        current: None,
        scan_limit: SCAN_LIMIT,
    };
    let with_current = |user: &str| VelocityQuery {
        current: Some(user.into()),
        ..q(0, VelocityMeasure::Distinct(VelocityKey::UserId))
    };
    let answers = store
        .velocity(
            &t.id,
            &[
                q(0, VelocityMeasure::Count),
                q(2_500, VelocityMeasure::Count),
                q(0, VelocityMeasure::Distinct(VelocityKey::UserId)),
                q(1_500, VelocityMeasure::SumAmount),
                VelocityQuery {
                    key: VelocityKey::Email,
                    value: "none".into(),
                    since: Timestamp::from_millis(0),
                    measure: VelocityMeasure::SumAmount,
                    current: None,
                    scan_limit: SCAN_LIMIT,
                },
                with_current("u1"),
                with_current("u3"),
            ],
        )
        .await
        .unwrap();
    // A returning user is not counted twice; a new one is counted although not stored yet.
    assert_eq!(values(&answers), vec![3.0, 1.0, 2.0, 50.5, 0.0, 2.0, 3.0]);
    assert!(answers.iter().all(|a| !a.saturated));
    assert_eq!(values(&store.velocity(&other.id, &[q(0, VelocityMeasure::Count)]).await.unwrap()), vec![1.0]);
}

fn values(answers: &[VelocityAnswer]) -> Vec<f64> {
    answers.iter().map(|a| a.value).collect()
}

/// A busy key's counters read its newest events only, up to the query's limit, and say that
/// they stopped there; below the limit they are exact and not saturated.
async fn velocity_reads_at_most_the_newest_events_of_a_busy_key(store: &dyn Store) {
    let t = tenant(store, "busy").await;
    let events: Vec<VelocityEvent> = (1..=10)
        .map(|i| VelocityEvent {
            tenant_id: t.id.clone(),
            event_id: Id::new(ResourceKind::Decision),
            at: Timestamp::from_millis(1_000 * i),
            amount: Some(i as f64),
            values: VelocityValues {
                ip: Some("busy-ip".into()),
                user_id: Some(format!("u{i}")),
                ..VelocityValues::default()
            },
        })
        .collect();
    store.commit(&ChangeSet { velocity_events: events, ..ChangeSet::default() }).await.unwrap();
    let q = |measure: VelocityMeasure, current: Option<&str>, scan_limit: u32| VelocityQuery {
        key: VelocityKey::Ip,
        value: "busy-ip".into(),
        since: Timestamp::from_millis(0),
        measure,
        current: current.map(str::to_owned),
        scan_limit,
    };
    let users = VelocityMeasure::Distinct(VelocityKey::UserId);
    let count_sum_users = |limit| {
        [
            q(VelocityMeasure::Count, None, limit),
            q(VelocityMeasure::SumAmount, None, limit),
            q(users, Some("u1"), limit),
        ]
    };
    let capped = store.velocity(&t.id, &count_sum_users(4)).await.unwrap();
    // The newest four: u7–u10, amounts 7 + 8 + 9 + 10; u1 is older, so it counts as new.
    assert_eq!(values(&capped), vec![4.0, 34.0, 5.0]);
    assert!(capped.iter().all(|a| a.saturated), "{capped:?}");
    let whole = store.velocity(&t.id, &count_sum_users(11)).await.unwrap();
    assert_eq!(values(&whole), vec![10.0, 55.0, 10.0]);
    assert!(whole.iter().all(|a| !a.saturated), "{whole:?}");
    // Exactly the limit: whether more were left unread is unknown, so it says saturated.
    let at_limit = store.velocity(&t.id, &[q(VelocityMeasure::Count, None, 10)]).await.unwrap();
    assert_eq!(at_limit, vec![VelocityAnswer { value: 10.0, saturated: true }]);
}

/// Counters that share a scan (same key, window and limit) answer exactly as each does asked
/// alone, whatever their mix and however many there are.
async fn counters_asked_together_answer_as_asked_alone(store: &dyn Store) {
    let t = tenant(store, "together").await;
    let events: Vec<VelocityEvent> = (1..=12)
        .map(|i| VelocityEvent {
            tenant_id: t.id.clone(),
            event_id: Id::new(ResourceKind::Decision),
            at: Timestamp::from_millis(1_000 * i),
            amount: (i % 3 != 0).then_some(i as f64),
            values: VelocityValues {
                device_id: Some("shared-device".into()),
                user_id: Some(format!("u{}", i % 4)),
                card_hash: (i % 2 == 0).then(|| format!("c{}", i % 5)),
                email: None,
                ..VelocityValues::default()
            },
        })
        .collect();
    store.commit(&ChangeSet { velocity_events: events, ..ChangeSet::default() }).await.unwrap();
    let q = |since: i64, measure: VelocityMeasure, current: Option<&str>| VelocityQuery {
        key: VelocityKey::DeviceId,
        value: "shared-device".into(),
        since: Timestamp::from_millis(since),
        measure,
        current: current.map(str::to_owned),
        scan_limit: 8,
    };
    let users = VelocityMeasure::Distinct(VelocityKey::UserId);
    let cards = VelocityMeasure::Distinct(VelocityKey::CardHash);
    let emails = VelocityMeasure::Distinct(VelocityKey::Email);
    let queries = vec![
        q(0, users, Some("u1")),
        q(0, users, Some("u-new")),
        q(0, cards, None),
        q(0, VelocityMeasure::SumAmount, None),
        q(0, VelocityMeasure::Count, None),
        q(0, emails, Some("e1")),
        q(9_500, users, None),
        q(9_500, VelocityMeasure::SumAmount, None),
        VelocityQuery { scan_limit: SCAN_LIMIT, ..q(0, cards, Some("c9")) },
        VelocityQuery { value: "no-such-device".into(), ..q(0, VelocityMeasure::Count, None) },
    ];
    let together = store.velocity(&t.id, &queries).await.unwrap();
    let mut alone = Vec::new();
    for query in &queries {
        alone.extend(store.velocity(&t.id, std::slice::from_ref(query)).await.unwrap());
    }
    assert_eq!(together, alone);
    // The newest eight (i = 5..=12): users u0–u3 (u1 among them); cards c1, c3, c0, c2 (even i).
    assert_eq!(values(&together[..6]), vec![4.0, 5.0, 4.0, 5.0 + 7.0 + 8.0 + 10.0 + 11.0, 8.0, 1.0]);
    assert!(together[..6].iter().all(|a| a.saturated));
    assert_eq!(together[8], VelocityAnswer { value: 5.0 + 1.0, saturated: false });
    assert_eq!(together[9], VelocityAnswer { value: 0.0, saturated: false });
}

/// More rows than one statement may carry bound values for (PostgreSQL's limit is 65,535):
/// the change set still commits whole.
async fn a_change_set_beyond_one_statement_commits_whole(store: &dyn Store) {
    let t = tenant(store, "bulk").await;
    let events: Vec<VelocityEvent> = (0..6_500)
        .map(|i| VelocityEvent {
            tenant_id: t.id.clone(),
            event_id: Id::new(ResourceKind::Decision),
            at: Timestamp::from_millis(1_000 + i),
            amount: Some(1.0),
            values: VelocityValues { device_id: Some("bulk-device".into()), ..VelocityValues::default() },
        })
        .collect();
    store.commit(&ChangeSet { velocity_events: events, ..ChangeSet::default() }).await.unwrap();
    let count = VelocityQuery {
        key: VelocityKey::DeviceId,
        value: "bulk-device".into(),
        since: Timestamp::from_millis(0),
        measure: VelocityMeasure::Count,
        current: None,
        scan_limit: 10_000,
    };
    assert_eq!(
        store.velocity(&t.id, &[count]).await.unwrap(),
        vec![VelocityAnswer { value: 6_500.0, saturated: false }]
    );
}

async fn decisions_page_through_history(store: &dyn Store) {
    let t = tenant(store, "dec").await;
    let decision = |at: i64, state: &str| StoredDecision {
        id: Id::new(ResourceKind::Decision),
        tenant_id: t.id.clone(),
        created_at: Timestamp::from_millis(at),
        state: state.into(),
        fraud_score: 12.5,
        rule_set_version: 3,
        event: raw(json!({"request": {"email_hash": "x"}})),
        response: raw(json!({"state": state})),
    };
    let mut all: Vec<StoredDecision> = (0..5).map(|i| decision(1_000 + i * 10, "APPROVE")).collect();
    all.push(decision(1_020, "DECLINE")); // same instant as another: the id breaks the tie
    store.commit(&ChangeSet { decisions: all.clone(), ..ChangeSet::default() }).await.unwrap();
    assert_eq!(store.decision(&t.id, &all[0].id).await.unwrap(), Some(all[0].clone()));

    let (from, to) = (Timestamp::from_millis(1_010), Timestamp::from_millis(1_040));
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.decisions_between(&t.id, from, to, cursor.clone(), 2).await.unwrap();
        if page.is_empty() {
            break;
        }
        cursor = page.last().map(|d| (d.created_at, d.id.clone()));
        seen.extend(page.into_iter().map(|d| d.id));
    }
    assert_eq!(seen.len(), 4, "1010, 1020 twice, 1030");
    assert_eq!(store.count_decisions_between(&t.id, from, to).await.unwrap(), 4);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
}

async fn rule_sets_are_versioned(store: &dyn Store) {
    let t = tenant(store, "rules").await;
    assert!(store.latest_rule_set(&t.id).await.unwrap().is_none());
    assert_eq!(store.latest_rule_set_version(&t.id).await.unwrap(), None);
    let version = |v: i64| StoredRuleSet {
        tenant_id: t.id.clone(),
        version: v,
        rule_set: json!({"rules": [], "v": v}),
        created_at: Timestamp::now(),
        created_by: Id::new(ResourceKind::ApiKey),
    };
    store.insert_rule_set(&version(1)).await.unwrap();
    store.insert_rule_set(&version(2)).await.unwrap();
    assert_eq!(store.insert_rule_set(&version(2)).await.unwrap_err().status(), 409, "concurrent change");
    assert_eq!(store.latest_rule_set(&t.id).await.unwrap().unwrap().version, 2);
    assert_eq!(store.latest_rule_set_version(&t.id).await.unwrap(), Some(2));
    assert_eq!(store.rule_set(&t.id, 1).await.unwrap().unwrap().rule_set["v"], 1);
    let other = tenant(store, "rules2").await;
    assert!(store.latest_rule_set(&other.id).await.unwrap().is_none());
}

async fn lists_match_values(store: &dyn Store) {
    let t = tenant(store, "lists").await;
    let entry = |list: &str, value: &str| ListEntry {
        list: list.into(),
        value: value.into(),
        note: Some("chargeback".into()),
        created_at: Timestamp::now(),
    };
    store.upsert_list_entry(&t.id, &entry("deny_email", "fraud@example.com")).await.unwrap();
    store.upsert_list_entry(&t.id, &entry("deny_email", "fraud@example.com")).await.unwrap();
    store.upsert_list_entry(&t.id, &entry("allow_ip", "1.2.3.4")).await.unwrap();
    assert_eq!(store.list_entries(&t.id, "deny_email").await.unwrap().len(), 1);
    let lists = vec!["deny_email".to_owned(), "allow_ip".to_owned()];
    let found = store
        .lists_containing(&t.id, &lists, &["fraud@example.com".into(), "9.9.9.9".into(), "1.2.3.4".into()], &[], 0)
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    assert!(
        store.lists_containing(&t.id, &["deny_ip".to_owned()], &["1.2.3.4".into()], &[], 0).await.unwrap().is_empty()
    );
    // Whole lists come back entry by entry, next to the point matches, whatever the values.
    store.upsert_list_entry(&t.id, &entry("deny_cidr", "10.0.0.0/8")).await.unwrap();
    store.upsert_list_entry(&t.id, &entry("deny_cidr", "192.168.0.0/16")).await.unwrap();
    let cidr = ["deny_cidr".to_owned()];
    let mut found = store.lists_containing(&t.id, &lists, &["fraud@example.com".into()], &cidr, 10).await.unwrap();
    found.sort();
    assert_eq!(
        found,
        [("deny_cidr", "10.0.0.0/8"), ("deny_cidr", "192.168.0.0/16"), ("deny_email", "fraud@example.com")]
            .map(|(l, v)| (l.to_owned(), v.to_owned()))
    );
    let only_whole = store.lists_containing(&t.id, &[], &[], &cidr, 10).await.unwrap();
    assert_eq!(only_whole.len(), 2);
    // The whole lists stop at the limit (the caller then searches them by value); the point
    // matches do not count towards it.
    let cut = store.lists_containing(&t.id, &lists, &["fraud@example.com".into()], &cidr, 1).await.unwrap();
    assert_eq!(cut.iter().filter(|(list, _)| list == "deny_cidr").count(), 1, "{cut:?}");
    assert_eq!(cut.len(), 2, "{cut:?}");
    assert!(store.lists_containing(&t.id, &[], &[], &cidr, 0).await.unwrap().is_empty());
    let by_network = store.lists_containing(&t.id, &cidr, &["10.0.0.0/8".into(), "10.0.0.0/9".into()], &[], 0).await;
    assert_eq!(by_network.unwrap(), vec![("deny_cidr".to_owned(), "10.0.0.0/8".to_owned())]);
    let other = tenant(store, "lists2").await;
    assert!(store.lists_containing(&other.id, &lists, &["fraud@example.com".into()], &[], 0).await.unwrap().is_empty());
    assert!(store.lists_containing(&other.id, &[], &[], &cidr, 10).await.unwrap().is_empty());
    assert!(store.delete_list_entry(&t.id, "deny_email", "fraud@example.com").await.unwrap());
    assert!(!store.delete_list_entry(&t.id, "deny_email", "fraud@example.com").await.unwrap());
}

async fn sqlite_store() -> (SqliteStore, tempfile::TempDir) {
    let (url, dir) = sightline_testkit::temp_sqlite();
    let store = SqliteStore::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap(); // idempotent
    (store, dir)
}

async fn pg_store() -> PgStore {
    let url = sightline_testkit::fresh_pg_database().await;
    let store = PgStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store
}

macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $check() {
                    let (store, _dir) = super::sqlite_store().await;
                    super::$check(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $check() {
                    let store = super::pg_store().await;
                    super::$check(&store).await;
                }
            )*
        }
    };
}

conformance!(
    ping_and_backend,
    tenants_round_trip,
    tenant_settings_round_trip,
    duplicate_tenant_name_is_a_conflict,
    api_keys_authenticate_until_revoked,
    keys_are_scoped_to_their_tenant,
    persons_use_optimistic_concurrency,
    concurrent_commits_fail_alone,
    concurrent_decisions_merge_and_fail_alone,
    decisions_and_other_write_transactions_interleave,
    consents_keep_their_history,
    activities_and_question_sets_round_trip,
    payload_ids_are_remembered_once,
    agent_keys_rotate_and_retire,
    webhook_outbox_claims_each_delivery_once,
    gone_cancels_the_subscription,
    concurrent_claims_never_overlap,
    devices_and_identity_graph,
    velocity_counts_within_windows,
    velocity_reads_at_most_the_newest_events_of_a_busy_key,
    counters_asked_together_answer_as_asked_alone,
    a_change_set_beyond_one_statement_commits_whole,
    decisions_page_through_history,
    rule_sets_are_versioned,
    lists_match_values,
    config_version_moves_with_every_configuration_change,
);
