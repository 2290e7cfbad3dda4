//! Group commit for SQLite's single writer. A decision's change set (rows inserted or upserted
//! whatever else is stored) becomes statements on the caller's thread. If the writer is idle the
//! caller commits them there; otherwise they go straight to the writer thread (`sqlite_writer`),
//! which writes whatever has queued meanwhile as one transaction. Change sets with version
//! checks (persons, consents, …) queue for a task that writes each inside its own savepoint of
//! one sqlx transaction, so that one that fails (an optimistic-lock conflict, a duplicate id) is
//! rolled back and reported to its caller alone while the others commit. Under load this turns
//! many small transactions, each paying for the WAL append and a thread hand-off per statement,
//! into a few larger ones.

use crate::error::db_err;
use crate::sqlite_checkpoint::WriterGate;
use crate::sqlite_writer::{MAX_BATCH, SqliteWriter};
use crate::statements::{Layout, Statements, only_unconditional_rows};
use sightline_core::{ChangeSet, Error, Result};
use sqlx::SqlitePool;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

type Pending = (ChangeSet, oneshot::Sender<Result<()>>);

pub struct GroupCommit {
    writer: SqliteWriter,
    queue: mpsc::UnboundedSender<Pending>,
}

impl GroupCommit {
    pub fn start(pool: SqlitePool, writer: SqliteWriter, gate: WriterGate) -> GroupCommit {
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(pool, gate, receiver));
        GroupCommit { writer, queue }
    }

    /// Writes what is queued and ends the writer's thread (see `SqliteWriter::close`).
    pub async fn close(&self) {
        self.writer.close().await;
    }

    pub async fn commit(&self, changes: &ChangeSet) -> Result<()> {
        let queued = Instant::now();
        let written = if only_unconditional_rows(changes) {
            self.write_on_writer_thread(changes).await
        } else {
            let (reply, answer) = oneshot::channel();
            self.queue.send((changes.clone(), reply)).map_err(|_| Error::internal("the SQLite writer has stopped"))?;
            answer.await.map_err(|_| Error::internal("the SQLite writer stopped before answering"))?
        };
        metrics::histogram!("sqlite_commit_wait_seconds").record(queued.elapsed().as_secs_f64());
        written
    }

    async fn write_on_writer_thread(&self, changes: &ChangeSet) -> Result<()> {
        let mut writes = Statements::new(Layout::Separate);
        crate::SqliteStore::push_unconditional_writes(&mut writes, &[changes])?;
        self.writer.write(writes.into_list()).await
    }
}

async fn write_batches(pool: SqlitePool, gate: WriterGate, mut receiver: mpsc::UnboundedReceiver<Pending>) {
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
            write_in_savepoints(&pool, &batch).await
        };
        for ((_, reply), result) in batch.into_iter().zip(results) {
            // A caller that went away (its request was cancelled) needs no answer.
            reply.send(result).ok();
        }
    }
}

/// Every change set in its own savepoint of one transaction, so that one that fails is
/// undone and reported alone.
async fn write_in_savepoints(pool: &SqlitePool, batch: &[Pending]) -> Vec<Result<()>> {
    let mut tx = match pool.begin_with(crate::sqlite::BEGIN_WRITE).await {
        Ok(tx) => tx,
        Err(e) => return batch.iter().map(|_| Err(db_err(clone_error(&e)))).collect(),
    };
    let mut results = Vec::with_capacity(batch.len());
    for (changes, _) in batch {
        match in_savepoint(&mut tx, changes).await {
            Ok(result) => results.push(result),
            Err(broken) => return fail_all(batch, broken),
        }
    }
    if let Err(e) = tx.commit().await {
        return fail_all(batch, db_err(e));
    }
    results
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

fn fail_all(batch: &[Pending], error: Error) -> Vec<Result<()>> {
    batch.iter().map(|_| Err(error.clone())).collect()
}

fn clone_error(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(e.to_string())
}
