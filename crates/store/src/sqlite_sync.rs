//! Syncing the database file through a connection's own file handle.
//!
//! The obvious way, opening the file with `std::fs::File` and calling `sync_data`, is unsafe
//! for the data: SQLite's locks are POSIX advisory locks, which belong to the process, and
//! closing *any* descriptor of the file drops every one of them. The service's connections
//! then hold no lock on the database, so the next other process to close its connection (the
//! CLI creating a key while the service runs, or `sqlite3`) believes it is the last user,
//! checkpoints and deletes the WAL under the running service: its later commits go to an
//! unlinked file and are lost. SQLite keeps its descriptors open for exactly this reason, so
//! the sync goes through the descriptor of a connection that stays open.

use rusqlite::{Connection, ffi};
use std::os::raw::c_void;

/// Syncs the main database file of `connection` (data, not necessarily metadata: the same
/// flags SQLite's checkpoints use with `synchronous = NORMAL`).
pub(crate) fn sync_database_file(connection: &Connection) -> rusqlite::Result<()> {
    let mut file: *mut ffi::sqlite3_file = std::ptr::null_mut();
    // SAFETY: `handle` is the live connection borrowed here; FILE_POINTER writes the main
    // database's `sqlite3_file` pointer (owned by the connection, valid while it is open and
    // not detached) into `file`. The connection is only used by this thread, so nothing else
    // works on the handle while `xSync` runs, which is how SQLite itself calls it.
    let rc = unsafe {
        let name = c"main";
        let rc = ffi::sqlite3_file_control(
            connection.handle(),
            name.as_ptr(),
            ffi::SQLITE_FCNTL_FILE_POINTER,
            (&raw mut file).cast::<c_void>(),
        );
        if rc != ffi::SQLITE_OK || file.is_null() || (*file).pMethods.is_null() {
            return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_MISUSE), None));
        }
        match (*(*file).pMethods).xSync {
            Some(sync) => sync(file, ffi::SQLITE_SYNC_NORMAL),
            None => ffi::SQLITE_OK,
        }
    };
    if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncs_an_open_database_and_keeps_it_usable() {
        let dir = tempfile::tempdir().expect("dir");
        let connection = Connection::open(dir.path().join("s.db")).expect("open");
        connection
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);")
            .expect("fill");
        sync_database_file(&connection).expect("sync");
        let n: i64 = connection.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).expect("read");
        assert_eq!(n, 1);
    }

    #[test]
    fn a_database_without_an_open_file_is_an_error_not_a_crash() {
        // A temporary database ("") has no file object until it spills to disk: the pointer
        // SQLite hands back has no methods to call.
        let temporary = Connection::open("").expect("temp");
        assert!(sync_database_file(&temporary).is_err());
    }
}
