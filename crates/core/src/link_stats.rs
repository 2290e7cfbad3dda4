//! Per-tenant value frequencies of device attributes, which linking uses to weigh evidence
//! (a rare GPU identifies, the most common iPhone screen does not). Each node keeps them in
//! memory: built from the stored devices on a tenant's first payload, updated by every
//! device this node stores, and rebuilt periodically to take in other nodes' devices.
//! Frequencies are statistics, so being a few minutes behind another node costs nothing.

use crate::{Id, Result, Store};
use sightline_device::{AttributeStats, KnownDevice};
use sightline_payload::Platform;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

const REBUILD_AFTER: Duration = Duration::from_secs(600);
const PAGE: u32 = 1_000;

#[derive(Default)]
pub struct LinkStatsCache {
    tenants: Mutex<HashMap<Id, Arc<TenantStats>>>,
}

pub struct TenantStats {
    pub stats: RwLock<AttributeStats>,
    built_at: Instant,
}

/// How one stored sighting changes the frequencies.
pub struct StatsUpdate {
    pub platform: Platform,
    pub old: Option<BTreeMap<String, String>>,
    pub new: BTreeMap<String, String>,
}

impl LinkStatsCache {
    pub fn new() -> LinkStatsCache {
        LinkStatsCache::default()
    }

    fn cached(&self, tenant_id: &Id) -> Option<Arc<TenantStats>> {
        let tenants = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        tenants.get(tenant_id).filter(|t| t.built_at.elapsed() < REBUILD_AFTER).cloned()
    }

    /// The tenant's statistics, built from the store when missing or stale.
    pub async fn for_tenant(&self, store: &dyn Store, tenant_id: &Id) -> Result<Arc<TenantStats>> {
        if let Some(stats) = self.cached(tenant_id) {
            return Ok(stats);
        }
        let mut stats = AttributeStats::new();
        let mut after: Option<Id> = None;
        loop {
            let page = store.devices_page(tenant_id, after.as_ref(), PAGE).await?;
            for record in &page {
                if let Ok(device) = serde_json::from_value::<KnownDevice>(record.attributes.clone()) {
                    stats.add(device.platform, &device.attributes);
                }
            }
            match page.last() {
                Some(last) if page.len() == PAGE as usize => after = Some(last.id.clone()),
                _ => break,
            }
        }
        let built = Arc::new(TenantStats { stats: RwLock::new(stats), built_at: Instant::now() });
        self.tenants.lock().unwrap_or_else(|e| e.into_inner()).insert(tenant_id.clone(), built.clone());
        Ok(built)
    }

    /// Applies a committed sighting to the cached statistics, if they are loaded.
    pub fn apply(&self, tenant_id: &Id, update: &StatsUpdate) {
        let Some(tenant) = self.tenants.lock().unwrap_or_else(|e| e.into_inner()).get(tenant_id).cloned() else {
            return;
        };
        let mut stats = tenant.stats.write().unwrap_or_else(|e| e.into_inner());
        match &update.old {
            Some(old) => stats.replace(update.platform, old, &update.new),
            None => stats.add(update.platform, &update.new),
        }
    }
}
