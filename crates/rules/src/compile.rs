//! Compiling a rule set: parse every expression once, check it against the schema, and
//! collect what the set needs from the server (counters, lists) and from each event (the
//! projection). A compiled set is immutable and shared across requests.

use crate::check::{Checker, Needs};
use crate::functions::{FunctionProbe, env};
use crate::limits;
use crate::lists::ListName;
use crate::position::{Position, Source};
use crate::rewrite::rewrite;
use crate::rule::{Operation, RuleSet, Thresholds};
use crate::velocity::VelocitySpec;
use cel::common::ast::IdedExpr;
use cel::{Env, Program};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::Arc;

/// Expressions longer than this are rejected before parsing, to bound compile work on
/// input from the API.
pub const MAX_EXPRESSION_BYTES: usize = 16 * 1024;

/// Why a rule (or the set) does not compile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileError {
    /// The rule at fault; `None` for a lone expression or a set-level problem.
    pub rule_id: Option<String>,
    pub message: String,
    /// 1-based line and column in the expression.
    pub position: Option<Position>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = &self.rule_id {
            write!(f, "rule {id}: ")?;
        }
        if let Some((line, column)) = self.position {
            write!(f, "{line}:{column}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}

pub(crate) struct CompiledRule {
    pub id: String,
    pub name: String,
    pub category: String,
    pub operation: Operation,
    pub label: String,
    /// The checked expression, rewritten for speed (see `rewrite`).
    pub expr: IdedExpr,
    /// Top-level variables the rule reads (bit per schema variable).
    pub roots: u32,
}

/// A rule set ready to evaluate.
pub struct CompiledRuleSet {
    pub(crate) version: u64,
    pub(crate) thresholds: Thresholds,
    /// Enabled rules only, in rule-set order.
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) env: Arc<Env>,
    pub(crate) needs: Needs,
    /// `(name, is a count)` of each counter read, bound from `Event::velocity`.
    pub(crate) velocity_bindings: Vec<(String, bool)>,
    /// Each list name read, with the names in `Event::lists` that make it true
    /// (`deny_any` is also true when any `deny_<kind>` is).
    pub(crate) list_bindings: Vec<(String, Vec<String>)>,
    list_needs: BTreeSet<ListName>,
}

impl fmt::Debug for CompiledRuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledRuleSet")
            .field("version", &self.version)
            .field("rules", &self.rules.len())
            .field("velocity_needs", &self.needs.velocity)
            .field("list_needs", &self.list_needs)
            .finish()
    }
}

fn parse(env: &Env, expression: &str, rule_id: Option<&str>) -> Result<Program, Vec<CompileError>> {
    let error = |message: String, position| CompileError { rule_id: rule_id.map(str::to_owned), message, position };
    if expression.len() > MAX_EXPRESSION_BYTES {
        return Err(vec![error(format!("expression is longer than {MAX_EXPRESSION_BYTES} bytes"), None)]);
    }
    if expression.trim().is_empty() {
        return Err(vec![error("expression is empty".to_owned(), None)]);
    }
    limits::check_text(expression).map_err(|message| vec![error(message, None)])?;
    let program = env.compile(expression).map_err(|errors| {
        errors
            .errors
            .into_iter()
            .map(|e| {
                let position = match e.pos {
                    (line, column) if line > 0 && column > 0 => {
                        Some((u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX)))
                    }
                    _ => None,
                };
                error(e.msg, position)
            })
            .collect::<Vec<_>>()
    })?;
    limits::check_tree(program.expression()).map_err(|message| vec![error(message, None)])?;
    Ok(program)
}

/// Parses and checks one expression; the program and what it reads.
fn compile_expression(
    env: &Env,
    probe: &mut FunctionProbe,
    expression: &str,
    rule_id: Option<&str>,
) -> Result<(Program, Needs), Vec<CompileError>> {
    let program = parse(env, expression, rule_id)?;
    let source = Source::new(expression, program.source_info());
    let mut checker = Checker::new(&source, probe);
    checker.check_rule(program.expression());
    if checker.issues.is_empty() {
        let needs = checker.needs;
        Ok((program, needs))
    } else {
        Err(checker
            .issues
            .into_iter()
            .map(|i| CompileError { rule_id: rule_id.map(str::to_owned), message: i.message, position: i.position })
            .collect())
    }
}

/// Checks a lone expression as a rule condition (for the API's validate endpoint).
pub fn validate_expression(expression: &str) -> Result<(), Vec<CompileError>> {
    let env = env();
    let mut probe = FunctionProbe::new(Arc::clone(&env));
    compile_expression(&env, &mut probe, expression, None).map(|_| ())
}

impl CompiledRuleSet {
    /// Compiles every rule, disabled ones too (so that enabling a rule can never break a
    /// set), and reports every error rather than the first.
    pub fn compile(set: &RuleSet) -> Result<CompiledRuleSet, Vec<CompileError>> {
        let env = env();
        let mut probe = FunctionProbe::new(Arc::clone(&env));
        let mut errors = Vec::new();
        let set_error = |message: String| CompileError { rule_id: None, message, position: None };
        if set.thresholds.approve_below > set.thresholds.review_below {
            errors.push(set_error(format!(
                "thresholds: approve_below ({}) is above review_below ({})",
                set.thresholds.approve_below, set.thresholds.review_below
            )));
        }
        let mut ids = HashSet::new();
        let mut rules = Vec::new();
        let mut needs = Needs::default();
        for rule in &set.rules {
            if rule.id.trim().is_empty() {
                errors.push(set_error(format!("rule '{}' has an empty id", rule.name)));
            } else if !ids.insert(rule.id.as_str()) {
                errors.push(set_error(format!("duplicate rule id '{}'", rule.id)));
            }
            match compile_expression(&env, &mut probe, &rule.expression, Some(&rule.id)) {
                Err(mut e) => errors.append(&mut e),
                Ok((program, rule_needs)) if rule.enabled => {
                    needs.merge(&rule_needs);
                    rules.push(CompiledRule {
                        id: rule.id.clone(),
                        name: rule.name.clone(),
                        category: rule.category.clone(),
                        operation: rule.operation,
                        label: rule.operation.label(),
                        expr: rewrite(program.expression()),
                        roots: rule_needs.roots,
                    });
                }
                Ok(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let velocity_bindings = needs.velocity.iter().map(|v| (v.name(), v.is_count())).collect();
        let list_bindings = needs
            .lists
            .iter()
            .map(|l| {
                let mut covered = vec![l.to_string()];
                if l.kind.is_none() {
                    covered.extend(l.expand().map(|x| x.to_string()));
                }
                (l.to_string(), covered)
            })
            .collect();
        let list_needs = needs.lists.iter().flat_map(|l| l.expand()).collect();
        Ok(CompiledRuleSet {
            version: set.version,
            thresholds: set.thresholds,
            rules,
            env,
            needs,
            velocity_bindings,
            list_bindings,
            list_needs,
        })
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Number of enabled rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The counters enabled rules read; the server computes exactly these into
    /// `Event::velocity` under their names.
    pub fn velocity_needs(&self) -> &BTreeSet<VelocitySpec> {
        &self.needs.velocity
    }

    /// The concrete lists enabled rules read (`deny_any` expands to every deny list); the
    /// server looks these up, e.g. by loading them into a [`crate::ListSet`].
    pub fn list_needs(&self) -> &BTreeSet<ListName> {
        &self.list_needs
    }
}
