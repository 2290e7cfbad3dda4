//! Decisions, rule-set versions and lists: the SQL shared by both backends.

macro_rules! decision_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) fn insert_decisions_in(
                writes: &mut $crate::statements::Statements,
                decisions: &[&sightline_core::decision::StoredDecision],
            ) -> Result<()> {
                for chunk in decisions.chunks($crate::multi_row::rows_per_statement(7)) {
                    let rows = chunk.iter().map(|d| Ok((*d, $crate::rows::to_json(d)?))).collect::<Result<Vec<_>>>()?;
                    writes
                        .next()
                        .push("INSERT INTO decisions (id, tenant_id, created_at, state, fraud_score, rule_set_version, data) ")
                        .push_values(rows, |mut row, (d, data)| {
                            row.push_bind(d.id.as_str())
                                .push_bind(d.tenant_id.as_str())
                                .push_bind(d.created_at.millis())
                                .push_bind(d.state.as_str())
                                .push_bind(d.fraud_score)
                                .push_bind(d.rule_set_version)
                                .push_bind(data);
                        });
                }
                Ok(())
            }

            pub(crate) async fn decision(
                &self,
                tenant_id: &Id,
                id: &Id,
            ) -> Result<Option<sightline_core::decision::StoredDecision>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT data FROM decisions WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant_id.as_str())
                    .bind(id.as_str())
                    .fetch_optional(self.reader())
                    .await
                    .map_err($crate::error::db_err)?;
                row.map(|(data,)| $crate::rows::from_json(&data)).transpose()
            }

            pub(crate) async fn decisions_between(
                &self,
                tenant_id: &Id,
                from: Timestamp,
                to: Timestamp,
                after: Option<(Timestamp, Id)>,
                limit: u32,
            ) -> Result<Vec<sightline_core::decision::StoredDecision>> {
                let (after_at, after_id) = match &after {
                    Some((at, id)) => (at.millis(), id.as_str().to_owned()),
                    None => (i64::MIN, String::new()),
                };
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT data FROM decisions WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 \
                     AND (created_at > $4 OR (created_at = $4 AND id > $5)) ORDER BY created_at, id LIMIT $6",
                )
                .bind(tenant_id.as_str())
                .bind(from.millis())
                .bind(to.millis())
                .bind(after_at)
                .bind(after_id)
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                rows.into_iter().map(|(data,)| $crate::rows::from_json(&data)).collect()
            }

            pub(crate) async fn count_decisions_between(
                &self,
                tenant_id: &Id,
                from: Timestamp,
                to: Timestamp,
            ) -> Result<u64> {
                let (count,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM decisions WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3",
                )
                .bind(tenant_id.as_str())
                .bind(from.millis())
                .bind(to.millis())
                .fetch_one(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            pub(crate) async fn insert_rule_set(&self, r: &sightline_core::decision::StoredRuleSet) -> Result<()> {
                sqlx::query(
                    "INSERT INTO rule_sets (tenant_id, version, data, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(r.tenant_id.as_str())
                .bind(r.version)
                .bind($crate::rows::to_json(r)?)
                .bind(r.created_at.millis())
                .bind(r.created_by.as_str())
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn rule_set(
                &self,
                tenant_id: &Id,
                version: i64,
            ) -> Result<Option<sightline_core::decision::StoredRuleSet>> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT data FROM rule_sets WHERE tenant_id = $1 AND version = $2")
                        .bind(tenant_id.as_str())
                        .bind(version)
                        .fetch_optional(self.reader())
                        .await
                        .map_err($crate::error::db_err)?;
                row.map(|(data,)| $crate::rows::from_json(&data)).transpose()
            }

            pub(crate) async fn latest_rule_set_version(&self, tenant_id: &Id) -> Result<Option<i64>> {
                let rows: Vec<(Option<i64>,)> = self
                    .read_rows(
                        "SELECT MAX(version) FROM rule_sets WHERE tenant_id = $1",
                        &[$crate::params::Param::Text(tenant_id.as_str())],
                    )
                    .await?;
                Ok(rows.into_iter().next().and_then(|(version,)| version))
            }

            pub(crate) async fn latest_rule_set(
                &self,
                tenant_id: &Id,
            ) -> Result<Option<sightline_core::decision::StoredRuleSet>> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT data FROM rule_sets WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1",
                )
                .bind(tenant_id.as_str())
                .fetch_optional(self.reader())
                .await
                .map_err($crate::error::db_err)?;
                row.map(|(data,)| $crate::rows::from_json(&data)).transpose()
            }

            pub(crate) async fn upsert_list_entry(
                &self,
                tenant_id: &Id,
                e: &sightline_core::decision::ListEntry,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO list_entries (tenant_id, list, value, note, created_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (tenant_id, list, value) DO UPDATE SET note = excluded.note",
                )
                .bind(tenant_id.as_str())
                .bind(&e.list)
                .bind(&e.value)
                .bind(e.note.as_deref())
                .bind(e.created_at.millis())
                .execute(self.writer())
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn delete_list_entry(&self, tenant_id: &Id, list: &str, value: &str) -> Result<bool> {
                let done = sqlx::query("DELETE FROM list_entries WHERE tenant_id = $1 AND list = $2 AND value = $3")
                    .bind(tenant_id.as_str())
                    .bind(list)
                    .bind(value)
                    .execute(self.writer())
                    .await
                    .map_err($crate::error::db_err)?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn list_entries(
                &self,
                tenant_id: &Id,
                list: &str,
            ) -> Result<Vec<sightline_core::decision::ListEntry>> {
                use $crate::params::Param;
                let rows: Vec<(String, String, Option<String>, i64)> = self
                    .read_rows(
                        "SELECT list, value, note, created_at FROM list_entries WHERE tenant_id = $1 AND list = $2 \
                         ORDER BY created_at, value",
                        &[Param::Text(tenant_id.as_str()), Param::Text(list)],
                    )
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|(list, value, note, created_at)| sightline_core::decision::ListEntry {
                        list,
                        value,
                        note,
                        created_at: Timestamp::from_millis(created_at),
                    })
                    .collect())
            }

            pub(crate) async fn lists_containing(
                &self,
                tenant_id: &Id,
                lists: &[String],
                values: &[String],
                whole_lists: &[String],
                whole_limit: u32,
            ) -> Result<Vec<(String, String)>> {
                use $crate::params::{Param, push_texts};
                let mut params = vec![Param::Text(tenant_id.as_str())];
                // One statement for all of an event's lists and values (an email, its domains, an
                // IP, a device…): naming the lists too makes every pair a point read on the
                // primary key (tenant, list, value) however long the lists grow.
                let mut branches = Vec::new();
                if !values.is_empty() && !lists.is_empty() {
                    let (lists, values) = (push_texts(&mut params, lists), push_texts(&mut params, values));
                    branches.push(format!(
                        "SELECT list, value FROM list_entries WHERE tenant_id = $1 AND list IN ({lists}) AND value IN ({values})"
                    ));
                }
                if !whole_lists.is_empty() && whole_limit > 0 {
                    let whole = push_texts(&mut params, whole_lists);
                    params.push(Param::Int(i64::from(whole_limit)));
                    let limit = params.len();
                    branches.push(format!(
                        "SELECT list, value FROM (SELECT list, value FROM list_entries WHERE tenant_id = $1 \
                         AND list IN ({whole}) LIMIT ${limit}) AS whole_lists"
                    ));
                }
                if branches.is_empty() {
                    return Ok(Vec::new());
                }
                self.read_rows(&branches.join(" UNION ALL "), &params).await
            }
        }
    };
}

pub(crate) use decision_queries;
