use crate::support::{compiled, rule, set};
use sightline_rules::{
    CompileError, CompiledRuleSet, KeyKind, ListKind, ListName, MAX_DEPTH, MAX_EXPRESSION_BYTES, MAX_NESTING,
    MAX_OPERATORS, Measure,
    Operation::{Decline, Score},
    Polarity, Thresholds, VelocitySpec, Window, validate_expression,
};

fn errors(expression: &str) -> Vec<CompileError> {
    validate_expression(expression).expect_err(expression)
}

fn one(expression: &str) -> CompileError {
    let mut e = errors(expression);
    assert_eq!(e.len(), 1, "{expression}: {e:#?}");
    e.remove(0)
}

#[test]
fn syntax_errors_carry_positions() {
    let e = errors("request.transaction_amount >");
    assert_eq!(e[0].position, Some((1, 29)), "{e:?}");
    assert!(e[0].message.contains("Syntax error"), "{e:?}");
    let e = errors("device.risk > 10 &&\n  (device.risk < ");
    assert_eq!(e[0].position.map(|p| p.0), Some(2), "{e:?}");
    assert!(validate_expression("").is_err());
    assert!(validate_expression("   ").is_err());
}

#[test]
fn unknown_field_is_an_error_at_the_field() {
    let e = one("'bot' in device.flgs");
    assert_eq!(e.message, "unknown field device.flgs");
    assert_eq!(e.position, Some((1, 17)));
    assert_eq!(e.rule_id, None);
    let e = one("request.transaction_amount > 10.0 &&\n  device .\n   flgs.size() > 0");
    assert_eq!(e.message, "unknown field device.flgs");
    assert_eq!(e.position, Some((3, 4)));
    let e = one("request['emial'] == 'x'");
    assert_eq!(e.message, "unknown field request.emial");
    assert_eq!(e.position, Some((1, 9)));
    let e = one("has(ip.is_torr)");
    assert_eq!(e.message, "unknown field ip.is_torr");
    let e = one("'é' == request.emial");
    assert_eq!(e.position, Some((1, 16)), "columns count characters");
}

#[test]
fn unknown_variables_and_functions() {
    let e = one("devce.risk > 1");
    assert!(e.message.starts_with("unknown variable 'devce'"), "{e:?}");
    assert_eq!(e.position, Some((1, 1)));
    let e = one("request.email.lowerCase() == 'x'");
    assert_eq!(e.message, "unknown function 'lowerCase'");
    assert_eq!(e.position, Some((1, 15)));
    let e = one("frobnicate(request.email)");
    assert_eq!(e.message, "unknown function 'frobnicate'");
    let e = one("math.nope(1) == 1");
    assert_eq!(e.message, "unknown function 'math.nope'");
    for ok in [
        "request.email.lowerAscii().endsWith('@example.com')",
        "math.abs(-1) < 2",
        "size(lists.range(3)) == 3",
        "request.email.matches('^[a-z]+@')",
        "int(request.transaction_amount) > 10",
    ] {
        assert_eq!(validate_expression(ok), Ok(()), "{ok}");
    }
}

#[test]
fn several_errors_are_all_reported() {
    let e = errors("device.flgs == [] || ip.is_torr || nope");
    assert_eq!(e.len(), 3, "{e:#?}");
}

#[test]
fn comprehension_variables_are_typed_from_the_schema() {
    assert_eq!(validate_expression("request.items.exists(i, i.item_price > 100.0)"), Ok(()));
    assert_eq!(validate_expression("device.flags.all(f, f != 'x')"), Ok(()));
    assert_eq!(validate_expression("custom.exists(k, k == 'vip')"), Ok(()));
    let e = one("request.items.exists(i, i.price > 100.0)");
    assert_eq!(e.message, "unknown field i.price");
    // a bound variable shadows nothing outside its macro
    assert!(validate_expression("request.items.exists(i, true) && i == 1").is_err());
}

#[test]
fn open_maps_are_not_checked() {
    for ok in [
        "custom.anything == 'x'",
        "device.details.webgl.vendor == 'x'",
        "request.items[0].item_custom_fields.colour == 'red'",
        "has(custom.vip) && custom.vip == true",
    ] {
        assert_eq!(validate_expression(ok), Ok(()), "{ok}");
    }
}

#[test]
fn velocity_names_follow_the_grammar() {
    let e = one("velocity.card_tx_2h > 3");
    assert!(e.message.starts_with("unknown velocity counter velocity.card_tx_2h"), "{e:?}");
    assert_eq!(e.position, Some((1, 10)));
    assert!(one("velocity.card_cards_1h > 3").message.contains("its own key"));
    assert!(one("'card_tx_1h' in velocity").message.contains("velocity.<name>"));
    assert!(one("velocity['card' + '_tx_1h'] > 1").message.contains("velocity.<name>"));
    let c = compiled(vec![
        rule("a", "velocity.card_tx_1h > 3 && velocity['device_users_24h'] > 1", Score(1)),
        rule("b", "velocity.user_amount_24h > 10.0", Score(1)),
    ]);
    let needs: Vec<VelocitySpec> = c.velocity_needs().iter().copied().collect();
    assert_eq!(
        needs,
        [
            VelocitySpec::new(KeyKind::DeviceId, Measure::DistinctCount(KeyKind::UserId), Window::Hours24),
            VelocitySpec::new(KeyKind::UserId, Measure::SumAmount, Window::Hours24),
            VelocitySpec::new(KeyKind::CardHash, Measure::Count, Window::Hour1),
        ]
    );
}

