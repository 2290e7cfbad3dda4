//! Whether a subscriber's URL may receive webhooks. Checked when a subscription is created
//! and again before every attempt, because what a name resolves to can change after it was
//! accepted (DNS rebinding); the delivery client's resolver applies the same rule to the
//! addresses it actually connects to.

use crate::address::{AddressClass, classify_ip};
use reqwest::Url;
use sightline_core::{Error, TenantMode};
use std::net::IpAddr;
use std::time::Duration;
use url::Host;

/// Long enough for any real endpoint, short enough to keep junk out of the store and logs.
const MAX_URL_LEN: usize = 2048;
/// A subscription request waits on this, so a slow resolver must not hold it for long.
const DNS_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Accept loopback receivers, over plain http too, so that test-mode tenants (and our
    /// own tests) can receive on `http://127.0.0.1:<port>`.
    pub allow_insecure_loopback: bool,
}

impl UrlPolicy {
    pub const STRICT: UrlPolicy = UrlPolicy { allow_insecure_loopback: false };
    pub const LOOPBACK_ALLOWED: UrlPolicy = UrlPolicy { allow_insecure_loopback: true };

    /// Test-mode tenants may use loopback receivers; live tenants never.
    pub fn for_mode(mode: TenantMode) -> UrlPolicy {
        match mode {
            TenantMode::Test => UrlPolicy::LOOPBACK_ALLOWED,
            TenantMode::Live => UrlPolicy::STRICT,
        }
    }

    /// Why `ip` may not be connected to under this policy, if it may not.
    pub(crate) fn refusal(&self, ip: IpAddr) -> Option<String> {
        match classify_ip(ip) {
            AddressClass::Public => None,
            AddressClass::Loopback if self.allow_insecure_loopback => None,
            AddressClass::Loopback => Some(format!("url must not point to a loopback address ({ip})")),
            AddressClass::Restricted(range) => Some(format!("url must not point to a {range} address ({ip})")),
        }
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::invalid_field("url", detail)
}

/// Parses and vets a webhook URL, resolving its host. The returned URL is normalised and is
/// what should be stored and sent to.
pub async fn check_url(url: &str, policy: &UrlPolicy) -> Result<Url, Error> {
    if url.len() > MAX_URL_LEN {
        return Err(invalid(format!("url must be at most {MAX_URL_LEN} characters")));
    }
    let parsed = Url::parse(url).map_err(|e| invalid(format!("url is not a valid absolute URL: {e}")))?;
    let insecure = match parsed.scheme() {
        "https" => false,
        "http" if policy.allow_insecure_loopback => true,
        _ => return Err(invalid("url must use https")),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("url must not contain a user name or password"));
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addresses = match parsed.host() {
        Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
        Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
        Some(Host::Domain(name)) => resolve(name, port).await.map_err(invalid)?,
        None => return Err(invalid("url must have a host")),
    };
    if let Some(reason) = addresses.iter().find_map(|ip| policy.refusal(*ip)) {
        return Err(invalid(reason));
    }
    if insecure && !addresses.iter().all(|ip| classify_ip(*ip) == AddressClass::Loopback) {
        return Err(invalid("url must use https; plain http is accepted only for loopback receivers of test tenants"));
    }
    Ok(parsed)
}

/// All addresses of `host`, or a message fit for the API client.
pub(crate) async fn resolve(host: &str, port: u16) -> Result<Vec<IpAddr>, String> {
    match tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((host, port))).await {
        Err(_) => Err(format!("host `{host}` could not be resolved in time")),
        Ok(Err(_)) => Err(format!("host `{host}` could not be resolved")),
        Ok(Ok(addresses)) => {
            let addresses: Vec<IpAddr> = addresses.map(|a| a.ip()).collect();
            if addresses.is_empty() { Err(format!("host `{host}` has no addresses")) } else { Ok(addresses) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn refused(url: &str, policy: UrlPolicy) -> String {
        match check_url(url, &policy).await {
            Ok(u) => panic!("{url} should be refused, got {u}"),
            Err(e) => {
                assert_eq!(e.status(), 400);
                assert_eq!(e.field.as_deref(), Some("url"));
                e.detail
            }
        }
    }

    #[tokio::test]
    async fn literal_addresses_follow_the_classification() {
        assert!(refused("https://10.0.0.1/hook", UrlPolicy::STRICT).await.contains("private"));
        assert!(refused("https://169.254.169.254/", UrlPolicy::LOOPBACK_ALLOWED).await.contains("link-local"));
        assert!(refused("https://[fd00::1]/", UrlPolicy::STRICT).await.contains("unique local"));
        assert!(refused("https://[::ffff:192.168.0.1]/", UrlPolicy::STRICT).await.contains("private"));
        assert!(refused("https://127.0.0.1/", UrlPolicy::STRICT).await.contains("loopback"));
        // The WHATWG parser normalises numeric shorthands, so they cannot sneak past.
        assert!(refused("https://2130706433/", UrlPolicy::STRICT).await.contains("loopback"));
        assert!(refused("https://0x7f.1/", UrlPolicy::STRICT).await.contains("loopback"));
        assert!(check_url("https://1.1.1.1/hook", &UrlPolicy::STRICT).await.is_ok());
    }

    #[tokio::test]
    async fn scheme_credentials_and_shape_are_checked() {
        assert!(refused("http://1.1.1.1/", UrlPolicy::STRICT).await.contains("https"));
        assert!(refused("http://1.1.1.1/", UrlPolicy::LOOPBACK_ALLOWED).await.contains("loopback receivers"));
        assert!(refused("ftp://1.1.1.1/", UrlPolicy::LOOPBACK_ALLOWED).await.contains("https"));
        assert!(refused("https://user:pw@1.1.1.1/", UrlPolicy::STRICT).await.contains("password"));
        assert!(refused("https://user@1.1.1.1/", UrlPolicy::STRICT).await.contains("user name"));
        assert!(refused("/relative", UrlPolicy::STRICT).await.contains("valid absolute URL"));
        let long = format!("https://1.1.1.1/{}", "a".repeat(MAX_URL_LEN));
        assert!(refused(&long, UrlPolicy::STRICT).await.contains("at most"));
    }

    #[tokio::test]
    async fn loopback_is_allowed_only_when_the_policy_says_so() {
        let ok = check_url("http://127.0.0.1:8080/hook", &UrlPolicy::LOOPBACK_ALLOWED).await;
        assert_eq!(ok.map(|u| u.to_string()).ok().as_deref(), Some("http://127.0.0.1:8080/hook"));
        assert!(check_url("http://[::1]:8080/", &UrlPolicy::LOOPBACK_ALLOWED).await.is_ok());
        assert!(check_url("http://localhost:8080/", &UrlPolicy::LOOPBACK_ALLOWED).await.is_ok());
        assert!(refused("http://localhost:8080/", UrlPolicy::STRICT).await.contains("https"));
        assert!(refused("https://localhost:8080/", UrlPolicy::STRICT).await.contains("loopback"));
    }

    #[test]
    fn policy_follows_tenant_mode() {
        assert_eq!(UrlPolicy::for_mode(TenantMode::Test), UrlPolicy::LOOPBACK_ALLOWED);
        assert_eq!(UrlPolicy::for_mode(TenantMode::Live), UrlPolicy::STRICT);
        assert_eq!(UrlPolicy::default(), UrlPolicy::STRICT);
    }
}
