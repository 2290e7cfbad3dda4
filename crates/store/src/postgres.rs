//! The PostgreSQL backend, for several stateless Sightline nodes sharing one database.

use crate::common::impl_store;
use crate::error::{db_err, migrate_err};

type Db = sqlx::Postgres;
use crate::prelude::*;
use crate::statements::Layout;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Inside a transaction the extended protocol takes one statement per query.
    pub(crate) const WRITE_LAYOUT: Layout = Layout::Separate;

    pub async fn connect(url: &str) -> Result<PgStore> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| Error::invalid_field("database_url", format!("invalid PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(db_err)?;
        Ok(PgStore { pool })
    }

    /// The hot reads of the shared SQL: plain sqlx queries on PostgreSQL.
    async fn read_rows<T>(&self, sql: &str, params: &[crate::params::Param<'_>]) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    {
        use crate::params::Param;
        let mut query = sqlx::query_as::<_, T>(sql);
        for param in params {
            query = match *param {
                Param::Text(text) => query.bind(text),
                Param::OptText(text) => query.bind(text),
                Param::Int(int) => query.bind(int),
            };
        }
        query.fetch_all(&self.pool).await.map_err(db_err)
    }

    /// Concurrent transactions are PostgreSQL's business: each change set commits on its own.
    /// A decision's (inserts and upserts only) is one statement, atomic by itself: one round
    /// trip where a transaction takes one per statement plus its begin and commit. One too
    /// large for a statement's bound values takes the transaction.
    async fn commit_changes(&self, changes: &ChangeSet) -> Result<()> {
        if !crate::statements::only_unconditional_rows(changes) {
            return self.commit_alone(changes).await;
        }
        let mut writes = crate::statements::Statements::new(Layout::With);
        Self::push_unconditional_writes(&mut writes, &[changes])?;
        let statements = writes.into_list();
        if !crate::multi_row::fits_one_statement(statements.iter().map(|s| s.binds.len()).sum()) {
            return self.commit_alone(changes).await;
        }
        for statement in &statements {
            crate::statements::to_sqlx::<Db>(statement).execute(&self.pool).await.map_err(db_err)?;
        }
        Ok(())
    }

    /// Waits for the connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        crate::common::close_pool(&self.pool).await;
    }

    /// Several nodes may start at once; sqlx serialises migrations with an advisory lock.
    pub async fn migrate(&self) -> Result<()> {
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await.map_err(migrate_err)
    }

    /// `SKIP LOCKED` lets concurrent nodes claim disjoint rows without blocking each other;
    /// the lease (`claimed_until`) keeps a row from being claimed again while it is sent.
    const CLAIM_DUE_SQL: &'static str = "UPDATE webhook_deliveries d SET claimed_until = $1, attempts = d.attempts + 1, updated_at = $2 \
         FROM (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $2 \
         AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due \
         WHERE d.id = due.id RETURNING d.id, d.tenant_id, d.subscription_id, d.event_id, d.attempts, d.created_at";

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Db>> {
        self.pool.begin().await.map_err(db_err)
    }
}

impl_store!(PgStore, "postgres");
