use crate::support::{compiled, rule, set};
use serde_json::json;
use sightline_rules::{
    CompiledRuleSet, Event,
    Operation::{Approve, Decline, Review, Score},
    State, Thresholds,
};

fn event(value: serde_json::Value) -> Event {
    Event::from_json(&value)
}

#[test]
fn score_is_the_capped_sum() {
    let c = compiled(vec![rule("a", "true", Score(60)), rule("b", "true", Score(60)), rule("c", "false", Score(5))]);
    let d = c.evaluate(&Event::default());
    assert_eq!(d.fraud_score, 100);
    assert_eq!(d.state, State::Decline);
    assert_eq!(d.applied_rules.len(), 2);
    assert_eq!(d.applied_rules[0].operation, "+60");
    assert_eq!(d.rule_set_version, 7);

    let c = compiled(vec![rule("a", "true", Score(-20)), rule("b", "true", Score(5))]);
    let d = c.evaluate(&Event::default());
    assert_eq!((d.fraud_score, d.state), (0, State::Approve));
    assert_eq!(d.applied_rules[0].operation, "-20");
    assert_eq!(d.applied_rules[0].score, -20);

    let c = compiled(vec![rule("a", "true", Score(i32::MAX)), rule("b", "true", Score(i32::MAX))]);
    assert_eq!(c.evaluate(&Event::default()).fraud_score, 100);
}

#[test]
fn forced_states_override_with_precedence() {
    let case = |ops: Vec<sightline_rules::Operation>| {
        let rules = ops.into_iter().enumerate().map(|(i, op)| rule(&format!("r{i}"), "true", op)).collect();
        compiled(rules).evaluate(&Event::default()).state
    };
    assert_eq!(case(vec![Approve, Review]), State::Review);
    assert_eq!(case(vec![Decline, Approve, Review]), State::Decline);
    assert_eq!(case(vec![Review, Score(90)]), State::Review);
    assert_eq!(case(vec![Approve, Score(90)]), State::Approve);
    assert_eq!(case(vec![Score(90)]), State::Decline);
    let d = compiled(vec![rule("x", "true", Decline)]).evaluate(&Event::default());
    assert_eq!(d.applied_rules[0].operation, "DECLINE");
    assert_eq!(d.applied_rules[0].score, 0);
    assert_eq!(d.fraud_score, 0);
}

#[test]
fn thresholds_split_the_score() {
    let mut s = set(vec![
        rule("a", "custom.points > 0", Score(1)),
        rule("b", "custom.points > 1", Score(4)),
        rule("c", "custom.points > 2", Score(45)),
    ]);
    s.thresholds = Thresholds { approve_below: 5, review_below: 50 };
    let c = CompiledRuleSet::compile(&s).unwrap();
    let state = |p: i64| c.evaluate(&event(json!({"custom": {"points": p}}))).state;
    assert_eq!(state(1), State::Approve);
    assert_eq!(state(2), State::Review);
    assert_eq!(state(3), State::Decline);
}

#[test]
fn disabled_rules_do_not_run() {
    let mut off = rule("off", "true", Decline);
    off.enabled = false;
    let c = compiled(vec![off, rule("on", "true", Score(1))]);
    let d = c.evaluate(&Event::default());
    assert_eq!(d.state, State::Approve);
    assert_eq!(d.applied_rules.len(), 1);
    assert_eq!(c.len(), 1);
}

#[test]
fn a_switched_off_module_makes_its_rules_not_match() {
    let c = compiled(vec![
        rule("aml", "aml.sanctions_match", Decline),
        rule("neg", "!ip.is_tor", Score(1)),
        rule("has", "has(email.disposable)", Score(1)),
        rule("either", "ip.is_tor || request.transaction_amount > 10.0", Score(3)),
        rule("absent", "device == null && request.transaction_amount > 10.0", Score(4)),
    ]);
    let d = c.evaluate(&event(json!({"request": {"transaction_amount": 20}, "aml": null})));
    assert_eq!(d.state, State::Approve);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.unavailable, ["aml", "neg", "has"]);
    // CEL's `||` is commutative over errors: the known side decides
    let ids: Vec<&str> = d.applied_rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["either", "absent"]);
    assert_eq!(d.fraud_score, 7);
}

