//! Rules and rule sets as authored: plain data, serialisable, checked only when compiled.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a matching rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Adds to the fraud score (negative values lower it).
    Score(i32),
    /// Forces a state, whatever the score (Decline > Review > Approve when several match).
    Approve,
    Review,
    Decline,
}

impl Operation {
    /// The label SEON shows in `applied_rules[].operation`: `+10`, `-5`, `DECLINE`.
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The state it forces, if it forces one.
    pub fn forced_state(&self) -> Option<State> {
        match self {
            Operation::Score(_) => None,
            Operation::Approve => Some(State::Approve),
            Operation::Review => Some(State::Review),
            Operation::Decline => Some(State::Decline),
        }
    }

    /// The score it contributes.
    pub fn score(&self) -> i32 {
        match self {
            Operation::Score(s) => *s,
            _ => 0,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operation::Score(s) => write!(f, "{s:+}"),
            Operation::Approve => f.write_str("APPROVE"),
            Operation::Review => f.write_str("REVIEW"),
            Operation::Decline => f.write_str("DECLINE"),
        }
    }
}

/// The decision state, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum State {
    Approve,
    Review,
    Decline,
}

impl State {
    pub const ALL: [State; 3] = [State::Approve, State::Review, State::Decline];
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Approve => "APPROVE",
            State::Review => "REVIEW",
            State::Decline => "DECLINE",
        })
    }
}

/// One rule: a CEL expression over the event, and what happens when it is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub category: String,
    /// Why the rule exists; shown in docs and the admin UI, not evaluated.
    #[serde(default)]
    pub description: String,
    /// A CEL expression that must evaluate to a bool.
    pub expression: String,
    pub operation: Operation,
    #[serde(default = "enabled_default")]
    pub enabled: bool,
}

fn enabled_default() -> bool {
    true
}

/// Score bands for the state when no rule forces one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Scores below this approve.
    pub approve_below: u32,
    /// Scores below this (and not below `approve_below`) go to review; the rest decline.
    pub review_below: u32,
}

impl Default for Thresholds {
    /// SEON's documented defaults, so that scores mean the same here as for its customers.
    fn default() -> Self {
        Thresholds { approve_below: 10, review_below: 20 }
    }
}

impl Thresholds {
    pub fn state_for(&self, score: u32) -> State {
        if score < self.approve_below {
            State::Approve
        } else if score < self.review_below {
            State::Review
        } else {
            State::Decline
        }
    }
}

/// A versioned set of rules. The version identifies the compiled form and is echoed in
/// every decision, so a decision can always be traced to the rules that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub version: u64,
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub thresholds: Thresholds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_seon() {
        assert_eq!(Operation::Score(10).label(), "+10");
        assert_eq!(Operation::Score(-5).label(), "-5");
        assert_eq!(Operation::Score(0).label(), "+0");
        assert_eq!(Operation::Decline.label(), "DECLINE");
        assert_eq!(serde_json::to_string(&State::Review).unwrap(), "\"REVIEW\"");
        assert_eq!(serde_json::to_string(&Operation::Score(3)).unwrap(), "{\"score\":3}");
        assert_eq!(serde_json::to_string(&Operation::Approve).unwrap(), "\"approve\"");
    }

    #[test]
    fn default_bands() {
        let t = Thresholds::default();
        assert_eq!(t.state_for(0), State::Approve);
        assert_eq!(t.state_for(9), State::Approve);
        assert_eq!(t.state_for(10), State::Review);
        assert_eq!(t.state_for(19), State::Review);
        assert_eq!(t.state_for(20), State::Decline);
        assert_eq!(t.state_for(100), State::Decline);
    }

    #[test]
    fn rule_json_defaults() {
        let r: Rule =
            serde_json::from_str(r#"{"id":"r1","name":"n","category":"c","expression":"true","operation":"decline"}"#)
                .unwrap();
        assert!(r.enabled);
        assert_eq!(r.description, "");
    }
}
