//! OFAC SDN legacy CSV release: `sdn.csv` (one row per designation, no header row,
//! `-0-` for empty), `alt.csv` (aliases) and `add.csv` (addresses), joined on `ent_num`.
//!
//! sdn.csv columns: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
//! Tonnage, GRT, Vess_flag, Vess_owner, Remarks. Entities have SDN_Type `-0-`.

use super::text::{clean, decode};
use super::{ImportError, ImportReport, tick};
use crate::date::parse_list_dates;
use crate::entry::{Entry, EntryKind, ListSource};
use std::collections::HashMap;
use std::io::Read;

pub(super) fn read(
    sdn: impl Read,
    alt: Option<impl Read>,
    add: Option<impl Read>,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ImportError> {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for_each_row(sdn, "sdn.csv", report, progress, |report, record, row| match sdn_entry(row) {
        Ok(entry) => {
            if by_id.contains_key(&entry.list_id) {
                report.skip(record, Some(&entry.list_id), "sdn.csv: duplicate ent_num");
            } else {
                by_id.insert(entry.list_id.clone(), report.entries.len());
                report.entries.push(entry);
            }
        }
        Err((id, reason)) => report.skip(record, id.as_deref(), format!("sdn.csv: {reason}")),
    })?;
    if let Some(alt) = alt {
        for_each_row(alt, "alt.csv", report, progress, |report, record, row| {
            // ent_num, alt_num, alt_type, alt_name, alt_remarks
            let id = row.first().and_then(|f| clean(f));
            let Some(&idx) = id.and_then(|id| by_id.get(id)) else {
                return report.skip(record, id, "alt.csv: alias for an ent_num not in sdn.csv");
            };
            match row.get(3).and_then(|f| clean(f)) {
                Some(name) => report.entries[idx].push_alias(name),
                None => report.skip(record, id, "alt.csv: empty alias name"),
            }
        })?;
    }
    if let Some(add) = add {
        for_each_row(add, "add.csv", report, progress, |report, record, row| {
            // ent_num, add_num, address, city/state/postal code, country, add_remarks
            let id = row.first().and_then(|f| clean(f));
            let Some(&idx) = id.and_then(|id| by_id.get(id)) else {
                return report.skip(record, id, "add.csv: address for an ent_num not in sdn.csv");
            };
            if let Some(country) = row.get(4).and_then(|f| clean(f)) {
                report.entries[idx].push_country(country);
            }
        })?;
    }
    Ok(())
}

/// Reads headerless rows, skipping blank ones and the DOS end-of-file byte OFAC appends.
fn for_each_row(
    input: impl Read,
    file: &str,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
    mut on_row: impl FnMut(&mut ImportReport, u64, &[String]),
) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut row: Vec<String> = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(err) if err.is_io_error() => return Err(ImportError::Format(format!("{file}: {err}"))),
            Err(err) => {
                let n = tick(report, progress);
                report.skip(n, None, format!("{file}: {err}"));
                continue;
            }
        }
        row.clear();
        row.extend(record.iter().map(|f| decode(f).into_owned()));
        if row.iter().all(|f| clean(f).is_none()) {
            continue;
        }
        let n = tick(report, progress);
        on_row(report, n, &row);
    }
}

fn sdn_entry(row: &[String]) -> Result<Entry, (Option<String>, String)> {
    let field = |i: usize| row.get(i).and_then(|f| clean(f));
    let id = field(0).map(str::to_owned);
    if row.len() < 3 {
        return Err((id, format!("expected 12 columns, found {}", row.len())));
    }
    let Some(ent_num) = id.clone().filter(|id| id.bytes().all(|b| b.is_ascii_digit())) else {
        return Err((id, "ent_num is not a number".to_owned()));
    };
    let Some(name) = field(1) else {
        return Err((Some(ent_num), "empty SDN_Name".to_owned()));
    };
    let kind = field(2).map_or(EntryKind::Entity, EntryKind::from_list_word);
    let mut entry = Entry::new(ListSource::Ofac, ent_num, kind, crate::entry::collapse_spaces(name));
    for program in field(3).into_iter().flat_map(|p| p.split("] [")) {
        entry.push_program(program.trim_matches(['[', ']', ' ']));
    }
    if let Some(flag) = field(9) {
        entry.push_country(flag);
    }
    if let Some(remarks) = field(11) {
        apply_remarks(&mut entry, remarks);
        entry.push_remark(remarks);
    }
    Ok(entry)
}

/// Pulls birth dates and nationalities out of the free-text remarks, where OFAC keeps them:
/// "DOB 12 May 1960; alt. DOB 1961; POB Baghdad, Iraq; nationality Iraq; citizen Jordan".
pub(super) fn apply_remarks(entry: &mut Entry, remarks: &str) {
    for part in remarks.split(';') {
        let part = part.trim().trim_end_matches('.');
        let body = strip_prefix_ci(part, "alt. ").unwrap_or(part);
        if let Some(dates) = strip_prefix_ci(body, "dob ") {
            for date in parse_list_dates(dates) {
                entry.push_birth_date(date);
            }
        } else if let Some(country) =
            strip_prefix_ci(body, "nationality ").or_else(|| strip_prefix_ci(body, "citizen "))
        {
            entry.push_country(country);
        }
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| text[prefix.len()..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remarks_yield_dates_and_countries() {
        let mut e = Entry::new(ListSource::Ofac, "1", EntryKind::Person, "X");
        apply_remarks(
            &mut e,
            "DOB 12 May 1960; alt. DOB 1961; POB Baghdad, Iraq; nationality Iraq; alt. citizen Jordan.",
        );
        let dates: Vec<String> = e.birth_dates.iter().map(ToString::to_string).collect();
        assert_eq!(dates, vec!["1960-05-12", "1961"]);
        assert_eq!(e.countries, vec!["IQ", "JO"]);
    }
}
