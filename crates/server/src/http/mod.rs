//! The HTTP service: routing, the middleware stack every request passes through, start-up
//! and graceful shutdown.

pub mod auth;
pub mod error;
pub mod json;
pub mod metrics;
pub mod openapi;

use crate::api;
use crate::config::Config;
use crate::state::{AppState, Inner};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use governor::{Quota, RateLimiter};
use sightline_core::{Result, Store, TenantMode};
use sightline_webhooks::{WebhookClients, Worker, WorkerConfig};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub async fn serve(config: Config) -> Result<()> {
    let store = sightline_store::open(&config.database_url).await?;
    ensure_default_tenant(store.as_ref()).await?;
    println!("sightline {} configuration: {}", env!("CARGO_PKG_VERSION"), config.redacted());
    tracing::info!(config = %config.redacted(), backend = store.backend(), "starting");

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| sightline_core::Error::internal(format!("cannot listen on {}: {e}", config.listen)))?;
    let address = listener.local_addr().map_err(sightline_core::Error::internal)?;
    let clients = WebhookClients::new()?;
    let worker = Worker::new(store.clone(), clients.clone(), WorkerConfig::default());
    let enricher = load_enrichment(&config).await?;
    let state = build_state(store.clone(), config, clients, worker.notifier(), enricher);
    let app = router(state.clone());

    // One signal stops both the HTTP server (after in-flight requests) and the worker
    // (after in-flight deliveries, bounded by its grace period).
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker_task = tokio::spawn(worker.run(wait_for(stop_rx.clone())));
    tokio::spawn(crate::housekeeping::run(state.store.clone(), wait_for(stop_rx.clone())));
    println!("listening on http://{address}");
    tracing::info!(%address, "listening");
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        })
        .await;
    let _ = worker_task.await;
    // The housekeeping task may still hold the store for a moment; closing does not wait for
    // it, and its next query fails harmlessly.
    store.close().await;
    served.map_err(|e| sightline_core::Error::internal(format!("server error: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}

/// Loads the offline datasets once (a second or so), reporting every module that runs
/// without some of its data, so an operator sees at start what `data-fetch` would add.
async fn load_enrichment(config: &Config) -> Result<Arc<crate::enrichment::OfflineEnricher>> {
    let settings = config.enrichment.clone();
    let (data, sanctions) = tokio::task::spawn_blocking(move || {
        let data = sightline_enrich::Enrichment::load(&settings);
        // The phone library builds its metadata on first use (~70 ms): pay it at start.
        data.phone("+4915112345678", &sightline_enrich::CountryContext::default());
        let sanctions = crate::enrichment::load_index(&settings.data_dir);
        (data, sanctions)
    })
    .await
    .map_err(sightline_core::Error::internal)?;
    for status in data.statuses() {
        match &status.state {
            sightline_enrich::ModuleState::Ready => tracing::info!(module = %status.name, "enrichment module ready"),
            sightline_enrich::ModuleState::Degraded(reason) => {
                println!("module {} degraded: {reason}", status.name);
                tracing::warn!(module = %status.name, %reason, "enrichment module degraded");
            }
            sightline_enrich::ModuleState::Off => tracing::info!(module = %status.name, "enrichment module off"),
        }
    }
    if sanctions.is_none() {
        println!("module aml degraded: no sanctions list imported (sightline sanctions import)");
    }
    Ok(Arc::new(crate::enrichment::OfflineEnricher::new(data, sanctions)))
}

async fn wait_for(mut stop: tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

pub fn build_state(
    store: Arc<dyn Store>,
    config: Config,
    webhook_clients: WebhookClients,
    webhook_wake: Arc<Notify>,
    enricher: Arc<crate::enrichment::OfflineEnricher>,
) -> AppState {
    let per_second = NonZeroU32::new(config.rate_limit_per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(config.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
    AppState::new(Inner {
        store,
        limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        callers: sightline_core::caller_cache::CallerCache::new(),
        prometheus: metrics::install(),
        webhook_clients,
        webhook_wake,
        link_stats: sightline_core::link_stats::LinkStatsCache::new(),
        rules: sightline_core::fraud::RuleCache::new(),
        enricher,
        config,
    })
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let routes = api::routes(state.clone());
    let routes = if config.demo { routes.merge(crate::demo::routes()) } else { routes };
    let (routes, openapi) = routes.split_for_parts();
    let docs = utoipa_swagger_ui::SwaggerUi::new("/docs").url("/openapi.json", openapi);
    // Router::layer wraps everything added before it, so the list reads from the innermost
    // layer (closest to the handlers) to the outermost. Errors produced by the timeout and
    // panic layers are still rendered in the dialect's format because they sit inside
    // `render_errors`.
    routes
        .merge(docs)
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let request_id =
                        request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// On the very first start there is no tenant, so nobody could call the API: create one in
/// test mode and show its key once. `sightline keys create --tenant default` makes another.
async fn ensure_default_tenant(store: &dyn Store) -> Result<()> {
    if !store.tenants().await?.is_empty() {
        return Ok(());
    }
    let (tenant, key) = crate::commands::create_tenant(store, "default", TenantMode::Test).await?;
    println!(
        "First start: created tenant `{}` ({}) in test mode.\nAPI key (shown once; create more with `sightline keys create --tenant default`): {}",
        tenant.name, tenant.id, key.secret
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
