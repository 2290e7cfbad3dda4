//! The outbox worker: claims due deliveries, sends them concurrently, records each attempt.
//!
//! Request handlers wake it through [`Worker::notifier`] right after committing an event, so
//! webhooks leave within milliseconds; polling covers events committed on other nodes and
//! scheduled retries. Claims are leased in the store, so any number of nodes can run a worker.

use crate::attempt::{AttemptResult, send};
use crate::client::WebhookClients;
use crate::url_policy::UrlPolicy;
use reqwest::Client;
use sightline_core::webhook::{ATTEMPT_TIMEOUT, AttemptOutcome, DueDelivery};
use sightline_core::{Error, Id, Store, Timestamp};
use std::collections::HashMap;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// A store that keeps failing is retried at most this far apart, so an outage is logged a
/// few times a minute rather than twice a second.
const MAX_ERROR_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How often to look for due deliveries when nothing wakes the worker.
    pub poll_interval: Duration,
    /// Deliveries claimed at once; a full batch is followed immediately by the next claim.
    pub batch_size: u32,
    /// Attempts in flight at once.
    pub concurrency: usize,
    /// Test-mode tenants may receive on loopback over plain http (see [`UrlPolicy::for_mode`]).
    /// Turn off on shared deployments where a tenant must never reach the server's own host.
    pub allow_insecure_loopback_for_test_tenants: bool,
    /// On shutdown, how long in-flight attempts may still run. Unfinished ones are retried
    /// by any node once their claim lease expires.
    pub shutdown_grace: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll_interval: Duration::from_millis(500),
            batch_size: 32,
            concurrency: 8,
            allow_insecure_loopback_for_test_tenants: true,
            shutdown_grace: ATTEMPT_TIMEOUT + Duration::from_secs(5),
        }
    }
}

pub struct Worker {
    store: Arc<dyn Store>,
    clients: WebhookClients,
    config: WorkerConfig,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(store: Arc<dyn Store>, clients: WebhookClients, config: WorkerConfig) -> Worker {
        Worker { store, clients, config, wake: Arc::new(Notify::new()) }
    }

    /// Call `notify_one()` on this after committing an event. `notify_one` (unlike
    /// `notify_waiters`) is remembered while the worker is busy, so no wake-up is lost.
    pub fn notifier(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Claims and sends one batch, recording every attempt; returns how many were claimed.
    pub async fn run_once(&self) -> Result<usize, Error> {
        let due = self.claim().await?;
        let claimed = due.len();
        self.deliver(due, pin!(std::future::pending::<()>())).await;
        Ok(claimed)
    }

    /// Runs until `shutdown` completes. Store failures are logged and retried; nothing ends
    /// the loop but `shutdown`.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let mut shutdown = pin!(shutdown);
        let mut error_backoff = self.config.poll_interval;
        tracing::info!(backend = self.store.backend(), "webhook worker started");
        loop {
            let stopping = tokio::select! {
                biased;
                () = &mut shutdown => true,
                () = std::future::ready(()) => false,
            };
            if stopping {
                break;
            }
            let wait = match self.claim().await {
                Ok(due) => {
                    error_backoff = self.config.poll_interval;
                    let full = due.len() >= self.batch_size() as usize;
                    if self.deliver(due, shutdown.as_mut()).await == Delivered::Interrupted {
                        break;
                    }
                    if full {
                        continue;
                    }
                    self.config.poll_interval
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?error_backoff, "cannot claim webhook deliveries");
                    let wait = error_backoff;
                    error_backoff = (error_backoff * 2).min(MAX_ERROR_BACKOFF);
                    wait
                }
            };
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("webhook worker stopped");
    }

    fn batch_size(&self) -> u32 {
        self.config.batch_size.max(1)
    }

    async fn claim(&self) -> Result<Vec<DueDelivery>, Error> {
        self.store.claim_due_deliveries(Timestamp::now(), self.batch_size()).await
    }

