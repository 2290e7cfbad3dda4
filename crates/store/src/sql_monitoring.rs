//! Persons, consents, activities, question sets, replay memory and agent keys: the SQL
//! shared by both backends. Records whose shape follows the API are stored as JSON beside
//! the columns that are queried.

macro_rules! monitoring_queries {
    ($store:ty) => {
        impl $store {
            /// One change set in its own transaction (PostgreSQL; SQLite goes through
            /// `group_commit`, which writes the same statements via `apply_changes`).
            #[allow(dead_code)]
            pub(crate) async fn commit_alone(&self, changes: &ChangeSet) -> Result<()> {
                let mut tx = self.begin_write().await?;
                Self::apply_changes(&mut tx, changes).await?;
                tx.commit().await.map_err($crate::error::db_err)
            }

            /// Writes a change set inside a transaction the caller commits.
            pub(crate) async fn apply_changes(tx: &mut sqlx::Transaction<'_, Db>, changes: &ChangeSet) -> Result<()> {
                use $crate::error::db_err;
                use $crate::rows::to_json;
                for p in &changes.persons {
                    let data = to_json(p)?;
                    let status = to_json(&p.customer_vetting_status)?;
                    let status = status.trim_matches('"');
                    if p.version == 1 {
                        sqlx::query(
                            "INSERT INTO persons (id, tenant_id, data, vetting_status, version, created_at, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(p.id.as_str())
                        .bind(p.tenant_id.as_str())
                        .bind(&data)
                        .bind(status)
                        .bind(p.version)
                        .bind(p.created_at.millis())
                        .bind(p.updated_at.millis())
                        .execute(&mut **tx)
                        .await
                        .map_err(db_err)?;
                    } else {
                        let done = sqlx::query(
                            "UPDATE persons SET data = $1, vetting_status = $2, version = $3, updated_at = $4 \
                             WHERE tenant_id = $5 AND id = $6 AND version = $7",
                        )
                        .bind(&data)
                        .bind(status)
                        .bind(p.version)
                        .bind(p.updated_at.millis())
                        .bind(p.tenant_id.as_str())
                        .bind(p.id.as_str())
                        .bind(p.version - 1)
                        .execute(&mut **tx)
                        .await
                        .map_err(db_err)?;
                        if done.rows_affected() != 1 {
                            return Err(Error::conflict(
                                "concurrent_modification",
                                "the person was changed by another request at the same time; retry",
                            ));
                        }
                    }
                }
                for c in &changes.consents {
                    sqlx::query(
                        "INSERT INTO device_consents \
                         (id, tenant_id, person_id, event_type, confirmed_at, consent_text_version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type, \
                         confirmed_at = excluded.confirmed_at, consent_text_version = excluded.consent_text_version, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(c.id.as_str())
                    .bind(c.tenant_id.as_str())
                    .bind(c.person_id.as_str())
                    .bind(c.event_type.as_str())
                    .bind(c.confirmed_at.millis())
                    .bind(c.consent_text_version.as_deref())
                    .bind(c.created_at.millis())
                    .bind(c.updated_at.millis())
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err)?;
                }
                for e in &changes.consent_events {
                    sqlx::query(
                        "INSERT INTO consent_events (id, tenant_id, consent_id, person_id, event_type, confirmed_at, \
                         consent_text_version, recorded_at, recorded_by_key_id) \
                         SELECT $1, tenant_id, $2, $3, $4, $5, $6, $7, $8 FROM device_consents WHERE id = $2",
                    )
                    .bind(e.id.as_str())
                    .bind(e.consent_id.as_str())
                    .bind(e.person_id.as_str())
                    .bind(e.event_type.as_str())
                    .bind(e.confirmed_at.millis())
                    .bind(e.consent_text_version.as_deref())
                    .bind(e.recorded_at.millis())
                    .bind(e.recorded_by_key_id.as_str())
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err)?;
                }
                for a in &changes.activities {
                    sqlx::query(
                        "INSERT INTO device_activities (id, tenant_id, person_id, consent_id, session_id, data, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(a.id.as_str())
                    .bind(a.tenant_id.as_str())
                    .bind(a.person_id.as_str())
                    .bind(a.consent_id.as_ref().map(|c| c.as_str()))
                    .bind(&a.session_id)
                    .bind(to_json(a)?)
                    .bind(a.created_at.millis())
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err)?;
                }
                for q in &changes.question_sets {
                    sqlx::query(
                        "INSERT INTO question_sets (id, tenant_id, person_id, data, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                    )
                    .bind(q.id.as_str())
                    .bind(q.tenant_id.as_str())
                    .bind(q.person_id.as_str())
                    .bind(to_json(q)?)
                    .bind(q.created_at.millis())
                    .bind(q.updated_at.millis())
                    .execute(&mut **tx)
                    .await
                    .map_err(db_err)?;
                }
                for event in &changes.events {
                    Self::enqueue_event_in(tx, event).await?;
                }
                let mut writes = $crate::statements::Statements::new(Self::WRITE_LAYOUT);
                Self::push_unconditional_writes(&mut writes, &[changes])?;
                for statement in writes.into_list() {
                    $crate::statements::to_sqlx::<Db>(&statement).execute(&mut **tx).await.map_err(db_err)?;
                }
                Ok(())
            }

            /// The inserts and upserts that read nothing back, of one change set or of many written
            /// together (in their order), as statements ready to send (see [`crate::statements`]).
            pub(crate) fn push_unconditional_writes<'a>(
                writes: &mut $crate::statements::Statements,
                sets: &[&'a ChangeSet],
            ) -> Result<()> {
                let devices: Vec<&'a DeviceRecord> = sets.iter().flat_map(|c| &c.devices).collect();
                let links: Vec<&'a DeviceLink> = sets.iter().flat_map(|c| &c.device_links).collect();
                let decisions: Vec<_> = sets.iter().flat_map(|c| &c.decisions).collect();
                let velocity: Vec<_> = sets.iter().flat_map(|c| &c.velocity_events).collect();
                let payloads: Vec<_> = sets.iter().flat_map(|c| &c.seen_payloads).collect();
                Self::upsert_devices_in(writes, &devices)?;
                Self::upsert_links_in(writes, &links);
                Self::insert_decisions_in(writes, &decisions)?;
                Self::insert_velocity_in(writes, &velocity);
                for chunk in payloads.chunks($crate::multi_row::rows_per_statement(3)) {
                    writes
                        .next()
                        .push("INSERT INTO seen_payloads (tenant_id, payload_id, seen_at) ")
                        .push_values(chunk, |mut row, (tenant_id, payload_id, seen_at)| {
                            row.push_bind(tenant_id.as_str()).push_bind(payload_id.as_str()).push_bind(seen_at.millis());
                        })
                        .push(" ON CONFLICT (tenant_id, payload_id) DO NOTHING");
                }
                Ok(())
            }

            pub(crate) async fn person(&self, tenant_id: &Id, id: &Id) -> Result<Option<Person>> {
                let row: Option<(String, i64)> =
                    sqlx::query_as("SELECT data, version FROM persons WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant_id.as_str())
                        .bind(id.as_str())
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map(|(data, version)| {
                    let mut person: Person = $crate::rows::from_json(&data)?;
                    person.tenant_id = tenant_id.clone();
                    person.version = version;
                    Ok(person)
                })
                .transpose()
            }

            pub(crate) async fn consent(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceConsent>> {
                let row: Option<$crate::rows::ConsentRow> = sqlx::query_as(
                    "SELECT id, tenant_id, person_id, event_type, confirmed_at, consent_text_version, created_at, updated_at \
                     FROM device_consents WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant_id.as_str())
                .bind(id.as_str())
                .fetch_optional(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                row.map($crate::rows::consent).transpose()
            }

            pub(crate) async fn consents_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<DeviceConsent>> {
                let rows: Vec<$crate::rows::ConsentRow> = sqlx::query_as(
                    "SELECT id, tenant_id, person_id, event_type, confirmed_at, consent_text_version, created_at, updated_at \
                     FROM device_consents WHERE tenant_id = $1 AND person_id = $2 ORDER BY updated_at DESC, id DESC",
                )
                .bind(tenant_id.as_str())
                .bind(person_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map($crate::rows::consent).collect()
            }

            pub(crate) async fn consent_history(&self, tenant_id: &Id, consent_id: &Id) -> Result<Vec<ConsentEvent>> {
                let rows: Vec<$crate::rows::ConsentEventRow> = sqlx::query_as(
                    "SELECT id, consent_id, person_id, event_type, confirmed_at, consent_text_version, recorded_at, \
                     recorded_by_key_id FROM consent_events WHERE tenant_id = $1 AND consent_id = $2 \
                     ORDER BY recorded_at, id",
                )
                .bind(tenant_id.as_str())
                .bind(consent_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map($crate::rows::consent_event).collect()
            }

            pub(crate) async fn activity(&self, tenant_id: &Id, id: &Id) -> Result<Option<DeviceActivity>> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT data FROM device_activities WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant_id.as_str())
                        .bind(id.as_str())
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map(|(data,)| $crate::rows::from_json(&data)).transpose()
            }

            pub(crate) async fn activities_of_person(
                &self,
                tenant_id: &Id,
                person_id: &Id,
                limit: u32,
            ) -> Result<Vec<DeviceActivity>> {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT data FROM device_activities WHERE tenant_id = $1 AND person_id = $2 \
                     ORDER BY created_at DESC, id DESC LIMIT $3",
                )
                .bind(tenant_id.as_str())
                .bind(person_id.as_str())
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map(|(data,)| $crate::rows::from_json(&data)).collect()
            }

            pub(crate) async fn question_set(&self, tenant_id: &Id, id: &Id) -> Result<Option<QuestionSet>> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT data FROM question_sets WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant_id.as_str())
                        .bind(id.as_str())
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map(|(data,)| {
                    let mut set: QuestionSet = $crate::rows::from_json(&data)?;
                    set.tenant_id = tenant_id.clone();
                    Ok(set)
                })
                .transpose()
            }

            pub(crate) async fn question_sets_of_person(&self, tenant_id: &Id, person_id: &Id) -> Result<Vec<QuestionSet>> {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT data FROM question_sets WHERE tenant_id = $1 AND person_id = $2 ORDER BY created_at, id",
                )
                .bind(tenant_id.as_str())
                .bind(person_id.as_str())
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter()
                    .map(|(data,)| {
                        let mut set: QuestionSet = $crate::rows::from_json(&data)?;
                        set.tenant_id = tenant_id.clone();
                        Ok(set)
                    })
                    .collect()
            }

            pub(crate) async fn remember_payload(&self, tenant_id: &Id, payload_id: &str, seen_at: Timestamp) -> Result<bool> {
                let done = sqlx::query(
                    "INSERT INTO seen_payloads (tenant_id, payload_id, seen_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (tenant_id, payload_id) DO NOTHING",
                )
                .bind(tenant_id.as_str())
                .bind(payload_id)
                .bind(seen_at.millis())
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn payload_seen(&self, tenant_id: &Id, payload_id: &str) -> Result<bool> {
                use $crate::params::Param;
                let rows: Vec<(i64,)> = self
                    .read_rows(
                        "SELECT CAST(1 AS BIGINT) FROM seen_payloads WHERE tenant_id = $1 AND payload_id = $2",
                        &[Param::Text(tenant_id.as_str()), Param::Text(payload_id)],
                    )
                    .await?;
                Ok(!rows.is_empty())
            }

            pub(crate) async fn forget_payloads_before(&self, before: Timestamp) -> Result<u64> {
                let done = sqlx::query("DELETE FROM seen_payloads WHERE seen_at < $1")
                    .bind(before.millis())
                    .execute(self.writer())
                    .await
                    .map_err($crate::error::db_err)?;
                Ok(done.rows_affected())
            }

            pub(crate) async fn insert_agent_key(&self, key: &AgentKeyRecord) -> Result<()> {
                sqlx::query(
                    "INSERT INTO agent_keys (tenant_id, key_id, secret_hex, public_key, created_at, retired_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(key.tenant_id.as_str())
                .bind(i64::from(key.key_id))
                .bind(&key.secret_hex)
                .bind(&key.public_key_b64)
                .bind(key.created_at.millis())
                .bind(key.retired_at.map(|t| t.millis()))
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn agent_keys(&self, tenant_id: &Id) -> Result<Vec<AgentKeyRecord>> {
                let rows: Vec<(String, i64, String, String, i64, Option<i64>)> = self
                    .read_rows(
                        "SELECT tenant_id, key_id, secret_hex, public_key, created_at, retired_at FROM agent_keys \
                         WHERE tenant_id = $1 ORDER BY created_at, key_id",
                        &[$crate::params::Param::Text(tenant_id.as_str())],
                    )
                    .await?;
                rows.into_iter().map($crate::rows::agent_key).collect()
            }

            pub(crate) async fn retire_agent_key(&self, tenant_id: &Id, key_id: u32, at: Timestamp) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE agent_keys SET retired_at = $1 WHERE tenant_id = $2 AND key_id = $3 AND retired_at IS NULL",
                )
                .bind(at.millis())
                .bind(tenant_id.as_str())
                .bind(i64::from(key_id))
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use monitoring_queries;
