//! UN Security Council consolidated list XML: `INDIVIDUAL` and `ENTITY` elements with
//! `DATAID`, `REFERENCE_NUMBER`, `FIRST_NAME` … `FOURTH_NAME`, `UN_LIST_TYPE`,
//! `NAME_ORIGINAL_SCRIPT`, `INDIVIDUAL_ALIAS`/`ENTITY_ALIAS` (`ALIAS_NAME`),
//! `NATIONALITY/VALUE`, `INDIVIDUAL_DATE_OF_BIRTH` (`DATE`, `YEAR` or `FROM_YEAR`/`TO_YEAR`),
//! `INDIVIDUAL_ADDRESS`/`ENTITY_ADDRESS` (`COUNTRY`) and `COMMENTS1`.

use super::xml::{Node, for_each_record};
use super::{ImportError, ImportReport, tick};
use crate::date::parse_list_dates;
use crate::entry::{Entry, EntryKind, ListSource};
use std::io::BufRead;

pub(super) fn read(
    reader: impl BufRead,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ImportError> {
    for_each_record(reader, &["INDIVIDUAL", "ENTITY"], |node| {
        let n = tick(report, progress);
        match entry(&node) {
            Ok(entry) => report.entries.push(entry),
            Err((id, reason)) => report.skip(n, id.as_deref(), reason),
        }
    })
}

fn entry(node: &Node) -> Result<Entry, (Option<String>, String)> {
    let individual = node.name == "INDIVIDUAL";
    let id = node.child_text("REFERENCE_NUMBER").or_else(|| node.child_text("DATAID")).map(str::to_owned);
    let Some(list_id) = id.clone() else {
        return Err((None, format!("{} without REFERENCE_NUMBER or DATAID", node.name)));
    };
    let parts: Vec<&str> =
        ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"].iter().filter_map(|n| node.child_text(n)).collect();
    if parts.is_empty() {
        return Err((id, format!("{} without FIRST_NAME", node.name)));
    }
    let kind = if individual { EntryKind::Person } else { EntryKind::Entity };
    let mut entry = Entry::new(ListSource::Un, list_id, kind, crate::entry::collapse_spaces(&parts.join(" ")));
    if let Some(program) = node.child_text("UN_LIST_TYPE") {
        entry.push_program(program);
    }
    if let Some(original) = node.child_text("NAME_ORIGINAL_SCRIPT") {
        entry.push_alias(original);
    }
    let (alias_tag, address_tag) =
        if individual { ("INDIVIDUAL_ALIAS", "INDIVIDUAL_ADDRESS") } else { ("ENTITY_ALIAS", "ENTITY_ADDRESS") };
    for alias in node.children(alias_tag) {
        // One ALIAS_NAME sometimes packs several spellings separated by "; ".
        for name in alias.child_text("ALIAS_NAME").into_iter().flat_map(|n| n.split("; ")) {
            entry.push_alias(name);
        }
    }
    for nationality in node.list_texts("NATIONALITY", "VALUE") {
        entry.push_country(nationality);
    }
    for address in node.children(address_tag) {
        if let Some(country) = address.child_text("COUNTRY") {
            entry.push_country(country);
        }
    }
    for dob in node.children("INDIVIDUAL_DATE_OF_BIRTH") {
        let text = match (dob.child_text("DATE"), dob.child_text("YEAR")) {
            // Some releases write a full timestamp; the time part means nothing here.
            (Some(date), _) => date.split('T').next().unwrap_or(date).to_owned(),
            (None, Some(year)) => year.to_owned(),
            (None, None) => match (dob.child_text("FROM_YEAR"), dob.child_text("TO_YEAR")) {
                (Some(from), Some(to)) => format!("{from} to {to}"),
                _ => continue,
            },
        };
        for date in parse_list_dates(&text) {
            entry.push_birth_date(date);
        }
    }
    if let Some(comments) = node.child_text("COMMENTS1") {
        entry.push_remark(comments);
    }
    Ok(entry)
}
