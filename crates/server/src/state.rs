//! What every request handler shares.

use crate::config::Config;
use crate::enrichment::OfflineEnricher;
use governor::DefaultKeyedRateLimiter;
use metrics_exporter_prometheus::PrometheusHandle;
use sightline_core::Store;
use sightline_core::caller_cache::CallerCache;
use sightline_core::fraud::{Decider, RuleCache};
use sightline_core::link_stats::LinkStatsCache;
use sightline_webhooks::WebhookClients;
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub config: Config,
    pub limiter: DefaultKeyedRateLimiter<String>,
    /// API keys this node has resolved, checked against the tenant's configuration version on
    /// every request.
    pub callers: CallerCache,
    pub prometheus: PrometheusHandle,
    pub webhook_clients: WebhookClients,
    /// Wakes this node's webhook worker right after a commit that emitted events.
    pub webhook_wake: Arc<Notify>,
    /// Device-attribute frequencies per tenant, for linking.
    pub link_stats: LinkStatsCache,
    /// Compiled rule sets per tenant, checked against the stored version on every decision.
    pub rules: RuleCache,
    /// The enrichment modules (IP, email, phone, BIN, sanctions) over the loaded data.
    pub enricher: Arc<OfflineEnricher>,
}

impl AppState {
    pub fn new(inner: Inner) -> AppState {
        AppState(Arc::new(inner))
    }
}

impl Inner {
    pub fn decider(&self) -> Decider<'_> {
        Decider {
            store: self.store.as_ref(),
            link_stats: &self.link_stats,
            rules: &self.rules,
            enricher: self.enricher.as_ref(),
        }
    }

    pub fn webhooks_wake(&self) {
        self.webhook_wake.notify_one();
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
