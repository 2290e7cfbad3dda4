//! Robustness: nothing a sender or a rule author types may panic the decision path.

use crate::default_pack::clean_event;
use proptest::prelude::*;
use serde_json::{Map, Value};
use sightline_rules::{CompiledRuleSet, Event, Operation, default_pack, validate_expression};
use std::sync::LazyLock;

static PACK: LazyLock<CompiledRuleSet> = LazyLock::new(|| CompiledRuleSet::compile(&default_pack()).unwrap());

const KEYS: &[&str] = &[
    "request",
    "custom",
    "ip",
    "email",
    "phone",
    "card",
    "aml",
    "device",
    "velocity",
    "lists",
    "now",
    "flags",
    "details",
    "transaction_amount",
    "items",
    "item_price",
    "country",
    "is_tor",
    "is_datacenter",
    "disposable",
    "free",
    "typo_of",
    "valid",
    "type",
    "prepaid",
    "sanctions_match",
    "pep",
    "is_new_for_user",
    "risk",
    "identity_correlation",
    "user_created",
    "billing_country",
    "card_tx_1h",
    "device_users_24h",
    "deny_any",
    "deny_email",
    "allow_ip",
    "domain_age_days",
    "x",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z]{0,6}".prop_map(Value::String),
        prop::sample::select(vec!["automation", "tor", "vpn", "HU", "voip", ""]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|entries| {
                Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>())
            }),
        ]
    })
}

/// A clean event with one subtree replaced by arbitrary JSON.
fn mutated() -> impl Strategy<Value = Value> {
    (prop::sample::select(KEYS), json()).prop_map(|(key, value)| {
        let mut event = clean_event();
        event[key] = value;
        event
    })
}

const TOKENS: &[&str] = &[
    "request",
    "device",
    "velocity",
    "lists",
    "ip",
    ".",
    "flags",
    "card_tx_1h",
    "deny_any",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'x'",
    "\"",
    "1",
    "1.5",
    "-",
    "!",
    "&&",
    "||",
    "==",
    "<",
    "in",
    "?",
    ":",
    ",",
    "has",
    "exists",
    "size",
    "e",
    " ",
    "\n",
    "null",
    "true",
    "\u{e9}",
    "`",
    "\\",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn evaluate_never_panics_on_arbitrary_events(raw in prop_oneof![json(), mutated()]) {
        let decision = PACK.evaluate(&Event::from_json(&raw));
        prop_assert!(decision.fraud_score <= 100);
    }

    #[test]
    fn compile_never_panics_on_arbitrary_strings(source in ".{0,80}") {
        let _ = validate_expression(&source);
    }

    #[test]
    fn compile_never_panics_on_token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..24)) {
        let source = tokens.concat();
        if let Err(errors) = validate_expression(&source) {
            for e in errors {
                if let Some((line, column)) = e.position {
                    prop_assert!(line >= 1 && column >= 1, "{e:?}");
                }
            }
        }
    }
}

/// Mostly well-formed expressions over the schema, so that many compile and their
/// evaluation paths (type errors, nulls, missing data) get exercised.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "request.transaction_amount",
        "request.email",
        "request.items",
        "device.flags",
        "device.risk",
        "device.details",
        "device.is_new_for_user",
        "ip.country",
        "ip.is_tor",
        "custom.x",
        "custom",
        "velocity.card_tx_1h",
        "velocity.user_amount_24h",
        "lists.deny_any",
        "now",
        "aml.pep",
        "1",
        "1.5",
        "0",
        "-3",
        "'a'",
        "''",
        "true",
        "false",
        "null",
        "[]",
        "['a', 1]",
        "{'k': 1}",
    ])
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 32, 3, |inner| {
        let op = prop::sample::select(vec!["==", "!=", "<", ">=", "&&", "||", "+", "-", "*", "/", "%", "in"]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.clone().prop_map(|a| format!("size({a})")),
            inner.clone().prop_map(|a| format!("{a}.exists(v, v == 'a')")),
            inner.clone().prop_map(|a| format!("{a}.all(v, v in ['vpn', 'tor'])")),
            inner.clone().prop_map(|a| format!("{a}.exists(v, v in ['vpn', 'tor'])")),
            inner.clone().prop_map(|a| format!("{a}[0]")),
            inner.clone().prop_map(|a| format!("{a}.matches('^a')")),
            (inner.clone(), inner.clone(), inner).prop_map(|(a, b, c)| format!("({a} ? {b} : {c})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever compiles also evaluates without panicking, on a full and on an odd event.
    #[test]
    fn whatever_compiles_evaluates(source in expression(), raw in json()) {
        let rule = crate::support::rule("p", &source, Operation::Score(1));
        if let Ok(compiled) = CompiledRuleSet::compile(&crate::support::set(vec![rule])) {
            compiled.evaluate(&Event::from_json(&clean_event()));
            compiled.evaluate(&Event::from_json(&raw));
        }
    }
}
