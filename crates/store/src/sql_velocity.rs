//! Velocity rows and queries: the SQL shared by both backends. Column names come from the
//! closed `VelocityKey` enum, never from input, so formatting them into SQL is safe.

use crate::params::Param;
use sightline_core::velocity::{VelocityAnswer, VelocityMeasure, VelocityQuery};

/// How many counters one scan of a key's window answers; a group with more takes further
/// scans. Every branch of the statement returns this many value columns.
const MEASURES_PER_SCAN: usize = 4;

/// One scan of one key's window and the counters (indexes into the queries) it answers.
struct Scan {
    first: usize,
    measures: Vec<usize>,
}

/// Counters on the same key, value, window start and limit read the same rows ("users of
/// this device in 24 h" and "cards of this device in 24 h"), so they share one scan.
fn scans(queries: &[VelocityQuery]) -> Vec<Scan> {
    let mut scans: Vec<Scan> = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let shared = scans.iter_mut().find(|scan| {
            let f = &queries[scan.first];
            scan.measures.len() < MEASURES_PER_SCAN
                && (f.key, &f.value, f.since, f.scan_limit) == (q.key, &q.value, q.since, q.scan_limit)
        });
        match shared {
            Some(scan) => scan.measures.push(i),
            None => scans.push(Scan { first: i, measures: vec![i] }),
        }
    }
    scans
}

/// All counters of a decision in one statement: its text, its bound values, and the queries
/// and scans its branches answer, to map the rows back.
pub(crate) struct VelocityStatement<'a> {
    pub(crate) sql: String,
    pub(crate) params: Vec<Param<'a>>,
    queries: &'a [VelocityQuery],
    scans: Vec<Scan>,
}

/// Each branch reads one key's newest rows inside its window, backwards through that key's
/// index and at most the limit of them, and returns its scan's number, its counters' values and
/// how many rows it read (a scan that read its limit is saturated).
pub(crate) fn velocity_statement<'a>(tenant_id: &'a str, queries: &'a [VelocityQuery]) -> VelocityStatement<'a> {
    let scans = scans(queries);
    let mut params = vec![Param::Text(tenant_id)];
    let mut branches = Vec::new();
    for (n, scan) in scans.iter().enumerate() {
        let first = &queries[scan.first];
        params.push(Param::Text(&first.value));
        params.push(Param::Int(first.since.millis()));
        params.push(Param::Int(i64::from(first.scan_limit)));
        let (value, since, limit) = (params.len() - 2, params.len() - 1, params.len());
        let mut columns = vec!["at"];
        let mut values = Vec::with_capacity(MEASURES_PER_SCAN);
        for &i in &scan.measures {
            let q = &queries[i];
            values.push(match q.measure {
                VelocityMeasure::Count => "COUNT(*)".to_owned(),
                VelocityMeasure::SumAmount => {
                    columns.push("amount");
                    "COALESCE(SUM(amount), 0)".to_owned()
                }
                // The current value counts with the stored ones, so that "distinct users of
                // this device" counts a new user once and a returning one not at all.
                VelocityMeasure::Distinct(other) => {
                    let other = other.column();
                    columns.push(other);
                    params.push(Param::OptText(q.current.as_deref()));
                    let current = format!("CAST(${} AS TEXT)", params.len());
                    format!(
                        "COUNT(DISTINCT {other}) + CASE WHEN {current} IS NULL THEN 0 \
                         WHEN MAX(CASE WHEN {other} = {current} THEN 1 ELSE 0 END) = 1 THEN 0 ELSE 1 END"
                    )
                }
            });
        }
        values.resize(MEASURES_PER_SCAN, "0".to_owned());
        columns.sort_unstable();
        columns.dedup();
        let values: Vec<String> =
            values.iter().enumerate().map(|(k, v)| format!("CAST({v} AS DOUBLE PRECISION) AS v{k}")).collect();
        branches.push(format!(
            "SELECT CAST({n} AS BIGINT) AS n, {values}, CAST(COUNT(*) AS BIGINT) AS r FROM \
             (SELECT {columns} FROM velocity_events WHERE tenant_id = $1 AND {key} = ${value} AND at >= ${since} \
             ORDER BY at DESC LIMIT ${limit}) AS w_{n}",
            values = values.join(", "),
            columns = columns.join(", "),
            key = first.key.column(),
        ));
    }
    VelocityStatement { sql: branches.join(" UNION ALL "), params, queries, scans }
}

/// One row of [`velocity_statement`]: scan number, [`MEASURES_PER_SCAN`] values, rows read.
pub(crate) type VelocityRow = (i64, f64, f64, f64, f64, i64);

