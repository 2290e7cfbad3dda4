//! The thread that writes a group-commit batch of decisions to SQLite. sqlx gives its SQLite
//! connection a thread too, but answers each statement of a command across threads: a
//! decision's seven inserts cost ~1.5 ms of hand-offs on an idle machine against ~0.4 ms of
//! SQLite work. Here the whole transaction runs on the thread that owns the connection and
//! only its outcome crosses back.
//!
//! The caller holds sqlx's single writer connection while this thread writes, so the two
//! never write at once: a transaction of the other that read before this one committed would
//! otherwise fail on its stale snapshot instead of waiting.
//!
//! Between batches the connection also serves reads (see `sqlite_inline`): it made the last
//! commit itself, so its page cache is still valid, where every other connection's first read
//! after a commit starts by dropping its cache and file mapping.

use crate::statements::{Bind, Statement};
use rusqlite::{Connection, OpenFlags};
use sightline_core::{Error, Result};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;
use tokio::sync::oneshot;

/// Statement shapes kept prepared: a batch writes each table in one statement whose text
/// depends on how many rows it carries, so busy periods bring a few dozen shapes.
const PREPARED_STATEMENTS: usize = 256;

/// Statement shapes the reads add (see `sqlite_inline::PREPARED_STATEMENTS`).
const PREPARED_READS: usize = 128;

struct Job {
    statements: Vec<Statement>,
    reply: oneshot::Sender<rusqlite::Result<()>>,
}

pub(crate) struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
    connection: Arc<Mutex<Connection>>,
}

impl SqliteWriter {
    /// Opens a write connection to the database at `path` (created, migrated and in WAL mode)
    /// and starts its thread, which ends when the writer is dropped.
    pub(crate) fn start(path: &Path, cache_kib: u32) -> Result<SqliteWriter> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(writer_err)?;
        connection.busy_timeout(Duration::from_secs(10)).map_err(writer_err)?;
        // The same settings as the sqlx writer: checkpoints belong to `sqlite_checkpoint`.
        // Statement journals stay in memory: a batch's statements journal more than SQLite's
        // 64 KiB spill threshold, and spilling created, unlinked and wrote a temporary file
        // every few batches (bounded by the batch size, so memory is not at risk).
        connection
            .execute_batch(&format!(
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; \
                 PRAGMA cache_size = -{cache_kib}; PRAGMA temp_store = MEMORY;"
            ))
            .map_err(writer_err)?;
        connection.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS + PREPARED_READS);
        let connection = Arc::new(Mutex::new(connection));
        let (jobs, receiver) = mpsc::channel::<Job>();
        let owned = Arc::clone(&connection);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                for job in receiver {
                    // A read holds the connection for one statement. A panic elsewhere while it
                    // was held leaves no transaction open (reads are autocommit, and
                    // `transaction` rolls back), so a poisoned lock is taken as it is.
                    let mut connection = owned.lock().unwrap_or_else(PoisonError::into_inner);
                    let outcome = transaction(&mut connection, &job.statements);
                    drop(connection);
                    // A caller that went away needs no answer.
                    job.reply.send(outcome).ok();
                }
            })
            .map_err(|e| Error::internal(format!("cannot start the SQLite writer thread: {e}")))?;
        Ok(SqliteWriter { jobs, connection })
    }

    /// The writer's connection, for reads between batches.
    pub(crate) fn connection(&self) -> Arc<Mutex<Connection>> {
        Arc::clone(&self.connection)
    }

    /// Runs `statements` in one transaction: all of them commit, or none (the error says why).
    pub(crate) async fn write(&self, statements: Vec<Statement>) -> std::result::Result<(), String> {
        let (reply, answer) = oneshot::channel();
        let stopped = || "the SQLite writer thread has stopped".to_owned();
        self.jobs.send(Job { statements, reply }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?.map_err(|e| e.to_string())
    }
}

fn transaction(connection: &mut Connection, statements: &[Statement]) -> rusqlite::Result<()> {
    let outcome = (|| {
        connection.execute_batch("BEGIN IMMEDIATE")?;
        for statement in statements {
            run(connection, statement)?;
        }
        connection.execute_batch("COMMIT")
    })();
    // Nothing can be written through a connection stuck in a transaction; SQLite rolls back
    // what a failed COMMIT left, so a failed rollback is a last resort worth hearing about.
    if outcome.is_err()
        && !connection.is_autocommit()
        && let Err(e) = connection.execute_batch("ROLLBACK")
    {
        tracing::error!(error = %e, "SQLite writer could not roll back");
    }
    outcome
}

fn run(connection: &Connection, statement: &Statement) -> rusqlite::Result<()> {
    let mut prepared = connection.prepare_cached(&statement.sql)?;
    for (i, bind) in statement.binds.iter().enumerate() {
        // `$n` is the n-th distinct parameter (see `statements`).
        let index = i + 1;
        match bind {
            Bind::Text(text) => prepared.raw_bind_parameter(index, text.as_str()),
            Bind::OptText(text) => prepared.raw_bind_parameter(index, text.as_deref()),
            Bind::Int(int) => prepared.raw_bind_parameter(index, int),
            Bind::Real(real) => prepared.raw_bind_parameter(index, real),
            Bind::OptReal(real) => prepared.raw_bind_parameter(index, real),
        }?;
    }
    prepared.raw_execute()?;
    Ok(())
}

fn writer_err(err: rusqlite::Error) -> Error {
    tracing::error!(error = %err, "cannot open the SQLite writer");
    Error::internal(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::Statements;

    fn database() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.db");
        let setup = Connection::open(&path).expect("open");
        setup
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, r REAL, o TEXT);")
            .expect("setup");
        (dir, path)
    }

    fn insert(rows: &[(&str, i64)]) -> Vec<Statement> {
        let mut writes = Statements::new(crate::statements::Layout::Separate);
        writes.next().push("INSERT INTO t (k, n, r, o) ").push_values(rows, |mut row, (k, n)| {
            row.push_bind(*k).push_bind(*n).push_bind(Some(0.5)).push_bind(None::<&str>);
        });
        writes.into_list()
    }

    fn count(path: &Path) -> i64 {
        let reader = Connection::open(path).expect("open");
        reader.query_row("SELECT count(*) FROM t", [], |row| row.get(0)).expect("count")
    }

    #[tokio::test]
    async fn a_batch_commits_whole() {
        let (_dir, path) = database();
        let writer = SqliteWriter::start(&path, 1024).expect("writer");
        writer.write(insert(&[("a", 1), ("b", 2)])).await.expect("write");
        writer.write(insert(&[("c", 3)])).await.expect("write");
        assert_eq!(count(&path), 3);
    }

    #[tokio::test]
    async fn a_failing_statement_leaves_nothing_and_the_next_batch_still_commits() {
        let (_dir, path) = database();
        let writer = SqliteWriter::start(&path, 1024).expect("writer");
        writer.write(insert(&[("a", 1)])).await.expect("write");
        let mut failing = insert(&[("b", 2)]);
        failing.extend(insert(&[("a", 9)]));
        assert!(writer.write(failing).await.is_err(), "duplicate key must fail");
        assert_eq!(count(&path), 1, "the failed batch's first insert was rolled back");
        writer.write(insert(&[("c", 3)])).await.expect("the writer is usable after a failure");
        assert_eq!(count(&path), 2);
    }
}
