//! The persistence port. The core asks for what it needs in domain terms; the storage crate
//! answers for SQLite and PostgreSQL alike, and one conformance suite holds both to the same
//! behaviour. Every method that reads tenant data takes the tenant id, so no query can cross
//! tenants by accident.

use crate::activity::DeviceActivity;
use crate::agent_key::AgentKeyRecord;
use crate::consent::{ConsentEvent, DeviceConsent};
use crate::decision::{ListEntry, StoredDecision, StoredRuleSet};
use crate::device::{DeviceLink, DeviceRecord, GraphCounts, GraphQuery, LinkKind};
use crate::person::Person;
use crate::question::QuestionSet;
use crate::velocity::{VelocityAnswer, VelocityEvent, VelocityQuery};
use crate::webhook::{AttemptOutcome, DeliveryAttempt, DueDelivery, WebhookEvent, WebhookSubscription};
use crate::{ApiKey, AuthContext, Id, Result, Tenant, TenantSettings, Timestamp};

/// Writes that belong together, committed in one transaction: e.g. an activity, the person
/// status it changed, the question set it opened and the webhook events it causes.
///
/// Persons are written with optimistic concurrency: a person with `version == 1` is inserted;
/// otherwise the stored row must still have `version - 1`, or the whole change set fails with
/// a 409 `concurrent_modification` and nothing is written.
#[derive(Debug, Default, Clone)]
pub struct ChangeSet {
    pub persons: Vec<Person>,
    /// Inserted or replaced.
    pub consents: Vec<DeviceConsent>,
    pub consent_events: Vec<ConsentEvent>,
    pub activities: Vec<DeviceActivity>,
    /// Inserted or replaced.
    pub question_sets: Vec<QuestionSet>,
    /// Inserted or replaced, with their blocking keys.
    pub devices: Vec<DeviceRecord>,
    /// Inserted, or on a repeat sighting: `last_seen` moves and `count` grows.
    pub device_links: Vec<DeviceLink>,
    /// Rows for velocity counting (one per event, all its keys).
    pub velocity_events: Vec<VelocityEvent>,
    pub decisions: Vec<StoredDecision>,
    pub events: Vec<WebhookEvent>,
    /// Payload ids to remember for replay detection: `(tenant, payload id, seen at)`; one
    /// already remembered is left as it is.
    pub seen_payloads: Vec<(Id, String, Timestamp)>,
}
use async_trait::async_trait;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Cheap round trip used by `/readyz`.
    async fn ping(&self) -> Result<()>;

    /// Which backend this is (`sqlite` or `postgres`), for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    /// Closes the store's connections once the process is done with it; any use after this
    /// fails. A process that exits without it leaves nothing corrupt, but an SQLite store may
    /// leave recent commits in its `-wal` file, where a copy of the database file alone (a
    /// backup taken after the CLI exits) would miss them. Dropping the last handle then ends
    /// the store's own threads (see the backend).
    async fn close(&self);

    async fn insert_tenant(&self, tenant: &Tenant) -> Result<()>;
    async fn tenant(&self, id: &Id) -> Result<Option<Tenant>>;
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>>;
    async fn tenants(&self) -> Result<Vec<Tenant>>;
    /// Replaces a tenant's settings; `false` when there is no such tenant.
    async fn update_tenant_settings(&self, tenant_id: &Id, settings: &TenantSettings) -> Result<bool>;

    /// Stores the key with the hash of its secret; the secret itself never reaches the store.
    async fn insert_api_key(&self, key: &ApiKey, secret_hash: &str) -> Result<()>;
    async fn api_keys(&self, tenant_id: &Id) -> Result<Vec<ApiKey>>;
    /// Returns `false` when the key does not exist for this tenant (or is already revoked).
    async fn revoke_api_key(&self, tenant_id: &Id, key_id: &Id) -> Result<bool>;
    /// Resolves a presented secret's hash to its tenant; revoked keys resolve to nothing.
    async fn authenticate(&self, secret_hash: &str) -> Result<Option<AuthContext>>;
    /// A number that changes, in the same transaction, with every change to the tenant's
    /// settings, API keys, agent keys, rule sets or list entries, made by any process; `None`
    /// when there is no such tenant. What a node checks per request before using what it keeps
    /// in memory of those.
    async fn tenant_config_version(&self, tenant_id: &Id) -> Result<Option<i64>>;

    async fn insert_webhook_subscription(&self, subscription: &WebhookSubscription) -> Result<()>;
    /// Active (not cancelled) subscriptions of a tenant, oldest first.
    async fn webhook_subscriptions(&self, tenant_id: &Id) -> Result<Vec<WebhookSubscription>>;
    async fn webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<Option<WebhookSubscription>>;
    /// Cancels an active subscription and its pending deliveries; `false` if there was none.
    async fn cancel_webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<bool>;
    /// Records an event with one pending delivery per active subscription of its type, in
    /// one transaction. Domain writes that cause events do the same inside their own
    /// transaction.
    async fn enqueue_event(&self, event: &WebhookEvent) -> Result<()>;
    /// Reserves up to `limit` deliveries that are due at `now` for [`crate::webhook::CLAIM_LEASE`].
    /// Concurrent callers, on any node, never receive the same delivery while its lease runs.
    async fn claim_due_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<DueDelivery>>;
    /// Records one attempt and applies its outcome (done, retry later, give up, or cancel
    /// the subscription on 410).
    async fn finish_attempt(
        &self,
        due: &DueDelivery,
        outcome: &AttemptOutcome,
        status_code: Option<u16>,
        error: Option<&str>,
        duration_ms: u64,
    ) -> Result<()>;
    /// The newest attempts of one subscription's deliveries.
    async fn delivery_attempts(&self, tenant_id: &Id, subscription_id: &Id, limit: u32)
    -> Result<Vec<DeliveryAttempt>>;

    /// Applies a [`ChangeSet`] atomically.
    async fn commit(&self, changes: &ChangeSet) -> Result<()>;

    async fn person(&self, tenant_id: &Id, id: &Id) -> Result<Option<Person>>;
    async fn consent(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceConsent>>;
    /// A person's consents, most recently changed first.
    async fn consents_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<DeviceConsent>>;
    /// A consent's history, oldest first.
    async fn consent_history(&self, tenant_id: &Id, consent_id: &Id) -> Result<Vec<ConsentEvent>>;
    async fn activity(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceActivity>>;
    /// A person's activities and checks, newest first.
    async fn activities_of_person(&self, tenant_id: &Id, person_id: &Id, limit: u32) -> Result<Vec<DeviceActivity>>;
    async fn question_set(&self, tenant_id: &Id, id: &Id) -> Result<Option<QuestionSet>>;
    async fn question_sets_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<QuestionSet>>;

    /// Remembers a payload id; `false` when it was already seen (a replay).
    async fn remember_payload(&self, tenant_id: &Id, payload_id: &str, seen_at: Timestamp) -> Result<bool>;
    /// Forgets payload ids seen before `before`; payloads that old fail the time window anyway.
    /// Whether a payload id was remembered, without remembering it (see `ChangeSet::seen_payloads`).
    async fn payload_seen(&self, tenant_id: &Id, payload_id: &str) -> Result<bool>;
    async fn forget_payloads_before(&self, before: Timestamp) -> Result<u64>;

    async fn insert_agent_key(&self, key: &AgentKeyRecord) -> Result<()>;
    /// All of a tenant's agent keys, retired ones included, oldest first.
    async fn agent_keys(&self, tenant_id: &Id) -> Result<Vec<AgentKeyRecord>>;
    async fn retire_agent_key(&self, tenant_id: &Id, key_id: u32, at: Timestamp) -> Result<bool>;

    async fn device(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceRecord>>;
    /// Linking candidates: devices with this first-party id hash or sharing a blocking key,
    /// most recently seen first.
    async fn device_candidates(
        &self,
        tenant_id: &Id,
        cookie_hash: Option<&str>,
        blocking_keys: &[String],
        limit: u32,
    ) -> Result<Vec<DeviceRecord>>;
    /// Every link of a device, most recently seen first.
    async fn device_links(&self, tenant_id: &Id, device_id: &Id) -> Result<Vec<DeviceLink>>;
    /// What a decision counts in the identity graph around a device (see [`GraphQuery`]), in
    /// one read.
    async fn graph_counts(&self, tenant_id: &Id, query: &GraphQuery<'_>) -> Result<GraphCounts>;
    /// The devices linked to a value (e.g. the devices of a person), most recently seen first.
    async fn links_to(&self, tenant_id: &Id, kind: LinkKind, value: &str) -> Result<Vec<DeviceLink>>;

    /// Answers each velocity query (in order). Each reads one key's rows inside its window,
    /// newest first, at most its `scan_limit` of them.
    async fn velocity(&self, tenant_id: &Id, queries: &[VelocityQuery]) -> Result<Vec<VelocityAnswer>>;

    async fn decision(&self, tenant_id: &Id, id: &Id) -> Result<Option<StoredDecision>>;
    /// Decisions made in `[from, to)`, oldest first, after the `after` cursor (`(created_at, id)`
    /// of the last one read), for backtests over history.
    async fn decisions_between(
        &self,
        tenant_id: &Id,
        from: Timestamp,
        to: Timestamp,
        after: Option<(Timestamp, Id)>,
        limit: u32,
    ) -> Result<Vec<StoredDecision>>;

    /// How many decisions were made in `[from, to)`, for a backtest's progress.
    async fn count_decisions_between(&self, tenant_id: &Id, from: Timestamp, to: Timestamp) -> Result<u64>;

    /// Adds the next version; fails with 409 if `version` already exists (a concurrent change).
    async fn insert_rule_set(&self, rule_set: &StoredRuleSet) -> Result<()>;
    async fn rule_set(&self, tenant_id: &Id, version: i64) -> Result<Option<StoredRuleSet>>;
    async fn latest_rule_set(&self, tenant_id: &Id) -> Result<Option<StoredRuleSet>>;
    /// The newest version number alone: what a node checks per decision to know whether its
    /// compiled copy is still current.
    async fn latest_rule_set_version(&self, tenant_id: &Id) -> Result<Option<i64>>;

    /// Adds or replaces an entry.
    async fn upsert_list_entry(&self, tenant_id: &Id, entry: &ListEntry) -> Result<()>;
    async fn delete_list_entry(&self, tenant_id: &Id, list: &str, value: &str) -> Result<bool>;
    async fn list_entries(&self, tenant_id: &Id, list: &str) -> Result<Vec<ListEntry>>;
    /// The entries (list, value) of `lists` whose value is one of `values`, and the entries of
    /// `whole_lists` (short CIDR lists are cheapest read whole), at most `whole_limit` of those:
    /// one query per decision.
    async fn lists_containing(
        &self,
        tenant_id: &Id,
        lists: &[String],
        values: &[String],
        whole_lists: &[String],
        whole_limit: u32,
    ) -> Result<Vec<(String, String)>>;

    /// A tenant's devices in id order after `after`, for rebuilding in-memory statistics.
    async fn devices_page(&self, tenant_id: &Id, after: Option<&Id>, limit: u32) -> Result<Vec<DeviceRecord>>;
}
