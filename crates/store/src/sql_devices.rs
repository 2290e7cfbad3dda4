//! Known devices and the identity graph: the SQL shared by both backends. Writes happen
//! inside `commit` (see `sql_monitoring`), through the helpers here.

macro_rules! device_queries {
    ($store:ty) => {
        impl $store {
            /// Inserts or replaces devices with their blocking keys. A device written twice in
            /// one call keeps its last record (PostgreSQL refuses to upsert a row twice in one
            /// statement; SQLite would keep the last too).
            pub(crate) fn upsert_devices_in<'a>(
                writes: &mut $crate::statements::Statements,
                devices: &[&'a DeviceRecord],
            ) -> Result<()> {
                let mut latest: Vec<&'a DeviceRecord> = Vec::with_capacity(devices.len());
                for &d in devices {
                    match latest.iter_mut().find(|kept| kept.id == d.id) {
                        Some(kept) => *kept = d,
                        None => latest.push(d),
                    }
                }
                for chunk in latest.chunks($crate::multi_row::rows_per_statement(9)) {
                    let rows = chunk.iter().map(|d| Ok((*d, $crate::rows::to_json(d)?))).collect::<Result<Vec<_>>>()?;
                    writes
                        .next()
                        .push(
                            "INSERT INTO devices (id, tenant_id, platform, device_hash, browser_hash, cookie_hash, data, \
                             first_seen, last_seen) ",
                        )
                        .push_values(rows, |mut row, (d, data)| {
                            row.push_bind(d.id.as_str())
                                .push_bind(d.tenant_id.as_str())
                                .push_bind(d.platform.as_str())
                                .push_bind(d.device_hash.as_str())
                                .push_bind(d.browser_hash.as_str())
                                .push_bind(d.cookie_hash.as_deref())
                                .push_bind(data)
                                .push_bind(d.first_seen.millis())
                                .push_bind(d.last_seen.millis());
                        })
                        .push(
                            " ON CONFLICT (id) DO UPDATE SET platform = excluded.platform, device_hash = excluded.device_hash, \
                             browser_hash = excluded.browser_hash, cookie_hash = excluded.cookie_hash, data = excluded.data, \
                             last_seen = excluded.last_seen",
                        );
                }
                // Every sighting re-asserts its device's keys; the ones already there stay.
                let keys: Vec<(&'a DeviceRecord, &'a String)> =
                    latest.iter().flat_map(|d| d.blocking_keys.iter().map(move |k| (*d, k))).collect();
                for chunk in keys.chunks($crate::multi_row::rows_per_statement(3)) {
                    writes
                        .next()
                        .push("INSERT INTO device_blocking_keys (tenant_id, blocking_key, device_id) ")
                        .push_values(chunk, |mut row, (d, key)| {
                            row.push_bind(d.tenant_id.as_str()).push_bind(key.as_str()).push_bind(d.id.as_str());
                        })
                        .push(" ON CONFLICT (tenant_id, blocking_key, device_id) DO NOTHING");
                }
                Ok(())
            }

            /// Inserts links, or on a repeat sighting moves `last_seen` and grows `count`. The
            /// same edge twice in one call is merged first (one upsert per row per statement).
            pub(crate) fn upsert_links_in<'a>(writes: &mut $crate::statements::Statements, links: &[&'a DeviceLink]) {
                // (edge, first seen, last seen, count)
                let mut merged: Vec<(&'a DeviceLink, i64, i64, i64)> = Vec::with_capacity(links.len());
                for &link in links {
                    let same = |m: &&mut (&'a DeviceLink, i64, i64, i64)| {
                        let e = m.0;
                        e.tenant_id == link.tenant_id && e.device_id == link.device_id && e.kind == link.kind && e.value == link.value
                    };
                    match merged.iter_mut().find(same) {
                        Some(m) => {
                            m.1 = m.1.min(link.first_seen.millis());
                            m.2 = m.2.max(link.last_seen.millis());
                            m.3 += link.count;
                        }
                        None => merged.push((link, link.first_seen.millis(), link.last_seen.millis(), link.count)),
                    }
                }
                for chunk in merged.chunks($crate::multi_row::rows_per_statement(7)) {
                    writes
                        .next()
                        .push("INSERT INTO device_links (tenant_id, device_id, kind, value, first_seen, last_seen, count) ")
                        .push_values(chunk, |mut row, (link, first_seen, last_seen, count)| {
                            row.push_bind(link.tenant_id.as_str())
                                .push_bind(link.device_id.as_str())
                                .push_bind(link.kind.as_str())
                                .push_bind(link.value.as_str())
                                .push_bind(*first_seen)
                                .push_bind(*last_seen)
                                .push_bind(*count);
                        })
                        .push(
                            " ON CONFLICT (tenant_id, device_id, kind, value) DO UPDATE SET \
                             last_seen = excluded.last_seen, count = device_links.count + excluded.count",
                        );
                }
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
                // One statement: every source of candidates keeps its own limit (a common
                // blocking key must not flood the set), the union is read newest first.
                let mut sources: Vec<String> = Vec::new();
                let mut next_param = 3;
                if cookie_hash.is_some() {
                    sources.push(format!(
                        "SELECT id AS device_id FROM (SELECT id FROM devices WHERE tenant_id = $1 AND cookie_hash = ${next_param} LIMIT $2) AS c"
                    ));
                    next_param += 1;
                }
                for i in 0..blocking_keys.len() {
                    sources.push(format!(
                        "SELECT device_id FROM (SELECT device_id FROM device_blocking_keys \
                         WHERE tenant_id = $1 AND blocking_key = ${next_param} LIMIT $2) AS k{i}"
                    ));
                    next_param += 1;
                }
                if sources.is_empty() {
                    return Ok(Vec::new());
                }
                // The candidate ids drive the join: given `id IN (…)`, SQLite's planner preferred
                // walking every device of the tenant through the cookie index, reading each row.
                // `CROSS JOIN` fixes the loop order in SQLite (one primary-key look-up per
                // candidate); PostgreSQL plans it as any inner join.
                let sql = format!(
                    "SELECT d.data FROM ({}) AS candidates CROSS JOIN devices d \
                     WHERE d.id = candidates.device_id AND d.tenant_id = $1 ORDER BY d.last_seen DESC, d.id LIMIT $2",
                    sources.join(" UNION ")
                );
                use $crate::params::Param;
                let mut params = vec![Param::Text(tenant_id.as_str()), Param::Int(i64::from(limit))];
                params.extend(cookie_hash.map(Param::Text));
                params.extend(blocking_keys.iter().map(|key| Param::Text(key)));
                let rows: Vec<(String,)> = self.read_rows(&sql, &params).await?;
                rows.into_iter().map(|(data,)| $crate::rows::device(&data, tenant_id)).collect()
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
                use $crate::params::Param;
                let rows: Vec<$crate::rows::LinkRow> = self
                    .read_rows(
                        "SELECT device_id, kind, value, first_seen, last_seen, count FROM device_links \
                         WHERE tenant_id = $1 AND device_id = $2 ORDER BY last_seen DESC, kind, value",
                        &[Param::Text(tenant_id.as_str()), Param::Text(device_id.as_str())],
                    )
                    .await?;
                rows.into_iter().map(|row| $crate::rows::link(row, tenant_id)).collect()
            }

            pub(crate) async fn graph_counts(
                &self,
                tenant_id: &Id,
                query: &sightline_core::device::GraphQuery<'_>,
            ) -> Result<sightline_core::device::GraphCounts> {
                use $crate::params::Param;
                use sightline_core::device::GraphCounts;
                // Each count reads its links through an index on its first columns and stops at
                // the limit; the link between this device and the subject is one key look-up,
                // joined to the one row the counts make (NULLs when there is no such link).
                let of_device = "FROM device_links WHERE tenant_id = $1 AND device_id = $2 AND kind = $3";
                let sql = format!(
                    "SELECT \
                     (SELECT COUNT(*) FROM (SELECT 1 AS one {of_device} AND last_seen >= $5 LIMIT $7) AS d), \
                     (SELECT COUNT(*) FROM (SELECT 1 AS one {of_device} AND last_seen >= $6 LIMIT $7) AS m), \
                     (SELECT COUNT(*) FROM (SELECT 1 AS one FROM device_links WHERE tenant_id = $1 AND kind = $3 \
                      AND value = $4 AND last_seen >= $6 LIMIT $7) AS v), \
                     l.first_seen, l.last_seen \
                     FROM (SELECT 1 AS one) AS counted LEFT JOIN device_links AS l ON l.tenant_id = $1 \
                     AND l.device_id = $2 AND l.kind = $3 AND l.value = $4"
                );
                let rows: Vec<(i64, i64, i64, Option<i64>, Option<i64>)> = self
                    .read_rows(
                        &sql,
                        &[
                            Param::Text(tenant_id.as_str()),
                            Param::Text(query.device_id.as_str()),
                            Param::Text(query.kind.as_str()),
                            Param::OptText(query.value),
                            Param::Int(query.since_day.millis()),
                            Param::Int(query.since_month.millis()),
                            Param::Int(i64::from(query.limit)),
                        ],
                    )
                    .await?;
                let Some(&(day, month, devices, first_seen, last_seen)) = rows.first() else {
                    return Ok(GraphCounts::default());
                };
                let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
                Ok(GraphCounts {
                    subjects_day: count(day),
                    subjects_month: count(month),
                    devices_month: count(devices),
                    this_link: first_seen
                        .zip(last_seen)
                        .map(|(first, last)| (Timestamp::from_millis(first), Timestamp::from_millis(last))),
                })
            }

            pub(crate) async fn links_to(&self, tenant_id: &Id, kind: LinkKind, value: &str) -> Result<Vec<DeviceLink>> {
                use $crate::params::Param;
                let rows: Vec<$crate::rows::LinkRow> = self
                    .read_rows(
                        "SELECT device_id, kind, value, first_seen, last_seen, count FROM device_links \
                         WHERE tenant_id = $1 AND kind = $2 AND value = $3 ORDER BY last_seen DESC, device_id",
                        &[Param::Text(tenant_id.as_str()), Param::Text(kind.as_str()), Param::Text(value)],
                    )
                    .await?;
                rows.into_iter().map(|row| $crate::rows::link(row, tenant_id)).collect()
            }
        }
    };
}

pub(crate) use device_queries;
