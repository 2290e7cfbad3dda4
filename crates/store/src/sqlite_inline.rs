//! SQLite reads run on the calling thread. sqlx gives every SQLite connection a thread of its
//! own and hands each statement and its rows across, which on a busy two-core machine cost
//! ~150 µs of wake-ups per statement against 5–90 µs of SQLite work. A decision makes about ten
//! short indexed reads, so those go through these connections instead, in place: a read of
//! pages SQLite or the OS already holds is cheaper than a wake-up.

use crate::params::Param;
use rusqlite::{Connection, OpenFlags, Row};
use sightline_core::{Error, Result};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Distinct statement texts kept prepared per connection: the decision reads vary with how
/// many keys, lists and blocking keys an event carries, so they come in a few dozen shapes.
const PREPARED_STATEMENTS: usize = 128;

/// How much of the database file each reader maps. In WAL mode a reader drops its whole page
/// cache whenever another connection has committed since its last read, which under a steady
/// stream of decisions is every read: without the mapping each page is copied in again from
/// the OS with a read(2); with it, the database file's pages are used where they lie (pages
/// still in the WAL are read as before).
const MMAP_BYTES: u64 = 1 << 30;

pub(crate) struct InlineReaders {
    /// The writer's connection, tried first: see `connection`.
    warm: Option<Arc<Mutex<Connection>>>,
    connections: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl InlineReaders {
    /// Opens `count` read connections to the database at `path`, which the caller has created
    /// and put in WAL mode. `cache_kib` is each connection's page cache. `warm`, the writer's
    /// connection, is used whenever it is free.
    pub(crate) fn open(
        path: &Path,
        count: usize,
        cache_kib: u32,
        warm: Option<Arc<Mutex<Connection>>>,
    ) -> Result<InlineReaders> {
        let connections =
            (0..count.max(1)).map(|_| open_one(path, cache_kib).map(Mutex::new)).collect::<Result<Vec<_>>>()?;
        Ok(InlineReaders { warm, connections, next: AtomicUsize::new(0) })
    }

    /// Every row of `sql` with `params` bound as `$1`, `$2`, …
    pub(crate) fn fetch_all<T: InlineRow>(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<T>> {
        let connection = self.connection();
        let mut statement = connection.prepare_cached(sql).map_err(read_err)?;
        // The writer's connection serves reads too, so "reads only" is checked here rather
        // than left to `query_only` on the readers.
        if !statement.readonly() {
            return Err(Error::internal("an inline read was given a statement that writes"));
        }
        for (i, param) in params.iter().enumerate() {
            // `$n` may appear several times or out of order; SQLite numbers a named parameter
            // by its first appearance, so look each one up by name.
            let Some(index) = statement.parameter_index(&format!("${}", i + 1)).map_err(read_err)? else {
                continue;
            };
            let bound = match *param {
                Param::Text(text) => statement.raw_bind_parameter(index, text),
                Param::OptText(text) => statement.raw_bind_parameter(index, text),
                Param::Int(int) => statement.raw_bind_parameter(index, int),
            };
            bound.map_err(read_err)?;
        }
        let mut rows = statement.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(read_err)? {
            out.push(T::from_row(row).map_err(read_err)?);
        }
        Ok(out)
    }

    /// The first free connection, in a fixed order; if all are busy, the next in turn (waiting
    /// for a statement of microseconds). The fixed order matters: after any commit a reader's
    /// next statement starts by dropping its page cache and file mapping, so a decision's reads
    /// cost least when they keep to one connection that has already paid for that since the
    /// last commit — rotating through all of them paid it on nearly every statement. First of
    /// all comes the writer's connection when no batch holds it: it never pays that, since it
    /// made the commit. A panic while one was held leaves nothing half-done in it: each read
    /// is one autocommit statement, so a poisoned lock is taken as it is.
    fn connection(&self) -> MutexGuard<'_, Connection> {
        if let Some(Ok(guard)) = self.warm.as_deref().map(Mutex::try_lock) {
            return guard;
        }
        for connection in &self.connections {
            if let Ok(guard) = connection.try_lock() {
                return guard;
            }
        }
        let next = self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len();
        self.connections[next].lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn open_one(path: &Path, cache_kib: u32) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags).map_err(read_err)?;
    connection.busy_timeout(Duration::from_secs(10)).map_err(read_err)?;
    // Reads only: writes stay with the writer (see `sqlite`).
    connection
        .execute_batch(&format!(
            "PRAGMA query_only = ON; PRAGMA cache_size = -{cache_kib}; PRAGMA mmap_size = {MMAP_BYTES};"
        ))
        .map_err(read_err)?;
    connection.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
    Ok(connection)
}

fn read_err(err: rusqlite::Error) -> Error {
    tracing::error!(error = %err, "store read error");
    Error::internal(err)
}

/// A row type the inline readers can return; the tuples sqlx decodes on PostgreSQL.
pub(crate) trait InlineRow: Sized {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! inline_tuple {
    ($($name:ident $index:tt),+) => {
        impl<$($name: rusqlite::types::FromSql),+> InlineRow for ($($name,)+) {
            fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
                Ok(($(row.get::<_, $name>($index)?,)+))
            }
        }
    };
}

inline_tuple!(A 0);
inline_tuple!(A 0, B 1);
inline_tuple!(A 0, B 1, C 2);
inline_tuple!(A 0, B 1, C 2, D 3);
inline_tuple!(A 0, B 1, C 2, D 3, E 4);
inline_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
inline_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);

