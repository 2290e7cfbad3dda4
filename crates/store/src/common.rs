//! The `Store` implementation both backends share. The SQL is written once, in the
//! `sql_*` modules, as macros that expand inherent methods for a concrete store type (sqlx
//! needs the concrete pool type at compile time); `impl_store!` then implements the trait
//! by delegation. Each backend supplies `reader()`, `writer()` and its row-claiming SQL.

macro_rules! impl_store {
    ($store:ty, $backend:literal) => {
        $crate::sql_foundation::foundation_queries!($store);
        $crate::sql_monitoring::monitoring_queries!($store);
        $crate::sql_webhooks::webhook_queries!($store);
        $crate::sql_devices::device_queries!($store);
        $crate::sql_velocity::velocity_queries!($store);
        $crate::sql_decisions::decision_queries!($store);

        #[async_trait::async_trait]
        impl sightline_core::Store for $store {
            async fn ping(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await.map_err($crate::error::db_err)?;
                Ok(())
            }
            fn backend(&self) -> &'static str {
                $backend
            }
            async fn close(&self) {
                self.close().await
            }
            async fn insert_tenant(&self, t: &Tenant) -> Result<()> {
                self.insert_tenant(t).await
            }
            async fn tenant(&self, id: &Id) -> Result<Option<Tenant>> {
                self.tenant(id).await
            }
            async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>> {
                self.tenant_by_name(name).await
            }
            async fn tenants(&self) -> Result<Vec<Tenant>> {
                self.tenants().await
            }
            async fn update_tenant_settings(&self, tenant_id: &Id, settings: &TenantSettings) -> Result<bool> {
                self.update_tenant_settings(tenant_id, settings).await
            }
            async fn insert_api_key(&self, k: &ApiKey, secret_hash: &str) -> Result<()> {
                self.insert_api_key(k, secret_hash).await
            }
            async fn api_keys(&self, tenant_id: &Id) -> Result<Vec<ApiKey>> {
                self.api_keys(tenant_id).await
            }
            async fn revoke_api_key(&self, tenant_id: &Id, key_id: &Id) -> Result<bool> {
                self.revoke_api_key(tenant_id, key_id).await
            }
            async fn authenticate(&self, secret_hash: &str) -> Result<Option<AuthContext>> {
                self.authenticate(secret_hash).await
            }
            async fn tenant_config_version(&self, tenant_id: &Id) -> Result<Option<i64>> {
                self.tenant_config_version(tenant_id).await
            }
            async fn insert_webhook_subscription(&self, s: &WebhookSubscription) -> Result<()> {
                self.insert_webhook_subscription(s).await
            }
            async fn webhook_subscriptions(&self, tenant_id: &Id) -> Result<Vec<WebhookSubscription>> {
                self.webhook_subscriptions(tenant_id).await
            }
            async fn webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<Option<WebhookSubscription>> {
                self.webhook_subscription(tenant_id, id).await
            }
            async fn cancel_webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<bool> {
                self.cancel_webhook_subscription(tenant_id, id).await
            }
            async fn enqueue_event(&self, event: &WebhookEvent) -> Result<()> {
                let mut tx = self.begin_write().await?;
                Self::enqueue_event_in(&mut tx, event).await?;
                tx.commit().await.map_err($crate::error::db_err)
            }
            async fn claim_due_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<DueDelivery>> {
                self.claim_due_deliveries(now, limit).await
            }
            async fn finish_attempt(
                &self,
                due: &DueDelivery,
                outcome: &AttemptOutcome,
                status_code: Option<u16>,
                error: Option<&str>,
                duration_ms: u64,
            ) -> Result<()> {
                self.finish_attempt(due, outcome, status_code, error, duration_ms).await
            }
            async fn delivery_attempts(
                &self,
                tenant_id: &Id,
                subscription_id: &Id,
                limit: u32,
            ) -> Result<Vec<DeliveryAttempt>> {
                self.delivery_attempts(tenant_id, subscription_id, limit).await
            }
            async fn commit(&self, changes: &ChangeSet) -> Result<()> {
                self.commit_changes(changes).await
            }
            async fn person(&self, tenant_id: &Id, id: &Id) -> Result<Option<Person>> {
                self.person(tenant_id, id).await
            }
            async fn consent(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceConsent>> {
                self.consent(tenant_id, id).await
            }
            async fn consents_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<DeviceConsent>> {
                self.consents_of_person(tenant_id, person_id).await
            }
            async fn consent_history(&self, tenant_id: &Id, consent_id: &Id) -> Result<Vec<ConsentEvent>> {
                self.consent_history(tenant_id, consent_id).await
            }
            async fn activity(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceActivity>> {
                self.activity(tenant_id, id).await
            }
            async fn activities_of_person(
                &self,
                tenant_id: &Id,
                person_id: &Id,
                limit: u32,
            ) -> Result<Vec<DeviceActivity>> {
                self.activities_of_person(tenant_id, person_id, limit).await
            }
            async fn question_set(&self, tenant_id: &Id, id: &Id) -> Result<Option<QuestionSet>> {
                self.question_set(tenant_id, id).await
            }
            async fn question_sets_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<QuestionSet>> {
                self.question_sets_of_person(tenant_id, person_id).await
            }
            async fn remember_payload(&self, tenant_id: &Id, payload_id: &str, seen_at: Timestamp) -> Result<bool> {
                self.remember_payload(tenant_id, payload_id, seen_at).await
            }
            async fn payload_seen(&self, tenant_id: &Id, payload_id: &str) -> Result<bool> {
                self.payload_seen(tenant_id, payload_id).await
            }
            async fn forget_payloads_before(&self, before: Timestamp) -> Result<u64> {
                self.forget_payloads_before(before).await
            }
            async fn insert_agent_key(&self, key: &AgentKeyRecord) -> Result<()> {
                self.insert_agent_key(key).await
            }
            async fn agent_keys(&self, tenant_id: &Id) -> Result<Vec<AgentKeyRecord>> {
                self.agent_keys(tenant_id).await
            }
            async fn device(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceRecord>> {
                self.device(tenant_id, id).await
            }
            async fn device_candidates(
                &self,
                tenant_id: &Id,
                cookie_hash: Option<&str>,
                blocking_keys: &[String],
                limit: u32,
            ) -> Result<Vec<DeviceRecord>> {
                self.device_candidates(tenant_id, cookie_hash, blocking_keys, limit).await
            }
            async fn devices_page(&self, tenant_id: &Id, after: Option<&Id>, limit: u32) -> Result<Vec<DeviceRecord>> {
                self.devices_page(tenant_id, after, limit).await
            }
            async fn device_links(&self, tenant_id: &Id, device_id: &Id) -> Result<Vec<DeviceLink>> {
                self.device_links(tenant_id, device_id).await
            }
            async fn graph_counts(
                &self,
                tenant_id: &Id,
                query: &sightline_core::device::GraphQuery<'_>,
            ) -> Result<sightline_core::device::GraphCounts> {
                self.graph_counts(tenant_id, query).await
            }
            async fn links_to(&self, tenant_id: &Id, kind: LinkKind, value: &str) -> Result<Vec<DeviceLink>> {
                self.links_to(tenant_id, kind, value).await
            }
            async fn velocity(
                &self,
                tenant_id: &Id,
                queries: &[sightline_core::velocity::VelocityQuery],
            ) -> Result<Vec<sightline_core::velocity::VelocityAnswer>> {
                self.velocity(tenant_id, queries).await
            }
            async fn decision(
                &self,
                tenant_id: &Id,
                id: &Id,
            ) -> Result<Option<sightline_core::decision::StoredDecision>> {
                self.decision(tenant_id, id).await
            }
            async fn decisions_between(
                &self,
                tenant_id: &Id,
                from: Timestamp,
                to: Timestamp,
                after: Option<(Timestamp, Id)>,
                limit: u32,
            ) -> Result<Vec<sightline_core::decision::StoredDecision>> {
                self.decisions_between(tenant_id, from, to, after, limit).await
            }
            async fn count_decisions_between(&self, tenant_id: &Id, from: Timestamp, to: Timestamp) -> Result<u64> {
                self.count_decisions_between(tenant_id, from, to).await
            }
            async fn insert_rule_set(&self, rule_set: &sightline_core::decision::StoredRuleSet) -> Result<()> {
                self.insert_rule_set(rule_set).await
            }
            async fn rule_set(
                &self,
                tenant_id: &Id,
                version: i64,
            ) -> Result<Option<sightline_core::decision::StoredRuleSet>> {
                self.rule_set(tenant_id, version).await
            }
            async fn latest_rule_set_version(&self, tenant_id: &Id) -> Result<Option<i64>> {
                self.latest_rule_set_version(tenant_id).await
            }
            async fn latest_rule_set(&self, tenant_id: &Id) -> Result<Option<sightline_core::decision::StoredRuleSet>> {
                self.latest_rule_set(tenant_id).await
            }
            async fn upsert_list_entry(
                &self,
                tenant_id: &Id,
                entry: &sightline_core::decision::ListEntry,
            ) -> Result<()> {
                self.upsert_list_entry(tenant_id, entry).await
            }
            async fn delete_list_entry(&self, tenant_id: &Id, list: &str, value: &str) -> Result<bool> {
                self.delete_list_entry(tenant_id, list, value).await
            }
            async fn list_entries(
                &self,
                tenant_id: &Id,
                list: &str,
            ) -> Result<Vec<sightline_core::decision::ListEntry>> {
                self.list_entries(tenant_id, list).await
            }
            async fn lists_containing(
                &self,
                tenant_id: &Id,
                lists: &[String],
                values: &[String],
                whole_lists: &[String],
                whole_limit: u32,
            ) -> Result<Vec<(String, String)>> {
                self.lists_containing(tenant_id, lists, values, whole_lists, whole_limit).await
            }
            async fn retire_agent_key(&self, tenant_id: &Id, key_id: u32, at: Timestamp) -> Result<bool> {
                self.retire_agent_key(tenant_id, key_id, at).await
            }
        }
    };
}

pub(crate) use impl_store;

/// Closes every connection of `pool`. sqlx's `close` waits for the connections in use, but
/// one handed back while it waits can land among the idle ones after its last look and stay
/// open (seen under load: the CLI exited with its write connection still open, so SQLite never
/// copied the WAL back); another pass closes it.
pub(crate) async fn close_pool<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) {
    const PASSES: usize = 10;
    for _ in 0..PASSES {
        pool.close().await;
        if pool.size() == 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    tracing::warn!(open = pool.size(), "some database connections did not close");
}