impl VelocityStatement<'_> {
    /// The answers, in the order of the queries, from the statement's rows.
    pub(crate) fn answers(&self, rows: &[VelocityRow]) -> Vec<VelocityAnswer> {
        let queries = self.queries;
        let mut answers = vec![VelocityAnswer { value: 0.0, saturated: false }; queries.len()];
        for &(n, v0, v1, v2, v3, read) in rows {
            let Some(scan) = usize::try_from(n).ok().and_then(|n| self.scans.get(n)) else { continue };
            for (&i, value) in scan.measures.iter().zip([v0, v1, v2, v3]) {
                answers[i] = VelocityAnswer { value, saturated: read >= i64::from(queries[i].scan_limit) };
            }
        }
        answers
    }
}

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
                if queries.is_empty() {
                    return Ok(Vec::new());
                }
                let statement = $crate::sql_velocity::velocity_statement(tenant_id.as_str(), queries);
                let rows: Vec<$crate::sql_velocity::VelocityRow> =
                    self.read_rows(&statement.sql, &statement.params).await?;
                Ok(statement.answers(&rows))
            }
        }
    };
}

pub(crate) use velocity_queries;

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::Timestamp;
    use sightline_core::velocity::VelocityKey;

    fn query(key: VelocityKey, since: i64, measure: VelocityMeasure) -> VelocityQuery {
        VelocityQuery {
            key,
            value: "v".into(),
            since: Timestamp::from_millis(since),
            measure,
            current: None,
            scan_limit: 100,
        }
    }

    #[test]
    fn counters_on_one_key_and_window_share_a_scan_of_at_most_four() {
        let users = VelocityMeasure::Distinct(VelocityKey::UserId);
        let mut queries = vec![
            query(VelocityKey::DeviceId, 0, users),
            query(VelocityKey::DeviceId, 5, users),
            query(VelocityKey::Ip, 0, users),
            query(VelocityKey::DeviceId, 0, VelocityMeasure::Count),
        ];
        queries.extend((0..4).map(|_| query(VelocityKey::DeviceId, 0, VelocityMeasure::SumAmount)));
        queries.push(VelocityQuery { value: "w".into(), ..query(VelocityKey::DeviceId, 0, VelocityMeasure::Count) });
        queries.push(VelocityQuery { scan_limit: 7, ..query(VelocityKey::DeviceId, 0, VelocityMeasure::Count) });
        let grouped: Vec<Vec<usize>> = scans(&queries).into_iter().map(|s| s.measures).collect();
        assert_eq!(grouped, vec![vec![0, 3, 4, 5], vec![1], vec![2], vec![6, 7], vec![8], vec![9]]);
    }

    #[test]
    fn every_branch_has_the_same_columns_and_each_value_its_own_placeholder() {
        let queries = [
            VelocityQuery {
                current: Some("me".into()),
                ..query(VelocityKey::DeviceId, 0, VelocityMeasure::Distinct(VelocityKey::UserId))
            },
            query(VelocityKey::DeviceId, 0, VelocityMeasure::SumAmount),
            query(VelocityKey::CardHash, 0, VelocityMeasure::Count),
        ];
        let VelocityStatement { sql, params, .. } = velocity_statement("tenant", &queries);
        // tenant; device scan: value, since, limit, current; card scan: value, since, limit.
        assert_eq!(params.len(), 8);
        assert!(sql.contains("FROM velocity_events WHERE tenant_id = $1 AND device_id = $2"), "{sql}");
        assert!(sql.contains("CAST($5 AS TEXT)"), "{sql}");
        assert!(sql.contains("card_hash = $6 AND at >= $7 ORDER BY at DESC LIMIT $8"), "{sql}");
        let branches: Vec<&str> = sql.split(" UNION ALL ").collect();
        assert_eq!(branches.len(), 2);
        for branch in branches {
            assert_eq!(branch.matches(" AS v").count(), MEASURES_PER_SCAN, "{branch}");
        }
    }

    #[test]
    fn answers_go_back_to_their_queries_and_a_scan_at_its_limit_is_saturated() {
        let queries = [
            query(VelocityKey::DeviceId, 0, VelocityMeasure::Count),
            query(VelocityKey::Ip, 0, VelocityMeasure::Count),
            query(VelocityKey::DeviceId, 0, VelocityMeasure::SumAmount),
        ];
        let rows = [(1, 3.0, 0.0, 0.0, 0.0, 3), (0, 100.0, 250.5, 0.0, 0.0, 100), (7, 1.0, 1.0, 1.0, 1.0, 1)];
        let answers = velocity_statement("tenant", &queries).answers(&rows);
        assert_eq!(
            answers,
            vec![
                VelocityAnswer { value: 100.0, saturated: true },
                VelocityAnswer { value: 3.0, saturated: false },
                VelocityAnswer { value: 250.5, saturated: true },
            ]
        );
    }
}
