//! Maps database errors onto the core error type: constraint conflicts become 409s the
//! client can act on; everything else is our fault and stays an internal error.

use sightline_core::Error;

/// What a database failure means to the client, whichever driver reported it.
enum Failure {
    UniqueViolation,
    Unavailable,
    Internal,
}

impl Failure {
    fn into_error(self, err: impl std::fmt::Display) -> Error {
        match self {
            Failure::UniqueViolation => {
                Error::conflict("already_exists", "a resource with these unique attributes already exists")
            }
            Failure::Unavailable => {
                tracing::error!(error = %err, "store unavailable");
                Error::unavailable("the store is not reachable")
            }
            Failure::Internal => {
                tracing::error!(error = %err, "store error");
                Error::internal(err)
            }
        }
    }
}

pub(crate) fn db_err(err: sqlx::Error) -> Error {
    let failure = match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => Failure::UniqueViolation,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => Failure::Unavailable,
        _ => Failure::Internal,
    };
    failure.into_error(err)
}

/// The same classification for what SQLite's writer thread (rusqlite) reports.
pub(crate) fn sqlite_write_err(err: rusqlite::Error) -> Error {
    use rusqlite::ffi;
    let failure = match &err {
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Failure::UniqueViolation
        }
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(
                e.code,
                ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked | ffi::ErrorCode::DiskFull
            ) =>
        {
            Failure::Unavailable
        }
        _ => Failure::Internal,
    };
    failure.into_error(err)
}

pub(crate) fn migrate_err(err: sqlx::migrate::MigrateError) -> Error {
    Error::internal(format!("migration failed: {err}"))
}
