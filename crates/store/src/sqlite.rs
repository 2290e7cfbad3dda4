//! The embedded SQLite backend. WAL mode lets readers proceed while one writer commits.
//! Decisions are written by `sqlite_writer`'s own connection and thread; every other write
//! goes through a single-connection sqlx pool, so that those transactions queue inside the
//! process. Both take SQLite's write lock when they begin (`BEGIN IMMEDIATE`): a transaction
//! that read first and then found the other's commit newer than its snapshot would fail with
//! `SQLITE_BUSY` instead of waiting.

use crate::common::impl_store;
use crate::error::{db_err, migrate_err};

type Db = sqlx::Sqlite;
use crate::prelude::*;
use crate::statements::Layout;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    checkpointer: crate::sqlite_checkpoint::Checkpointer,
    /// The reads a decision makes (see `sqlite_inline`).
    inline: crate::sqlite_inline::InlineReaders,
    /// Every other read.
    read: SqlitePool,
    write: SqlitePool,
    group_commit: crate::group_commit::GroupCommit,
}

/// Page cache per connection: SQLite's default 2 MB holds little more than the
/// root pages of the velocity indexes, so hot pages were re-read from the OS on every query.
const CACHE_KIB: u32 = 32 * 1024;

/// The writer's page cache is smaller: at the end of every commit SQLite walks all of its
/// cached pages (`pcache1TruncateUnsafe`), which with 32 MB cost ~3 % of the service's CPU
/// under load, more than re-reading the pages it misses from the OS.
const WRITER_CACHE_KIB: u32 = 4 * 1024;

/// One inline reader per thread that may run a decision, and one spare each: a reader is held
/// for one statement, so more would only hold more page caches.
fn inline_readers() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from).clamp(2, 16) * 2
}

/// How the sqlx side begins a write transaction (see the module's doc).
pub(crate) const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";

impl SqliteStore {
    /// Inside a transaction, a change set's inserts go to sqlx's connection thread as one
    /// command (see `statements`).
    pub(crate) const WRITE_LAYOUT: Layout = Layout::Semicolons;

    /// Opens (creating if needed) the database file named by a `sqlite://path` URL, and its
    /// parent directory.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return Err(Error::invalid_field(
                "database_url",
                "an in-memory SQLite store is not supported: name a file, e.g. sqlite://data/sightline.db",
            ));
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| Error::invalid_field("database_url", format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", format!("-{CACHE_KIB}"));
        if let Some(parent) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::internal(format!("cannot create {}: {e}", parent.display())))?;
        }
        // No ping before each acquire: a local file connection does not go stale, and the ping
        // is one more round trip to the connection's thread on every statement.
        let pool = || SqlitePoolOptions::new().test_before_acquire(false);
        // The writer never checkpoints; `sqlite_checkpoint` does, off the commit path.
        let write = pool()
            .max_connections(1)
            .connect_with(
                options
                    .clone()
                    .pragma("wal_autocheckpoint", "0")
                    .pragma("cache_size", format!("-{WRITER_CACHE_KIB}"))
                    .pragma("temp_store", "MEMORY"),
            )
            .await
            .map_err(db_err)?;
        let gate = crate::sqlite_checkpoint::WriterGate::default();
        let checkpointer = crate::sqlite_checkpoint::Checkpointer::start(
            options.get_filename(),
            gate.clone(),
            crate::sqlite_checkpoint::Policy::SERVICE,
        )?;
        let writer = crate::sqlite_writer::SqliteWriter::start(options.get_filename(), WRITER_CACHE_KIB, gate.clone())?;
        let inline = crate::sqlite_inline::InlineReaders::open(
            options.get_filename(),
            inline_readers(),
            CACHE_KIB,
            Some(writer.connection()),
        )?;
        let read = pool().max_connections(4).connect_with(options.read_only(false)).await.map_err(db_err)?;
        let group_commit = crate::group_commit::GroupCommit::start(write.clone(), writer, gate);
        Ok(SqliteStore { checkpointer, inline, read, write, group_commit })
    }

    /// SQLite has one writer: change sets waiting for it are committed together (see
    /// `group_commit`), which is what lets concurrent decisions share the disk's write rate.
    async fn commit_changes(&self, changes: &ChangeSet) -> Result<()> {
        self.group_commit.commit(changes).await
    }

    pub async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations/sqlite").run(&self.write).await.map_err(migrate_err)
    }

    /// Closes sqlx's connections and ends the writer and checkpoint threads, after what was
    /// queued is written. The inline readers and the writer's connection (which they share)
    /// close when the store is dropped: SQLite copies the WAL back into the database file and
    /// removes it when the last connection to it, in any process, closes.
    pub async fn close(&self) {
        crate::common::close_pool(&self.write).await;
        crate::common::close_pool(&self.read).await;
        self.group_commit.close().await;
        self.checkpointer.close().await;
    }

    /// SQLite has one writer at a time, so a plain UPDATE … RETURNING claims atomically.
    const CLAIM_DUE_SQL: &'static str = "UPDATE webhook_deliveries SET claimed_until = $1, attempts = attempts + 1, updated_at = $2 \
         WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $2 \
         AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY next_attempt_at LIMIT $3) \
         RETURNING id, tenant_id, subscription_id, event_id, attempts, created_at";

    /// The hot reads of the shared SQL run in place on SQLite (see `sqlite_inline`).
    async fn read_rows<T: crate::sqlite_inline::InlineRow>(
        &self,
        sql: &str,
        params: &[crate::params::Param<'_>],
    ) -> Result<Vec<T>> {
        self.inline.fetch_all(sql, params)
    }

    fn reader(&self) -> &SqlitePool {
        &self.read
    }

    fn writer(&self) -> &SqlitePool {
        &self.write
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Db>> {
        self.write.begin_with(BEGIN_WRITE).await.map_err(db_err)
    }
}

impl_store!(SqliteStore, "sqlite");
