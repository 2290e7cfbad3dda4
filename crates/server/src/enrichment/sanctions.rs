//! The sanctions index on disk: imported by the CLI from the list files an operator
//! downloads, read by the service at start.

use crate::cli::{Output, SanctionsCommand};
use crate::config::Config;
use serde_json::json;
use sightline_core::{Error, Result};
use sightline_sanctions::{ListSource, SanctionsIndex, import_file};
use std::path::{Path, PathBuf};

pub fn index_path(data_dir: &Path) -> PathBuf {
    data_dir.join("sanctions").join("index.jsonl")
}

/// The imported index, if there is one; a file that cannot be read leaves AML degraded
/// with the reason logged, never the service down.
pub fn load_index(data_dir: &Path) -> Option<SanctionsIndex> {
    let path = index_path(data_dir);
    if !path.exists() {
        return None;
    }
    match SanctionsIndex::load(&path) {
        Ok(index) => Some(index),
        Err(e) => {
            println!("module aml degraded: cannot read {}: {e}", path.display());
            tracing::warn!(path = %path.display(), error = %e, "sanctions index unreadable");
            None
        }
    }
}

pub fn sanctions_command(command: SanctionsCommand, config: Config, output: Output) -> Result<()> {
    match command {
        SanctionsCommand::Import(args) => {
            let data_dir = args.dir.data_dir.unwrap_or(config.enrichment.data_dir);
            let list: ListSource =
                args.list.parse().map_err(|e| Error::bad_request("unknown_list", format!("--list: {e}")))?;
            let mut last = 0;
            let report = import_file(list, &args.file, &mut |records| {
                if output == Output::Text && records >= last + 10_000 {
                    eprintln!("  {records} records read");
                    last = records;
                }
            })
            .map_err(|e| Error::bad_request("import_failed", format!("{}: {e}", args.file.display())))?;
            let path = index_path(&data_dir);
            let index = if path.exists() {
                SanctionsIndex::load(&path).map_err(|e| Error::internal(format!("{}: {e}", path.display())))?
            } else {
                SanctionsIndex::default()
            };
            let (entries, skipped, read) = (report.entries.len(), report.skipped.len(), report.records_read);
            let index = index.with_import(report);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::internal(format!("{}: {e}", parent.display())))?;
            }
            index.save(&path).map_err(|e| Error::internal(format!("{}: {e}", path.display())))?;
            crate::commands::print(
                output,
                json!({"list": args.list, "records_read": read, "entries": entries, "skipped": skipped,
                       "index": path.display().to_string(), "index_entries": index.len()}),
                || {
                    format!(
                        "Imported {entries} entries from {} ({read} records read, {skipped} skipped) into {}; the index holds {} entries. Restart the service to use it.",
                        args.file.display(),
                        path.display(),
                        index.len()
                    )
                },
            );
            Ok(())
        }
        SanctionsCommand::Status(args) => {
            let data_dir = args.data_dir.unwrap_or(config.enrichment.data_dir);
            let index = load_index(&data_dir);
            let lists = index.as_ref().map(|i| json!(i.imports())).unwrap_or(json!([]));
            let entries = index.as_ref().map_or(0, SanctionsIndex::len);
            crate::commands::print(output, json!({"entries": entries, "lists": lists}), || {
                format!("{entries} entries in {}", index_path(&data_dir).display())
            });
            Ok(())
        }
    }
}
