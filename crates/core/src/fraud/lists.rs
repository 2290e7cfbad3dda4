//! Allow/deny list matches of an event: point look-ups by the event's canonical values, plus
//! the CIDR lists the rules read — read whole while short, in the same query; a long one is
//! searched by the networks containing the event's IP, so that importing a large block list
//! does not make every decision read all of it.

use crate::{Id, Result, Store};
use sightline_rules::{Cidr, CompiledRuleSet, Event, ListKind, ListMatches, ListName, ListSet, Subjects};

/// Up to this many entries in all, the CIDR lists are read whole: cheaper than the 33 (IPv4) or
/// 129 (IPv6) key look-ups of the networks containing an address, and most lists are short.
const WHOLE_CIDR_ENTRIES: u32 = 256;

pub(super) async fn matches(
    store: &dyn Store,
    tenant_id: &Id,
    compiled: &CompiledRuleSet,
    event: &Event,
) -> Result<ListMatches> {
    let needs = compiled.list_needs();
    if needs.is_empty() {
        return Ok(ListMatches::default());
    }
    let subjects = Subjects::from_event(event);
    let names: Vec<String> = needs.iter().map(ToString::to_string).collect();
    let cidr_lists: Vec<String> = match subjects.ip {
        Some(_) => needs.iter().filter(|n| n.kind == Some(ListKind::Cidr)).map(ToString::to_string).collect(),
        None => Vec::new(),
    };
    let values = subjects.lookup_values();
    // One entry more than read whole says whether the lists are longer.
    let mut found = store.lists_containing(tenant_id, &names, &values, &cidr_lists, WHOLE_CIDR_ENTRIES + 1).await?;
    let is_cidr = |list: &str| cidr_lists.iter().any(|c| c == list);
    if let Some(ip) = subjects.ip
        && found.iter().filter(|(list, _)| is_cidr(list)).count() > WHOLE_CIDR_ENTRIES as usize
    {
        found.retain(|(list, _)| !is_cidr(list));
        let networks: Vec<String> = Cidr::covering(ip).map(|network| network.to_string()).collect();
        found.extend(store.lists_containing(tenant_id, &cidr_lists, &networks, &[], 0).await?);
    }
    let mut set = ListSet::new();
    for (list, value) in found {
        let Ok(name) = list.parse::<ListName>() else { continue };
        let Some(kind) = name.kind else { continue };
        // Entries are validated when added, so only a hand-edited row can fail here; it is
        // skipped rather than failing every decision of the tenant.
        set.insert(name.polarity, kind, &value).ok();
    }
    Ok(set.matches_subjects(&subjects))
}
