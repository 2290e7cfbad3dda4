//! Known devices and the identity graph: the SQL shared by both backends. Writes happen
//! inside `commit` (see `sql_monitoring`), through the helpers here.

macro_rules! device_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) async fn upsert_device_in(tx: &mut sqlx::Transaction<'_, Db>, d: &DeviceRecord) -> Result<()> {
                use $crate::error::db_err;
                sqlx::query(
                    "INSERT INTO devices (id, tenant_id, platform, device_hash, browser_hash, cookie_hash, data, first_seen, last_seen) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, device_hash = excluded.device_hash, \
                     browser_hash = excluded.browser_hash, cookie_hash = excluded.cookie_hash, data = excluded.data, \
                     last_seen = excluded.last_seen",
                )
                .bind(d.id.as_str())
                .bind(d.tenant_id.as_str())
                .bind(&d.platform)
                .bind(&d.device_hash)
                .bind(&d.browser_hash)
                .bind(d.cookie_hash.as_deref())
                .bind($crate::rows::to_json(d)?)
                .bind(d.first_seen.millis())
                .bind(d.last_seen.millis())
                .execute(&mut **tx)
                .await
                .map_err(db_err)?;
                // All keys in one statement: a device has a few dozen and every sighting re-asserts them.
                for chunk in d.blocking_keys.chunks(200) {
                    let rows: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${}, $2)", i + 3)).collect();
                    let sql = format!(
                        "INSERT INTO device_blocking_keys (tenant_id, blocking_key, device_id) VALUES {} \
                         ON CONFLICT (tenant_id, blocking_key, device_id) DO NOTHING",
                        rows.join(", ")
                    );
                    let mut query = sqlx::query(&sql).bind(d.tenant_id.as_str()).bind(d.id.as_str());
                    for key in chunk {
                        query = query.bind(key);
                    }
                    query.execute(&mut **tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            pub(crate) async fn upsert_link_in(tx: &mut sqlx::Transaction<'_, Db>, link: &DeviceLink) -> Result<()> {
                sqlx::query(
                    "INSERT INTO device_links (tenant_id, device_id, kind, value, first_seen, last_seen, count) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (tenant_id, device_id, kind, value) DO UPDATE SET \
                     last_seen = excluded.last_seen, count = device_links.count + excluded.count",
                )
                .bind(link.tenant_id.as_str())
                .bind(link.device_id.as_str())
                .bind(link.kind.as_str())
                .bind(&link.value)
                .bind(link.first_seen.millis())
                .bind(link.last_seen.millis())
                .bind(link.count)
                .execute(&mut **tx)
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn device(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceRecord>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT data FROM devices WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant_id.as_str())
                    .bind(id.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .map_err($crate::error::db_err)?;
                row.map(|(data,)| $crate::rows::device(&data, tenant_id)).transpose()
            }

            pub(crate) async fn device_candidates(
                &self,
                tenant_id: &Id,
                cookie_hash: Option<&str>,
                blocking_keys: &[String],
                limit: u32,
            ) -> Result<Vec<DeviceRecord>> {
                use $crate::error::db_err;
                let mut ids: Vec<String> = Vec::new();
                if let Some(cookie) = cookie_hash {
                    let rows: Vec<(String,)> =
                        sqlx::query_as("SELECT id FROM devices WHERE tenant_id = $1 AND cookie_hash = $2 LIMIT $3")
                            .bind(tenant_id.as_str())
                            .bind(cookie)
                            .bind(i64::from(limit))
                            .fetch_all(self.reader())
                            .await
                            .map_err(db_err)?;
                    ids.extend(rows.into_iter().map(|(id,)| id));
                }
                for key in blocking_keys {
                    let rows: Vec<(String,)> = sqlx::query_as(
                        "SELECT device_id FROM device_blocking_keys WHERE tenant_id = $1 AND blocking_key = $2 LIMIT $3",
                    )
                    .bind(tenant_id.as_str())
                    .bind(key)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    ids.extend(rows.into_iter().map(|(id,)| id));
                }
                ids.sort();
                ids.dedup();
                let mut devices = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(device) = self.device(tenant_id, &Id::from_trusted(id)).await? {
                        devices.push(device);
                    }
                }
                devices.sort_by(|a, b| b.last_seen.cmp(&a.last_seen));
                devices.truncate(limit as usize);
                Ok(devices)
            }

            pub(crate) async fn devices_page(&self, tenant_id: &Id, after: Option<&Id>, limit: u32) -> Result<Vec<DeviceRecord>> {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT data FROM devices WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                )
                .bind(tenant_id.as_str())
                .bind(after.map(|a| a.as_str()).unwrap_or(""))
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map(|(data,)| $crate::rows::device(&data, tenant_id)).collect()
            }

            pub(crate) async fn device_links(&self, tenant_id: &Id, device_id: &Id) -> Result<Vec<DeviceLink>> {
                let rows: Vec<$crate::rows::LinkRow> = sqlx::query_as(
                    "SELECT device_id, kind, value, first_seen, last_seen, count FROM device_links \
                     WHERE tenant_id = $1 AND device_id = $2 ORDER BY last_seen DESC, kind, value",
                )
                .bind(tenant_id.as_str())
                .bind(device_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map(|row| $crate::rows::link(row, tenant_id)).collect()
            }

            pub(crate) async fn links_to(&self, tenant_id: &Id, kind: LinkKind, value: &str) -> Result<Vec<DeviceLink>> {
                let rows: Vec<$crate::rows::LinkRow> = sqlx::query_as(
                    "SELECT device_id, kind, value, first_seen, last_seen, count FROM device_links \
                     WHERE tenant_id = $1 AND kind = $2 AND value = $3 ORDER BY last_seen DESC, device_id",
                )
                .bind(tenant_id.as_str())
                .bind(kind.as_str())
                .bind(value)
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map(|row| $crate::rows::link(row, tenant_id)).collect()
            }
        }
    };
}

pub(crate) use device_queries;
