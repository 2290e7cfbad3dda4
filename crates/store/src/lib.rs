//! Storage for Sightline: the [`sightline_core::Store`] port implemented for SQLite (the
//! embedded default, one file under `./data/`) and PostgreSQL (for stateless nodes that scale
//! out), with the migrations of each.
//!
//! Both backends run the same SQL text, written once in [`common`] and instantiated per pool
//! type, because the schemas are kept deliberately portable (integer milliseconds for time,
//! text for ids and JSON). What genuinely differs — connection setup, row claiming for
//! concurrent workers, how a decision's reads run (in place on SQLite, see `sqlite_inline`) —
//! lives in each backend's module.

mod common;
mod error;
mod group_commit;
mod multi_row;
mod params;
mod postgres;
mod prelude;
mod rows;
mod sql_decisions;
mod sql_devices;
mod sql_foundation;
mod sql_monitoring;
mod sql_velocity;
mod sql_webhooks;
mod sqlite;
mod sqlite_checkpoint;
mod sqlite_inline;
mod sqlite_sync;
mod sqlite_writeback;
mod sqlite_writer;
mod statements;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use sightline_core::{Error, Result, Store};
use std::sync::Arc;

/// Opens the store named by `url` (`sqlite://…` or `postgres://…`) and runs its migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        let store = SqliteStore::open(url).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let store = PgStore::connect(url).await?;
        store.migrate().await?;
        Ok(Arc::new(store))
    } else {
        Err(Error::invalid_field("database_url", "database URL must start with sqlite:// or postgres://"))
    }
}

/// Hides the password of a database URL for logs and the printed configuration.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact_url("postgres://u:secret@h:5/db"), "postgres://u:***@h:5/db");
        assert_eq!(redact_url("sqlite://data/sightline.db"), "sqlite://data/sightline.db");
    }
}
