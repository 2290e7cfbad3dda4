//! UK HM Treasury / OFSI consolidated list CSV (`ConList.csv`). A banner row ("Last
//! Updated,…") precedes the header; each row is one name of a designation, and the rows of
//! one designation share a `Group ID` ("Alias Type" tells the primary name from aliases).
//! Names are split over `Name 1` … `Name 5` (given names) and `Name 6` (family name).
//! Columns are found by header name, so added or reordered columns do not matter.

use super::text::{clean, decode, split_numbered};
use super::{ImportError, ImportReport, tick};
use crate::date::parse_list_dates;
use crate::entry::{Entry, EntryKind, ListSource};
use std::collections::HashMap;
use std::io::Read;

/// The banner and header should be within the first rows; past this it is not the format.
const MAX_ROWS_BEFORE_HEADER: usize = 10;

struct Columns {
    names: [Option<usize>; 6],
    group_id: usize,
    group_type: Option<usize>,
    alias_type: Option<usize>,
    dob: Option<usize>,
    countries: Vec<usize>,
    regime: Option<usize>,
    non_latin: Option<usize>,
    other_info: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Option<Columns> {
        let col = |alternatives: &[&str]| {
            header.iter().position(|h| alternatives.iter().any(|a| h.trim().eq_ignore_ascii_case(a)))
        };
        let names = [
            col(&["Name 1"]),
            col(&["Name 2"]),
            col(&["Name 3"]),
            col(&["Name 4"]),
            col(&["Name 5"]),
            col(&["Name 6"]),
        ];
        names[5]?;
        Some(Columns {
            names,
            group_id: col(&["Group ID", "OFSI Group ID", "GroupID"])?,
            group_type: col(&["Group Type", "GroupTypeDescription"]),
            alias_type: col(&["Alias Type", "Name type", "AliasType"]),
            dob: col(&["DOB", "D.O.B", "Date of Birth"]),
            countries: ["Nationality", "Nationality(/ies)", "Country", "Address Country", "Country of Birth"]
                .iter()
                .filter_map(|c| col(&[*c]))
                .collect(),
            regime: col(&["Regime", "Regime Name"]),
            non_latin: col(&["Name Non-Latin Script", "Name non-latin script"]),
            other_info: col(&["Other Information"]),
        })
    }
}

pub(super) fn read(
    input: impl Read,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut columns = None;
    let mut rows_before_header = 0;
    let mut groups: HashMap<String, usize> = HashMap::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) if err.is_io_error() => return Err(ImportError::Format(format!("UK HMT CSV: {err}"))),
            Err(err) => {
                if columns.is_some() {
                    let n = tick(report, progress);
                    report.skip(n, None, err.to_string());
                }
                continue;
            }
        }
        let row: Vec<String> = record.iter().map(|f| decode(f).into_owned()).collect();
        let Some(cols) = &columns else {
            columns = Columns::find(&row);
            rows_before_header += 1;
            if columns.is_none() && rows_before_header >= MAX_ROWS_BEFORE_HEADER {
                break;
            }
            continue;
        };
        if row.iter().all(|f| clean(f).is_none()) {
            continue;
        }
        let n = tick(report, progress);
        apply_row(cols, &row, n, report, &mut groups);
    }
    if columns.is_none() {
        return Err(ImportError::Format(
            "UK HMT CSV: no header row with `Name 6` and `Group ID` columns (is this ConList.csv?)".to_owned(),
        ));
    }
    Ok(())
}

fn apply_row(cols: &Columns, row: &[String], n: u64, report: &mut ImportReport, groups: &mut HashMap<String, usize>) {
    let field = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(|f| clean(f));
    let Some(group_id) = field(Some(cols.group_id)).map(str::to_owned) else {
        return report.skip(n, None, "row without Group ID");
    };
    // Name 1-5 are given names and Name 6 the family name; OFSI fills gaps with "0" at times.
    let parts: Vec<&str> = cols.names.iter().filter_map(|c| field(*c)).filter(|p| *p != "0").collect();
    if parts.is_empty() {
        return report.skip(n, Some(&group_id), "row without any of Name 1 to Name 6");
    }
    let name = crate::entry::collapse_spaces(&parts.join(" "));
    let is_primary = field(cols.alias_type).is_some_and(|t| t.eq_ignore_ascii_case("Primary name"));

    let idx = match groups.get(&group_id) {
        Some(&idx) => {
            let entry = &mut report.entries[idx];
            if is_primary && !entry.primary_name.eq_ignore_ascii_case(&name) {
                // The group's first row was an alias; the primary name takes its place.
                let previous = std::mem::replace(&mut entry.primary_name, name);
                entry.aliases.retain(|a| !a.eq_ignore_ascii_case(&entry.primary_name));
                entry.push_alias(&previous);
            } else {
                entry.push_alias(&name);
            }
            idx
        }
        None => {
            let kind = field(cols.group_type).map_or(EntryKind::Unknown, EntryKind::from_list_word);
            report.entries.push(Entry::new(ListSource::UkHmt, group_id.clone(), kind, name));
            groups.insert(group_id, report.entries.len() - 1);
            report.entries.len() - 1
        }
    };
    let entry = &mut report.entries[idx];
    if let Some(non_latin) = field(cols.non_latin) {
        entry.push_alias(non_latin);
    }
    for dob in field(cols.dob).map(split_numbered).unwrap_or_default() {
        for date in parse_list_dates(&dob) {
            entry.push_birth_date(date);
        }
    }
    for &col in &cols.countries {
        for country in field(Some(col)).map(split_numbered).unwrap_or_default() {
            entry.push_country(&country);
        }
    }
    if let Some(regime) = field(cols.regime) {
        entry.push_program(regime);
    }
    if let Some(info) = field(cols.other_info)
        && entry.remarks.as_deref().is_none_or(|r| !r.contains(info))
    {
        entry.push_remark(info);
    }
}
