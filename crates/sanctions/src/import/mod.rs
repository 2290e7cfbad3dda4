//! Importers for the list files an operator downloads. Each streams its input (one record
//! in memory at a time), reports progress, and skips malformed records with a reason
//! instead of failing the whole import. A file that cannot be read as its format at all
//! (not XML, no header row) is an error: importing half a list silently would be worse.

mod custom_csv;
mod eu_xml;
mod ofac_csv;
mod ofac_xml;
mod text;
mod uk_csv;
mod un_xml;
mod xml;

use crate::entry::{Entry, ListSource};
use crate::store::ImportMeta;
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The progress callback is called with the number of records read so far, every
/// [`PROGRESS_EVERY`] records and once at the end.
pub const PROGRESS_EVERY: u64 = 1000;

/// A record that was read but not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRecord {
    /// 1-based position of the record in its file (rows for CSV, list elements for XML).
    pub record: u64,
    /// The list's identifier for the record, when it could be read.
    pub list_id: Option<String>,
    pub reason: String,
}

/// The outcome of importing one list file.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub list: ListSource,
    pub source_file: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    pub entries: Vec<Entry>,
    pub records_read: u64,
    pub skipped: Vec<SkippedRecord>,
}

impl ImportReport {
    fn new(list: ListSource) -> Self {
        ImportReport {
            list,
            source_file: String::new(),
            imported_at: crate::time::now_rfc3339(),
            entries: Vec::new(),
            records_read: 0,
            skipped: Vec::new(),
        }
    }

    /// The metadata saved with the index.
    pub fn meta(&self) -> ImportMeta {
        ImportMeta {
            list: self.list,
            source_file: self.source_file.clone(),
            imported_at: self.imported_at.clone(),
            count: self.entries.len(),
            skipped: self.skipped.len(),
        }
    }

    fn skip(&mut self, record: u64, list_id: Option<&str>, reason: impl Into<String>) {
        self.skipped.push(SkippedRecord { record, list_id: list_id.map(str::to_owned), reason: reason.into() });
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("read error: {0}")]
    Read(#[from] std::io::Error),
    #[error("malformed XML at byte {position}: {message}")]
    Xml { position: u64, message: String },
    #[error("{0}")]
    Format(String),
}

/// Imports one downloaded list file.
///
/// * `Ofac`: `sdn.csv` (with `alt.csv` and `add.csv` read from the same directory when
///   present, for aliases and address countries), or `sdn.xml`.
/// * `Eu`: the FSF consolidated list XML (`xmlFullSanctionsList_1_1`).
/// * `Un`: the UN Security Council consolidated list XML.
/// * `UkHmt`: the OFSI consolidated list CSV (`ConList.csv`).
/// * `Custom`: a CSV with header `id,name,kind,aliases,birth_dates,countries,programs,remarks`.
pub fn import_file(list: ListSource, path: &Path, progress: &mut dyn FnMut(u64)) -> Result<ImportReport, ImportError> {
    let open = |p: &Path| File::open(p).map_err(|source| ImportError::Io { path: p.to_owned(), source });
    let is_xml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    let mut report = match (list, is_xml) {
        (ListSource::Ofac, false) => {
            let alt = sibling(path, "alt.csv").map(|p| open(&p)).transpose()?;
            let add = sibling(path, "add.csv").map(|p| open(&p)).transpose()?;
            read_ofac_csv(open(path)?, alt, add, progress)?
        }
        _ => read_list(list, BufReader::new(open(path)?), progress)?,
    };
    report.source_file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(report)
}

/// Imports a single-file list from a reader: the OFAC SDN XML, EU XML, UN XML, UK HMT CSV
/// or custom CSV. (The OFAC CSV release spans three files: see [`read_ofac_csv`].)
pub fn read_list(
    list: ListSource,
    reader: impl BufRead,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::new(list);
    let record = match list {
        ListSource::Ofac => {
            ofac_xml::read(reader, &mut report, progress)?;
            "sdnEntry"
        }
        ListSource::Eu => {
            eu_xml::read(reader, &mut report, progress)?;
            "sanctionEntity"
        }
        ListSource::Un => {
            un_xml::read(reader, &mut report, progress)?;
            "INDIVIDUAL or ENTITY"
        }
        ListSource::UkHmt => {
            uk_csv::read(reader, &mut report, progress)?;
            ""
        }
        ListSource::Custom => {
            custom_csv::read(reader, &mut report, progress)?;
            ""
        }
    };
    // Well-formed XML with none of the list's records is another file, not an empty list.
    if !record.is_empty() && report.records_read == 0 {
        return Err(ImportError::Format(format!("no {record} element found: is this the {list} list XML?")));
    }
    progress(report.records_read);
    Ok(report)
}

/// Imports the OFAC SDN CSV release: `sdn.csv` and, optionally, `alt.csv` (aliases) and
/// `add.csv` (addresses, used for countries).
pub fn read_ofac_csv(
    sdn: impl Read,
    alt: Option<impl Read>,
    add: Option<impl Read>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::new(ListSource::Ofac);
    ofac_csv::read(sdn, alt, add, &mut report, progress)?;
    if report.entries.is_empty() {
        return Err(ImportError::Format("sdn.csv has no valid rows: is this the OFAC SDN CSV?".to_owned()));
    }
    progress(report.records_read);
    Ok(report)
}

/// The file `name` next to `path`, matched case-insensitively, if it exists.
fn sibling(path: &Path, name: &str) -> Option<PathBuf> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(name)) && p.as_path() != path)
}

/// Counts a record and calls `progress` every [`PROGRESS_EVERY`] records.
fn tick(report: &mut ImportReport, progress: &mut dyn FnMut(u64)) -> u64 {
    report.records_read += 1;
    if report.records_read % PROGRESS_EVERY == 0 {
        progress(report.records_read);
    }
    report.records_read
}
