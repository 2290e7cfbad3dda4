//! Group commit for SQLite's single writer: change sets that arrive while a transaction is
//! being written wait for the next one and are written together, each inside its own
//! savepoint. A change set that fails (an optimistic-lock conflict, say) is rolled back to its
//! savepoint and reported to its caller alone; the others commit. Under load this turns many
//! small transactions, each paying for the WAL append and the writer hand-off, into a few larger
//! ones; with no concurrency a batch holds one change set and nothing changes.

use crate::error::db_err;
use sightline_core::{ChangeSet, Error, Result};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

/// The most change sets written in one transaction: bounds the latency a batch adds.
const MAX_BATCH: usize = 64;

type Pending = (ChangeSet, oneshot::Sender<Result<()>>);

pub struct GroupCommit {
    queue: mpsc::UnboundedSender<Pending>,
}

impl GroupCommit {
    pub fn start(pool: SqlitePool) -> GroupCommit {
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(pool, receiver));
        GroupCommit { queue }
    }

    pub async fn commit(&self, changes: &ChangeSet) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((changes.clone(), reply)).map_err(|_| Error::internal("the SQLite writer has stopped"))?;
        answer.await.map_err(|_| Error::internal("the SQLite writer stopped before answering"))?
    }
}

async fn write_batches(pool: SqlitePool, mut receiver: mpsc::UnboundedReceiver<Pending>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let results = write_batch(&pool, &batch).await;
        for ((_, reply), result) in batch.into_iter().zip(results) {
            // A caller that went away (its request was cancelled) needs no answer.
            reply.send(result).ok();
        }
    }
}

async fn write_batch(pool: &SqlitePool, batch: &[Pending]) -> Vec<Result<()>> {
    let mut tx = match pool.begin().await {
        Ok(tx) => tx,
        Err(e) => return batch.iter().map(|_| Err(db_err(clone_error(&e)))).collect(),
    };
    let mut results = Vec::with_capacity(batch.len());
    for (changes, _) in batch {
        let result = match sqlx::query("SAVEPOINT change_set").execute(&mut *tx).await {
            Err(e) => Err(db_err(e)),
            Ok(_) => match crate::SqliteStore::apply_changes(&mut tx, changes).await {
                Ok(()) => sqlx::query("RELEASE change_set").execute(&mut *tx).await.map(|_| ()).map_err(db_err),
                Err(e) => {
                    let undone = sqlx::query("ROLLBACK TO change_set").execute(&mut *tx).await;
                    let released = sqlx::query("RELEASE change_set").execute(&mut *tx).await;
                    match (undone, released) {
                        (Ok(_), Ok(_)) => Err(e),
                        // The transaction is in an unknown state: fail the whole batch below.
                        (Err(undo), _) | (_, Err(undo)) => return fail_all(batch, db_err(undo)),
                    }
                }
            },
        };
        results.push(result);
    }
    if let Err(e) = tx.commit().await {
        let error = db_err(e);
        return batch.iter().map(|_| Err(error.clone())).collect();
    }
    results
}

fn fail_all(batch: &[Pending], error: Error) -> Vec<Result<()>> {
    batch.iter().map(|_| Err(error.clone())).collect()
}

fn clone_error(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(e.to_string())
}
