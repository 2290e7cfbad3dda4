//! Velocity rows and queries: the SQL shared by both backends. Column names come from the
//! closed `VelocityKey` enum, never from input, so formatting them into SQL is safe.

macro_rules! velocity_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) async fn insert_velocity_in(
                tx: &mut sqlx::Transaction<'_, Db>,
                e: &sightline_core::velocity::VelocityEvent,
            ) -> Result<()> {
                let v = &e.values;
                sqlx::query(
                    "INSERT INTO velocity_events (tenant_id, event_id, at, amount, device_id, device_hash, ip, email, \
                     phone, user_id, card_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(e.tenant_id.as_str())
                .bind(e.event_id.as_str())
                .bind(e.at.millis())
                .bind(e.amount)
                .bind(v.device_id.as_deref())
                .bind(v.device_hash.as_deref())
                .bind(v.ip.as_deref())
                .bind(v.email.as_deref())
                .bind(v.phone.as_deref())
                .bind(v.user_id.as_deref())
                .bind(v.card_hash.as_deref())
                .execute(&mut **tx)
                .await
                .map_err($crate::error::db_err)?;
                Ok(())
            }

            pub(crate) async fn velocity(
                &self,
                tenant_id: &Id,
                queries: &[sightline_core::velocity::VelocityQuery],
            ) -> Result<Vec<f64>> {
                use sightline_core::velocity::VelocityMeasure;
                let mut answers = Vec::with_capacity(queries.len());
                for q in queries {
                    let key = q.key.column();
                    let window = format!("FROM velocity_events WHERE tenant_id = $1 AND {key} = $2 AND at >= $3");
                    let sql = match q.measure {
                        VelocityMeasure::Count => format!("SELECT CAST(COUNT(*) AS DOUBLE PRECISION) {window}"),
                        VelocityMeasure::SumAmount => {
                            format!("SELECT CAST(COALESCE(SUM(amount), 0) AS DOUBLE PRECISION) {window}")
                        }
                        // The current value joins the stored ones so that "distinct users of this
                        // device" counts a new user once and a returning one not at all.
                        VelocityMeasure::Distinct(other) => format!(
                            "SELECT CAST(COUNT(DISTINCT v) AS DOUBLE PRECISION) FROM \
                             (SELECT {other} AS v {window} UNION ALL SELECT CAST($4 AS TEXT)) AS values_seen",
                            other = other.column()
                        ),
                    };
                    let mut query = sqlx::query_as(&sql).bind(tenant_id.as_str()).bind(&q.value).bind(q.since.millis());
                    if matches!(q.measure, VelocityMeasure::Distinct(_)) {
                        query = query.bind(q.current.as_deref());
                    }
                    let (value,): (f64,) = query.fetch_one(self.reader()).await.map_err($crate::error::db_err)?;
                    answers.push(value);
                }
                Ok(answers)
            }
        }
    };
}

pub(crate) use velocity_queries;
