//! An operator's own list: a CSV with a header row naming the columns `id`, `name`
//! (required), and optionally `kind`, `aliases`, `birth_dates`, `countries`, `programs`,
//! `remarks`. Multi-valued columns separate values with `;`.

use super::text::{clean, decode};
use super::{ImportError, ImportReport, tick};
use crate::date::parse_list_dates;
use crate::entry::{Entry, EntryKind, ListSource};
use std::io::Read;

pub(super) fn read(
    input: impl Read,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| ImportError::Format(format!("custom CSV: {e}")))?
        .iter()
        .map(|h| decode(h).trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(id_col), Some(name_col)) = (col("id"), col("name")) else {
        return Err(ImportError::Format("custom CSV: the header must have `id` and `name` columns".to_owned()));
    };
    let [kind_col, aliases_col, dates_col, countries_col, programs_col, remarks_col] =
        ["kind", "aliases", "birth_dates", "countries", "programs", "remarks"].map(col);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(err) if err.is_io_error() => return Err(ImportError::Format(format!("custom CSV: {err}"))),
            Err(err) => {
                let n = tick(report, progress);
                report.skip(n, None, err.to_string());
                continue;
            }
        }
        let row: Vec<String> = record.iter().map(|f| decode(f).into_owned()).collect();
        if row.iter().all(|f| clean(f).is_none()) {
            continue;
        }
        let n = tick(report, progress);
        let field = |c: Option<usize>| c.and_then(|c| row.get(c)).and_then(|f| clean(f));
        let many = |c: Option<usize>| field(c).into_iter().flat_map(|f| f.split(';')).filter_map(clean);
        let Some(id) = field(Some(id_col)) else {
            report.skip(n, None, "row without id");
            continue;
        };
        let Some(name) = field(Some(name_col)) else {
            report.skip(n, Some(id), "row without name");
            continue;
        };
        let kind = field(kind_col).map_or(EntryKind::Unknown, EntryKind::from_list_word);
        let mut entry = Entry::new(ListSource::Custom, id, kind, crate::entry::collapse_spaces(name));
        many(aliases_col).for_each(|a| entry.push_alias(a));
        many(dates_col).flat_map(parse_list_dates).for_each(|d| entry.push_birth_date(d));
        many(countries_col).for_each(|c| entry.push_country(c));
        many(programs_col).for_each(|p| entry.push_program(p));
        if let Some(remarks) = field(remarks_col) {
            entry.push_remark(remarks);
        }
        report.entries.push(entry);
    }
}
