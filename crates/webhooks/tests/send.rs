//! Delivery against real local receivers on 127.0.0.1: what is sent, how answers are
//! classified, and which URLs are refused.

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use sightline_core::webhook::{AttemptOutcome, DueDelivery, WebhookEvent, WebhookEventType};
use sightline_core::{Id, ResourceKind, Timestamp};
use sightline_webhooks::{UrlPolicy, WebhookClients, check_url, send, verify, verify_subscription_endpoint};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(String, Received)>>>);

impl Log {
    fn push(&self, route: &str, headers: HeaderMap, body: Bytes) {
        if let Ok(mut log) = self.0.lock() {
            log.push((route.to_owned(), Received { headers, body }));
        }
    }

    fn take(&self) -> Vec<(String, Received)> {
        self.0.lock().map(|mut log| std::mem::take(&mut *log)).unwrap_or_default()
    }
}

/// A receiver whose `/status/{code}` answers with that code, `/redirect` sends a 302 to
/// `/elsewhere`, and every request is logged.
async fn receiver() -> (SocketAddr, Log) {
    let log = Log::default();
    let app = Router::new()
        .route(
            "/status/{code}",
            post({
                let log = log.clone();
                move |axum::extract::Path(code): axum::extract::Path<u16>, headers: HeaderMap, body: Bytes| {
                    let log = log.clone();
                    async move {
                        log.push("status", headers, body);
                        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT);
                        (status, "receiver says\r\nno").into_response()
                    }
                }
            }),
        )
        .route(
            "/redirect",
            post({
                let log = log.clone();
                move |headers: HeaderMap, body: Bytes| {
                    let log = log.clone();
                    async move {
                        log.push("redirect", headers, body);
                        (StatusCode::FOUND, [(header::LOCATION, "/elsewhere")]).into_response()
                    }
                }
            }),
        )
        .route(
            "/elsewhere",
            post({
                let log = log.clone();
                move |headers: HeaderMap, body: Bytes| {
                    let log = log.clone();
                    async move {
                        log.push("elsewhere", headers, body);
                        StatusCode::OK
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, log)
}

fn due(url: String, attempt: u32) -> DueDelivery {
    let tenant = Id::new(ResourceKind::Tenant);
    let body = serde_json::json!({ "id": "abc", "note": "ünïcode & spaces" });
    let event = WebhookEvent::new(&tenant, WebhookEventType::PersonChanged, "f00dcper", body);
    DueDelivery {
        delivery_id: Id::new(ResourceKind::WebhookDelivery),
        tenant_id: tenant,
        subscription_id: Id::new(ResourceKind::WebhookSubscription),
        url,
        secret: "test-secret".to_owned(),
        created_at: event.created_at,
        event,
        attempt,
    }
}

fn clients() -> WebhookClients {
    WebhookClients::new().unwrap()
}

const TEST: UrlPolicy = UrlPolicy::LOOPBACK_ALLOWED;

fn header<'a>(received: &'a Received, name: &str) -> &'a str {
    received.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("missing header {name}"))
}

#[tokio::test]
async fn delivers_the_exact_body_with_solaris_headers_and_a_valid_signature() {
    let (addr, log) = receiver().await;
    let due = due(format!("http://{addr}/status/200"), 3);
    let result = send(clients().for_policy(&TEST), &due, &TEST).await;
    assert_eq!(result.outcome, AttemptOutcome::Delivered);
    assert_eq!(result.status_code, Some(200));
    assert_eq!(result.error, None);

    let received = log.take();
    assert_eq!(received.len(), 1);
    let (_, got) = &received[0];
    assert_eq!(got.body.as_ref(), due.event.body.as_bytes());
    assert_eq!(header(got, "content-type"), "application/json");
    assert_eq!(header(got, "solaris-webhook-id"), due.event.id.as_str());
    assert_eq!(header(got, "solaris-webhook-subscription-id"), due.subscription_id.as_str());
    assert_eq!(header(got, "solaris-webhook-event-type"), "PERSON_CHANGED");
    assert_eq!(header(got, "solaris-entity-id"), "f00dcper");
    assert_eq!(header(got, "solaris-webhook-attempt"), "3");
    assert!(header(got, "user-agent").starts_with("sightline-webhooks/"));
    let signature = header(got, "solaris-webhook-signature");
    assert!(signature.starts_with("sha256="));
    assert!(verify("test-secret", &got.body, signature));
    assert!(!verify("other-secret", &got.body, signature));
}

#[tokio::test]
async fn the_event_id_is_stable_across_attempts() {
    let (addr, log) = receiver().await;
    let first = due(format!("http://{addr}/status/500"), 1);
    let second = DueDelivery { attempt: 2, ..first.clone() };
    send(clients().for_policy(&TEST), &first, &TEST).await;
    send(clients().for_policy(&TEST), &second, &TEST).await;
    let received = log.take();
    assert_eq!(received.len(), 2);
    assert_eq!(header(&received[0].1, "solaris-webhook-id"), header(&received[1].1, "solaris-webhook-id"));
    assert_eq!(header(&received[1].1, "solaris-webhook-attempt"), "2");
}

