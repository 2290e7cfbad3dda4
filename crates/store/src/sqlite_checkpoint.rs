//! WAL checkpoints off the commit path. By default the connection whose commit pushes the WAL
//! past 1,000 pages copies it back into the database file and syncs it before its commit
//! returns: with one writer, every decision queued behind that commit waited tens of
//! milliseconds, which made the p99 of the whole service. Here a thread of its own runs
//! passive checkpoints (they never block the writer or the readers) and the writer never
//! checkpoints.
//!
//! Passive checkpoints alone let the WAL file grow without end under a steady load: SQLite
//! starts the WAL over only when a writer begins while every frame has been copied back and no
//! reader still looks at the WAL, and with decisions committing back to back the writer has
//! always appended more by then (1.2 GB after 30 s at ~800 decisions/s). So once the WAL holds
//! 16 MB, the thread holds the decision writer at the [`WriterGate`] between two batches,
//! copies the few frames written since its last pass and waits for the readers to leave the
//! WAL; the writer's next commit then starts the file over (see [`Policy::SERVICE`]).

use rusqlite::{Connection, OpenFlags};
use sightline_core::{Error, Result};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// When the thread checkpoints and when it starts the WAL over.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Policy {
    /// Time between passive passes.
    pub interval: Duration,
    /// WAL size (in pages) from which a pass starts the WAL over.
    pub restart_after_frames: i64,
    /// Least time between two restarts.
    pub restart_spacing: Duration,
}

impl Policy {
    /// Passes often enough that each copies a few MB. From 16 MB of WAL a pass starts it over;
    /// that pauses the writer while the pass copies and syncs the last few frames appended
    /// since its catch-up: 2–9 ms at 1,000 decisions/s with both cores busy (measured, `WAL
    /// restart` debug log). Spacing the restarts 5 s apart keeps those pauses near 0.1 % of the
    /// time and bounds the WAL to what the writer appends in 5 s (~450 MB at 1,000
    /// decisions/s).
    pub(crate) const SERVICE: Policy = Policy {
        interval: Duration::from_millis(250),
        restart_after_frames: 4096,
        restart_spacing: Duration::from_secs(5),
    };
}

/// How often the checkpoint thread hands the WAL's new pages to the disk between its passes
/// (see `sqlite_writeback`).
const WRITEBACK_TICK: Duration = Duration::from_millis(50);

/// Passive passes before a restart pauses the writer: each copies what the writer appended
/// during the previous one, until that is no more than [`TAIL_FRAMES`].
const CATCH_UP_PASSES: usize = 8;
const TAIL_FRAMES: i64 = 64;

/// How many times (one [`LOCK_POLL`] apart) a restart looks again for a reader or a writer
/// outside the gate before it gives up until the next pass: readers hold the WAL for one
/// statement.
const RESTART_PATIENCE: i32 = 200;

/// How often a connection that finds a lock taken looks again. SQLite's own busy handler sleeps
/// in steps of up to 100 ms, which a decision waiting behind a short transaction would wait out
/// whole.
const LOCK_POLL: Duration = Duration::from_micros(100);

/// Held by the decision writer while it writes a batch, and by the checkpoint thread while it
/// starts the WAL over. The store's other, rarer writes (rules, lists, webhooks) do not take
/// it: during a restart they wait in SQLite's busy handler instead.
pub(crate) type WriterGate = Arc<tokio::sync::Mutex<()>>;

