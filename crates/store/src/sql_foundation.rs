//! Tenants and API keys: the SQL shared by both backends.

macro_rules! foundation_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) async fn insert_tenant(&self, t: &Tenant) -> Result<()> {
                sqlx::query("INSERT INTO tenants (id, name, mode, created_at, settings) VALUES ($1, $2, $3, $4, $5)")
                    .bind(t.id.as_str())
                    .bind(&t.name)
                    .bind(t.mode.as_str())
                    .bind(t.created_at.millis())
                    .bind($crate::rows::to_json(&t.settings)?)
                    .execute(self.writer())
                    .await
                    .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn tenant(&self, id: &Id) -> Result<Option<Tenant>> {
                let row: Option<$crate::rows::TenantRow> =
                    sqlx::query_as("SELECT id, name, mode, created_at, settings FROM tenants WHERE id = $1")
                        .bind(id.as_str())
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map($crate::rows::tenant).transpose()
            }

            pub(crate) async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>> {
                let row: Option<$crate::rows::TenantRow> =
                    sqlx::query_as("SELECT id, name, mode, created_at, settings FROM tenants WHERE name = $1")
                        .bind(name)
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map($crate::rows::tenant).transpose()
            }

            pub(crate) async fn tenants(&self) -> Result<Vec<Tenant>> {
                let rows: Vec<$crate::rows::TenantRow> =
                    sqlx::query_as("SELECT id, name, mode, created_at, settings FROM tenants ORDER BY created_at, id")
                        .fetch_all(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                rows.into_iter().map($crate::rows::tenant).collect()
            }

            pub(crate) async fn update_tenant_settings(
                &self,
                tenant_id: &Id,
                settings: &TenantSettings,
            ) -> Result<bool> {
                let done = sqlx::query("UPDATE tenants SET settings = $1 WHERE id = $2")
                    .bind($crate::rows::to_json(settings)?)
                    .bind(tenant_id.as_str())
                    .execute(self.writer())
                    .await
                    .map_err($crate::error::db_err)?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn insert_api_key(&self, k: &ApiKey, secret_hash: &str) -> Result<()> {
                sqlx::query(
                    "INSERT INTO api_keys (id, tenant_id, prefix, label, secret_hash, created_at, revoked_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(k.id.as_str())
                .bind(k.tenant_id.as_str())
                .bind(&k.prefix)
                .bind(&k.label)
                .bind(secret_hash)
                .bind(k.created_at.millis())
                .bind(k.revoked_at.map(|t| t.millis()))
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn api_keys(&self, tenant_id: &Id) -> Result<Vec<ApiKey>> {
                let rows: Vec<$crate::rows::ApiKeyRow> = sqlx::query_as(
                    "SELECT id, tenant_id, prefix, label, created_at, revoked_at FROM api_keys \
                     WHERE tenant_id = $1 ORDER BY created_at, id",
                )
                .bind(tenant_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                Ok(rows.into_iter().map($crate::rows::api_key).collect())
            }

            pub(crate) async fn revoke_api_key(&self, tenant_id: &Id, key_id: &Id) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE api_keys SET revoked_at = $1 WHERE tenant_id = $2 AND id = $3 AND revoked_at IS NULL",
                )
                .bind(Timestamp::now().millis())
                .bind(tenant_id.as_str())
                .bind(key_id.as_str())
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn authenticate(&self, secret_hash: &str) -> Result<Option<AuthContext>> {
                // The version is read in the same statement as the key and the settings, so that
                // it is never newer than what it tags.
                let rows: Vec<(String, String, String, String, i64, String, i64)> = self
                    .read_rows(
                        "SELECT k.id, t.id, t.name, t.mode, t.created_at, t.settings, t.config_version \
                         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id \
                         WHERE k.secret_hash = $1 AND k.revoked_at IS NULL",
                        &[$crate::params::Param::Text(secret_hash)],
                    )
                    .await?;
                match rows.into_iter().next() {
                    None => Ok(None),
                    Some((key_id, id, name, mode, created_at, settings, config_version)) => Ok(Some(AuthContext {
                        tenant: $crate::rows::tenant((id, name, mode, created_at, settings))?,
                        key_id: Id::from_trusted(key_id),
                        config_version: Some(config_version),
                    })),
                }
            }

            pub(crate) async fn tenant_config_version(&self, tenant_id: &Id) -> Result<Option<i64>> {
                let rows: Vec<(i64,)> = self
                    .read_rows(
                        "SELECT config_version FROM tenants WHERE id = $1",
                        &[$crate::params::Param::Text(tenant_id.as_str())],
                    )
                    .await?;
                Ok(rows.into_iter().next().map(|(version,)| version))
            }
        }
    };
}

pub(crate) use foundation_queries;
