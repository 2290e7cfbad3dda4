//! What each module loaded, so operators (and `/healthz`-style endpoints) can see whether
//! answers rest on real data and whose data it is.

use std::path::PathBuf;

use serde::Serialize;

/// Whether a module answers with all of its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum ModuleState {
    /// Every dataset the module uses is loaded.
    Ready,
    /// The module answers, but without some data; the reason says which and why.
    Degraded(String),
    /// Switched off by configuration: its look-ups return `None`.
    Off,
}

/// One dataset behind a module, with what its licence asks of whoever shows results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetInfo {
    /// Stable identifier (`dbip-city`, `asn`, `mailchecker`, `operator:geo_mmdb`, …).
    pub id: String,
    /// Where it came from: `npm @ip-location-db/asn`, `pypi iporigin`, `built in`, `operator file`.
    pub source: String,
    pub version: Option<String>,
    pub licence: Option<String>,
    /// Credit the licence requires when results are shown, if any.
    pub attribution: Option<String>,
    /// The file or folder read, for data loaded from disk.
    pub path: Option<PathBuf>,
}

/// The load outcome of one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModuleStatus {
    /// `ip`, `email`, `phone` or `bin`.
    pub name: String,
    #[serde(flatten)]
    pub state: ModuleState,
    pub datasets: Vec<DatasetInfo>,
}

/// Collects the problems met while loading one module; several can go wrong independently.
#[derive(Debug, Default)]
pub(crate) struct StatusBuilder {
    problems: Vec<String>,
    datasets: Vec<DatasetInfo>,
}

impl StatusBuilder {
    pub fn problem(&mut self, problem: impl Into<String>) {
        self.problems.push(problem.into());
    }

    pub fn dataset(&mut self, info: DatasetInfo) {
        self.datasets.push(info);
    }

    pub fn finish(self, name: &str) -> ModuleStatus {
        let state =
            if self.problems.is_empty() { ModuleState::Ready } else { ModuleState::Degraded(self.problems.join("; ")) };
        ModuleStatus { name: name.to_string(), state, datasets: self.datasets }
    }
}

impl DatasetInfo {
    pub(crate) fn built_in(id: &str, version: Option<&str>, licence: &str, attribution: Option<&str>) -> Self {
        DatasetInfo {
            id: id.to_string(),
            source: "built in".to_string(),
            version: version.map(str::to_string),
            licence: Some(licence.to_string()),
            attribution: attribution.map(str::to_string),
            path: None,
        }
    }

    pub(crate) fn operator(id: &str, path: PathBuf) -> Self {
        DatasetInfo {
            id: format!("operator:{id}"),
            source: "operator file".to_string(),
            version: None,
            licence: None,
            attribution: None,
            path: Some(path),
        }
    }
}
