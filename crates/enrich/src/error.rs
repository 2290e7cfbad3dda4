//! Why a dataset could not be loaded. These never escape [`crate::Enrichment::load`]: they become
//! the reason of a degraded [`crate::ModuleStatus`].

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub(crate) enum LoadError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: line {line}: {message}", path.display())]
    Line { path: PathBuf, line: usize, message: String },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Mmdb { path: PathBuf, source: maxminddb::MaxMindDbError },
}

impl LoadError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        LoadError::Io { path: path.to_path_buf(), source }
    }

    pub fn line(path: &Path, line: usize, message: impl Into<String>) -> Self {
        LoadError::Line { path: path.to_path_buf(), line, message: message.into() }
    }

    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        LoadError::Format { path: path.to_path_buf(), message: message.into() }
    }
}