#[test]
fn missing_fields_and_counters_are_unavailable_not_errors() {
    let c = compiled(vec![
        rule("amount", "request.transaction_amount > 10.0", Score(1)),
        rule("counter", "velocity.card_tx_1h > 3", Score(1)),
        rule("field", "ip.is_tor", Score(1)),
        rule("now", "now - request.user_created < 86400", Score(1)),
    ]);
    let d = c.evaluate(&event(json!({"ip": {"country": "HU"}, "request": {"user_created": 5}})));
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.unavailable, ["amount", "counter", "field", "now"]);
}

#[test]
fn runtime_errors_are_reported_and_do_not_match() {
    let c = compiled(vec![
        rule("null", "request.user_dob.startsWith('19')", Decline),
        rule("div", "device.risk / 0 > 1", Decline),
        rule("type", "custom.level", Decline),
        rule("regex", "request.email.matches('(')", Decline),
        rule("ok", "true", Score(2)),
    ]);
    let d = c.evaluate(&event(json!({
        "request": {"user_dob": null, "email": "a@b.c"},
        "device": {"risk": 10},
        "custom": {"level": "gold"}
    })));
    assert_eq!(d.state, State::Approve);
    assert_eq!(d.fraud_score, 2);
    let failed: Vec<&str> = d.errors.iter().map(|e| e.rule_id.as_str()).collect();
    assert_eq!(failed, ["null", "div", "type", "regex"]);
    assert!(d.errors[2].message.contains("not a bool"), "{:?}", d.errors[2]);
    assert!(d.unavailable.is_empty());
}

#[test]
fn numbers_follow_the_schema() {
    let c = compiled(vec![
        rule("widen", "request.transaction_amount * 1.5 > 100.0", Score(1)),
        rule("count", "velocity.card_tx_1h + 1 == 4", Score(1)),
        rule("sum", "velocity.user_amount_24h + request.transaction_amount > 100.0", Score(1)),
        rule("items", "request.items.exists(i, i.item_price * 2.0 > 10.0)", Score(1)),
    ]);
    let d = c.evaluate(&event(json!({
        "request": {"transaction_amount": 80, "items": [{"item_price": 6}]},
        "velocity": {"card_tx_1h": 3, "user_amount_24h": 50}
    })));
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.applied_rules.len(), 4);
}

#[test]
fn list_matches_are_booleans_defaulting_to_false() {
    let c = compiled(vec![
        rule("deny", "lists.deny_any", Decline),
        rule("allow", "lists.allow_email", Score(-15)),
        rule("cidr", "!lists.deny_cidr", Score(1)),
    ]);
    let d = c.evaluate(&Event::default());
    assert_eq!(d.applied_rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["cidr"]);
    let d = c.evaluate(&event(json!({"lists": {"deny_device_hash": true, "allow_email": true}})));
    assert_eq!(d.state, State::Decline);
    assert_eq!(d.applied_rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["deny", "allow", "cidr"]);
}

#[test]
fn only_projected_parts_are_read_but_whole_reads_see_everything() {
    let c = compiled(vec![
        rule("os", "device.details.os == 'Android'", Score(1)),
        rule("keys", "size(device.details) == 3", Score(1)),
        rule("custom", "custom.exists(k, k == 'promo')", Score(1)),
        rule("dyn", "request[custom.field] == 'x'", Score(1)),
    ]);
    let d = c.evaluate(&event(json!({
        "device": {"details": {"os": "Android", "a": 1, "b": [1, 2]}, "flags": []},
        "custom": {"promo": 1, "field": "order_memo"},
        "request": {"order_memo": "x"}
    })));
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert_eq!(d.applied_rules.len(), 4);
}

#[test]
fn evaluation_is_repeatable_on_a_shared_set() {
    let c = std::sync::Arc::new(compiled(vec![rule("a", "'automation' in device.flags", Score(30))]));
    let ev = event(json!({"device": {"flags": ["automation"]}}));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (c, ev) = (c.clone(), ev.clone());
            std::thread::spawn(move || c.evaluate(&ev))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().state, State::Decline);
    }
}
