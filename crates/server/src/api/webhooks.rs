//! Webhook subscriptions, Solaris-style: the endpoint is verified before the subscription is
//! created, the secret is shown once, subscriptions can be listed, read and deleted but not
//! updated, and each one's delivery log can be read.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sightline_core::webhook::{DeliveryAttempt, WebhookEventType, WebhookSubscription};
use sightline_core::{Error, Id, ResourceKind};
use sightline_webhooks::{UrlPolicy, check_url, generate_secret, verify_subscription_endpoint};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event_type": "PERSON_CHANGED", "url": "https://partner.example.com/webhooks/solaris"}))]
pub struct CreateSubscription {
    event_type: WebhookEventType,
    /// https in live mode; never a private, loopback or link-local address (test-mode tenants
    /// may use loopback so that local receivers work).
    url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedSubscription {
    #[serde(flatten)]
    subscription: WebhookSubscription,
    /// The HMAC-SHA256 key of `Solaris-Webhook-Signature`; shown only in this response.
    secret: String,
}

/// Subscribe to an event type. Sightline first POSTs an empty body with
/// `SOLARIS-WEBHOOK-EVENT-TYPE: WEBHOOK-SUBSCRIPTION` to the URL, which must answer 2xx.
#[utoipa::path(operation_id = "create_webhook", post, path = "/v1/webhooks", tag = "webhooks", request_body = CreateSubscription,
    responses((status = 201, body = CreatedSubscription), (status = 400, description = "URL refused or verification failed")))]
pub async fn create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<CreateSubscription>,
) -> Result<(StatusCode, Json<CreatedSubscription>), ApiError> {
    let policy = UrlPolicy::for_mode(caller.tenant.mode);
    let url = check_url(&body.url, &policy).await?;
    verify_subscription_endpoint(state.webhook_clients.for_policy(&policy), &url).await?;
    let secret = generate_secret();
    let subscription = WebhookSubscription::new(&caller.tenant.id, body.event_type, url.as_str(), secret.clone());
    state.store.insert_webhook_subscription(&subscription).await?;
    Ok((StatusCode::CREATED, Json(CreatedSubscription { subscription, secret })))
}

/// The tenant's active subscriptions.
#[utoipa::path(operation_id = "list_webhooks", get, path = "/v1/webhooks", tag = "webhooks", responses((status = 200, body = Vec<WebhookSubscription>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<WebhookSubscription>>, ApiError> {
    Ok(Json(state.store.webhook_subscriptions(&caller.tenant.id).await?))
}

async fn find(state: &AppState, tenant_id: &Id, id: &str) -> Result<WebhookSubscription, Error> {
    let id =
        Id::parse(ResourceKind::WebhookSubscription, id).ok_or_else(|| Error::not_found("webhook subscription"))?;
    state.store.webhook_subscription(tenant_id, &id).await?.ok_or_else(|| Error::not_found("webhook subscription"))
}

/// One subscription (without its secret).
#[utoipa::path(operation_id = "get_webhook", get, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 200, body = WebhookSubscription), (status = 404, description = "No such subscription")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<WebhookSubscription>, ApiError> {
    Ok(Json(find(&state, &caller.tenant.id, &id).await?))
}

/// Delete a subscription; its pending deliveries are cancelled.
#[utoipa::path(operation_id = "delete_webhook", delete, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such subscription")))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let subscription = find(&state, &caller.tenant.id, &id).await?;
    state.store.cancel_webhook_subscription(&caller.tenant.id, &subscription.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LogQuery {
    /// At most this many attempts, newest first (default 100, at most 1000).
    limit: Option<u32>,
}

/// The delivery log of a subscription: every attempt with the receiver's status, newest first.
#[utoipa::path(operation_id = "list_webhook_deliveries", get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path, description = "Subscription id"), LogQuery),
    responses((status = 200, body = Vec<DeliveryAttempt>)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(query): Query<LogQuery>,
) -> Result<Json<Vec<DeliveryAttempt>>, ApiError> {
    let id =
        Id::parse(ResourceKind::WebhookSubscription, &id).ok_or_else(|| Error::not_found("webhook subscription"))?;
    let limit = query.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(state.store.delivery_attempts(&caller.tenant.id, &id, limit).await?))
}
