//! One SQLite file used by the running service and, at the same time, by other processes (an
//! operator's `sqlite3` session, the CLI creating a key): each must see the others' writes, also
//! after the service's checkpoint thread has started the WAL over. A regression test for the
//! service losing its locks on the database file, after which another process's exit deleted
//! the WAL the service was still writing to.

mod common;

use common::{Backend, Server, client};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How many WAL restarts the service reports on `/metrics`.
fn restarts(metrics: &str) -> u64 {
    metrics
        .lines()
        .filter(|line| line.starts_with("sqlite_wal_restarts_total{outcome=\"restarted\"}"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}

#[tokio::test]
async fn the_cli_and_the_service_see_each_others_writes_after_a_wal_restart() {
    let server = Server::start_with(Backend::Sqlite, &["--no-demo"]).await;
    let (tenant, key) = server.tenant("sharing", "live");
    let device_data = server.cli(&["simulate", "--tenant", &tenant, "--platform", "web", "--seed", "1"])["device_data"]
        .as_str()
        .expect("device_data")
        .to_owned();
    let http = client();

    // Decisions until the service has started its WAL over: the first restart comes once the
    // WAL holds 16 MB, 5 s after the start at the earliest.
    let started = Instant::now();
    let mut sent: u64 = 0;
    loop {
        let metrics = http.get(server.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
        if restarts(&metrics) >= 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no WAL restart after {sent} decisions");
        let batch = (0..16).map(|i| {
            let body = json!({"user_id": format!("user-{}", sent + i), "email": format!("u{}@example.com", sent + i),
                              "transaction_amount": 10.5, "session": device_data});
            http.post(server.url("/v1/fraud-api")).bearer_auth(&key).json(&body).send()
        });
        for answer in futures_util::future::join_all(batch).await {
            assert_eq!(answer.expect("decision").status(), 200);
        }
        sent += 16;
    }

    let path = PathBuf::from(server.database_url.strip_prefix("sqlite://").expect("a SQLite URL"));
    let wal = path.with_extension("db-wal");
    assert!(wal.exists(), "the service writes ahead into {}", wal.display());

    // An operator's tool reads the file and closes it cleanly, as Python's sqlite3 does: a
    // connection that closes while it believes itself the last one deletes the WAL.
    let read = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
                      print(c.execute('SELECT COUNT(*) FROM decisions').fetchone()[0]); c.close()",
        ])
        .arg(&path)
        .output()
        .expect("python3");
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    let counted: u64 = String::from_utf8_lossy(&read.stdout).trim().parse().expect("a count");
    assert!(counted >= sent, "the reader sees the service's {sent} decisions, not {counted}");
    assert!(wal.exists(), "a reader's exit deleted the WAL the running service writes to");

    // Another process writes while the service runs.
    let by_cli = server.cli(&["keys", "create", "--tenant", &tenant]);
    let cli_key = by_cli["api_key"].as_str().expect("the CLI prints the new key");
    let status = http.get(server.url("/v1/tenant")).bearer_auth(cli_key).send().await.expect("tenant").status();
    assert_eq!(status, 200, "the service sees the key the CLI created");

    // And the service's next write reaches the next process.
    let created = http
        .post(server.url("/v1/api_keys"))
        .bearer_auth(&key)
        .json(&json!({"label": "made while serving"}))
        .send()
        .await
        .expect("create key");
    assert!(created.status().is_success(), "{}", created.status());
    let listed = server.cli(&["keys", "list", "--tenant", &tenant]).to_string();
    assert!(listed.contains("made while serving"), "the CLI sees the key the service created: {listed}");
}
