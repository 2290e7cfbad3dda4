//! The subcommands. Each prints a human summary, or one JSON document with `--output json`
//! (what scripts and the integration tests read).

use crate::cli::{AgentKeysCommand, Cli, Command, KeysCommand, Output, TenantsCommand};
use crate::config::Config;
use serde_json::json;
use sightline_core::{Error, Id, NewApiKey, ResourceKind, Result, Store, Tenant, TenantMode};
use std::sync::Arc;

pub async fn run(cli: Cli, config: Config) -> Result<()> {
    let output = cli.global.output;
    match cli.command {
        Command::Serve(_) => crate::http::serve(config).await,
        Command::Migrate => {
            with_store(&config, |store| async move {
                print(output, json!({"migrated": true, "backend": store.backend()}), || {
                    format!("Migrations applied ({}).", store.backend())
                });
                Ok(())
            })
            .await
        }
        Command::Tenants(cmd) => {
            with_store(&config, |store| async move { tenants(store.as_ref(), cmd, output).await }).await
        }
        Command::Keys(cmd) => with_store(&config, |store| async move { keys(store.as_ref(), cmd, output).await }).await,
        Command::Simulate(args) => {
            with_store(&config, |store| async move {
                let tenant = find_tenant(store.as_ref(), &args.tenant).await?;
                crate::simulate::run_simulate(store.as_ref(), &tenant, args, output).await
            })
            .await
        }
        Command::Evaluate(args) => {
            crate::simulate::run_evaluate(args);
            Ok(())
        }
        Command::Sanctions(command) => crate::enrichment::sanctions_command(command, config, output),
    }
}

/// Runs one command against the store and closes it before the process exits, so that what
/// the command wrote is in the database file itself, not only in SQLite's WAL.
async fn with_store<F, Fut>(config: &Config, command: F) -> Result<()>
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let store = sightline_store::open(&config.database_url).await?;
    let outcome = command(store.clone()).await;
    store.close().await;
    drop(store);
    outcome
}

/// Creates a tenant with one API key and returns the key's secret.
pub async fn create_tenant(store: &dyn Store, name: &str, mode: TenantMode) -> Result<(Tenant, NewApiKey)> {
    let tenant = Tenant::new(name, mode)?;
    store.insert_tenant(&tenant).await?;
    let key = NewApiKey::generate(&tenant, "initial");
    store.insert_api_key(&key.key, &key.secret_hash).await?;
    Ok((tenant, key))
}

async fn tenants(store: &dyn Store, cmd: TenantsCommand, output: Output) -> Result<()> {
    match cmd {
        TenantsCommand::Create { name, mode } => {
            let (tenant, key) = create_tenant(store, &name, mode.parse()?).await?;
            print(output, json!({"tenant": tenant, "api_key": key.secret}), || {
                format!(
                    "Created tenant {} ({}, {} mode).\nAPI key (shown once, store it now): {}",
                    tenant.name,
                    tenant.id,
                    tenant.mode.as_str(),
                    key.secret
                )
            });
        }
        TenantsCommand::List => {
            let tenants = store.tenants().await?;
            print(output, json!(tenants), || {
                tenants
                    .iter()
                    .map(|t| format!("{}  {:<5}  {}", t.id, t.mode.as_str(), t.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

async fn keys(store: &dyn Store, cmd: KeysCommand, output: Output) -> Result<()> {
    match cmd {
        KeysCommand::Create { tenant, label } => {
            let tenant = find_tenant(store, &tenant).await?;
            let key = NewApiKey::generate(&tenant, &label);
            store.insert_api_key(&key.key, &key.secret_hash).await?;
            print(output, json!({"key": key.key, "api_key": key.secret}), || {
                format!("API key {} for {} (shown once, store it now): {}", key.key.id, tenant.name, key.secret)
            });
        }
        KeysCommand::List { tenant } => {
            let tenant = find_tenant(store, &tenant).await?;
            let keys = store.api_keys(&tenant.id).await?;
            print(output, json!(keys), || {
                keys.iter()
                    .map(|k| {
                        let state = if k.revoked_at.is_some() { "revoked" } else { "active" };
                        format!("{}  {}…  {:<7}  {}", k.id, k.prefix, state, k.label)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        KeysCommand::Revoke { tenant, key } => {
            let tenant = find_tenant(store, &tenant).await?;
            let key_id = Id::parse(ResourceKind::ApiKey, &key).ok_or_else(|| Error::not_found("API key"))?;
            if !store.revoke_api_key(&tenant.id, &key_id).await? {
                return Err(Error::not_found("active API key"));
            }
            print(output, json!({"revoked": key_id.as_str()}), || format!("Revoked {key_id}."));
        }
        KeysCommand::Agent(cmd) => agent_keys(store, cmd, output).await?,
    }
    Ok(())
}

async fn agent_keys(store: &dyn Store, cmd: AgentKeysCommand, output: Output) -> Result<()> {
    use sightline_core::agent_key::rotate_agent_key;
    let describe = |k: &sightline_core::agent_key::AgentKeyRecord| {
        json!({"key_id": k.key_id, "public_key": k.public_key_b64, "created_at": k.created_at,
               "retired_at": k.retired_at})
    };
    match cmd {
        AgentKeysCommand::Rotate { tenant } => {
            let tenant = find_tenant(store, &tenant).await?;
            let key = rotate_agent_key(store, &tenant.id).await?;
            print(output, describe(&key), || {
                format!(
                    "New agent key {} for {}; older keys still open payloads until retired.",
                    key.key_id, tenant.name
                )
            });
        }
        AgentKeysCommand::List { tenant } => {
            let tenant = find_tenant(store, &tenant).await?;
            let keys = store.agent_keys(&tenant.id).await?;
            print(output, json!(keys.iter().map(describe).collect::<Vec<_>>()), || {
                keys.iter()
                    .map(|k| {
                        format!(
                            "{:>10}  {}  {}",
                            k.key_id,
                            if k.retired_at.is_some() { "retired" } else { "active " },
                            k.created_at
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        AgentKeysCommand::Retire { tenant, key_id } => {
            let tenant = find_tenant(store, &tenant).await?;
            if !store.retire_agent_key(&tenant.id, key_id, sightline_core::Timestamp::now()).await? {
                return Err(Error::not_found("active agent key"));
            }
            print(output, json!({"retired": key_id}), || format!("Retired agent key {key_id}."));
        }
    }
    Ok(())
}

async fn find_tenant(store: &dyn Store, id_or_name: &str) -> Result<Tenant> {
    let by_id = match Id::parse(ResourceKind::Tenant, id_or_name) {
        Some(id) => store.tenant(&id).await?,
        None => None,
    };
    match by_id {
        Some(tenant) => Ok(tenant),
        None => store.tenant_by_name(id_or_name).await?.ok_or_else(|| Error::not_found("tenant")),
    }
}

pub(crate) fn print(output: Output, value: serde_json::Value, text: impl FnOnce() -> String) {
    match output {
        Output::Json => println!("{value}"),
        Output::Text => println!("{}", text()),
    }
}
