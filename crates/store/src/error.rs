//! Maps database errors onto the core error type: constraint conflicts become 409s the
//! client can act on; everything else is our fault and stays an internal error.

use sightline_core::Error;

pub(crate) fn db_err(err: sqlx::Error) -> Error {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Error::conflict("already_exists", "a resource with these unique attributes already exists")
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            tracing::error!(error = %err, "store unavailable");
            Error::unavailable("the store is not reachable")
        }
        _ => {
            tracing::error!(error = %err, "store error");
            Error::internal(err)
        }
    }
}

/// The same classification for what SQLite's writer thread (rusqlite) reports.
pub(crate) fn sqlite_write_err(err: rusqlite::Error) -> Error {
    use rusqlite::ffi;
    match &err {
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::conflict("already_exists", "a resource with these unique attributes already exists")
        }
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(
                e.code,
                ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked | ffi::ErrorCode::DiskFull
            ) =>
        {
            tracing::error!(error = %err, "store unavailable");
            Error::unavailable("the store is not reachable")
        }
        _ => {
            tracing::error!(error = %err, "store error");
            Error::internal(err)
        }
    }
}

pub(crate) fn migrate_err(err: sqlx::migrate::MigrateError) -> Error {
    Error::internal(format!("migration failed: {err}"))
}
