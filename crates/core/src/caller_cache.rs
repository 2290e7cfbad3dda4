//! API keys resolved once per node instead of once per request. Resolving a key reads the
//! key, its tenant and the tenant's settings (~70 µs of a decision's SQLite reads, a round trip
//! on PostgreSQL); a known key instead costs one read of the tenant's configuration version,
//! which every change to keys or settings raises in its own transaction, on any node. So a
//! revoked key or changed settings take effect on the very next request everywhere, as
//! without the cache.

use crate::{AuthContext, Result, Store};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Keys remembered at most; past it the memo starts over (a node serves few keys, and a flood
/// of distinct valid keys only costs the reads it would have cost anyway).
const MAX_CALLERS: usize = 10_000;

#[derive(Default)]
pub struct CallerCache {
    /// Secret hash → the caller it resolved to, tagged with the configuration version read
    /// in the same statement.
    callers: Mutex<HashMap<String, AuthContext>>,
}

impl CallerCache {
    pub fn new() -> CallerCache {
        CallerCache::default()
    }

    /// The caller a presented secret's hash resolves to; `None` for unknown or revoked keys
    /// (never remembered: they are read again each time, as before).
    pub async fn authenticate(&self, store: &dyn Store, secret_hash: &str) -> Result<Option<AuthContext>> {
        let remembered = self.lock().get(secret_hash).cloned();
        if let Some(caller) = remembered
            && let Some(version) = caller.config_version
            && store.tenant_config_version(&caller.tenant.id).await? == Some(version)
        {
            return Ok(Some(caller));
        }
        let resolved = store.authenticate(secret_hash).await?;
        let mut callers = self.lock();
        match &resolved {
            Some(caller) if caller.config_version.is_some() => {
                if callers.len() >= MAX_CALLERS {
                    callers.clear();
                }
                callers.insert(secret_hash.to_owned(), caller.clone());
            }
            _ => {
                callers.remove(secret_hash);
            }
        }
        Ok(resolved)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, AuthContext>> {
        self.callers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
