//! WAL checkpoints off the commit path. By default the connection whose commit pushes the WAL
//! past 1,000 pages copies it back into the database file and syncs it before its commit
//! returns: with one writer, every decision queued behind that commit waited tens of
//! milliseconds, which made the p99 of the whole service. Here a thread of its own runs
//! passive checkpoints (they never block the writer or the readers) and the writer never
//! checkpoints.

use rusqlite::{Connection, OpenFlags};
use sightline_core::{Error, Result};
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// Often enough that the WAL stays a few MB under a steady write load.
const INTERVAL: Duration = Duration::from_millis(250);

/// Runs until dropped.
pub(crate) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> Result<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(checkpoint_err)?;
        connection.busy_timeout(Duration::from_secs(1)).map_err(checkpoint_err)?;
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                // The sender is never used: its drop (with the store) ends the loop.
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    if let Err(err) = checkpoint(&connection) {
                        tracing::warn!(error = %err, "WAL checkpoint failed; retrying");
                    }
                }
            })
            .map_err(|e| Error::internal(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer { _stop: stop })
    }
}

/// Copies what no reader still needs from the WAL into the database file; SQLite starts the
/// WAL over once all of it has been copied.
fn checkpoint(connection: &Connection) -> rusqlite::Result<()> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

fn checkpoint_err(err: rusqlite::Error) -> Error {
    Error::internal(format!("cannot open the checkpoint connection: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 rows of 8 KB written with automatic checkpoints off; returns the database file's
    /// size (the WAL not included) after waiting a few checkpoint intervals.
    fn file_size_after_writes(with_checkpointer: bool) -> u64 {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("wal.db");
        let writer = Connection::open(&path).expect("open");
        writer
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB);")
            .expect("setup");
        let _checkpointer = with_checkpointer.then(|| Checkpointer::start(&path).expect("start"));
        for _ in 0..100 {
            writer.execute("INSERT INTO t VALUES (zeroblob(8192))", []).expect("insert");
        }
        let mut size = 0;
        let waits = if with_checkpointer { 40 } else { 6 };
        for _ in 0..waits {
            std::thread::sleep(INTERVAL / 2);
            size = std::fs::metadata(&path).expect("size").len();
            if size > 800_000 {
                break;
            }
        }
        size
    }

    #[test]
    fn committed_pages_reach_the_database_file_without_the_writer_checkpointing() {
        assert!(file_size_after_writes(false) < 100_000, "without the thread the pages stay in the WAL");
        assert!(file_size_after_writes(true) > 800_000, "the thread copied them into the database file");
    }
}
