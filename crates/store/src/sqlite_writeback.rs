//! Starts the writeback of the WAL's dirty pages early, without waiting for it, so that the
//! checkpoint's `fdatasync` of the WAL finds little left to write.
//!
//! Left to the kernel, a WAL filled at 1,000 decisions/s holds ~20 MB of dirty pages when a
//! checkpoint syncs it every 250 ms. Commits meeting such a sync stalled for 25–50 ms now and
//! then, and every request arriving meanwhile queued behind them: the whole p99 at that rate
//! (BENCHMARKS.md, session 17). Handed to the disk every 50 ms, the pages go out in small
//! steps.
//!
//! The descriptor is SQLite's own, found through `/proc/self/fd`: opening and closing one of
//! our own would drop the process's POSIX locks on the file (see `sqlite_sync`). Elsewhere than
//! on Linux this does nothing.

use std::path::{Path, PathBuf};

pub(crate) struct EarlyWriteback {
    wal: PathBuf,
    fd: Option<i32>,
}

impl EarlyWriteback {
    /// For the WAL of the database at `database` (the WAL need not exist yet).
    pub(crate) fn new(database: &Path) -> Self {
        // `/proc/self/fd` names files by their canonical path.
        let mut wal = std::fs::canonicalize(database).unwrap_or_else(|_| database.to_owned()).into_os_string();
        wal.push("-wal");
        Self { wal: wal.into(), fd: None }
    }

    /// Asks the kernel to start writing the WAL's dirty pages; never waits for the writes.
    pub(crate) fn start(&mut self) {
        if !self.fd.is_some_and(|fd| self.points_at_wal(fd)) {
            self.fd = self.find();
        }
        #[cfg(target_os = "linux")]
        if let Some(fd) = self.fd {
            // SAFETY: `fd` was just checked to be an open descriptor of the WAL; the call only
            // schedules writeback of the file's page cache and touches no memory of ours.
            unsafe { libc::sync_file_range(fd, 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
        }
    }

    fn points_at_wal(&self, fd: i32) -> bool {
        std::fs::read_link(format!("/proc/self/fd/{fd}")).is_ok_and(|target| target == self.wal)
    }

    fn find(&self) -> Option<i32> {
        std::fs::read_dir("/proc/self/fd")
            .ok()?
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
            .find(|fd| self.points_at_wal(*fd))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn finds_the_open_wal_and_leaves_the_database_usable() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("w.db");
        let connection = Connection::open(&path).expect("open");
        connection
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);")
            .expect("fill");
        let mut writeback = EarlyWriteback::new(&path);
        writeback.start();
        assert!(writeback.fd.is_some(), "the connection's WAL descriptor is found");
        writeback.start();
        connection.execute("INSERT INTO t VALUES (2)", []).expect("still writable");
        let n: i64 = connection.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).expect("read");
        assert_eq!(n, 2);
    }

    #[test]
    fn without_a_wal_it_does_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let mut writeback = EarlyWriteback::new(&dir.path().join("none.db"));
        writeback.start();
        assert!(writeback.fd.is_none());
    }
}