#[tokio::test]
async fn answers_are_classified_like_solaris() {
    let (addr, _log) = receiver().await;
    let client = clients();
    let client = client.for_policy(&TEST);

    let gone = send(client, &due(format!("http://{addr}/status/410"), 1), &TEST).await;
    assert_eq!((gone.outcome, gone.status_code), (AttemptOutcome::Gone, Some(410)));

    let rejected = send(client, &due(format!("http://{addr}/status/422"), 1), &TEST).await;
    assert_eq!((rejected.outcome, rejected.status_code), (AttemptOutcome::Rejected, Some(422)));
    assert_eq!(rejected.error.as_deref(), Some("HTTP 422 Unprocessable Entity: receiver says  no"));

    let before = Timestamp::now();
    let failed = send(client, &due(format!("http://{addr}/status/500"), 1), &TEST).await;
    assert_eq!(failed.status_code, Some(500));
    assert!(failed.error.as_deref().is_some_and(|e| e.starts_with("HTTP 500 Internal Server Error")));
    match failed.outcome {
        // First retry: 10 s ± 20 %.
        AttemptOutcome::Retry { at } => {
            let delay = at.millis() - before.millis();
            assert!((8_000..=13_000).contains(&delay), "retry in {delay} ms");
        }
        other => panic!("expected a retry, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_receiver_is_retried_with_an_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let result = send(clients().for_policy(&TEST), &due(format!("http://127.0.0.1:{port}/"), 1), &TEST).await;
    assert!(matches!(result.outcome, AttemptOutcome::Retry { .. }), "{result:?}");
    assert_eq!(result.status_code, None);
    let error = result.error.unwrap_or_default();
    assert!(error.starts_with("connection failed"), "{error}");
    assert!(!error.contains("127.0.0.1"), "the error repeats the URL: {error}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (addr, log) = receiver().await;
    let result = send(clients().for_policy(&TEST), &due(format!("http://{addr}/redirect"), 1), &TEST).await;
    assert!(matches!(result.outcome, AttemptOutcome::Retry { .. }), "{result:?}");
    assert_eq!(result.status_code, Some(302));
    assert_eq!(result.error.as_deref(), Some("HTTP 302 Found (redirects are not followed)"));
    let routes: Vec<String> = log.take().into_iter().map(|(route, _)| route).collect();
    assert_eq!(routes, ["redirect"]);
}

#[tokio::test]
async fn a_url_the_policy_refuses_is_a_failed_attempt_and_is_not_contacted() {
    let (addr, log) = receiver().await;
    let strict = UrlPolicy::STRICT;
    let result = send(clients().for_policy(&strict), &due(format!("http://{addr}/status/200"), 1), &strict).await;
    assert!(matches!(result.outcome, AttemptOutcome::Retry { .. }), "{result:?}");
    assert_eq!(result.status_code, None);
    assert_eq!(result.error.as_deref(), Some("url must use https"));
    assert!(log.take().is_empty());
}

#[tokio::test]
async fn the_strict_client_refuses_names_resolving_to_loopback() {
    // Bypasses `check_url` to show that the resolver alone closes the rebinding window.
    let (addr, log) = receiver().await;
    let url = sightline_webhooks::Url::parse(&format!("http://localhost:{}/status/200", addr.port())).unwrap();
    let strict = clients();
    let outcome = strict.for_policy(&UrlPolicy::STRICT).post(url).send().await;
    let error = outcome.err().map(|e| format!("{e:?}")).unwrap_or_default();
    assert!(error.contains("loopback"), "{error}");
    assert!(log.take().is_empty());
}

#[tokio::test]
async fn check_url_guards_against_internal_targets() {
    let (addr, _log) = receiver().await;
    let strict = UrlPolicy::STRICT;
    for (url, policy) in [
        (format!("http://{addr}/"), strict),
        (format!("https://{addr}/"), strict),
        ("http://10.0.0.1/".to_owned(), TEST),
        ("https://169.254.169.254/latest/meta-data/".to_owned(), TEST),
        ("http://[::1]/".to_owned(), strict),
    ] {
        let refused = check_url(&url, &policy).await.unwrap_err();
        assert_eq!((refused.status(), refused.field.as_deref()), (400, Some("url")), "{url}");
    }
    let accepted = check_url(&format!("http://{addr}/hook"), &TEST).await.unwrap();
    assert_eq!(accepted.as_str(), format!("http://{addr}/hook"));
}

#[tokio::test]
async fn endpoint_verification_sends_an_empty_subscription_request() {
    let (addr, log) = receiver().await;
    let client = clients();
    let client = client.for_policy(&TEST);

    let ok = check_url(&format!("http://{addr}/status/204"), &TEST).await.unwrap();
    verify_subscription_endpoint(client, &ok).await.unwrap();
    let received = log.take();
    assert_eq!(received.len(), 1);
    let got = &received[0].1;
    assert_eq!(header(got, "solaris-webhook-event-type"), "WEBHOOK-SUBSCRIPTION");
    assert!(got.body.is_empty());
    assert!(got.headers.get("solaris-webhook-signature").is_none());

    let refusing = check_url(&format!("http://{addr}/status/404"), &TEST).await.unwrap();
    let error = verify_subscription_endpoint(client, &refusing).await.unwrap_err();
    assert_eq!(error.status(), 400);
    assert_eq!(error.code, "webhook_verification_failed");
    assert_eq!(error.field.as_deref(), Some("url"));
    assert!(error.detail.contains("HTTP 404 Not Found"), "{}", error.detail);

    let redirecting = check_url(&format!("http://{addr}/redirect"), &TEST).await.unwrap();
    assert!(verify_subscription_endpoint(client, &redirecting).await.is_err());
}
