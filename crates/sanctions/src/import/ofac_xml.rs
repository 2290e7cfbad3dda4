//! OFAC SDN XML (`sdn.xml`): `sdnEntry` elements with `uid`, `firstName`, `lastName`,
//! `sdnType`, `programList`, `akaList`, `dateOfBirthList`, `nationalityList`,
//! `citizenshipList`, `addressList` and `remarks`.

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
    for_each_record(reader, &["sdnEntry"], |node| {
        let n = tick(report, progress);
        match entry(&node) {
            Ok(entry) => report.entries.push(entry),
            Err((id, reason)) => report.skip(n, id.as_deref(), reason),
        }
    })
}

/// OFAC writes individuals as "LAST, First" in the CSV; the XML splits the parts, and the
/// same form is rebuilt here so both releases give the same names.
fn full_name(node: &Node) -> Option<String> {
    match (node.child_text("lastName"), node.child_text("firstName")) {
        (Some(last), Some(first)) => Some(format!("{last}, {first}")),
        (Some(last), None) => Some(last.to_owned()),
        (None, Some(first)) => Some(first.to_owned()),
        (None, None) => None,
    }
}

fn entry(node: &Node) -> Result<Entry, (Option<String>, String)> {
    let id = node.child_text("uid").map(str::to_owned);
    let Some(uid) = id.clone() else { return Err((None, "sdnEntry without uid".to_owned())) };
    let Some(name) = full_name(node) else { return Err((id, "sdnEntry without a name".to_owned())) };
    let kind = node.child_text("sdnType").map_or(EntryKind::Unknown, EntryKind::from_list_word);
    let mut entry = Entry::new(ListSource::Ofac, uid, kind, name);
    for program in node.list_texts("programList", "program") {
        entry.push_program(program);
    }
    for aka in node.children("akaList").flat_map(|l| l.children("aka")) {
        if let Some(alias) = full_name(aka) {
            entry.push_alias(&alias);
        }
    }
    for item in node.children("dateOfBirthList").flat_map(|l| l.children("dateOfBirthItem")) {
        for date in item.child_text("dateOfBirth").map(parse_list_dates).unwrap_or_default() {
            entry.push_birth_date(date);
        }
    }
    for (list, item) in
        [("nationalityList", "nationality"), ("citizenshipList", "citizenship"), ("addressList", "address")]
    {
        for node in node.children(list).flat_map(|l| l.children(item)) {
            if let Some(country) = node.child_text("country") {
                entry.push_country(country);
            }
        }
    }
    if let Some(flag) = node.child("vesselInfo").and_then(|v| v.child_text("vesselFlag")) {
        entry.push_country(flag);
    }
    if let Some(remarks) = node.child_text("remarks") {
        super::ofac_csv::apply_remarks(&mut entry, remarks);
        entry.push_remark(remarks);
    }
    Ok(entry)
}
