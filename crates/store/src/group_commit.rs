//! Group commit for SQLite's single writer: change sets that arrive while a transaction is
//! being written wait for the next one and are written together. A batch of decisions (rows
//! inserted or upserted whatever else is stored) goes to the writer thread (`sqlite_writer`) as
//! one transaction, each table in one multi-row statement; anything else, or a batch whose merged
//! write failed, is written with each change set inside its own savepoint, so that one that fails (an
//! optimistic-lock conflict, a duplicate id) is rolled back and reported to its caller alone
//! while the others commit. Under load this turns many small transactions, each paying for the
//! WAL append and a thread hand-off per statement, into a few larger ones.

use crate::error::db_err;
use crate::sqlite_checkpoint::WriterGate;
use crate::sqlite_writer::SqliteWriter;
use crate::statements::{Layout, Statements, only_unconditional_rows, to_sqlx};
use sightline_core::{ChangeSet, Error, Result};
use sqlx::SqlitePool;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// The most change sets written in one transaction: bounds the latency a batch adds.
const MAX_BATCH: usize = 64;

type Pending = (ChangeSet, oneshot::Sender<Result<()>>);

pub struct GroupCommit {
    queue: mpsc::UnboundedSender<Pending>,
}

impl GroupCommit {
    pub fn start(pool: SqlitePool, writer: SqliteWriter, gate: WriterGate) -> GroupCommit {
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(pool, writer, gate, receiver));
        GroupCommit { queue }
    }

    pub async fn commit(&self, changes: &ChangeSet) -> Result<()> {
        let queued = Instant::now();
        let (reply, answer) = oneshot::channel();
        self.queue.send((changes.clone(), reply)).map_err(|_| Error::internal("the SQLite writer has stopped"))?;
        let written = answer.await.map_err(|_| Error::internal("the SQLite writer stopped before answering"))?;
        metrics::histogram!("sqlite_commit_wait_seconds").record(queued.elapsed().as_secs_f64());
        written
    }
}

async fn write_batches(
    pool: SqlitePool,
    writer: SqliteWriter,
    gate: WriterGate,
    mut receiver: mpsc::UnboundedReceiver<Pending>,
) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let results = {
            // Between two batches the checkpoint thread may pause the writer to restart the WAL.
            let _gate = gate.lock().await;
            let started = Instant::now();
            let results = write_batch(&pool, &writer, &batch).await;
            metrics::histogram!("sqlite_commit_write_seconds").record(started.elapsed().as_secs_f64());
            metrics::histogram!("sqlite_commit_batch_changes").record(batch.len() as f64);
            results
        };
        for ((_, reply), result) in batch.into_iter().zip(results) {
            // A caller that went away (its request was cancelled) needs no answer.
            reply.send(result).ok();
        }
    }
}

async fn write_batch(pool: &SqlitePool, writer: &SqliteWriter, batch: &[Pending]) -> Vec<Result<()>> {
    if !batch.iter().all(|(changes, _)| only_unconditional_rows(changes)) {
        return write_in_savepoints(pool, batch, true).await;
    }
    if write_on_writer_thread(pool, writer, batch).await {
        return batch.iter().map(|_| Ok(())).collect();
    }
    // The same rows merged again would fail again: straight to one savepoint per change set.
    write_in_savepoints(pool, batch, false).await
}

/// The common case under load — nothing but decisions in the batch — written by the writer
/// thread in one transaction (see `sqlite_writer`), while this task holds sqlx's writer
/// connection so that nothing else writes meanwhile. `false` when anything failed (nothing was
/// written and the batch goes the careful way).
async fn write_on_writer_thread(pool: &SqlitePool, writer: &SqliteWriter, batch: &[Pending]) -> bool {
    let Ok(_exclusive) = pool.acquire().await else { return false };
    let sets: Vec<&ChangeSet> = batch.iter().map(|(changes, _)| changes).collect();
    let mut writes = Statements::new(Layout::Separate);
    if crate::SqliteStore::push_unconditional_writes(&mut writes, &sets).is_err() {
        return false;
    }
    match writer.write(writes.into_list()).await {
        Ok(()) => true,
        Err(error) => {
            tracing::debug!(%error, changes = batch.len(), "merged decision batch failed; writing each alone");
            false
        }
    }
}

