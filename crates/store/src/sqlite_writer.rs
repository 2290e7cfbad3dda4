//! The thread that writes decisions to SQLite, and batches them: change sets that arrive while
//! a transaction is being written wait for the next one and are written together (group
//! commit). sqlx gives its SQLite connection a thread too, but answers each statement of a
//! command across threads: a decision's seven inserts cost ~1.5 ms of hand-offs on an idle
//! machine against ~0.4 ms of SQLite work. Here callers build their statements on their own
//! threads and hand them straight to this one, which drains its queue, runs the whole batch in
//! one transaction on the thread that owns the connection, and answers each caller directly:
//! no async task sits between them, whose turn on a busy runtime added to every commit's wait.
//!
//! The store's other writes go through sqlx's single write connection. Both sides begin their
//! transactions `IMMEDIATE`, so they take SQLite's write lock before reading anything: the
//! one that finds it taken waits for it (this thread polls in short steps) instead of failing
//! later on a snapshot the other's commit made stale.
//!
//! Between batches the connection also serves reads (see `sqlite_inline`): it made the last
//! commit itself, so its page cache is still valid, where every other connection's first read
//! after a commit starts by dropping its cache and file mapping.
//!
//! A caller that finds the writer idle (nothing queued or being written, the connection and
//! the checkpoint gate free) commits on its own thread instead, the way reads do: at a steady
//! rate below saturation most commits find it idle, and each hand-off cost two cross-thread
//! wake-ups (the writer's, then the caller's task), which on a virtual machine whose other
//! core has just idled are the dearest part of a small commit. Whoever arrives while a commit
//! runs queues for this thread as before, so under load the batches still form.

use crate::sqlite_checkpoint::{WriterGate, poll_for_lock};
use crate::statements::{Bind, Statement};
use rusqlite::{Connection, OpenFlags};
use sightline_core::{Error, Result};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Instant;
use tokio::sync::oneshot;

/// Statement shapes kept prepared: each table's insert has one shape per row count.
const PREPARED_STATEMENTS: usize = 256;

/// Statement shapes the reads add (see `sqlite_inline::PREPARED_STATEMENTS`).
const PREPARED_READS: usize = 128;

/// The most change sets written in one transaction: bounds the latency a batch adds.
pub(crate) const MAX_BATCH: usize = 64;

/// While another connection holds the write lock (sqlx's, for the rarer writes, or the
/// checkpoint thread restarting the WAL), the writer looks again every 100 µs, this many
/// times: 10 s, the same patience as the sqlx connections' `busy_timeout`.
const WRITE_LOCK_PATIENCE: i32 = 100_000;

struct Job {
    statements: Vec<Statement>,
    reply: oneshot::Sender<rusqlite::Result<()>>,
}

enum Message {
    Write(Job),
    /// Sent by `close`, behind the writes already queued: the thread lets go of its connection
    /// and ends.
    Close(oneshot::Sender<()>),
}

/// The thread ends when this is closed or dropped.
pub(crate) struct SqliteWriter {
    jobs: mpsc::Sender<Message>,
    connection: Arc<Mutex<Connection>>,
    gate: WriterGate,
    /// Writes handed to the thread and not yet answered: a caller commits in place only when
    /// there are none, so it never overtakes a queued write nor breaks up a forming batch.
    pending: Arc<AtomicUsize>,
    closed: AtomicBool,
}

/// What an attempt to commit on the caller's thread came to.
enum InPlace {
    Committed(rusqlite::Result<()>),
    /// The writer was busy: the statements go to its queue.
    Busy(Vec<Statement>),
}

