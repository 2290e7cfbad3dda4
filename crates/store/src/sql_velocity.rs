//! Velocity rows and queries: the SQL shared by both backends. Column names come from the
//! closed `VelocityKey` enum, never from input, so formatting them into SQL is safe.

macro_rules! velocity_queries {
    ($store:ty) => {
        impl $store {
            pub(crate) fn insert_velocity_in(
                writes: &mut $crate::statements::Statements,
                events: &[&sightline_core::velocity::VelocityEvent],
            ) {
                for chunk in events.chunks($crate::multi_row::rows_per_statement(11)) {
                    writes
                        .next()
                        .push(
                            "INSERT INTO velocity_events (tenant_id, event_id, at, amount, device_id, device_hash, ip, email, \
                             phone, user_id, card_hash) ",
                        )
                        .push_values(chunk, |mut row, e| {
                            let v = &e.values;
                            row.push_bind(e.tenant_id.as_str())
                                .push_bind(e.event_id.as_str())
                                .push_bind(e.at.millis())
                                .push_bind(e.amount)
                                .push_bind(v.device_id.as_deref())
                                .push_bind(v.device_hash.as_deref())
                                .push_bind(v.ip.as_deref())
                                .push_bind(v.email.as_deref())
                                .push_bind(v.phone.as_deref())
                                .push_bind(v.user_id.as_deref())
                                .push_bind(v.card_hash.as_deref());
                        });
                }
            }

            pub(crate) async fn velocity(
                &self,
                tenant_id: &Id,
                queries: &[sightline_core::velocity::VelocityQuery],
            ) -> Result<Vec<sightline_core::velocity::VelocityAnswer>> {
                use sightline_core::velocity::{VelocityAnswer, VelocityMeasure};
                if queries.is_empty() {
                    return Ok(Vec::new());
                }
                // All counters of a decision in one statement: each branch reads one key's
                // newest rows inside its window, backwards through that key's index and at most
                // the query's limit of them; the answers come back tagged, with how many rows
                // each read (a branch that read its limit is saturated).
                let mut branches = Vec::with_capacity(queries.len());
                let mut next = 2;
                for (i, q) in queries.iter().enumerate() {
                    let key = q.key.column();
                    let (value, since, limit) = (next, next + 1, next + 2);
                    let window = format!(
                        "FROM velocity_events WHERE tenant_id = $1 AND {key} = ${value} AND at >= ${since} \
                         ORDER BY at DESC LIMIT ${limit}"
                    );
                    let branch = match q.measure {
                        VelocityMeasure::Count => format!(
                            "SELECT {i} AS n, CAST(COUNT(*) AS DOUBLE PRECISION) AS v, COUNT(*) AS r \
                             FROM (SELECT at {window}) AS w_{i}"
                        ),
                        VelocityMeasure::SumAmount => format!(
                            "SELECT {i} AS n, CAST(COALESCE(SUM(amount), 0) AS DOUBLE PRECISION) AS v, COUNT(*) AS r \
                             FROM (SELECT amount {window}) AS w_{i}"
                        ),
                        // The current value joins the stored ones so that "distinct users of this
                        // device" counts a new user once and a returning one not at all.
                        VelocityMeasure::Distinct(other) => format!(
                            "SELECT {i} AS n, CAST(COUNT(DISTINCT x) AS DOUBLE PRECISION) AS v, COUNT(*) - 1 AS r FROM \
                             (SELECT x FROM (SELECT {other} AS x {window}) AS w_{i} \
                             UNION ALL SELECT CAST(${current} AS TEXT)) AS seen_{i}",
                            other = other.column(),
                            current = limit + 1,
                        ),
                    };
                    next += if matches!(q.measure, VelocityMeasure::Distinct(_)) { 4 } else { 3 };
                    branches.push(format!(
                        "SELECT CAST(n AS BIGINT) AS n, v, CAST(r AS BIGINT) AS r FROM ({branch}) AS q_{i}"
                    ));
                }
                let sql = branches.join(" UNION ALL ");
                use $crate::params::Param;
                let mut params = vec![Param::Text(tenant_id.as_str())];
                for q in queries {
                    params.push(Param::Text(&q.value));
                    params.push(Param::Int(q.since.millis()));
                    params.push(Param::Int(i64::from(q.scan_limit)));
                    if matches!(q.measure, VelocityMeasure::Distinct(_)) {
                        params.push(Param::OptText(q.current.as_deref()));
                    }
                }
                let rows: Vec<(i64, f64, i64)> = self.read_rows(&sql, &params).await?;
                let mut answers = vec![VelocityAnswer { value: 0.0, saturated: false }; queries.len()];
                for (n, value, read) in rows {
                    let Some(i) = usize::try_from(n).ok().filter(|&i| i < queries.len()) else { continue };
                    answers[i] = VelocityAnswer { value, saturated: read >= i64::from(queries[i].scan_limit) };
                }
                Ok(answers)
            }
        }
    };
}

pub(crate) use velocity_queries;
