//! `enrich/manifest.json`, written by `scripts/data-fetch.sh`: which datasets are installed,
//! from which package and version, under which licence and with which attribution.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::LoadError;
use crate::status::DatasetInfo;

#[derive(Debug, Deserialize)]
pub(crate) struct Manifest {
    #[serde(skip)]
    root: PathBuf,
    datasets: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Entry {
    pub id: String,
    registry: String,
    package: String,
    version: String,
    licence: String,
    attribution: String,
    files: Vec<String>,
}

impl Manifest {
    /// Reads `enrich_dir/manifest.json`. A missing file is `Ok(None)`: no data was fetched,
    /// which the modules report as degraded rather than as an error.
    pub fn load(enrich_dir: &Path) -> Result<Option<Manifest>, LoadError> {
        let path = enrich_dir.join("manifest.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(LoadError::io(&path, e)),
        };
        let mut manifest: Manifest =
            serde_json::from_str(&text).map_err(|e| LoadError::format(&path, e.to_string()))?;
        manifest.root = enrich_dir.to_path_buf();
        Ok(Some(manifest))
    }

    pub fn dataset(&self, id: &str) -> Option<&Entry> {
        self.datasets.iter().find(|d| d.id == id)
    }

    /// The dataset's recorded files as paths on disk.
    pub fn files(&self, entry: &Entry) -> Vec<PathBuf> {
        entry.files.iter().map(|f| self.root.join(f)).collect()
    }

    /// The folder holding the dataset, which is where its licence files are.
    pub fn info(&self, entry: &Entry) -> DatasetInfo {
        let folder = entry.files.first().and_then(|f| Path::new(f).parent()).map(|p| self.root.join(p));
        DatasetInfo {
            id: entry.id.clone(),
            source: format!("{} {}", entry.registry, entry.package),
            version: Some(entry.version.clone()),
            licence: Some(entry.licence.clone()),
            attribution: Some(entry.attribution.clone()),
            path: folder,
        }
    }
}