/// Every change set in its own savepoint of one transaction, so that one that fails is
/// undone and reported alone; with `merge_first`, the decision-shaped ones are first tried
/// together in one savepoint.
async fn write_in_savepoints(pool: &SqlitePool, batch: &[Pending], merge_first: bool) -> Vec<Result<()>> {
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(e) => return batch.iter().map(|_| Err(db_err(clone_error(&e)))).collect(),
    };
    let mut results: Vec<Option<Result<()>>> = batch.iter().map(|_| None).collect();
    let mergeable: Vec<usize> = (0..batch.len()).filter(|&i| only_unconditional_rows(&batch[i].0)).collect();
    if merge_first && !mergeable.is_empty() {
        let sets: Vec<&ChangeSet> = mergeable.iter().map(|&i| &batch[i].0).collect();
        // If the merged write fails, each change set is retried alone below, so that one bad
        // set is reported to its own caller and the others still commit.
        match merged_in_savepoint(&mut tx, &sets).await {
            Ok(Ok(())) => mergeable.iter().for_each(|&i| results[i] = Some(Ok(()))),
            Ok(Err(_)) => {}
            Err(broken) => return fail_all(batch, broken),
        }
    }
    for (i, (changes, _)) in batch.iter().enumerate() {
        if results[i].is_some() {
            continue;
        }
        match in_savepoint(&mut tx, changes).await {
            Ok(result) => results[i] = Some(result),
            Err(broken) => return fail_all(batch, broken),
        }
    }
    if let Err(e) = tx.commit().await {
        let error = db_err(e);
        return batch.iter().map(|_| Err(error.clone())).collect();
    }
    results.into_iter().map(|r| r.unwrap_or_else(|| Err(Error::internal("change set was not written")))).collect()
}

/// Applies one change set inside a savepoint: `Ok(result)` is the change set's own outcome
/// (rolled back to the savepoint on failure); `Err` means the transaction itself is broken.
async fn in_savepoint(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, changes: &ChangeSet) -> Result<Result<()>, Error> {
    sqlx::query("SAVEPOINT change_set").execute(&mut **tx).await.map_err(db_err)?;
    match crate::SqliteStore::apply_changes(tx, changes).await {
        Ok(()) => {
            sqlx::query("RELEASE change_set").execute(&mut **tx).await.map_err(db_err)?;
            Ok(Ok(()))
        }
        Err(e) => {
            sqlx::query("ROLLBACK TO change_set").execute(&mut **tx).await.map_err(db_err)?;
            sqlx::query("RELEASE change_set").execute(&mut **tx).await.map_err(db_err)?;
            Ok(Err(e))
        }
    }
}

/// The rows of many change sets, all tables, savepoint and all, in one command to the
/// connection's thread. Same contract as [`in_savepoint`].
async fn merged_in_savepoint(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    sets: &[&ChangeSet],
) -> Result<Result<()>, Error> {
    let mut writes = Statements::new(Layout::Semicolons);
    writes.next().push("SAVEPOINT change_set");
    if let Err(e) = crate::SqliteStore::push_unconditional_writes(&mut writes, sets) {
        return Ok(Err(e));
    }
    writes.next().push("RELEASE change_set");
    for statement in writes.into_list() {
        if let Err(e) = to_sqlx::<sqlx::Sqlite>(&statement).execute(&mut **tx).await {
            // Undo whatever part ran; if the savepoint itself never opened, the transaction is
            // untouched and the rollback's failure says nothing about it.
            if sqlx::query("ROLLBACK TO change_set").execute(&mut **tx).await.is_ok() {
                sqlx::query("RELEASE change_set").execute(&mut **tx).await.map_err(db_err)?;
            }
            return Ok(Err(db_err(e)));
        }
    }
    Ok(Ok(()))
}

fn fail_all(batch: &[Pending], error: Error) -> Vec<Result<()>> {
    batch.iter().map(|_| Err(error.clone())).collect()
}

fn clone_error(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(e.to_string())
}