impl SqliteWriter {
    /// Opens a write connection to the database at `path` (created, migrated and in WAL mode)
    /// and starts its thread, which ends when the writer is dropped. Between two batches the
    /// checkpoint thread may hold `gate` to restart the WAL.
    pub(crate) fn start(path: &Path, cache_kib: u32, gate: WriterGate) -> Result<SqliteWriter> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(writer_err)?;
        connection.busy_handler(Some(poll_for_lock::<WRITE_LOCK_PATIENCE>)).map_err(writer_err)?;
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
        let (jobs, receiver) = mpsc::channel::<Message>();
        let pending = Arc::new(AtomicUsize::new(0));
        let (owned, thread_gate, answered) = (Arc::clone(&connection), gate.clone(), Arc::clone(&pending));
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || serve(&receiver, owned, &thread_gate, &answered))
            .map_err(|e| Error::internal(format!("cannot start the SQLite writer thread: {e}")))?;
        Ok(SqliteWriter { jobs, connection, gate, pending, closed: AtomicBool::new(false) })
    }

    /// The writer's connection, for reads between batches.
    pub(crate) fn connection(&self) -> Arc<Mutex<Connection>> {
        Arc::clone(&self.connection)
    }

    /// Runs `statements` in one transaction, possibly shared with other callers' statements:
    /// all of them commit, or none (the error says why). One caller's failure is its own: the
    /// others' statements are then written without it.
    pub(crate) async fn write(&self, statements: Vec<Statement>) -> Result<()> {
        let stopped = || Error::internal("the SQLite writer thread has stopped");
        if self.closed.load(Ordering::Acquire) {
            return Err(stopped());
        }
        let statements = match self.write_in_place(statements) {
            InPlace::Committed(outcome) => return outcome.map_err(crate::error::sqlite_write_err),
            InPlace::Busy(statements) => statements,
        };
        let (reply, answer) = oneshot::channel();
        self.pending.fetch_add(1, Ordering::AcqRel);
        if self.jobs.send(Message::Write(Job { statements, reply })).is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
            return Err(stopped());
        }
        answer.await.map_err(|_| stopped())?.map_err(crate::error::sqlite_write_err)
    }

    /// Commits `statements` on this thread if the writer is idle, without waiting for anything:
    /// a checkpoint restarting the WAL, a read on the connection, or another connection's write
    /// lock all send the statements to the queue instead.
    fn write_in_place(&self, statements: Vec<Statement>) -> InPlace {
        if self.pending.load(Ordering::Acquire) > 0 {
            return InPlace::Busy(statements);
        }
        let Ok(_gate) = self.gate.try_lock() else {
            return InPlace::Busy(statements);
        };
        let Ok(mut connection) = self.connection.try_lock() else {
            return InPlace::Busy(statements);
        };
        let started = Instant::now();
        // Not the thread's patient busy handler: if sqlx's connection holds the write lock,
        // this caller queues rather than sleep on a runtime thread.
        if connection.busy_handler(None).is_err() {
            return InPlace::Busy(statements);
        }
        let began = connection.execute_batch("BEGIN IMMEDIATE");
        // With the write lock held, the statements and the commit may wait as the thread's do.
        if let Err(e) = connection.busy_handler(Some(poll_for_lock::<WRITE_LOCK_PATIENCE>)) {
            tracing::error!(error = %e, "SQLite writer could not restore its busy handler");
        }
        let outcome = match began {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
            {
                None
            }
            Err(e) => Some(Err(e)),
            Ok(()) => Some(within_transaction(&mut connection, &statements)),
        };
        let Some(outcome) = outcome else {
            return InPlace::Busy(statements);
        };
        metrics::histogram!("sqlite_commit_write_seconds").record(started.elapsed().as_secs_f64());
        metrics::histogram!("sqlite_commit_batch_changes").record(1.0);
        metrics::counter!("sqlite_commits_in_place_total").increment(1);
        InPlace::Committed(outcome)
    }
}

