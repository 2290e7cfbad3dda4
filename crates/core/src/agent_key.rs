//! The per-tenant key ring the browser agent seals payloads to. The private half never
//! leaves the server; rotation adds a key and later retires old ones, which stop opening
//! payloads from then on.

use crate::{Id, Timestamp};

#[derive(Clone, PartialEq, Eq)]
pub struct AgentKeyRecord {
    pub tenant_id: Id,
    pub key_id: u32,
    /// The P-256 secret scalar, hex.
    pub secret_hex: String,
    /// The uncompressed public point, standard base64 (what the agent imports).
    pub public_key_b64: String,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl std::fmt::Debug for AgentKeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentKeyRecord")
            .field("tenant_id", &self.tenant_id)
            .field("key_id", &self.key_id)
            .field("public_key_b64", &self.public_key_b64)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

use crate::{AuthContext, Error, Result, Store};
use rand::RngCore;
use rand::rngs::OsRng;
use sightline_payload::{AgentKeyPair, KeyRing};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The key the agent should seal to now: the newest active one, created on first use.
pub async fn current_agent_key(store: &dyn Store, tenant_id: &Id) -> Result<AgentKeyRecord> {
    let keys = store.agent_keys(tenant_id).await?;
    match keys.into_iter().rev().find(|k| k.retired_at.is_none()) {
        Some(key) => Ok(key),
        None => rotate_agent_key(store, tenant_id).await,
    }
}

/// Adds a new key; older keys keep opening payloads until they are retired.
pub async fn rotate_agent_key(store: &dyn Store, tenant_id: &Id) -> Result<AgentKeyRecord> {
    let key_id = OsRng.next_u32();
    let pair = AgentKeyPair::generate(key_id, &mut OsRng);
    let record = AgentKeyRecord {
        tenant_id: tenant_id.clone(),
        key_id,
        secret_hex: hex::encode(pair.secret_bytes().as_slice()),
        public_key_b64: pair.public_key_b64(),
        created_at: Timestamp::now(),
        retired_at: None,
    };
    store.insert_agent_key(&record).await?;
    Ok(record)
}

/// The ring of keys that may open this tenant's payloads: every key not yet retired. Read from
/// the store unless this node read it at the caller's configuration version (which every key
/// added or retired raises, on any node), so a retired key stops opening at once everywhere.
pub async fn key_ring(store: &dyn Store, caller: &AuthContext) -> Result<Arc<KeyRing>> {
    let tenant_id = &caller.tenant.id;
    if let Some(version) = caller.config_version
        && let Some((_, ring)) = lock(&RINGS).get(tenant_id).filter(|(read_at, _)| *read_at == version)
    {
        return Ok(Arc::clone(ring));
    }
    let mut ring = KeyRing::new();
    for key in store.agent_keys(tenant_id).await?.into_iter().filter(|k| k.retired_at.is_none()) {
        ring.insert(key_pair(&key)?);
    }
    let ring = Arc::new(ring);
    if let Some(version) = caller.config_version {
        let mut rings = lock(&RINGS);
        if rings.len() >= RINGS_MAX {
            rings.clear();
        }
        rings.insert(tenant_id.clone(), (version, Arc::clone(&ring)));
    }
    Ok(ring)
}

/// Rings read per tenant, tagged with the configuration version they were read at. Process-wide
/// like [`DERIVED`]: tenant ids are unique, so rings of different stores cannot mix.
static RINGS: LazyLock<Mutex<ReadRings>> = LazyLock::new(Mutex::default);
/// Tenant → (the configuration version it was read at, the ring).
type ReadRings = HashMap<Id, (i64, Arc<KeyRing>)>;
const RINGS_MAX: usize = 4096;

fn lock<T>(memo: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    memo.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Key pairs already derived from their stored secret. Deriving the public point is a P-256
/// scalar multiplication, as costly as opening the payload itself, and a stored key never
/// changes, so each is derived once per process.
static DERIVED: LazyLock<Mutex<DerivedPairs>> = LazyLock::new(Mutex::default);
/// (tenant, key id) → (the secret it was derived from, the pair).
type DerivedPairs = HashMap<(Id, u32), (String, AgentKeyPair)>;
/// Bounds the memo (a few keys per tenant are live at a time).
const DERIVED_MAX: usize = 4096;

fn key_pair(key: &AgentKeyRecord) -> Result<AgentKeyPair> {
    let memo_key = (key.tenant_id.clone(), key.key_id);
    if let Some((secret, pair)) = lock(&DERIVED).get(&memo_key)
        && *secret == key.secret_hex
    {
        return Ok(pair.clone());
    }
    let pair = AgentKeyPair::from_secret_hex(key.key_id, &key.secret_hex)
        .map_err(|e| Error::internal(format!("stored agent key {} is unusable: {e}", key.key_id)))?;
    let mut derived = lock(&DERIVED);
    if derived.len() >= DERIVED_MAX {
        derived.clear();
    }
    derived.insert(memo_key, (key.secret_hex.clone(), pair.clone()));
    Ok(pair)
}