#[test]
fn list_names_are_checked_and_needs_expanded() {
    let e = one("lists.deny_emails");
    assert!(e.message.starts_with("unknown list lists.deny_emails"), "{e:?}");
    let c = compiled(vec![rule("a", "lists.deny_any", Decline), rule("b", "lists.allow_ip", Score(-5))]);
    assert_eq!(c.list_needs().len(), 10);
    assert!(c.list_needs().contains(&ListName::new(Polarity::Deny, ListKind::Cidr)));
    assert!(c.list_needs().contains(&ListName::new(Polarity::Allow, ListKind::Ip)));
    assert!(!c.list_needs().contains(&ListName::new(Polarity::Allow, ListKind::Email)));
}

#[test]
fn cheap_type_checks() {
    let e = one("request.email == 5");
    assert_eq!(e.message, "cannot compare request.email (string) with int");
    assert_eq!(e.position, Some((1, 15)));
    assert!(one("device.risk > 'high'").message.contains("device.risk (int)"));
    assert!(one("5 in device.flags").message.starts_with("cannot look for"));
    assert!(one("device.risk && true").message.contains("is not a bool"));
    assert!(one("request.transaction_amount").message.contains("must evaluate to a bool"));
    assert!(one("request.transaction_amount.cents > 1").message.contains("has no field 'cents'"));
    // numbers compare across int and double; null compares with anything
    assert_eq!(validate_expression("request.transaction_amount > 100 && device.risk >= 50.5"), Ok(()));
    assert_eq!(validate_expression("email.typo_of != null"), Ok(()));
}

#[test]
fn rule_set_level_errors() {
    let mut s = set(vec![rule("a", "true", Score(1)), rule("a", "true", Score(1)), rule(" ", "true", Score(1))]);
    s.thresholds = Thresholds { approve_below: 30, review_below: 20 };
    let e = CompiledRuleSet::compile(&s).unwrap_err();
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(e.iter().any(|e| e.message.contains("duplicate rule id 'a'")));
    assert!(e.iter().any(|e| e.message.contains("thresholds")));
}

#[test]
fn disabled_rules_are_still_checked_but_need_nothing() {
    let mut broken = rule("b", "device.flgs == []", Score(1));
    broken.enabled = false;
    let e = CompiledRuleSet::compile(&set(vec![broken])).unwrap_err();
    assert_eq!(e[0].rule_id.as_deref(), Some("b"));
    let mut off = rule("c", "velocity.card_tx_1h > 1", Score(1));
    off.enabled = false;
    let c = compiled(vec![off]);
    assert!(c.velocity_needs().is_empty());
    assert!(c.is_empty());
}

#[test]
fn oversized_expressions_are_rejected_before_parsing() {
    let long = format!("true || {}", "true || ".repeat(MAX_EXPRESSION_BYTES / 8));
    assert!(one(&long).message.contains("longer than"));
}

#[test]
fn compiled_sets_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<CompiledRuleSet>();
}

/// Worst cases at the limits compile and evaluate, or are refused, on a tokio-sized stack
/// (this runs in the unoptimised test build, where frames are largest).
#[test]
fn expressions_at_the_limits_fit_a_worker_stack() {
    let chain = MAX_DEPTH - 2;
    let shapes = [
        format!("1{} > 0", " + 1".repeat(chain)),
        format!("1{} > 0", " + 1".repeat(MAX_OPERATORS - 2)),
        format!("has(custom.x{})", ".y".repeat(chain)),
        format!("{}true", "!".repeat(MAX_OPERATORS)),
        format!("{}true{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING)),
        format!("{}1{} == 1", "[".repeat(MAX_NESTING), "][0]".repeat(MAX_NESTING)),
        format!("{}1 > 0", "-".repeat(MAX_OPERATORS - 2)),
        format!("{}true{}", "[1].exists(x, ".repeat(MAX_NESTING / 2), ")".repeat(MAX_NESTING / 2)),
        format!("{}1{} == 1", "{'a': ".repeat(MAX_NESTING), "}".repeat(MAX_NESTING)),
        format!("true{}", " && custom.a == 1 || custom.b == 2".repeat(MAX_OPERATORS / 12)),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let mut compiled = 0;
            for (i, shape) in shapes.iter().enumerate() {
                let set = crate::support::set(vec![rule(&format!("r{i}"), shape, Score(1))]);
                if let Ok(c) = CompiledRuleSet::compile(&set) {
                    c.evaluate(&sightline_rules::Event::default());
                    compiled += 1;
                }
            }
            compiled
        })
        .unwrap();
    assert!(handle.join().unwrap() >= 6);
}

#[test]
fn expressions_beyond_the_limits_are_rejected_before_parsing() {
    let deep = format!("{}true{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    assert!(one(&deep).message.contains("nested"));
    let long = format!("1{} > 0", " + 1".repeat(MAX_OPERATORS));
    assert!(one(&long).message.contains("operators"));
    let deep_parens = format!("{}true{}", "(".repeat(5000), ")".repeat(5000));
    assert!(one(&deep_parens).message.contains("nested"));
    let chain = format!("1{} > 0", " + 1".repeat(MAX_DEPTH));
    assert!(one(&chain).message.contains("levels deep"));
    let balanced = format!("true{}", " && custom.a == 1".repeat(30));
    assert_eq!(validate_expression(&balanced), Ok(()));
}
