//! The request sent before a subscription is created: like Solaris, an empty POST with
//! `Solaris-Webhook-Event-Type: WEBHOOK-SUBSCRIPTION`, which the endpoint must answer with
//! 2xx. It catches typos and unreachable endpoints while the partner is still at the keyboard.

use crate::describe;
use reqwest::{Client, Url};
use sightline_core::{Error, ErrorKind};
use std::time::Duration;

/// The partner's API call waits on this, so it is shorter than a delivery attempt.
const VERIFY_TIMEOUT: Duration = Duration::from_secs(10);

pub const VERIFICATION_EVENT_TYPE: &str = "WEBHOOK-SUBSCRIPTION";

/// `url` must already have passed [`crate::check_url`]; `client` should be the one for the
/// tenant's policy (see [`crate::WebhookClients::for_policy`]).
pub async fn verify_subscription_endpoint(client: &Client, url: &Url) -> Result<(), Error> {
    let sent = client
        .post(url.clone())
        .header("Solaris-Webhook-Event-Type", VERIFICATION_EVENT_TYPE)
        .body(Vec::new())
        .timeout(VERIFY_TIMEOUT)
        .send()
        .await;
    let problem = match sent {
        Ok(response) if response.status().is_success() => return Ok(()),
        Ok(response) => describe::unsuccessful_response(response).await,
        Err(error) => describe::transport_error(&error),
    };
    Err(Error::new(
        ErrorKind::BadRequest,
        "webhook_verification_failed",
        format!("webhook endpoint did not accept the verification request: {problem}"),
    )
    .with_field("url"))
}
