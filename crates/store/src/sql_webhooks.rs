//! Webhook subscriptions and the delivery outbox: the SQL shared by both backends. Only the
//! statement that claims due deliveries differs (`Self::CLAIM_DUE_SQL`), because PostgreSQL
//! needs `FOR UPDATE SKIP LOCKED` to let several nodes claim concurrently without waiting
//! on each other, while SQLite serialises writers anyway.

macro_rules! webhook_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) async fn insert_webhook_subscription(&self, s: &WebhookSubscription) -> Result<()> {
                sqlx::query(
                    "INSERT INTO webhook_subscriptions (id, tenant_id, event_type, url, secret, created_at, cancelled_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(s.id.as_str())
                .bind(s.tenant_id.as_str())
                .bind(s.event_type.as_str())
                .bind(&s.url)
                .bind(&s.secret)
                .bind(s.created_at.millis())
                .bind(s.cancelled_at.map(|t| t.millis()))
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn webhook_subscriptions(&self, tenant_id: &Id) -> Result<Vec<WebhookSubscription>> {
                let rows: Vec<$crate::rows::SubscriptionRow> = sqlx::query_as(
                    "SELECT id, tenant_id, event_type, url, secret, created_at, cancelled_at FROM webhook_subscriptions \
                     WHERE tenant_id = $1 AND cancelled_at IS NULL ORDER BY created_at, id",
                )
                .bind(tenant_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map($crate::rows::subscription).collect()
            }

            pub(crate) async fn webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<Option<WebhookSubscription>> {
                let row: Option<$crate::rows::SubscriptionRow> = sqlx::query_as(
                    "SELECT id, tenant_id, event_type, url, secret, created_at, cancelled_at FROM webhook_subscriptions \
                     WHERE tenant_id = $1 AND id = $2 AND cancelled_at IS NULL",
                )
                .bind(tenant_id.as_str())
                .bind(id.as_str())
                .fetch_optional(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                row.map($crate::rows::subscription).transpose()
            }

            pub(crate) async fn cancel_webhook_subscription(&self, tenant_id: &Id, id: &Id) -> Result<bool> {
                use $crate::error::db_err;
                let now = Timestamp::now().millis();
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE webhook_subscriptions SET cancelled_at = $1 WHERE tenant_id = $2 AND id = $3 AND cancelled_at IS NULL",
                )
                .bind(now)
                .bind(tenant_id.as_str())
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                Self::cancel_pending_deliveries(&mut tx, id, now).await?;
                tx.commit().await.map_err(db_err)?;
                Ok(done.rows_affected() == 1)
            }

            /// A cancelled subscription's queued deliveries are never sent.
            async fn cancel_pending_deliveries(tx: &mut sqlx::Transaction<'_, Db>, subscription_id: &Id, now: i64) -> Result<()> {
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'cancelled', updated_at = $1 \
                     WHERE subscription_id = $2 AND status = 'pending'",
                )
                .bind(now)
                .bind(subscription_id.as_str())
                .execute(&mut **tx)
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            /// Inside a caller's transaction: the event and one delivery per active subscriber.
            pub(crate) async fn enqueue_event_in(tx: &mut sqlx::Transaction<'_, Db>, event: &WebhookEvent) -> Result<()> {
                use $crate::error::db_err;
                sqlx::query(
                    "INSERT INTO webhook_events (id, tenant_id, event_type, entity_id, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.id.as_str())
                .bind(event.tenant_id.as_str())
                .bind(event.event_type.as_str())
                .bind(&event.entity_id)
                .bind(&event.body)
                .bind(event.created_at.millis())
                .execute(&mut **tx)
                .await
                .map_err(db_err)?;
                let subscribers: Vec<(String,)> = sqlx::query_as(
                    "SELECT id FROM webhook_subscriptions WHERE tenant_id = $1 AND event_type = $2 AND cancelled_at IS NULL",
                )
                .bind(event.tenant_id.as_str())
                .bind(event.event_type.as_str())
                .fetch_all(&mut **tx)
                .await
                .map_err(db_err)?;
                for (subscription_id,) in subscribers {
                    sqlx::query(
                        "INSERT INTO webhook_deliveries (id, tenant_id, event_id, subscription_id, status, attempts, \
                         next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
                    )
                    .bind(Id::new(ResourceKind::WebhookDelivery).as_str())
                    .bind(event.tenant_id.as_str())
                    .bind(event.id.as_str())
                    .bind(subscription_id)
                    .bind(event.created_at.millis())
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err)?;
                }
                Ok(())
            }

            pub(crate) async fn claim_due_deliveries(&self, now: Timestamp, limit: u32) -> Result<Vec<DueDelivery>> {
                use $crate::error::db_err;
                let lease_until = now.millis() + sightline_core::webhook::CLAIM_LEASE.as_millis() as i64;
                let claimed: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(Self::CLAIM_DUE_SQL)
                    .bind(lease_until)
                    .bind(now.millis())
                    .bind(i64::from(limit))
                    .fetch_all(self.writer())
                    .await
                    .map_err(db_err)?;
                let mut due = Vec::with_capacity(claimed.len());
                for (delivery_id, tenant_id, subscription_id, event_id, attempts, created_at) in claimed {
                    let details: Option<(String, String, String, String, String, i64)> = sqlx::query_as(
                        "SELECT s.url, s.secret, e.event_type, e.entity_id, e.body, e.created_at \
                         FROM webhook_subscriptions s, webhook_events e WHERE s.id = $1 AND e.id = $2",
                    )
                    .bind(&subscription_id)
                    .bind(&event_id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?;
                    let Some((url, secret, event_type, entity_id, body, event_created_at)) = details else { continue };
                    let event_type = WebhookEventType::parse(&event_type)
                        .ok_or_else(|| Error::internal(format!("unknown stored event type `{event_type}`")))?;
                    let tenant_id = Id::from_trusted(tenant_id);
                    due.push(DueDelivery {
                        delivery_id: Id::from_trusted(delivery_id),
                        subscription_id: Id::from_trusted(subscription_id),
                        url,
                        secret,
                        event: WebhookEvent {
                            id: Id::from_trusted(event_id),
                            tenant_id: tenant_id.clone(),
                            event_type,
                            entity_id,
                            body,
                            created_at: Timestamp::from_millis(event_created_at),
                        },
                        tenant_id,
                        attempt: u32::try_from(attempts).unwrap_or(u32::MAX),
                        created_at: Timestamp::from_millis(created_at),
                    });
                }
                Ok(due)
            }

            pub(crate) async fn finish_attempt(
                &self,
                due: &DueDelivery,
                outcome: &AttemptOutcome,
                status_code: Option<u16>,
                error: Option<&str>,
                duration_ms: u64,
            ) -> Result<()> {
                use $crate::error::db_err;
                let now = Timestamp::now().millis();
                let (status, next_attempt_at) = match outcome {
                    AttemptOutcome::Delivered => (DeliveryStatus::Delivered, None),
                    AttemptOutcome::Retry { at } => (DeliveryStatus::Pending, Some(at.millis())),
                    AttemptOutcome::Rejected | AttemptOutcome::GaveUp => (DeliveryStatus::Failed, None),
                    AttemptOutcome::Gone => (DeliveryStatus::Cancelled, None),
                };
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
                     claimed_until = NULL, last_status_code = $3, last_error = $4, updated_at = $5 WHERE id = $6",
                )
                .bind(status.as_str())
                .bind(next_attempt_at)
                .bind(status_code.map(i64::from))
                .bind(error)
                .bind(now)
                .bind(due.delivery_id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                if *outcome == AttemptOutcome::Gone {
                    sqlx::query("UPDATE webhook_subscriptions SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL")
                        .bind(now)
                        .bind(due.subscription_id.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    Self::cancel_pending_deliveries(&mut tx, &due.subscription_id, now).await?;
                }
                sqlx::query(
                    "INSERT INTO webhook_attempts (id, tenant_id, subscription_id, delivery_id, event_id, event_type, \
                     entity_id, attempt, status_code, error, duration_ms, outcome, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(Id::new(ResourceKind::WebhookAttempt).as_str())
                .bind(due.tenant_id.as_str())
                .bind(due.subscription_id.as_str())
                .bind(due.delivery_id.as_str())
                .bind(due.event.id.as_str())
                .bind(due.event.event_type.as_str())
                .bind(&due.event.entity_id)
                .bind(i64::from(due.attempt))
                .bind(status_code.map(i64::from))
                .bind(error)
                .bind(i64::try_from(duration_ms).unwrap_or(i64::MAX))
                .bind(status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                tx.commit().await.map_err(db_err)
            }

            pub(crate) async fn delivery_attempts(
                &self,
                tenant_id: &Id,
                subscription_id: &Id,
                limit: u32,
            ) -> Result<Vec<DeliveryAttempt>> {
                let rows: Vec<$crate::rows::AttemptRow> = sqlx::query_as(
                    "SELECT delivery_id, event_id, event_type, entity_id, attempt, status_code, error, duration_ms, \
                     outcome, at FROM webhook_attempts WHERE tenant_id = $1 AND subscription_id = $2 \
                     ORDER BY at DESC, attempt DESC, id DESC LIMIT $3",
                )
                .bind(tenant_id.as_str())
                .bind(subscription_id.as_str())
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map($crate::rows::attempt).collect()
            }
        }
    };
}

pub(crate) use webhook_queries;
