//! Allow/deny list matches of an event. While the lists the rules read hold few entries, a
//! node keeps them whole in memory for the tenant's configuration version (see `rule_sets`) and
//! matches without reading the store. Longer ones are looked up per decision: point look-ups
//! by the event's canonical values, plus the CIDR lists — read whole while short, in the same
//! query; a long one is searched by the networks containing the event's IP, so that importing
//! a large block list does not make every decision read all of it.

use super::rule_sets::{ListSnapshot, RuleCache};
use crate::{Id, Result, Store};
use sightline_rules::{Cidr, CompiledRuleSet, Event, ListKind, ListMatches, ListName, ListSet, Subjects};
use std::sync::Arc;

/// Up to this many entries in all, the lists a tenant's rules read are kept in memory: a few
/// hundred KB at most, and matched in microseconds (CIDR entries are compared one by one).
const KEPT_ENTRIES: u32 = 2_048;

/// Up to this many entries in all, the CIDR lists are read whole: cheaper than the 33 (IPv4) or
/// 129 (IPv6) key look-ups of the networks containing an address, and most lists are short.
const WHOLE_CIDR_ENTRIES: u32 = 256;

pub(super) async fn matches(
    store: &dyn Store,
    tenant_id: &Id,
    kept: Option<(&RuleCache, i64)>,
    compiled: &CompiledRuleSet,
    event: &Event,
) -> Result<ListMatches> {
    let needs = compiled.list_needs();
    if needs.is_empty() {
        return Ok(ListMatches::default());
    }
    let subjects = Subjects::from_event(event);
    let names = || -> Vec<String> { needs.iter().map(ToString::to_string).collect() };
    if let Some((cache, config_version)) = kept {
        let snapshot = match cache.lists(tenant_id, config_version, compiled) {
            Some(snapshot) => snapshot,
            None => {
                let snapshot = read_whole(store, tenant_id, &names()).await?;
                cache.keep_lists(tenant_id, config_version, compiled, snapshot.clone());
                snapshot
            }
        };
        if let ListSnapshot::Whole(set) = snapshot {
            return Ok(set.matches_subjects(&subjects));
        }
    }
    let cidr_lists: Vec<String> = match subjects.ip {
        Some(_) => needs.iter().filter(|n| n.kind == Some(ListKind::Cidr)).map(ToString::to_string).collect(),
        None => Vec::new(),
    };
    let values = subjects.lookup_values();
    // One entry more than read whole says whether the lists are longer.
    let mut found = store.lists_containing(tenant_id, &names(), &values, &cidr_lists, WHOLE_CIDR_ENTRIES + 1).await?;
    let is_cidr = |list: &str| cidr_lists.iter().any(|c| c == list);
    if let Some(ip) = subjects.ip
        && found.iter().filter(|(list, _)| is_cidr(list)).count() > WHOLE_CIDR_ENTRIES as usize
    {
        found.retain(|(list, _)| !is_cidr(list));
        let networks: Vec<String> = Cidr::covering(ip).map(|network| network.to_string()).collect();
        found.extend(store.lists_containing(tenant_id, &cidr_lists, &networks, &[], 0).await?);
    }
    Ok(list_set(found).matches_subjects(&subjects))
}

/// Every entry of the named lists, or [`ListSnapshot::TooLong`].
async fn read_whole(store: &dyn Store, tenant_id: &Id, names: &[String]) -> Result<ListSnapshot> {
    let entries = store.lists_containing(tenant_id, &[], &[], names, KEPT_ENTRIES + 1).await?;
    if entries.len() > KEPT_ENTRIES as usize {
        return Ok(ListSnapshot::TooLong);
    }
    Ok(ListSnapshot::Whole(Arc::new(list_set(entries))))
}

fn list_set(entries: Vec<(String, String)>) -> ListSet {
    let mut set = ListSet::new();
    for (list, value) in entries {
        let Ok(name) = list.parse::<ListName>() else { continue };
        let Some(kind) = name.kind else { continue };
        // Entries are validated when added, so only a hand-edited row can fail here; it is
        // skipped rather than failing every decision of the tenant.
        set.insert(name.polarity, kind, &value).ok();
    }
    set
}
