//! The HTTP clients that talk to subscribers. Redirects are not followed (a redirect could
//! point at an internal address), proxies from the environment are ignored (a proxy would
//! connect on our behalf, past the address check), and the resolver refuses names that
//! resolve to forbidden addresses, so a name cannot be re-pointed between `check_url` and
//! the connection.

use crate::url_policy::{UrlPolicy, resolve};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Client, redirect};
use sightline_core::Error;
use sightline_core::webhook::ATTEMPT_TIMEOUT;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const USER_AGENT: &str = concat!("sightline-webhooks/", env!("CARGO_PKG_VERSION"));

/// One client per [`UrlPolicy`], built once and shared: clients hold connection pools and
/// TLS configuration that are costly to rebuild per request. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct WebhookClients {
    strict: Client,
    loopback_allowed: Client,
}

impl WebhookClients {
    pub fn new() -> Result<WebhookClients, Error> {
        Ok(WebhookClients { strict: build(UrlPolicy::STRICT)?, loopback_allowed: build(UrlPolicy::LOOPBACK_ALLOWED)? })
    }

    pub fn for_policy(&self, policy: &UrlPolicy) -> &Client {
        if policy.allow_insecure_loopback { &self.loopback_allowed } else { &self.strict }
    }
}

fn build(policy: UrlPolicy) -> Result<Client, Error> {
    Client::builder()
        .redirect(redirect::Policy::none())
        .no_proxy()
        .timeout(ATTEMPT_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(USER_AGENT)
        .dns_resolver(Arc::new(GuardedResolver { policy }))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the webhook HTTP client: {e}")))
}

/// Resolves like the system resolver, then refuses the whole name if any address is
/// forbidden, mirroring `check_url`. Literal IP hosts never reach a resolver; `check_url`
/// covers them.
struct GuardedResolver {
    policy: UrlPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str();
            let addresses = resolve(host, 0).await?;
            if let Some(reason) = addresses.iter().find_map(|ip| policy.refusal(*ip)) {
                return Err(reason.into());
            }
            let addrs: Addrs = Box::new(addresses.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}
