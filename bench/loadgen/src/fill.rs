//! Bulk loader: synthetic history written straight into a SQLite store, in the shape the
//! service writes it (hashed velocity keys, one decision row per event). Key populations
//! grow with the event count (about five events per user in 30 days whatever the size), so
//! that a larger history means more customers, not busier ones, as it does in production.

use rand::{Rng, SeedableRng};
use sightline_core::velocity::{VelocityKey, hash_key};
use sightline_core::{Id, ResourceKind};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Instant;

#[derive(clap::Args)]
pub struct FillArgs {
    /// `sqlite://path` of a migrated store.
    #[arg(long)]
    database_url: String,
    /// Tenant id the rows belong to.
    #[arg(long)]
    tenant: String,
    /// Number of events.
    #[arg(long)]
    events: u64,
    /// Print JSON bodies for the Fraud API that reuse this history's keys, to this file.
    #[arg(long)]
    bodies_out: Option<String>,
    #[arg(long, default_value_t = 2_000)]
    bodies: usize,
    /// Also put this many single addresses (in 100.64.0.0/10, which the bodies' IPs are not
    /// in) on the tenant's `deny_cidr` list: a large imported block list.
    #[arg(long, default_value_t = 0)]
    deny_cidr_entries: u32,
}

/// Distinct values per key for a history of `events`.
pub fn population(events: u64, per: u64) -> u64 {
    (events / per).max(10)
}

const BATCH: usize = 2_000;
const DAY_MS: i64 = 24 * 3600 * 1000;

pub async fn fill(args: FillArgs) -> Result<(), Box<dyn std::error::Error>> {
    let options = SqliteConnectOptions::from_str(&args.database_url)?
        .pragma("synchronous", "OFF")
        .pragma("cache_size", "-1000000")
        .pragma("temp_store", "MEMORY");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let tenant = Id::parse(ResourceKind::Tenant, &args.tenant).ok_or("--tenant is not a tenant id")?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let now = sightline_core::Timestamp::now().millis();
    let (users, devices, ips, cards) = (
        population(args.events, 5),
        population(args.events, 10),
        population(args.events, 20),
        population(args.events, 8),
    );
    // Indexes are dropped for the load and rebuilt after it (a sort per index instead of a
    // random B-tree insert per row), exactly as the migrations defined them.
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN ('velocity_events', 'decisions')",
    )
    .fetch_all(&pool)
    .await?;
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX {name}")).execute(&pool).await?;
    }
    let started = Instant::now();
    let mut done = 0u64;
    while done < args.events {
        let rows = usize::try_from((args.events - done).min(BATCH as u64))?;
        let mut tx = pool.begin().await?;
        let mut velocity = String::from(
            "INSERT INTO velocity_events (tenant_id, event_id, at, amount, device_id, device_hash, ip, email, phone, user_id, card_hash) VALUES ",
        );
        let mut decisions = String::from(
            "INSERT INTO decisions (id, tenant_id, created_at, state, fraud_score, rule_set_version, data) VALUES ",
        );
        for row in 0..rows {
            let at = now - rng.gen_range(0..30 * DAY_MS);
            let user = rng.gen_range(0..users);
            let key = |k: VelocityKey, v: String| format!("'{}'", hash_key(&tenant, k, &v));
            let id = Id::new(ResourceKind::Decision);
            let sep = if row == 0 { "" } else { "," };
            velocity.push_str(&format!(
                "{sep}('{t}','{id}',{at},{amount},{device},{hash},{ip},{email},{phone},{user_id},{card})",
                t = tenant,
                amount = rng.gen_range(1..2_000),
                device = key(VelocityKey::DeviceId, format!("device-{}", rng.gen_range(0..devices))),
                hash = key(VelocityKey::DeviceHash, format!("hash-{}", rng.gen_range(0..devices))),
                ip = key(
                    VelocityKey::Ip,
                    format!(
                        "10.{}.{}.{}",
                        rng.gen_range(0..ips) / 65536 % 256,
                        rng.gen_range(0..ips) / 256 % 256,
                        rng.gen_range(0..256)
                    )
                ),
                email = key(VelocityKey::Email, format!("user{user}@example.com")),
                phone = key(VelocityKey::Phone, format!("+49151{user:08}")),
                user_id = key(VelocityKey::UserId, format!("user-{user}")),
                card = key(VelocityKey::CardHash, format!("card-{}", rng.gen_range(0..cards))),
            ));
            let data = serde_json::json!({"id": id, "tenant_id": tenant, "created_at": sightline_core::Timestamp::from_millis(at),
                "state": "APPROVE", "fraud_score": 0.0, "rule_set_version": 0, "event": {}, "response": {}});
            decisions.push_str(&format!("{sep}('{id}','{tenant}',{at},'APPROVE',0,0,'{data}')"));
        }
        sqlx::query(&velocity).execute(&mut *tx).await?;
        sqlx::query(&decisions).execute(&mut *tx).await?;
        tx.commit().await?;
        done += rows as u64;
        if done.is_multiple_of(1_000_000) || done == args.events {
            eprintln!("{done} events in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    for (name, sql) in &indexes {
        sqlx::query(sql).execute(&pool).await?;
        eprintln!("index {name} rebuilt at {:.0} s", started.elapsed().as_secs_f64());
    }
    if args.deny_cidr_entries > 0 {
        // Canonical `address/32` texts, as the lists API stores them.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2) \
             INSERT OR IGNORE INTO list_entries (tenant_id, list, value, note, created_at) \
             SELECT ?1, 'deny_cidr', '100.' || (64 + i / 65536 % 64) || '.' || (i / 256 % 256) || '.' || (i % 256) || '/32', \
             NULL, ?3 FROM n",
        )
        .bind(tenant.as_str())
        .bind(i64::from(args.deny_cidr_entries))
        .bind(now)
        .execute(&pool)
        .await?;
    }
    sqlx::query("ANALYZE").execute(&pool).await?;
    // A bulk import hands over a checkpointed store, on disk. The index builds went through the
    // WAL (GBs at 10M events) and the load ran unsynced: left so, the server's first
    // checkpoints copied that WAL back and their syncs wrote out GBs of the import's dirty
    // pages, during the first minutes of load — the import's cost, not a decision's.
    sqlx::query("PRAGMA synchronous = FULL").execute(&pool).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await?;
    if let Some(path) = &args.bodies_out {
        let mut out = String::new();
        for _ in 0..args.bodies {
            let user = rng.gen_range(0..users);
            let body = serde_json::json!({
                "user_id": format!("user-{user}"), "email": format!("user{user}@example.com"),
                "phone_number": format!("+49151{user:08}"), "ip": format!("10.0.{}.{}", rng.gen_range(0..256), rng.gen_range(0..256)),
                "card_hash": format!("card-{}", rng.gen_range(0..cards)), "transaction_amount": rng.gen_range(1..2_000) as f64,
                "action_type": "payment", "billing_country": "DE",
            });
            out.push_str(&format!("{body}\n"));
        }
        std::fs::write(path, out)?;
    }
    Ok(())
}
