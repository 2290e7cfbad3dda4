//! Dry runs and backtests: compare the decision a candidate rule set makes with the one
//! that was made, over stored events the server feeds in one at a time. Pure bookkeeping,
//! so a run can be paused, resumed and reported on at any point.

use crate::decision::Decision;
use crate::rule::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How one event's decision changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flip {
    pub before: State,
    pub after: State,
    pub score_before: u32,
    pub score_after: u32,
    /// Rules that match now and did not before, and the other way round.
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
}

impl Flip {
    /// Whether the state changed.
    pub fn flipped(&self) -> bool {
        self.before != self.after
    }

    pub fn score_delta(&self) -> i64 {
        i64::from(self.score_after) - i64::from(self.score_before)
    }
}

/// Compares the decision made before with the one the new rules make.
pub fn compare(old: &Decision, new: &Decision) -> Flip {
    let ids = |d: &Decision| -> Vec<String> { d.applied_rules.iter().map(|r| r.id.clone()).collect() };
    let (before, after) = (ids(old), ids(new));
    Flip {
        before: old.state,
        after: new.state,
        score_before: old.fraud_score,
        score_after: new.fraud_score,
        rules_added: after.iter().filter(|id| !before.contains(id)).cloned().collect(),
        rules_removed: before.iter().filter(|id| !after.contains(id)).cloned().collect(),
    }
}

/// One event whose state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlipRecord {
    pub event_id: String,
    pub before: State,
    pub after: State,
    pub score_before: u32,
    pub score_after: u32,
}

/// Counts per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub approve: u64,
    pub review: u64,
    pub decline: u64,
}

impl StateCounts {
    fn add(&mut self, state: State) {
        match state {
            State::Approve => self.approve += 1,
            State::Review => self.review += 1,
            State::Decline => self.decline += 1,
        }
    }

    pub fn get(&self, state: State) -> u64 {
        match state {
            State::Approve => self.approve,
            State::Review => self.review,
            State::Decline => self.decline,
        }
    }
}

/// The histogram bucket of a score change: 0 for none; otherwise the change rounded away
/// from zero to a multiple of 10, so bucket 10 holds +1..=+10 and bucket -10 holds -1..=-10.
pub fn delta_bucket(delta: i64) -> i32 {
    let magnitude = delta.unsigned_abs().div_ceil(10) * 10;
    let magnitude = i32::try_from(magnitude).unwrap_or(i32::MAX);
    if delta < 0 { -magnitude } else { magnitude }
}

/// A backtest in progress or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacktestReport {
    /// Events recorded so far.
    pub total: u64,
    /// Events the server intends to feed, when it knows.
    pub expected: Option<u64>,
    pub by_state_before: StateCounts,
    pub by_state_after: StateCounts,
    /// `before → after → count`, the full transition matrix.
    pub transitions: BTreeMap<State, BTreeMap<State, u64>>,
    /// Events whose state changed, the first `flip_limit` of them.
    pub flips: Vec<FlipRecord>,
    /// All events whose state changed, including those beyond the limit.
    pub flip_count: u64,
    pub flip_limit: usize,
    /// Bucket (see [`delta_bucket`]) → number of events.
    pub score_delta_histogram: BTreeMap<i32, u64>,
    /// Events where the new rules had runtime errors.
    pub events_with_errors: u64,
}

impl BacktestReport {
    /// Keeps at most this many flip records unless told otherwise, so a report over
    /// millions of events stays small enough to return from an API.
    pub const DEFAULT_FLIP_LIMIT: usize = 1_000;

    pub fn new(expected: Option<u64>) -> Self {
        Self::with_flip_limit(expected, Self::DEFAULT_FLIP_LIMIT)
    }

    pub fn with_flip_limit(expected: Option<u64>, flip_limit: usize) -> Self {
        BacktestReport {
            total: 0,
            expected,
            by_state_before: StateCounts::default(),
            by_state_after: StateCounts::default(),
            transitions: BTreeMap::new(),
            flips: Vec::new(),
            flip_count: 0,
            flip_limit,
            score_delta_histogram: BTreeMap::new(),
            events_with_errors: 0,
        }
    }