/// The writer thread: a batch at a time until the store closes or drops the writer.
fn serve(
    receiver: &mpsc::Receiver<Message>,
    connection: Arc<Mutex<Connection>>,
    gate: &WriterGate,
    pending: &AtomicUsize,
) {
    let mut closed = None;
    while closed.is_none()
        && let Ok(first) = receiver.recv()
    {
        let batch = take_batch(first, receiver, &mut closed);
        if batch.is_empty() {
            continue;
        }
        let _gate = gate.blocking_lock();
        // A read holds the connection for one statement. A panic elsewhere while it was held
        // leaves no transaction open (reads are autocommit, and `transaction` rolls back), so a
        // poisoned lock is taken as it is.
        let waited = Instant::now();
        let mut locked = connection.lock().unwrap_or_else(PoisonError::into_inner);
        metrics::histogram!("sqlite_writer_connection_wait_seconds").record(waited.elapsed().as_secs_f64());
        let started = Instant::now();
        let outcomes = write_batch(&mut locked, &batch);
        drop(locked);
        metrics::histogram!("sqlite_commit_write_seconds").record(started.elapsed().as_secs_f64());
        metrics::histogram!("sqlite_commit_batch_changes").record(batch.len() as f64);
        pending.fetch_sub(batch.len(), Ordering::AcqRel);
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // A caller that went away needs no answer.
            job.reply.send(outcome).ok();
        }
    }
    drop(connection);
    if let Some(closed) = closed {
        closed.send(()).ok();
    }
}

/// `first` and whatever else has queued, up to [`MAX_BATCH`] writes or a close request.
fn take_batch(
    first: Message,
    receiver: &mpsc::Receiver<Message>,
    closed: &mut Option<oneshot::Sender<()>>,
) -> Vec<Job> {
    let mut batch = Vec::new();
    let mut next = Ok(first);
    while let Ok(message) = next {
        match message {
            Message::Write(job) => batch.push(job),
            Message::Close(reply) => {
                *closed = Some(reply);
                break;
            }
        }
        if batch.len() >= MAX_BATCH {
            break;
        }
        next = receiver.try_recv();
    }
    batch
}

impl SqliteWriter {
    /// Writes what is queued, then ends the thread; writes sent after this fail. The
    /// connection itself closes when the inline readers' handle on it is dropped too.
    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let (closed, done) = oneshot::channel();
        if self.jobs.send(Message::Close(closed)).is_ok() {
            done.await.ok();
        }
    }
}

/// The whole batch in one transaction; if that fails, each job in a transaction of its own, so
/// that the one at fault is reported to its caller alone while the others still commit.
fn write_batch(connection: &mut Connection, batch: &[Job]) -> Vec<rusqlite::Result<()>> {
    if batch.len() > 1 && transaction(connection, batch.iter().flat_map(|job| &job.statements)).is_ok() {
        return batch.iter().map(|_| Ok(())).collect();
    }
    batch.iter().map(|job| transaction(connection, &job.statements)).collect()
}

fn transaction<'a>(
    connection: &mut Connection,
    statements: impl IntoIterator<Item = &'a Statement>,
) -> rusqlite::Result<()> {
    match connection.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => within_transaction(connection, statements),
        Err(e) => Err(e),
    }
}

