//! Test support: every test gets its own empty database so tests run in parallel without
//! seeing each other's rows.
//!
//! PostgreSQL tests need a real server. `scripts/test.sh` starts one from the installed
//! PostgreSQL binaries and exports its URL as `SIGHTLINE_TEST_PG_URL`; without it the
//! PostgreSQL tests fail loudly rather than silently skipping, because a suite that quietly
//! runs on one backend would prove nothing about the other.

use rand::RngCore;
use sqlx::Connection;

pub const PG_URL_VAR: &str = "SIGHTLINE_TEST_PG_URL";

/// The admin URL of the test server.
pub fn pg_admin_url() -> String {
    std::env::var(PG_URL_VAR).unwrap_or_else(|_| {
        panic!("{PG_URL_VAR} is not set: run the tests through scripts/test.sh, which starts PostgreSQL")
    })
}

/// Creates a fresh, empty database on the test server and returns its URL.
pub async fn fresh_pg_database() -> String {
    let admin = pg_admin_url();
    let mut bytes = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut bytes);
    let name = format!("sl_test_{}", hex::encode(bytes));
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    let _ = conn.close().await;
    match admin.rfind('/') {
        Some(slash) => format!("{}/{name}", &admin[..slash]),
        None => panic!("{PG_URL_VAR} must end with /<database>"),
    }
}

/// A SQLite URL inside a temporary directory that lives as long as the returned guard.
pub fn temp_sqlite() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temp dir: {e}"));
    let url = format!("sqlite://{}", dir.path().join("sightline.db").display());
    (url, dir)
}
