//! The tenant's rule set: the newest stored version, or the shipped default pack as version
//! 0. Compiled once per (tenant, version) per node; each decision checks only the version
//! number, so a change made through any node takes effect on the next decision everywhere.

use crate::{Error, Id, Result, Store};
use sightline_rules::{CompiledRuleSet, RuleSet, default_pack};
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

#[derive(Default)]
pub struct RuleCache {
    compiled: Mutex<HashMap<Id, Arc<CompiledRuleSet>>>,
}

impl RuleCache {
    pub fn new() -> RuleCache {
        RuleCache::default()
    }

    /// The compiled current rule set of a tenant.
    pub async fn current(&self, store: &dyn Store, tenant_id: &Id) -> Result<Arc<CompiledRuleSet>> {
        let version = store.latest_rule_set_version(tenant_id).await?.unwrap_or(0);
        let cached = self.lock().get(tenant_id).filter(|c| i64::try_from(c.version()) == Ok(version)).cloned();
        if let Some(compiled) = cached {
            return Ok(compiled);
        }
        let set = rule_set_version(store, tenant_id, Some(version)).await?;
        let compiled = Arc::new(CompiledRuleSet::compile(&set).map_err(|errors| {
            // Only compiled sets are ever stored, so this is a rules-engine upgrade gone wrong.
            Error::internal(format!("stored rule set {version} no longer compiles: {}", errors.len()))
        })?);
        self.lock().insert(tenant_id.clone(), Arc::clone(&compiled));
        Ok(compiled)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Arc<CompiledRuleSet>>> {
        self.compiled.lock().unwrap_or_else(|e| e.into_inner())
    }
}
