//! Evaluation: one CEL context per event, every enabled rule run against it, and the
//! matches folded into a score and a state.

use crate::bind::bind;
use crate::compile::CompiledRuleSet;
use crate::decision::{AppliedRule, Decision, RuleError};
use crate::event::Event;
use crate::rule::State;
use cel::{Context, ExecutionError, Value};
use std::sync::Arc;

/// Whether a failure means "the data is not there" rather than "the rule is wrong".
fn is_missing_data(error: &ExecutionError, reads_absent_variable: bool) -> bool {
    // A rule reading a switched-off module fails on the null it finds, whatever the exact
    // error; an absent key anywhere is data the sender or server did not supply.
    reads_absent_variable || matches!(error, ExecutionError::NoSuchKey(_))
}

impl CompiledRuleSet {
    /// Decides on one event. Never panics and never fails as a whole: a rule that errors
    /// is reported and treated as not matching.
    pub fn evaluate(&self, event: &Event) -> Decision {
        let (bindings, absent) = bind(self, event);
        let mut context = Context::with_env(Arc::clone(&self.env));
        context.set_variable_resolver(&bindings);
        let mut score: i64 = 0;
        let mut forced: Option<State> = None;
        let mut applied_rules = Vec::new();
        let mut errors = Vec::new();
        let mut unavailable = Vec::new();
        for rule in &self.rules {
            match context.resolve(&rule.expr) {
                Ok(Value::Bool(true)) => {
                    score += i64::from(rule.operation.score());
                    if let Some(state) = rule.operation.forced_state() {
                        forced = forced.max(Some(state));
                    }
                    applied_rules.push(AppliedRule {
                        id: rule.id.clone(),
                        name: rule.name.clone(),
                        category: rule.category.clone(),
                        operation: rule.label.clone(),
                        score: rule.operation.score(),
                    });
                }
                Ok(Value::Bool(false)) => {}
                Ok(other) => errors.push(RuleError {
                    rule_id: rule.id.clone(),
                    message: format!("evaluated to {}, not a bool", other.type_of()),
                }),
                Err(e) if is_missing_data(&e, rule.roots & absent != 0) => {
                    unavailable.push(rule.id.clone());
                }
                Err(e) => errors.push(RuleError { rule_id: rule.id.clone(), message: e.to_string() }),
            }
        }
        let fraud_score = u32::try_from(score.clamp(0, 100)).unwrap_or(100);
        Decision {
            fraud_score,
            state: forced.unwrap_or_else(|| self.thresholds.state_for(fraud_score)),
            applied_rules,
            rule_set_version: self.version,
            errors,
            unavailable,
        }
    }
}
