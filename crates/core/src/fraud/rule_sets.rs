//! The tenant's rule set: the newest stored version, or the shipped default pack as version
//! 0. Compiled once per (tenant, version) per node. A decision checks the stored version only
//! when the tenant's configuration version (read once per request, raised by every rule-set
//! and list change) has moved since the node last did, so a change made through any node
//! takes effect on the next decision everywhere. The lists the rules read are kept the same
//! way while they are short.

use crate::{Error, Id, Result, Store};
use sightline_rules::{CompiledRuleSet, ListSet, RuleSet, default_pack};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The rule set of `version`, or the current one when `None`.
pub async fn rule_set_version(store: &dyn Store, tenant_id: &Id, version: Option<i64>) -> Result<RuleSet> {
    let stored = match version {
        Some(0) => None,
        Some(v) => Some(store.rule_set(tenant_id, v).await?.ok_or_else(|| Error::not_found("rule-set version"))?),
        None => store.latest_rule_set(tenant_id).await?,
    };
    match stored {
        Some(stored) => {
            serde_json::from_value(stored.rule_set).map_err(|e| Error::internal(format!("stored rule set: {e}")))
        }
        None => {
            let mut pack = default_pack();
            pack.version = 0;
            Ok(pack)
        }
    }
}

pub async fn current_rule_set(store: &dyn Store, tenant_id: &Id) -> Result<RuleSet> {
    rule_set_version(store, tenant_id, None).await
}

/// What a node keeps of one tenant's rules.
struct Cached {
    compiled: Arc<CompiledRuleSet>,
    /// The tenant configuration version at which `compiled` was last found current: while a
    /// request carries the same version (see [`crate::AuthContext::config_version`]), no rule
    /// set can have been added since, and the version check is skipped.
    confirmed_at: Option<i64>,
    /// The lists `compiled` reads, as they were at `confirmed_at`.
    lists: Option<ListSnapshot>,
}

/// A tenant's lists as one decision's rules read them.
#[derive(Clone)]
pub(super) enum ListSnapshot {
    /// Every entry of the lists the rules read.
    Whole(Arc<ListSet>),
    /// Too many entries to keep in memory: each decision looks up its own values.
    TooLong,
}

#[derive(Default)]
pub struct RuleCache {
    tenants: Mutex<HashMap<Id, Cached>>,
}

impl RuleCache {
    pub fn new() -> RuleCache {
        RuleCache::default()
    }

    /// The compiled current rule set of a tenant. `config_version` is the tenant's
    /// configuration version read earlier in the request; the stored rule-set version is
    /// read only when it differs from the one the cached set was confirmed at.
    pub async fn current(
        &self,
        store: &dyn Store,
        tenant_id: &Id,
        config_version: Option<i64>,
    ) -> Result<Arc<CompiledRuleSet>> {
        if let Some(version) = config_version
            && let Some(cached) = self.lock().get(tenant_id).filter(|c| c.confirmed_at == Some(version))
        {
            return Ok(Arc::clone(&cached.compiled));
        }
        let version = store.latest_rule_set_version(tenant_id).await?.unwrap_or(0);
        {
            let mut tenants = self.lock();
            if let Some(cached) =
                tenants.get_mut(tenant_id).filter(|c| i64::try_from(c.compiled.version()) == Ok(version))
            {
                if cached.confirmed_at != config_version {
                    cached.confirmed_at = config_version;
                    cached.lists = None;
                }
                return Ok(Arc::clone(&cached.compiled));
            }
        }
        let set = rule_set_version(store, tenant_id, Some(version)).await?;
        let compiled = Arc::new(CompiledRuleSet::compile(&set).map_err(|errors| {
            // Only compiled sets are ever stored, so this is a rules-engine upgrade gone wrong.
            Error::internal(format!("stored rule set {version} no longer compiles: {}", errors.len()))
        })?);
        let cached = Cached { compiled: Arc::clone(&compiled), confirmed_at: config_version, lists: None };
        self.lock().insert(tenant_id.clone(), cached);
        Ok(compiled)
    }

    /// The lists kept for `compiled` at `config_version`, if any.
    pub(super) fn lists(
        &self,
        tenant_id: &Id,
        config_version: i64,
        compiled: &CompiledRuleSet,
    ) -> Option<ListSnapshot> {
        self.lock().get(tenant_id).filter(|c| Self::holds(c, config_version, compiled)).and_then(|c| c.lists.clone())
    }

    /// Keeps `lists`, read for `compiled` after `config_version` was read, unless the tenant's
    /// rules have moved on meanwhile.
    pub(super) fn keep_lists(
        &self,
        tenant_id: &Id,
        config_version: i64,
        compiled: &CompiledRuleSet,
        lists: ListSnapshot,
    ) {
        if let Some(cached) = self.lock().get_mut(tenant_id).filter(|c| Self::holds(c, config_version, compiled)) {
            cached.lists = Some(lists);
        }
    }

    fn holds(cached: &Cached, config_version: i64, compiled: &CompiledRuleSet) -> bool {
        cached.confirmed_at == Some(config_version) && cached.compiled.version() == compiled.version()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Cached>> {
        self.tenants.lock().unwrap_or_else(|e| e.into_inner())
    }
}