#[cfg(test)]
mod tests {
    use super::*;

    fn readers_on(dir: &tempfile::TempDir) -> InlineReaders {
        let path = dir.path().join("inline.db");
        let setup = Connection::open(&path).expect("create");
        setup
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT, n INTEGER, note TEXT); \
                 INSERT INTO t VALUES ('a', 1, NULL), ('b', 2, 'x'), ('a', 3, 'y');",
            )
            .expect("fill");
        InlineReaders::open(&path, 2, 1024, None).expect("open")
    }

    #[test]
    fn binds_numbered_parameters_by_name_whatever_their_order_in_the_text() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = readers_on(&dir);
        let rows: Vec<(String, i64)> = readers
            .fetch_all("SELECT k, n FROM t WHERE n >= $2 AND k = $1 ORDER BY n", &[Param::Text("a"), Param::Int(2)])
            .expect("read");
        assert_eq!(rows, vec![("a".to_owned(), 3)]);
    }

    #[test]
    fn optional_values_read_and_bind_as_null() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = readers_on(&dir);
        let rows: Vec<(Option<String>,)> =
            readers.fetch_all("SELECT note FROM t WHERE k = $1 ORDER BY n", &[Param::Text("a")]).expect("read");
        assert_eq!(rows, vec![(None,), (Some("y".to_owned()),)]);
        let none: Vec<(i64,)> =
            readers.fetch_all("SELECT n FROM t WHERE note IS $1", &[Param::OptText(None)]).expect("read");
        assert_eq!(none, vec![(1,)]);
    }

    #[test]
    fn readers_cannot_write() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = readers_on(&dir);
        assert!(readers.fetch_all::<(i64,)>("DELETE FROM t RETURNING n", &[]).is_err());
        let left: Vec<(i64,)> = readers.fetch_all("SELECT COUNT(*) FROM t", &[]).expect("read");
        assert_eq!(left, vec![(3,)]);
    }

    /// The readers plus a writable connection standing in for the writer's.
    fn readers_with_a_warm_connection(dir: &tempfile::TempDir) -> (InlineReaders, Arc<Mutex<Connection>>) {
        let cold = readers_on(dir);
        let warm = Arc::new(Mutex::new(Connection::open(dir.path().join("inline.db")).expect("open")));
        (InlineReaders { warm: Some(Arc::clone(&warm)), ..cold }, warm)
    }

    #[test]
    fn the_writable_warm_connection_cannot_write_through_a_read_either() {
        let dir = tempfile::tempdir().expect("dir");
        let (readers, _warm) = readers_with_a_warm_connection(&dir);
        assert!(readers.fetch_all::<(i64,)>("DELETE FROM t RETURNING n", &[]).is_err());
        assert!(readers.fetch_all::<(i64,)>("INSERT INTO t VALUES ('c', 4, NULL) RETURNING n", &[]).is_err());
        let left: Vec<(i64,)> = readers.fetch_all("SELECT COUNT(*) FROM t", &[]).expect("read");
        assert_eq!(left, vec![(3,)]);
    }

    #[test]
    fn reads_go_to_the_warm_connection_when_free_and_elsewhere_while_it_is_held() {
        let dir = tempfile::tempdir().expect("dir");
        let (readers, warm) = readers_with_a_warm_connection(&dir);
        // A temporary table exists only on the connection that made it: it tells them apart.
        warm.lock().expect("lock").execute_batch("CREATE TEMP TABLE only_on_warm (x INTEGER)").expect("temp");
        let sql = "SELECT COUNT(*) FROM sqlite_temp_master WHERE name = 'only_on_warm'";
        assert_eq!(readers.fetch_all::<(i64,)>(sql, &[]).expect("read"), vec![(1,)]);
        let held = warm.lock().expect("lock");
        assert_eq!(readers.fetch_all::<(i64,)>(sql, &[]).expect("read"), vec![(0,)]);
        drop(held);
        assert_eq!(readers.fetch_all::<(i64,)>(sql, &[]).expect("read"), vec![(1,)]);
    }

    #[test]
    fn a_wrong_column_type_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = readers_on(&dir);
        assert!(readers.fetch_all::<(i64,)>("SELECT k FROM t", &[]).is_err());
    }
}
