//! The effective configuration: flags over `SIGHTLINE_*` environment over the TOML file over
//! defaults that make `sightline serve` work on a fresh machine with no setup at all.

use crate::cli::{Cli, Command, LogFormat};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sightline.db";

#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub database_url: String,
    pub listen: SocketAddr,
    pub request_timeout_secs: u64,
    pub body_limit_bytes: usize,
    pub rate_limit_per_second: u32,
    pub rate_limit_burst: u32,
    pub log_format: LogFormat,
    pub log_level: String,
    /// Serve `/demo` (default on, so a fresh checkout shows a working integration).
    pub demo: bool,
    /// Where the enrichment data is and which operator files replace it (`[enrichment]`).
    pub enrichment: sightline_enrich::EnrichConfig,
    #[serde(skip)]
    pub config_file: Option<PathBuf>,
}

/// The TOML file: every key optional, unknown keys rejected so typos do not pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<String>,
    request_timeout_secs: Option<u64>,
    body_limit_bytes: Option<usize>,
    rate_limit_per_second: Option<u32>,
    rate_limit_burst: Option<u32>,
    log_format: Option<LogFormat>,
    log_level: Option<String>,
    demo: Option<bool>,
    enrichment: Option<sightline_enrich::EnrichConfig>,
}

impl Config {
    pub fn load(cli: &Cli) -> Result<Config, String> {
        let (file, config_file) = read_file(cli.global.config.as_deref())?;
        let serve = match &cli.command {
            Command::Serve(args) => Some(args),
            _ => None,
        };
        let listen_text =
            serve.and_then(|s| s.listen.clone()).or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen = listen_text
            .parse()
            .map_err(|_| format!("listen address `{listen_text}` is not host:port, e.g. 127.0.0.1:8080"))?;
        let config = Config {
            database_url: cli
                .global
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            listen,
            request_timeout_secs: serve
                .and_then(|s| s.request_timeout_secs)
                .or(file.request_timeout_secs)
                .unwrap_or(30),
            body_limit_bytes: serve.and_then(|s| s.body_limit_bytes).or(file.body_limit_bytes).unwrap_or(1 << 20),
            rate_limit_per_second: serve
                .and_then(|s| s.rate_limit_per_second)
                .or(file.rate_limit_per_second)
                .unwrap_or(1000),
            rate_limit_burst: serve.and_then(|s| s.rate_limit_burst).or(file.rate_limit_burst).unwrap_or(2000),
            log_format: cli.global.log_format.or(file.log_format).unwrap_or(LogFormat::Json),
            log_level: cli.global.log_level.clone().or(file.log_level).unwrap_or_else(|| "info".to_owned()),
            demo: !serve.is_some_and(|s| s.no_demo) && file.demo.unwrap_or(true),
            enrichment: {
                let mut enrichment = file.enrichment.unwrap_or_default();
                if let Some(dir) = serve.and_then(|s| s.data_dir.clone()) {
                    enrichment.data_dir = dir;
                }
                enrichment
            },
            config_file,
        };
        if config.rate_limit_per_second == 0 || config.rate_limit_burst == 0 {
            return Err("rate limits must be at least 1".to_owned());
        }
        Ok(config)
    }

    /// The configuration as printed at start: secrets redacted.
    pub fn redacted(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        value["database_url"] = serde_json::Value::String(sightline_store::redact_url(&self.database_url));
        value["config_file"] = match &self.config_file {
            Some(path) => serde_json::Value::String(path.display().to_string()),
            None => serde_json::Value::Null,
        };
        value
    }
}

fn read_file(explicit: Option<&Path>) -> Result<(FileConfig, Option<PathBuf>), String> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let default = PathBuf::from("sightline.toml");
            if !default.exists() {
                return Ok((FileConfig::default(), None));
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file = toml::from_str(&text).map_err(|e| format!("invalid config file {}: {e}", path.display()))?;
    Ok((file, Some(path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn load(args: &[&str]) -> Result<Config, String> {
        Config::load(&Cli::try_parse_from(args).map_err(|e| e.to_string())?)
    }

    #[test]
    fn defaults_work_without_any_setup() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.toml");
        let err = load(&["sightline", "--config", missing.to_str().unwrap(), "serve"]).unwrap_err();
        assert!(err.contains("cannot read"));
        let config = load(&["sightline", "serve"]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn flags_override_the_file_and_secrets_are_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ndatabase_url = \"postgres://u:hunter2-secret@h/db\"\nrate_limit_burst = 5\n",
        )
        .unwrap();
        let config =
            load(&["sightline", "--config", file.to_str().unwrap(), "serve", "--listen", "127.0.0.1:9100"]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:9100");
        assert_eq!(config.rate_limit_burst, 5);
        // A distinctive password: the printed configuration also holds the temporary
        // directory's random name, which a two-letter one could occur in by chance.
        assert!(!config.redacted().to_string().contains("hunter2-secret"));
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:9000\"\n").unwrap();
        assert!(load(&["sightline", "--config", file.to_str().unwrap(), "serve"]).is_err());
    }
}
