//! Webhooks: subscriptions, the events the core emits, and the durable outbox of deliveries.
//!
//! An event is written in the same transaction as the change that causes it, together with
//! one delivery row per active subscription, so a change is never committed without its
//! notification or notified without being committed. A worker later claims due deliveries,
//! sends them, and records each attempt.

use crate::{Error, Id, ResourceKind, Result, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Retries stop when a delivery is older than this (Solaris retries for up to five days).
pub const MAX_RETRY_WINDOW: Duration = Duration::from_secs(5 * 24 * 3600);
/// The receiver's time to answer one attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a claimed delivery stays reserved for the node that claimed it; longer than the
/// attempt timeout so a slow receiver cannot cause a second node to send the same attempt.
pub const CLAIM_LEASE: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebhookEventType {
    /// A person's data or `customer_vetting_status` changed; body `{}`, person in `Solaris-Entity-Id`.
    PersonChanged,
    /// A question set awaits the customer's answers; question set in `Solaris-Entity-Id`.
    QuestionsRequireResponse,
}

impl WebhookEventType {
    pub const ALL: [WebhookEventType; 2] =
        [WebhookEventType::PersonChanged, WebhookEventType::QuestionsRequireResponse];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEventType::PersonChanged => "PERSON_CHANGED",
            WebhookEventType::QuestionsRequireResponse => "QUESTIONS_REQUIRE_RESPONSE",
        }
    }

    pub fn parse(text: &str) -> Option<WebhookEventType> {
        WebhookEventType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WebhookSubscription {
    #[schema(value_type = String)]
    pub id: Id,
    #[serde(skip)]
    pub tenant_id: Id,
    pub event_type: WebhookEventType,
    pub url: String,
    /// The HMAC key for `Solaris-Webhook-Signature`; shown only in the creation response.
    #[serde(skip)]
    pub secret: String,
    pub created_at: Timestamp,
    /// Set when the receiver answered 410 Gone or the subscription was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_at: Option<Timestamp>,
}

impl WebhookSubscription {
    pub fn new(tenant_id: &Id, event_type: WebhookEventType, url: &str, secret: String) -> WebhookSubscription {
        WebhookSubscription {
            id: Id::new(ResourceKind::WebhookSubscription),
            tenant_id: tenant_id.clone(),
            event_type,
            url: url.to_owned(),
            secret,
            created_at: Timestamp::now(),
            cancelled_at: None,
        }
    }
}

/// Something that happened, to be told to every subscriber of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    pub id: Id,
    pub tenant_id: Id,
    pub event_type: WebhookEventType,
    /// The resource the event is about, sent as `Solaris-Entity-Id`.
    pub entity_id: String,
    /// The exact bytes that are sent and signed.
    pub body: String,
    pub created_at: Timestamp,
}

impl WebhookEvent {
    pub fn new(tenant_id: &Id, event_type: WebhookEventType, entity_id: &str, body: serde_json::Value) -> WebhookEvent {
        WebhookEvent {
            id: Id::new(ResourceKind::WebhookEvent),
            tenant_id: tenant_id.clone(),
            event_type,
            entity_id: entity_id.to_owned(),
            body: body.to_string(),
            created_at: Timestamp::now(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    /// Given up: 422 from the receiver, or retries exhausted after [`MAX_RETRY_WINDOW`].
    Failed,
    /// The subscription was cancelled (410 Gone or deleted) before delivery.
    Cancelled,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Result<DeliveryStatus> {
        match text {
            "pending" => Ok(DeliveryStatus::Pending),
            "delivered" => Ok(DeliveryStatus::Delivered),
            "failed" => Ok(DeliveryStatus::Failed),
            "cancelled" => Ok(DeliveryStatus::Cancelled),
            other => Err(Error::internal(format!("unknown delivery status `{other}`"))),
        }
    }
}

/// One claimed delivery with everything needed to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub delivery_id: Id,
    pub tenant_id: Id,
    pub subscription_id: Id,
    pub url: String,
    pub secret: String,
    pub event: WebhookEvent,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub created_at: Timestamp,
}

/// What became of one attempt, decided by the worker from the receiver's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// 2xx.
    Delivered,
    /// Anything else while within the retry window: try again at the given time.
    Retry { at: Timestamp },
    /// 422: the receiver refuses this delivery; do not retry it.
    Rejected,
    /// 410: the receiver wants no more deliveries; cancel the subscription.
    Gone,
    /// Retry window exhausted.
    GaveUp,
}

/// The log entry of one attempt, listed per subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeliveryAttempt {
    #[schema(value_type = String)]
    pub delivery_id: Id,
    #[schema(value_type = String)]
    pub event_id: Id,
    pub event_type: WebhookEventType,
    pub entity_id: String,
    pub attempt: u32,
    /// The receiver's HTTP status; absent when no answer came (timeout, refused connection).
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
    pub outcome: DeliveryStatus,
    pub at: Timestamp,
}

/// The delay before retry number `attempt` (1-based count of attempts made so far):
/// exponential from 10 s, capped at 1 h, with ±20 % jitter so that a receiver coming back
/// from an outage is not hit by every queued delivery in the same second. `jitter` is a
/// uniform sample in [0, 1), passed in to keep this function pure.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let base = 10f64 * 2f64.powi(attempt.saturating_sub(1).min(20) as i32);
    let capped = base.min(3600.0);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::from_millis((capped * factor * 1000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_grow_and_cap() {
        assert_eq!(retry_delay(1, 0.5), Duration::from_secs(10));
        assert_eq!(retry_delay(2, 0.5), Duration::from_secs(20));
        assert_eq!(retry_delay(30, 0.5), Duration::from_secs(3600));
        assert!(retry_delay(3, 0.0) < retry_delay(3, 0.99));
        // Five days hold well over a hundred attempts at the cap.
        let total: Duration = (1..=130).map(|a| retry_delay(a, 0.5)).sum();
        assert!(total > MAX_RETRY_WINDOW);
    }

    #[test]
    fn event_types_round_trip() {
        for t in WebhookEventType::ALL {
            assert_eq!(WebhookEventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(WebhookEventType::parse("PERSON_DELETED"), None);
    }
}
