//! Row tuples as the queries return them, and their conversion into domain values. Tuples
//! decode identically on both backends, which keeps the shared SQL free of per-backend code.

use sightline_core::{ApiKey, Error, Id, Result, Tenant, Timestamp};

pub(crate) type TenantRow = (String, String, String, i64);

pub(crate) fn tenant(row: TenantRow) -> Result<Tenant> {
    let (id, name, mode, created_at) = row;
    Ok(Tenant {
        id: Id::from_trusted(id),
        name,
        mode: mode.parse().map_err(|_| Error::internal(format!("stored tenant mode `{mode}` is unknown")))?,
        created_at: Timestamp::from_millis(created_at),
    })
}

pub(crate) type ApiKeyRow = (String, String, String, String, i64, Option<i64>);

pub(crate) fn api_key(row: ApiKeyRow) -> ApiKey {
    let (id, tenant_id, prefix, label, created_at, revoked_at) = row;
    ApiKey {
        id: Id::from_trusted(id),
        tenant_id: Id::from_trusted(tenant_id),
        prefix,
        label,
        created_at: Timestamp::from_millis(created_at),
        revoked_at: revoked_at.map(Timestamp::from_millis),
    }
}
