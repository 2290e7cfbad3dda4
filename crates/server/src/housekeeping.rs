//! Periodic clean-up that keeps stores from growing without bound.

use sightline_core::monitoring::{PAYLOAD_MAX_AGE_MS, PAYLOAD_MAX_FUTURE_SKEW_MS};
use sightline_core::{Store, Timestamp};
use std::sync::Arc;
use std::time::Duration;

const INTERVAL: Duration = Duration::from_secs(600);

/// A payload id only needs remembering while its payload could still pass the time window;
/// older ids are forgotten (with an hour's margin for clock differences between nodes).
pub async fn run(store: Arc<dyn Store>, shutdown: impl Future<Output = ()>) {
    let keep_ms = i64::try_from(PAYLOAD_MAX_AGE_MS + PAYLOAD_MAX_FUTURE_SKEW_MS).unwrap_or(i64::MAX / 2) + 3_600_000;
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        match store.forget_payloads_before(Timestamp::now().plus_millis(-keep_ms)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(forgotten = n, "forgot old payload ids"),
            Err(e) => tracing::warn!(error = %e, "payload id clean-up failed; retrying later"),
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
