//! Webhook delivery for Sightline.
//!
//! The core decides *what* to notify and keeps the durable outbox (see
//! `sightline_core::webhook`); this crate owns *how* notifications leave the process:
//! which URLs may receive them (an SSRF guard checked at subscription time and again at every
//! attempt), the Solaris signature, the verification request sent before a subscription is
//! created, one delivery attempt and its classification, and the worker that drains the outbox.

pub mod address;
pub mod attempt;
pub mod client;
mod describe;
pub mod signature;
pub mod url_policy;
pub mod verify_endpoint;
pub mod worker;

pub use address::{AddressClass, classify_ip};
pub use attempt::{AttemptResult, classify, send};
pub use client::WebhookClients;
pub use signature::{generate_secret, sign, verify};
pub use url_policy::{UrlPolicy, check_url};
pub use verify_endpoint::verify_subscription_endpoint;
pub use worker::{Worker, WorkerConfig};

/// Re-exported so callers can name the checked URL without depending on reqwest themselves.
pub use reqwest::Url;
