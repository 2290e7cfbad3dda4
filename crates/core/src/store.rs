//! The persistence port. The core asks for what it needs in domain terms; the storage crate
//! answers for SQLite and PostgreSQL alike, and one conformance suite holds both to the same
//! behaviour. Every method that reads tenant data takes the tenant id, so no query can cross
//! tenants by accident.

use crate::{ApiKey, AuthContext, Id, Result, Tenant};
use async_trait::async_trait;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Cheap round trip used by `/readyz`.
    async fn ping(&self) -> Result<()>;

    /// Which backend this is (`sqlite` or `postgres`), for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    async fn insert_tenant(&self, tenant: &Tenant) -> Result<()>;
    async fn tenant(&self, id: &Id) -> Result<Option<Tenant>>;
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>>;
    async fn tenants(&self) -> Result<Vec<Tenant>>;

    /// Stores the key with the hash of its secret; the secret itself never reaches the store.
    async fn insert_api_key(&self, key: &ApiKey, secret_hash: &str) -> Result<()>;
    async fn api_keys(&self, tenant_id: &Id) -> Result<Vec<ApiKey>>;
    /// Returns `false` when the key does not exist for this tenant (or is already revoked).
    async fn revoke_api_key(&self, tenant_id: &Id, key_id: &Id) -> Result<bool>;
    /// Resolves a presented secret's hash to its tenant; revoked keys resolve to nothing.
    async fn authenticate(&self, secret_hash: &str) -> Result<Option<AuthContext>>;
}
