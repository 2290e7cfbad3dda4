//! Allow/deny list matches of an event: point look-ups by the event's canonical values, plus
//! the whole of the CIDR lists the rules read, which cannot be found by value — one query.

use crate::{Id, Result, Store};
use sightline_rules::{CompiledRuleSet, Event, ListKind, ListMatches, ListName, ListSet, Subjects};

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
    let found = store.lists_containing(tenant_id, &names, &subjects.lookup_values(), &cidr_lists).await?;
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
