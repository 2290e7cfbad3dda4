//! A real HTTP webhook receiver on loopback that records every request and answers with a
//! status the test controls.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

type Shared = (Arc<Mutex<Vec<Received>>>, Arc<AtomicU16>, Arc<AtomicU64>);

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    requests: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU64>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Receiver::start_on("127.0.0.1:0").await
    }

    pub async fn start_on(address: &str) -> Receiver {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let delay_ms = Arc::new(AtomicU64::new(0));
        let state = (requests.clone(), status.clone(), delay_ms.clone());
        let app = axum::Router::new().route("/hook", axum::routing::post(record)).with_state(state);
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, requests, status, delay_ms }
    }

    /// Makes every answer wait this long (to keep a request in flight).
    pub fn delay(&self, ms: u64) {
        self.delay_ms.store(ms, Ordering::SeqCst);
    }

    pub fn answer_with(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Deliveries only: the subscription verification requests are left out.
    pub fn deliveries(&self) -> Vec<Received> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.header("solaris-webhook-event-type") != "WEBHOOK-SUBSCRIPTION")
            .cloned()
            .collect()
    }

    pub fn verifications(&self) -> Vec<Received> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.header("solaris-webhook-event-type") == "WEBHOOK-SUBSCRIPTION")
            .cloned()
            .collect()
    }

    /// Waits until a subscription verification has arrived, or panics after `secs` seconds.
    pub async fn wait_for_verification(&self, secs: u64) -> Received {
        self.wait_until(secs, "subscription verification", Receiver::verifications, |_| true).await
    }

    /// Waits until a delivery matches, or panics after `secs` seconds.
    pub async fn wait_for(&self, secs: u64, what: &str, matches: impl Fn(&Received) -> bool) -> Received {
        self.wait_until(secs, what, Receiver::deliveries, matches).await
    }

    async fn wait_until(
        &self,
        secs: u64,
        what: &str,
        requests: fn(&Receiver) -> Vec<Received>,
        matches: impl Fn(&Received) -> bool,
    ) -> Received {
        for _ in 0..(secs * 20) {
            if let Some(found) = requests(self).into_iter().find(|r| matches(r)) {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no {what} within {secs} s; got {:?}", requests(self));
    }
}

async fn record(State((requests, status, delay_ms)): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    requests.lock().unwrap().push(Received { headers, body });
    let delay = delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK)
}