/// Runs `statements` and commits the transaction the caller has begun, or rolls it back.
fn within_transaction<'a>(
    connection: &mut Connection,
    statements: impl IntoIterator<Item = &'a Statement>,
) -> rusqlite::Result<()> {
    let outcome = (|| {
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
        let writer = SqliteWriter::start(&path, 1024, WriterGate::default()).expect("writer");
        writer.write(insert(&[("a", 1), ("b", 2)])).await.expect("write");
        writer.write(insert(&[("c", 3)])).await.expect("write");
        assert_eq!(count(&path), 3);
    }

    #[tokio::test]
    async fn a_failing_statement_leaves_nothing_and_the_next_batch_still_commits() {
        let (_dir, path) = database();
        let writer = SqliteWriter::start(&path, 1024, WriterGate::default()).expect("writer");
        writer.write(insert(&[("a", 1)])).await.expect("write");
        let mut failing = insert(&[("b", 2)]);
        failing.extend(insert(&[("a", 9)]));
        assert!(writer.write(failing).await.is_err(), "duplicate key must fail");
        assert_eq!(count(&path), 1, "the failed batch's first insert was rolled back");
        writer.write(insert(&[("c", 3)])).await.expect("the writer is usable after a failure");
        assert_eq!(count(&path), 2);
    }

    #[tokio::test]
    async fn a_write_meeting_another_connections_write_lock_waits_for_it_on_the_thread() {
        let (_dir, path) = database();
        let writer = SqliteWriter::start(&path, 1024, WriterGate::default()).expect("writer");
        let other = Connection::open(&path).expect("open");
        other.execute_batch("BEGIN IMMEDIATE; INSERT INTO t (k, n) VALUES ('x', 0);").expect("lock");
        let write = tokio::spawn(async move {
            writer.write(insert(&[("a", 1)])).await.expect("the write waits for the lock, then commits");
            writer
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!write.is_finished(), "the write cannot commit while the lock is held");
        other.execute_batch("COMMIT").expect("release");
        let writer = write.await.expect("joined");
        assert_eq!(count(&path), 2);
        writer.write(insert(&[("b", 2)])).await.expect("the next write commits in place again");
        assert_eq!(count(&path), 3);
    }

    #[tokio::test]
    async fn a_write_during_a_wal_restart_waits_for_the_gate() {
        let (_dir, path) = database();
        let gate = WriterGate::default();
        let writer = Arc::new(SqliteWriter::start(&path, 1024, gate.clone()).expect("writer"));
        let held = gate.lock().await;
        let queued = tokio::spawn({
            let writer = Arc::clone(&writer);
            async move { writer.write(insert(&[("a", 1)])).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(count(&path), 0, "nothing is written while the checkpoint holds the gate");
        drop(held);
        queued.await.expect("joined").expect("written once the gate is free");
        assert_eq!(count(&path), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_all_commit_in_place_or_batched() {
        let (_dir, path) = database();
        let writer = Arc::new(SqliteWriter::start(&path, 1024, WriterGate::default()).expect("writer"));
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let writer = Arc::clone(&writer);
                tokio::spawn(async move { writer.write(insert(&[(format!("k{i}").as_str(), i)])).await })
            })
            .collect();
        for task in tasks {
            task.await.expect("joined").expect("written");
        }
        assert_eq!(count(&path), 200);
        assert_eq!(writer.pending.load(Ordering::Acquire), 0, "every queued write was answered");
    }

    fn job(statements: Vec<Statement>) -> (Job, oneshot::Receiver<rusqlite::Result<()>>) {
        let (reply, answer) = oneshot::channel();
        (Job { statements, reply }, answer)
    }

    #[test]
    fn one_failing_change_set_in_a_batch_fails_alone() {
        let (_dir, path) = database();
        let mut connection = Connection::open(&path).expect("open");
        let mut failing = insert(&[("b", 2)]);
        failing.extend(insert(&[("b", 9)]));
        let batch = [job(insert(&[("a", 1)])).0, job(failing).0, job(insert(&[("c", 3)])).0];
        let outcomes = write_batch(&mut connection, &batch);
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{outcomes:?}");
        assert!(outcomes[1].is_err(), "the duplicate key fails its own change set");
        assert_eq!(count(&path), 2, "nothing of the failing change set was kept");
    }

    #[test]
    fn a_batch_without_failures_commits_together() {
        let (_dir, path) = database();
        let mut connection = Connection::open(&path).expect("open");
        let batch = [job(insert(&[("a", 1)])).0, job(insert(&[("b", 2), ("c", 3)])).0];
        assert!(write_batch(&mut connection, &batch).iter().all(Result::is_ok));
        assert_eq!(count(&path), 3);
    }

    #[tokio::test]
    async fn close_writes_what_is_queued_then_refuses_writes_and_lets_go_of_the_connection() {
        let (_dir, path) = database();
        let writer = SqliteWriter::start(&path, 1024, WriterGate::default()).expect("writer");
        let queued = writer.write(insert(&[("a", 1)]));
        let closing = writer.close();
        let (written, ()) = tokio::join!(queued, closing);
        written.expect("a write queued before the close is written");
        assert_eq!(count(&path), 1);
        assert!(writer.write(insert(&[("b", 2)])).await.is_err(), "a closed writer refuses writes");
        assert_eq!(Arc::strong_count(&writer.connection), 1, "the thread has let go of its connection");
    }
}
