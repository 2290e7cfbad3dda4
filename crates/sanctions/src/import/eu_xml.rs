//! EU Financial Sanctions Files consolidated list (FSF XML 1.1): `sanctionEntity` elements
//! (attributes `logicalId`, `euReferenceNumber`) holding `subjectType@code`, `nameAlias`
//! (`wholeName` or first/middle/last), `birthdate` (`birthdate` or `year`/`monthOfYear`/
//! `dayOfMonth`), `citizenship`, `address` (`countryIso2Code`, `countryDescription`),
//! `regulation@programme` and `remark`.

use super::xml::{Node, for_each_record};
use super::{ImportError, ImportReport, tick};
use crate::date::{PartialDate, parse_list_dates};
use crate::entry::{Entry, EntryKind, ListSource};
use std::io::BufRead;

pub(super) fn read(
    reader: impl BufRead,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ImportError> {
    for_each_record(reader, &["sanctionEntity"], |node| {
        let n = tick(report, progress);
        match entry(&node) {
            Ok(entry) => report.entries.push(entry),
            Err((id, reason)) => report.skip(n, id.as_deref(), reason),
        }
    })
}

fn alias_name(alias: &Node) -> Option<String> {
    if let Some(whole) = alias.attr("wholeName") {
        return Some(whole.to_owned());
    }
    let parts: Vec<&str> = ["firstName", "middleName", "lastName"].iter().filter_map(|a| alias.attr(a)).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn entry(node: &Node) -> Result<Entry, (Option<String>, String)> {
    let id = node.attr("euReferenceNumber").or_else(|| node.attr("logicalId")).map(str::to_owned);
    let Some(list_id) = id.clone() else {
        return Err((None, "sanctionEntity without euReferenceNumber or logicalId".to_owned()));
    };
    let mut names = node.children("nameAlias").filter_map(alias_name);
    let Some(primary) = names.next() else { return Err((id, "sanctionEntity without a name".to_owned())) };
    let kind =
        node.child("subjectType").and_then(|s| s.attr("code")).map_or(EntryKind::Unknown, EntryKind::from_list_word);
    let mut entry = Entry::new(ListSource::Eu, list_id, kind, crate::entry::collapse_spaces(&primary));
    for alias in names {
        entry.push_alias(&alias);
    }
    for birth in node.children("birthdate") {
        let dates = match birth.attr("birthdate") {
            Some(text) => parse_list_dates(text),
            None => parts_date(birth).into_iter().collect(),
        };
        for date in dates {
            entry.push_birth_date(date);
        }
    }
    for place in node.children("citizenship").chain(node.children("address")) {
        if let Some(country) = place.attr("countryIso2Code").or_else(|| place.attr("countryDescription")) {
            entry.push_country(country);
        }
    }
    for regulation in node.children("regulation") {
        if let Some(programme) = regulation.attr("programme") {
            entry.push_program(programme);
        }
    }
    for remark in node.children("remark") {
        entry.push_remark(&remark.text);
    }
    Ok(entry)
}

fn parts_date(birth: &Node) -> Option<PartialDate> {
    let num = |name: &str| birth.attr(name).and_then(|v| v.parse::<u16>().ok());
    let small = |name: &str| num(name).and_then(|v| u8::try_from(v).ok());
    PartialDate::new(num("year")?, small("monthOfYear"), small("dayOfMonth"))
}
