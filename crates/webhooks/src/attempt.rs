//! One delivery attempt: send the event to the subscriber and decide, from the answer, what
//! becomes of the delivery (the Solaris rules: 2xx delivered, 410 cancels the subscription,
//! 422 rejects this delivery, anything else is retried with backoff for up to five days).

use crate::describe;
use crate::signature::sign;
use crate::url_policy::{UrlPolicy, check_url};
use reqwest::Client;
use reqwest::header::CONTENT_TYPE;
use sightline_core::Timestamp;
use sightline_core::webhook::{AttemptOutcome, DueDelivery, MAX_RETRY_WINDOW, retry_delay};
use std::time::Instant;

/// Everything `Store::finish_attempt` needs besides the delivery itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResult {
    pub outcome: AttemptOutcome,
    /// The receiver's status; `None` when no answer came.
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// Sends `due` once. Never fails: every problem, including a URL that no longer passes the
/// policy, is an attempt that did not succeed.
pub async fn send(client: &Client, due: &DueDelivery, policy: &UrlPolicy) -> AttemptResult {
    let started = Instant::now();
    let (status_code, error) = exchange(client, due, policy).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let outcome = classify(status_code, due.attempt, due.created_at, Timestamp::now(), rand::random::<f64>());
    AttemptResult { outcome, status_code, error, duration_ms }
}

async fn exchange(client: &Client, due: &DueDelivery, policy: &UrlPolicy) -> (Option<u16>, Option<String>) {
    let url = match check_url(&due.url, policy).await {
        Ok(url) => url,
        Err(refused) => return (None, Some(refused.detail)),
    };
    let event = &due.event;
    let request = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header("Solaris-Webhook-Id", event.id.as_str())
        .header("Solaris-Webhook-Subscription-Id", due.subscription_id.as_str())
        .header("Solaris-Webhook-Event-Type", event.event_type.as_str())
        .header("Solaris-Entity-Id", event.entity_id.as_str())
        .header("Solaris-Webhook-Attempt", due.attempt.to_string())
        .header("Solaris-Webhook-Signature", sign(&due.secret, event.body.as_bytes()))
        .body(event.body.clone());
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            if status.is_success() {
                (Some(status.as_u16()), None)
            } else {
                (Some(status.as_u16()), Some(describe::unsuccessful_response(response).await))
            }
        }
        Err(error) => (None, Some(describe::transport_error(&error))),
    }
}

/// What the answer means for the delivery. `status` is `None` when no answer came;
/// `created_at` is when the delivery was enqueued; `jitter` is uniform in [0, 1).
pub fn classify(
    status: Option<u16>,
    attempt: u32,
    created_at: Timestamp,
    now: Timestamp,
    jitter: f64,
) -> AttemptOutcome {
    match status {
        Some(200..=299) => AttemptOutcome::Delivered,
        Some(410) => AttemptOutcome::Gone,
        Some(422) => AttemptOutcome::Rejected,
        _ => {
            let delay = i64::try_from(retry_delay(attempt, jitter).as_millis()).unwrap_or(i64::MAX);
            let at = now.plus_millis(delay);
            let window = i64::try_from(MAX_RETRY_WINDOW.as_millis()).unwrap_or(i64::MAX);
            if at.millis().saturating_sub(created_at.millis()) > window {
                AttemptOutcome::GaveUp
            } else {
                AttemptOutcome::Retry { at }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);
    const SECOND: i64 = 1000;

    fn outcome(status: Option<u16>) -> AttemptOutcome {
        classify(status, 1, NOW, NOW, 0.5)
    }

    #[test]
    fn answers_map_to_solaris_outcomes() {
        for ok in [200, 201, 202, 204, 299] {
            assert_eq!(outcome(Some(ok)), AttemptOutcome::Delivered, "{ok}");
        }
        assert_eq!(outcome(Some(410)), AttemptOutcome::Gone);
        assert_eq!(outcome(Some(422)), AttemptOutcome::Rejected);
        let retry = AttemptOutcome::Retry { at: NOW.plus_millis(10 * SECOND) };
        for other in [100, 301, 302, 400, 401, 404, 408, 429, 500, 502, 503] {
            assert_eq!(outcome(Some(other)), retry, "{other}");
        }
        // No answer at all: timeout, refused connection, URL refused by the policy.
        assert_eq!(outcome(None), retry);
    }

    #[test]
    fn retries_back_off_from_now() {
        let created = NOW.plus_millis(-3600 * SECOND);
        let at = |attempt| match classify(Some(500), attempt, created, NOW, 0.5) {
            AttemptOutcome::Retry { at } => at.millis() - NOW.millis(),
            other => panic!("expected a retry, got {other:?}"),
        };
        assert_eq!(at(1), 10 * SECOND);
        assert_eq!(at(2), 20 * SECOND);
        assert_eq!(at(3), 40 * SECOND);
        assert_eq!(at(40), 3600 * SECOND);
        // Jitter spreads retries by ±20 %.
        let low = classify(None, 1, created, NOW, 0.0);
        assert_eq!(low, AttemptOutcome::Retry { at: NOW.plus_millis(8 * SECOND) });
    }

    #[test]
    fn gives_up_when_the_next_try_would_leave_the_window() {
        let window = MAX_RETRY_WINDOW.as_millis() as i64;
        // The next try (10 s away) lands exactly at the end of the window: still allowed.
        let created = NOW.plus_millis(10 * SECOND - window);
        assert_eq!(
            classify(Some(503), 1, created, NOW, 0.5),
            AttemptOutcome::Retry { at: NOW.plus_millis(10 * SECOND) }
        );
        // One millisecond later it would not be.
        let created = created.plus_millis(-1);
        assert_eq!(classify(Some(503), 1, created, NOW, 0.5), AttemptOutcome::GaveUp);
        assert_eq!(classify(None, 1, created, NOW, 0.5), AttemptOutcome::GaveUp);
        // Final answers are final however old the delivery is.
        assert_eq!(classify(Some(200), 1, created, NOW, 0.5), AttemptOutcome::Delivered);
        assert_eq!(classify(Some(410), 1, created, NOW, 0.5), AttemptOutcome::Gone);
        assert_eq!(classify(Some(422), 1, created, NOW, 0.5), AttemptOutcome::Rejected);
    }
}
