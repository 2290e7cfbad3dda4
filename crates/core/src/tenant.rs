//! Tenants (the partners using Sightline) and the API keys that authenticate them.
//!
//! Keys are random 160-bit secrets shown once at creation; only their SHA-256 is stored.
//! A slow password hash would add nothing here: the secret has full entropy, so a fast hash
//! cannot be brute-forced, and authentication stays cheap on every request.

use crate::{Error, Id, ResourceKind, Result, Timestamp};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TenantMode {
    /// Mock behaviours (the seed's mock session ids, loopback webhooks) are enabled.
    Test,
    Live,
}

impl TenantMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantMode::Test => "test",
            TenantMode::Live => "live",
        }
    }
}

impl FromStr for TenantMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "test" => Ok(TenantMode::Test),
            "live" => Ok(TenantMode::Live),
            other => Err(Error::invalid_field("mode", format!("unknown mode `{other}`; expected test or live"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tenant {
    #[schema(value_type = String)]
    pub id: Id,
    pub name: String,
    pub mode: TenantMode,
    pub created_at: Timestamp,
    pub settings: TenantSettings,
}

/// What a tenant chooses for itself. Every field has a default so that settings added later
/// need no migration of stored rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TenantSettings {
    /// Origins (`https://shop.example.com`) allowed to load the agent and its key cross-origin;
    /// empty allows every origin, since the agent and its public key are not secret.
    pub agent_allowed_origins: Vec<String>,
    /// Refuse (400 `payload_replayed`) a `device_data` string that was already submitted,
    /// instead of accepting it with the `replayed` flag.
    pub reject_replayed_payloads: bool,
    /// Sanctions-screening score (percent, 50–100) from which a name counts as a match;
    /// unset means the screening default (90).
    pub aml_match_threshold: Option<u8>,
}

impl TenantSettings {
    pub fn validate(&self) -> Result<()> {
        if self.aml_match_threshold.is_some_and(|t| !(50..=100).contains(&t)) {
            return Err(Error::invalid_field("aml_match_threshold", "must be a percentage from 50 to 100"));
        }
        if self.agent_allowed_origins.len() > 50 {
            return Err(Error::invalid_field("agent_allowed_origins", "at most 50 origins"));
        }
        for origin in &self.agent_allowed_origins {
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            let valid = rest.is_some_and(|host| {
                !host.is_empty()
                    && !host.contains('/')
                    && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            });
            if !valid {
                return Err(Error::invalid_field(
                    "agent_allowed_origins",
                    format!("`{origin}` is not an origin such as https://shop.example.com"),
                ));
            }
        }
        Ok(())
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        self.agent_allowed_origins.is_empty() || self.agent_allowed_origins.iter().any(|o| o == origin)
    }
}

impl Tenant {
    pub fn new(name: &str, mode: TenantMode) -> Result<Tenant> {
        let name = name.trim();
        if name.is_empty() || name.len() > 100 {
            return Err(Error::invalid_field("name", "tenant name must be 1 to 100 characters"));
        }
        Ok(Tenant {
            id: Id::new(ResourceKind::Tenant),
            name: name.to_owned(),
            mode,
            created_at: Timestamp::now(),
            settings: TenantSettings::default(),
        })
    }
}

/// The stored, non-secret part of an API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiKey {
    #[schema(value_type = String)]
    pub id: Id,
    #[schema(value_type = String)]
    pub tenant_id: Id,
    /// The first characters of the secret, enough to recognise a key in a list.
    pub prefix: String,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A freshly generated key: the secret exists only here and is never stored.
#[derive(Clone)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
    pub secret_hash: String,
}

impl std::fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApiKey").field("key", &self.key).field("secret", &"<redacted>").finish()
    }
}

impl NewApiKey {
    pub fn generate(tenant: &Tenant, label: &str) -> NewApiKey {
        let mut bytes = [0u8; 20];
        rand::thread_rng().fill_bytes(&mut bytes);
        let secret = format!("sl_{}_{}", tenant.mode.as_str(), hex::encode(bytes));
        let key = ApiKey {
            id: Id::new(ResourceKind::ApiKey),
            tenant_id: tenant.id.clone(),
            prefix: secret.chars().take(12).collect(),
            label: label.trim().chars().take(100).collect(),
            created_at: Timestamp::now(),
            revoked_at: None,
        };
        NewApiKey { secret_hash: hash_api_key(&secret), key, secret }
    }
}

/// The lookup key for a presented secret.
pub fn hash_api_key(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Who is calling: resolved once per request from the API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthContext {
    pub tenant: Tenant,
    pub key_id: Id,
    /// The tenant's configuration version this context was read at (see
    /// [`Store::tenant_config_version`](crate::Store::tenant_config_version)): what the
    /// per-node caches of keys, rules and lists compare against. `None` bypasses them.
    pub config_version: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_unique_and_hash_stably() {
        let tenant = Tenant::new("acme", TenantMode::Test).unwrap();
        let a = NewApiKey::generate(&tenant, "ci");
        let b = NewApiKey::generate(&tenant, "ci");
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with("sl_test_"));
        assert_eq!(a.secret_hash, hash_api_key(&a.secret));
        assert!(!format!("{a:?}").contains(&a.secret));
    }

    #[test]
    fn settings_validate_origins() {
        let mut settings = TenantSettings::default();
        assert!(settings.allows_origin("https://any.example"));
        settings.agent_allowed_origins = vec!["https://shop.example.com".into(), "http://127.0.0.1:3000".into()];
        assert!(settings.validate().is_ok());
        assert!(settings.allows_origin("https://shop.example.com"));
        assert!(!settings.allows_origin("https://evil.example"));
        settings.agent_allowed_origins = vec!["https://shop.example.com/path".into()];
        assert_eq!(settings.validate().unwrap_err().field.as_deref(), Some("agent_allowed_origins"));
    }

    #[test]
    fn tenant_names_are_validated() {
        assert!(Tenant::new("  ", TenantMode::Live).is_err());
        assert_eq!(Tenant::new(" acme ", TenantMode::Live).unwrap().name, "acme");
        assert!("staging".parse::<TenantMode>().is_err());
    }
}
