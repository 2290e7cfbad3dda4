//! One SQLite file used by the running service and, at the same time, by other processes (an
//! operator's `sqlite3` session, the CLI creating a key): each must see the others' writes, also
//! after the service's checkpoint thread has started the WAL over. A regression test for the
//! service losing its locks on the database file, after which another process's exit deleted
//! the WAL the service was still writing to. And once every process has closed it, the file
//! alone holds every write, so that copying it is a complete backup.

mod common;

use common::{Backend, Server, client};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A figure the service reports on `/metrics` (summed over labels starting with `prefix`).
fn metric(metrics: &str, prefix: &str) -> u64 {
    metrics
        .lines()
        .filter(|line| line.starts_with(prefix))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}

/// The service restarts its WAL from 4,096 frames (16 MB) on; see `sqlite_checkpoint`.
const RESTART_FRAMES: u64 = 4096;

/// Sends 16 decisions at once and waits for their answers.
async fn decisions(server: &Server, key: &str, device_data: &str, first: u64) {
    let http = client();
    let batch = (first..first + 16).map(|i| {
        let body = json!({"user_id": format!("user-{i}"), "email": format!("u{i}@example.com"),
                          "transaction_amount": 10.5, "session": device_data});
        http.post(server.url("/v1/fraud-api")).bearer_auth(key).json(&body).send()
    });
    for answer in futures_util::future::join_all(batch).await {
        assert_eq!(answer.expect("decision").status(), 200);
    }
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
    let path = PathBuf::from(server.database_url.strip_prefix("sqlite://").expect("a SQLite URL"));
    let metrics = async || http.get(server.url("/metrics")).send().await.expect("metrics").text().await.expect("text");

    // The WAL has to grow to a restart's size first. A slow writer's WAL never does (passive
    // checkpoints keep up, and SQLite starts a fully copied WAL over by itself), so an
    // operator's open read transaction pins it meanwhile, whatever the machine's speed.
    let mut pin = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN'); \
             c.execute('SELECT COUNT(*) FROM decisions').fetchone(); print('pinned', flush=True); \
             sys.stdin.read(); c.execute('COMMIT'); c.close()",
        ])
        .arg(&path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    let mut pinned = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(pin.stdout.as_mut().expect("the pin's output")),
        &mut pinned,
    )
    .expect("read the pin's output");
    assert_eq!(pinned.trim(), "pinned");
    let started = Instant::now();
    let mut sent: u64 = 0;
    while metric(&metrics().await, "sqlite_wal_frames") < RESTART_FRAMES {
        assert!(started.elapsed() < Duration::from_secs(120), "WAL still short of a restart after {sent} decisions");
        decisions(&server, &key, &device_data, sent).await;
        sent += 16;
    }
    drop(pin.stdin.take());
    assert!(pin.wait().expect("the pin ends").success());

    // Decisions until the service has started its WAL over (5 s after the start at the
    // earliest), which syncs the database file first: the step that used to lose the locks.
    while metric(&metrics().await, "sqlite_wal_restarts_total{outcome=\"restarted\"}") < 1 {
        assert!(started.elapsed() < Duration::from_secs(120), "no WAL restart after {sent} decisions");
        decisions(&server, &key, &device_data, sent).await;
        sent += 16;
    }

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

/// Counts rows in the database file alone, through a copy without its `-wal` and `-shm`.
fn count_in_copy_of_file(path: &std::path::Path, sql: &str) -> u64 {
    let copy = path.with_extension("copy.db");
    std::fs::copy(path, &copy).expect("copy the database file");
    let read = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])",
        ])
        .arg(&copy)
        .arg(sql)
        .output()
        .expect("python3");
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    std::fs::remove_file(&copy).expect("remove the copy");
    String::from_utf8_lossy(&read.stdout).trim().parse().expect("a count")
}

fn wal_bytes(path: &std::path::Path) -> u64 {
    std::fs::metadata(path.with_extension("db-wal")).map_or(0, |meta| meta.len())
}

#[tokio::test]
async fn after_the_service_and_the_cli_exit_the_database_file_alone_holds_every_write() {
    let server = Server::start_with(Backend::Sqlite, &["--no-demo"]).await;
    let (tenant, key) = server.tenant("backup", "live");
    let http = client();
    for i in 0..20 {
        let body = json!({"user_id": format!("user-{i}"), "transaction_amount": 10.5});
        let answer =
            http.post(server.url("/v1/fraud-api")).bearer_auth(&key).json(&body).send().await.expect("decision");
        assert_eq!(answer.status(), 200);
    }
    let (status, database_url, _dir) = server.stop();
    assert!(status.success(), "the service stops cleanly: {status}");
    let path = PathBuf::from(database_url.strip_prefix("sqlite://").expect("a SQLite URL"));
    assert_eq!(wal_bytes(&path), 0, "the stopped service left writes in its WAL");
    assert_eq!(count_in_copy_of_file(&path, "SELECT COUNT(*) FROM decisions"), 20);

    let created = std::process::Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(["--database-url", &database_url, "--output", "json", "keys", "create", "--tenant", &tenant])
        .args(["--label", "made by the CLI"])
        .output()
        .expect("run the CLI");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert_eq!(wal_bytes(&path), 0, "the CLI left its write in the WAL");
    let keys = count_in_copy_of_file(&path, "SELECT COUNT(*) FROM api_keys WHERE label = 'made by the CLI'");
    assert_eq!(keys, 1, "a copy of the database file holds the key the CLI created");
}