    /// Records one event's old and new decision and returns how it changed.
    pub fn record(&mut self, event_id: &str, old: &Decision, new: &Decision) -> Flip {
        let flip = compare(old, new);
        self.total += 1;
        self.by_state_before.add(flip.before);
        self.by_state_after.add(flip.after);
        *self.transitions.entry(flip.before).or_default().entry(flip.after).or_default() += 1;
        *self.score_delta_histogram.entry(delta_bucket(flip.score_delta())).or_default() += 1;
        if !new.errors.is_empty() {
            self.events_with_errors += 1;
        }
        if flip.flipped() {
            self.flip_count += 1;
            if self.flips.len() < self.flip_limit {
                self.flips.push(FlipRecord {
                    event_id: event_id.to_owned(),
                    before: flip.before,
                    after: flip.after,
                    score_before: flip.score_before,
                    score_after: flip.score_after,
                });
            }
        }
        flip
    }

    /// Share of the expected events recorded, 0.0–1.0; `None` when the total is unknown.
    pub fn progress(&self) -> Option<f64> {
        match self.expected {
            None => None,
            Some(0) => Some(1.0),
            Some(expected) => Some((self.total as f64 / expected as f64).min(1.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::AppliedRule;

    fn decision(state: State, score: u32, rules: &[&str]) -> Decision {
        Decision {
            fraud_score: score,
            state,
            applied_rules: rules
                .iter()
                .map(|id| AppliedRule {
                    id: (*id).into(),
                    name: String::new(),
                    category: String::new(),
                    operation: "+1".into(),
                    score: 1,
                })
                .collect(),
            rule_set_version: 1,
            errors: vec![],
            unavailable: vec![],
        }
    }

    #[test]
    fn compare_lists_rule_changes() {
        let flip = compare(&decision(State::Approve, 5, &["a", "b"]), &decision(State::Decline, 30, &["b", "c"]));
        assert!(flip.flipped());
        assert_eq!(flip.score_delta(), 25);
        assert_eq!(flip.rules_added, ["c"]);
        assert_eq!(flip.rules_removed, ["a"]);
        assert!(!compare(&decision(State::Review, 12, &[]), &decision(State::Review, 15, &[])).flipped());
    }

    #[test]
    fn buckets() {
        assert_eq!(delta_bucket(0), 0);
        assert_eq!(delta_bucket(1), 10);
        assert_eq!(delta_bucket(10), 10);
        assert_eq!(delta_bucket(11), 20);
        assert_eq!(delta_bucket(-1), -10);
        assert_eq!(delta_bucket(-100), -100);
    }

    #[test]
    fn report_aggregates_and_caps_flips() {
        let mut report = BacktestReport::with_flip_limit(Some(4), 1);
        assert_eq!(report.progress(), Some(0.0));
        let a = decision(State::Approve, 0, &[]);
        let d = decision(State::Decline, 40, &["x"]);
        report.record("e1", &a, &d);
        report.record("e2", &a, &a);
        report.record("e3", &d, &a);
        assert_eq!(report.total, 3);
        assert_eq!(report.progress(), Some(0.75));
        assert_eq!(report.by_state_before.get(State::Approve), 2);
        assert_eq!(report.by_state_after.get(State::Decline), 1);
        assert_eq!(report.flip_count, 2);
        assert_eq!(report.flips.len(), 1);
        assert_eq!(report.flips[0].event_id, "e1");
        assert_eq!(report.score_delta_histogram.get(&40), Some(&1));
        assert_eq!(report.score_delta_histogram.get(&0), Some(&1));
        assert_eq!(report.score_delta_histogram.get(&-40), Some(&1));
        assert_eq!(report.transitions[&State::Approve][&State::Decline], 1);
        assert_eq!(BacktestReport::new(None).progress(), None);
        assert_eq!(BacktestReport::new(Some(0)).progress(), Some(1.0));
    }
}