/// Runs until dropped or closed.
pub(crate) struct Checkpointer {
    /// Carries `close`'s request; dropping it ends the thread too.
    stop: mpsc::Sender<tokio::sync::oneshot::Sender<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path, gate: WriterGate, policy: Policy) -> Result<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(checkpoint_err)?;
        // SQLite's own busy handler sleeps in steps of up to 100 ms; a restart that has paused
        // the writer polls instead.
        connection.busy_handler(Some(poll_for_lock::<RESTART_PATIENCE>)).map_err(checkpoint_err)?;
        let (stop, stopped) = mpsc::channel::<tokio::sync::oneshot::Sender<()>>();
        let mut writeback = crate::sqlite_writeback::EarlyWriteback::new(path);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let mut last_restart = Instant::now();
                // Frames copied back as of the last sync of the database file.
                let mut synced_copied = 0;
                let mut next_pass = Instant::now() + policy.interval;
                let tick = WRITEBACK_TICK.min(policy.interval);
                let closed = loop {
                    match stopped.recv_timeout(tick) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(closed) => break Some(closed),
                        Err(RecvTimeoutError::Disconnected) => break None,
                    }
                    writeback.start();
                    if Instant::now() < next_pass {
                        continue;
                    }
                    next_pass = Instant::now() + policy.interval;
                    let may_restart = last_restart.elapsed() >= policy.restart_spacing;
                    let restart = may_restart.then_some(&gate);
                    match checkpoint(&connection, &mut synced_copied, restart, policy.restart_after_frames) {
                        Ok(true) => last_restart = Instant::now(),
                        Ok(false) => {}
                        Err(err) => tracing::warn!(error = %err, "WAL checkpoint failed; retrying"),
                    }
                };
                drop(connection);
                if let Some(closed) = closed {
                    closed.send(()).ok();
                }
            })
            .map_err(|e| Error::internal(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer { stop })
    }

    /// Ends the thread after the pass under way and waits until its connection is closed.
    pub(crate) async fn close(&self) {
        let (closed, done) = tokio::sync::oneshot::channel();
        if self.stop.send(closed).is_ok() {
            done.await.ok();
        }
    }
}

/// Copies what no reader still needs from the WAL into the database file, syncs it unless
/// nothing was copied since `synced_copied` (frames, updated here) and, given the gate, starts
/// the WAL over if it holds `restart_after_frames` or more. `true` when it did.
fn checkpoint(
    connection: &Connection,
    synced_copied: &mut i64,
    restart: Option<&WriterGate>,
    restart_after_frames: i64,
) -> rusqlite::Result<bool> {
    let (mut wal_frames, mut copied) = copy_and_sync(connection, synced_copied)?;
    metrics::gauge!("sqlite_wal_frames").set(wal_frames as f64);
    let Some(gate) = restart.filter(|_| wal_frames >= restart_after_frames) else {
        return Ok(false);
    };
    // The writer kept appending meanwhile. Catch up without holding it, each pass syncing its
    // copies, until a pass finds only a few frames new: the pause below then copies and syncs
    // only what the writer appended during that last short pass. Syncing the catch-up's copies
    // once at the end instead left 400–860 frames for the pause (the writer appends while the
    // sync runs), which made it 10–35 ms (traced at 1,000 req/s).
    for _ in 0..CATCH_UP_PASSES {
        let (frames, now_copied) = copy_and_sync(connection, synced_copied)?;
        let caught_up = now_copied - copied <= TAIL_FRAMES;
        (wal_frames, copied) = (frames, now_copied);
        if caught_up {
            break;
        }
    }
    let paused = Instant::now();
    let _writer_paused = gate.blocking_lock();
    // RESTART copies the rest, syncs, and waits until no reader uses the WAL, so that the
    // writer's next commit starts it over. Busy (a reader or another writer outstayed the
    // patience) is not an error: the next pass tries again.
    let busy = connection.query_row("PRAGMA wal_checkpoint(RESTART)", [], |row| row.get::<_, i64>(0))?;
    let pause = paused.elapsed().as_secs_f64();
    let outcome = if busy == 0 { "restarted" } else { "busy" };
    metrics::counter!("sqlite_wal_restarts_total", "outcome" => outcome).increment(1);
    metrics::histogram!("sqlite_wal_restart_pause_seconds").record(pause);
    tracing::debug!(wal_frames, busy, paused_ms = pause * 1e3, "WAL restart");
    Ok(busy == 0)
}

