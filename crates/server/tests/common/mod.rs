#![allow(dead_code)]
//! Runs the real `sightline` binary as a child process on a free loopback port, against a
//! fresh SQLite file or a fresh PostgreSQL database, and talks to it over real HTTP.

pub mod receiver;
pub mod seon;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct Server {
    child: Child,
    pub base: String,
    pub database_url: String,
    pub stdout_lines: Vec<String>,
    dir: Option<tempfile::TempDir>,
}

pub async fn database_url(backend: Backend, dir: &tempfile::TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("sightline.db").display()),
        Backend::Postgres => sightline_testkit::fresh_pg_database().await,
    }
}

impl Server {
    pub async fn start(backend: Backend) -> Server {
        Server::start_with(backend, &[]).await
    }

    pub async fn start_with(backend: Backend, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let url = database_url(backend, &dir).await;
        Server::start_on(url, dir, extra)
    }

    /// Starts a server on an existing database (e.g. a restart after a crash).
    pub fn start_on(database_url: String, dir: tempfile::TempDir, extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sightline"));
        command
            .current_dir(dir.path())
            .args(["--database-url", &database_url, "--log-level", "warn", "serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("spawn sightline");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut lines = Vec::new();
        let base = loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let found = line.strip_prefix("listening on ").map(str::to_owned);
                    lines.push(line);
                    if let Some(base) = found {
                        break base;
                    }
                }
                Err(_) => panic!("server did not start; output so far: {lines:?}"),
            }
        };
        Server { child, base, database_url, stdout_lines: lines, dir: Some(dir) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Runs a CLI subcommand against this server's database and parses its JSON output.
    pub fn cli(&self, args: &[&str]) -> Value {
        serde_json::from_slice(&self.cli_stdout(args)).expect("CLI prints JSON")
    }

    /// Runs a CLI subcommand that prints one JSON document per line.
    pub fn cli_lines(&self, args: &[&str]) -> Vec<Value> {
        let stdout = String::from_utf8(self.cli_stdout(args)).expect("CLI prints UTF-8");
        stdout.lines().map(|line| serde_json::from_str(line).expect("CLI prints JSON lines")).collect()
    }

    fn cli_stdout(&self, args: &[&str]) -> Vec<u8> {
        let output = Command::new(env!("CARGO_BIN_EXE_sightline"))
            .args(["--database-url", &self.database_url, "--output", "json"])
            .args(args)
            .output()
            .expect("run sightline CLI");
        assert!(output.status.success(), "CLI {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    }

    /// A new tenant and its API key.
    pub fn tenant(&self, name: &str, mode: &str) -> (String, String) {
        let out = self.cli(&["tenants", "create", "--name", name, "--mode", mode]);
        (out["tenant"]["id"].as_str().unwrap().to_owned(), out["api_key"].as_str().unwrap().to_owned())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        self.child.wait().expect("wait")
    }

    /// SIGTERM, keeping the data directory: the exit status, the database URL and the directory.
    pub fn stop(mut self) -> (std::process::ExitStatus, String, tempfile::TempDir) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let status = self.child.wait().expect("wait");
        let dir = self.dir.take().expect("data directory");
        (status, self.database_url.clone(), dir)
    }

    /// SIGKILL, keeping the data directory for a restart.
    pub fn kill(mut self) -> (String, tempfile::TempDir) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = self.dir.take().expect("data directory");
        (self.database_url.clone(), dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

/// Instantiates each named async test for both backends: `both_backends!(a, b);` expects
/// `async fn a(backend: Backend)`.
#[macro_export]
macro_rules! both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread")] async fn $test() { super::$test($crate::common::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread")] async fn $test() { super::$test($crate::common::Backend::Postgres).await } )*
        }
    };
}

/// A server with one live tenant and its key.
pub struct TenantServer {
    pub server: Server,
    pub api: Api,
    pub id: String,
}

impl TenantServer {
    pub async fn start(backend: Backend) -> TenantServer {
        let server = Server::start(backend).await;
        let (id, key) = server.tenant("shop", "live");
        let api = Api::new(&server, &key);
        TenantServer { server, api, id }
    }
}

/// A tenant's view of the API: terse JSON calls that return status and body.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub key: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(server: &Server, key: &str) -> Api {
        Api { base: server.base.clone(), key: key.to_owned(), http: client() }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.bearer_auth(&self.key).send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(&body)).await
    }

    pub async fn post_with_headers(&self, path: &str, body: Value, headers: &[(&str, String)]) -> (u16, Value) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        self.send(request).await
    }

    /// POSTs `body` as it is, whatever it holds, labelled as JSON.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> (u16, Value) {
        let request = self.http.post(format!("{}{path}", self.base)).header("content-type", "application/json");
        self.send(request.body(body)).await
    }

    pub async fn send_put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.put(format!("{}{path}", self.base)).json(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.http.delete(format!("{}{path}", self.base))).await
    }

    /// A person (created from `person`) with an APPROVED consent: `(person id, consent id)`.
    pub async fn person_with_consent(&self, person: Value) -> (String, String) {
        let (status, created) = self.post("/v1/persons", person).await;
        assert_eq!(status, 201, "{created}");
        let person = created["id"].as_str().unwrap().to_owned();
        let (_, consent) = self
            .post(
                &format!("/v1/persons/{person}/device_consents"),
                serde_json::json!({"event_type": "APPROVED", "confirmed_at": sightline_core::Timestamp::now().to_rfc3339()}),
            )
            .await;
        (person, consent["id"].as_str().unwrap().to_owned())
    }

    /// Seals `payload` as the agent would, to the key the server hands out for `tenant_id`.
    pub async fn seal(&self, tenant_id: &str, payload: &sightline_payload::DevicePayload) -> String {
        let (status, config) = self.get(&format!("/agent/v1/config?tenant={tenant_id}")).await;
        assert_eq!(status, 200, "{config}");
        let public_key = sightline_payload::public_key_from_b64(config["public_key"].as_str().unwrap()).unwrap();
        let params = sightline_payload::SealParams {
            key_id: u32::try_from(config["key_id"].as_u64().unwrap()).unwrap(),
            public_key: &public_key,
            platform: payload.platform,
            sdk_version: &payload.sdk_version,
            session_id: &payload.session_id,
        };
        sightline_payload::seal(&params, &payload.to_json_bytes(), &mut rand::rngs::OsRng).unwrap()
    }
}
