use sightline_rules::{CompiledRuleSet, Operation, Rule, RuleSet, Thresholds};

pub fn rule(id: &str, expression: &str, operation: Operation) -> Rule {
    Rule {
        id: id.to_owned(),
        name: format!("rule {id}"),
        category: "test".to_owned(),
        description: String::new(),
        expression: expression.to_owned(),
        operation,
        enabled: true,
    }
}

pub fn set(rules: Vec<Rule>) -> RuleSet {
    RuleSet { version: 7, rules, thresholds: Thresholds::default() }
}

pub fn compiled(rules: Vec<Rule>) -> CompiledRuleSet {
    match CompiledRuleSet::compile(&set(rules)) {
        Ok(c) => c,
        Err(errors) => panic!("does not compile: {errors:#?}"),
    }
}