/// A passive checkpoint, then a sync of the database file unless nothing was copied since the
/// last one (`synced_copied`, in frames, updated here). SQLite syncs the database file only
/// when a checkpoint reaches the end of the WAL, which under load only the restart does, with
/// the writer held. Left to the restart, five seconds of copies (~500 MB at 1,000 decisions/s)
/// went to the disk in one burst: decisions committing during it were slow for a second or
/// more, and the restart's own pause was twice as long (traced at 1,000 req/s, BENCHMARKS.md
/// session 14). Synced a pass at a time, each sync writes a few MB.
fn copy_and_sync(connection: &Connection, synced_copied: &mut i64) -> rusqlite::Result<(i64, i64)> {
    let (wal_frames, copied) = passive(connection)?;
    if copied != *synced_copied {
        flush(connection);
        *synced_copied = copied;
    }
    Ok((wal_frames, copied))
}

/// Through the checkpoint connection's own descriptor: see `sqlite_sync` for why never through
/// one opened for the purpose.
fn flush(connection: &Connection) {
    if let Err(err) = crate::sqlite_sync::sync_database_file(connection) {
        tracing::warn!(error = %err, "cannot flush the database file before restarting the WAL");
    }
}

/// A passive checkpoint: the WAL's frames and how many of them are now in the database file.
fn passive(connection: &Connection) -> rusqlite::Result<(i64, i64)> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| Ok((row.get(1)?, row.get(2)?)))
}

/// A busy handler: looks again every [`LOCK_POLL`], `ATTEMPTS` times at most.
pub(crate) fn poll_for_lock<const ATTEMPTS: i32>(attempts: i32) -> bool {
    if attempts >= ATTEMPTS {
        return false;
    }
    std::thread::sleep(LOCK_POLL);
    true
}

fn checkpoint_err(err: rusqlite::Error) -> Error {
    Error::internal(format!("cannot open the checkpoint connection: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICK: Policy = Policy {
        interval: Duration::from_millis(20),
        restart_after_frames: 64,
        restart_spacing: Duration::from_millis(100),
    };

    fn wal_database(path: &Path) -> Connection {
        let writer = Connection::open(path).expect("open");
        writer
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB);")
            .expect("setup");
        writer
    }

    /// 100 rows of 8 KB written with automatic checkpoints off; returns the database file's
    /// size (the WAL not included) after waiting a few checkpoint intervals.
    fn file_size_after_writes(with_checkpointer: bool) -> u64 {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("wal.db");
        let writer = wal_database(&path);
        let _checkpointer =
            with_checkpointer.then(|| Checkpointer::start(&path, WriterGate::default(), QUICK).expect("start"));
        for _ in 0..100 {
            writer.execute("INSERT INTO t VALUES (zeroblob(8192))", []).expect("insert");
        }
        let mut size = 0;
        let waits = if with_checkpointer { 100 } else { 6 };
        for _ in 0..waits {
            std::thread::sleep(QUICK.interval);
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

    /// The WAL file's largest size while a writer commits 8 KB rows back to back for `run`
    /// (each commit at the gate, as the decision writer does) and a reader queries the table
    /// all along.
    fn largest_wal_under_steady_writes(policy: Policy, run: Duration) -> u64 {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("wal.db");
        let writer = wal_database(&path);
        let gate = WriterGate::default();
        let _checkpointer = Checkpointer::start(&path, gate.clone(), policy).expect("start");
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (path, done) = (path.clone(), done.clone());
            std::thread::spawn(move || {
                let reader = Connection::open(&path).expect("open reader");
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let _: i64 = reader.query_row("SELECT count(*) FROM t", [], |row| row.get(0)).expect("read");
                }
            })
        };
        let wal = path.with_extension("db-wal");
        let (started, mut largest) = (Instant::now(), 0);
        while started.elapsed() < run {
            let _turn = gate.blocking_lock();
            writer.execute("INSERT INTO t VALUES (zeroblob(8192))", []).expect("insert");
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().expect("reader");
        largest
    }

    #[test]
    fn a_steady_writer_with_readers_gets_its_wal_started_over() {
        let run = Duration::from_millis(1500);
        let never = Policy { restart_spacing: Duration::from_secs(3600), ..QUICK };
        let grown = largest_wal_under_steady_writes(never, run);
        let bounded = largest_wal_under_steady_writes(QUICK, run);
        assert!(bounded * 3 < grown, "WAL with restarts {bounded} bytes, without {grown}");
    }
}
