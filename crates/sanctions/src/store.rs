//! Persistence of the index in the data directory as JSON lines: one header line with the
//! format version and the import metadata, then one entry per line. Easy to inspect with
//! `head`/`jq`, and the matcher's derived structures are rebuilt on load rather than stored,
//! so a change to the matcher never needs a data migration.

use crate::entry::{Entry, ListSource};
use crate::import::ImportReport;
use crate::index::SanctionsIndex;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Written in the header so that other files are refused rather than misread.
pub const FORMAT_NAME: &str = "sightline-sanctions";
/// Bumped on an incompatible change of the file layout or of [`Entry`].
pub const FORMAT_VERSION: u32 = 1;

/// Where the entries of one list came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportMeta {
    pub list: ListSource,
    /// File name only (no directory), as given to the importer.
    pub source_file: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    /// Entries kept.
    pub count: usize,
    /// Records skipped as malformed.
    pub skipped: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    saved_at: String,
    entry_count: usize,
    imports: Vec<ImportMeta>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot access {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} line {line}: {source}")]
    Json { path: PathBuf, line: usize, source: serde_json::Error },
    #[error("{path} is not a sightline sanctions index (format `{found}`)")]
    NotAnIndex { path: PathBuf, found: String },
    #[error("{path} has format version {found}; this build reads version {FORMAT_VERSION}")]
    UnsupportedVersion { path: PathBuf, found: u32 },
    #[error("{path} is truncated: header announces {expected} entries, found {found}")]
    Truncated { path: PathBuf, expected: usize, found: usize },
}

impl SanctionsIndex {
    /// Writes the entries and import metadata to `path`, atomically: a temporary file in
    /// the same directory is renamed over the old one, so a crash never leaves half a list.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let tmp = temp_path(path);
        let header = Header {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            saved_at: crate::time::now_rfc3339(),
            entry_count: self.entries.len(),
            imports: self.imports.clone(),
        };
        let write = || -> Result<(), StoreError> {
            let file = File::create(&tmp).map_err(io)?;
            let mut out = BufWriter::new(file);
            let json = |source| StoreError::Json { path: path.to_owned(), line: 0, source };
            serde_json::to_writer(&mut out, &header).map_err(json)?;
            out.write_all(b"\n").map_err(io)?;
            for entry in &self.entries {
                serde_json::to_writer(&mut out, entry).map_err(json)?;
                out.write_all(b"\n").map_err(io)?;
            }
            let file = out.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)
        };
        if let Err(err) = write() {
            let _ = std::fs::remove_file(&tmp);
            return Err(err);
        }
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a file written by [`SanctionsIndex::save`] and rebuilds the index.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io { path: path.to_owned(), source };
        let mut lines = BufReader::new(File::open(path).map_err(io)?).lines();
        let first = lines.next().transpose().map_err(io)?.unwrap_or_default();
        let header: Header = serde_json::from_str(&first).map_err(|source| StoreError::NotAnIndex {
            path: path.to_owned(),
            found: if first.is_empty() { "empty file".to_owned() } else { source.to_string() },
        })?;
        if header.format != FORMAT_NAME {
            return Err(StoreError::NotAnIndex { path: path.to_owned(), found: header.format });
        }
        if header.version != FORMAT_VERSION {
            return Err(StoreError::UnsupportedVersion { path: path.to_owned(), found: header.version });
        }
        let mut entries = Vec::with_capacity(header.entry_count);
        for (n, line) in lines.enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            let entry: Entry = serde_json::from_str(&line).map_err(|source| StoreError::Json {
                path: path.to_owned(),
                line: n + 2,
                source,
            })?;
            entries.push(entry);
        }
        if entries.len() != header.entry_count {
            return Err(StoreError::Truncated {
                path: path.to_owned(),
                expected: header.entry_count,
                found: entries.len(),
            });
        }
        Ok(SanctionsIndex::build_with_imports(entries, header.imports))
    }

    /// A new index with the entries of `report.list` replaced by the report's: what an
    /// operator wants when re-importing one list's latest download.
    pub fn with_import(&self, report: ImportReport) -> SanctionsIndex {
        let meta = report.meta();
        let mut entries: Vec<Entry> = self.entries.iter().filter(|e| e.list != report.list).cloned().collect();
        entries.extend(report.entries);
        let mut imports: Vec<ImportMeta> = self.imports.iter().filter(|m| m.list != report.list).cloned().collect();
        imports.push(meta);
        imports.sort_by_key(|m| m.list);
        SanctionsIndex::build_with_imports(entries, imports)
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}