    /// Sends a claimed batch with bounded concurrency. If `shutdown` completes meanwhile,
    /// nothing more is started and in-flight attempts get the grace period.
    async fn deliver<S: Future<Output = ()>>(&self, due: Vec<DueDelivery>, mut shutdown: Pin<&mut S>) -> Delivered {
        let policies = self.policies(&due).await;
        let mut queue = due.into_iter();
        let mut in_flight = JoinSet::new();
        loop {
            while in_flight.len() < self.config.concurrency.max(1) {
                let Some(due) = queue.next() else { break };
                let policy = policies.get(&due.tenant_id).copied().unwrap_or(UrlPolicy::STRICT);
                let client = self.clients.for_policy(&policy).clone();
                in_flight.spawn(attempt_and_record(self.store.clone(), client, policy, due));
            }
            tokio::select! {
                biased;
                () = &mut shutdown => {
                    self.drain(in_flight, queue.len()).await;
                    return Delivered::Interrupted;
                }
                joined = in_flight.join_next() => match joined {
                    None => return Delivered::All,
                    Some(Err(error)) => tracing::error!(%error, "webhook attempt task failed"),
                    Some(Ok(())) => {}
                },
            }
        }
    }

    async fn drain(&self, mut in_flight: JoinSet<()>, not_started: usize) {
        let grace = self.config.shutdown_grace;
        let _ = tokio::time::timeout(grace, async { while in_flight.join_next().await.is_some() {} }).await;
        let abandoned = in_flight.len();
        if abandoned + not_started > 0 {
            tracing::warn!(
                abandoned,
                not_started,
                "webhook worker stopping; these deliveries are retried when their lease expires"
            );
        }
    }

    /// Each tenant's policy, looked up once per batch. An unknown tenant or a failed lookup
    /// gets the strict policy: at worst a test tenant's loopback delivery is retried later.
    async fn policies(&self, batch: &[DueDelivery]) -> HashMap<Id, UrlPolicy> {
        let mut policies = HashMap::new();
        if !self.config.allow_insecure_loopback_for_test_tenants {
            return policies;
        }
        for due in batch {
            if policies.contains_key(&due.tenant_id) {
                continue;
            }
            let policy = match self.store.tenant(&due.tenant_id).await {
                Ok(Some(tenant)) => UrlPolicy::for_mode(tenant.mode),
                Ok(None) => UrlPolicy::STRICT,
                Err(error) => {
                    tracing::warn!(%error, tenant = %due.tenant_id, "cannot look up tenant mode; using the strict URL policy");
                    UrlPolicy::STRICT
                }
            };
            policies.insert(due.tenant_id.clone(), policy);
        }
        policies
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Delivered {
    All,
    Interrupted,
}

async fn attempt_and_record(store: Arc<dyn Store>, client: Client, policy: UrlPolicy, due: DueDelivery) {
    let result = send(&client, &due, &policy).await;
    observe(&due, &result);
    let AttemptResult { outcome, status_code, error, duration_ms } = result;
    if let Err(failure) = store.finish_attempt(&due, &outcome, status_code, error.as_deref(), duration_ms).await {
        // The claim lease expires and the attempt is made again; receivers de-duplicate on
        // Solaris-Webhook-Id.
        tracing::error!(error = %failure, delivery = %due.delivery_id, "cannot record webhook attempt");
    }
}

fn observe(due: &DueDelivery, result: &AttemptResult) {
    let outcome = match result.outcome {
        AttemptOutcome::Delivered => "delivered",
        AttemptOutcome::Retry { .. } => "retry",
        AttemptOutcome::Rejected => "rejected",
        AttemptOutcome::Gone => "gone",
        AttemptOutcome::GaveUp => "gave_up",
    };
    metrics::counter!("webhook_attempts_total", "outcome" => outcome).increment(1);
    metrics::histogram!("webhook_attempt_duration_seconds").record(result.duration_ms as f64 / 1000.0);
    if result.outcome != AttemptOutcome::Delivered {
        tracing::info!(
            delivery = %due.delivery_id,
            event = %due.event.id,
            attempt = due.attempt,
            outcome,
            status = result.status_code,
            error = result.error.as_deref(),
            duration_ms = result.duration_ms,
            "webhook attempt did not deliver"
        );
    } else {
        tracing::debug!(delivery = %due.delivery_id, attempt = due.attempt, duration_ms = result.duration_ms, "webhook delivered");
    }
}
