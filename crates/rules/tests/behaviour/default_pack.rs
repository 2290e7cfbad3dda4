use serde_json::{Value, json};
use sightline_rules::{
    CompiledRuleSet, Event, KeyKind, ListKind, ListSet, Measure, Polarity, State, VelocitySpec, Window, default_pack,
};
use std::collections::HashSet;

fn pack() -> CompiledRuleSet {
    match CompiledRuleSet::compile(&default_pack()) {
        Ok(c) => c,
        Err(e) => panic!("default pack does not compile: {e:#?}"),
    }
}

/// A genuine customer: every module present, nothing suspicious.
pub fn clean_event() -> Value {
    json!({
        "request": {
            "action_type": "payment",
            "ip": "81.182.10.20",
            "email": "anna.kovacs@gmail.com",
            "phone_number": "+36301234567",
            "user_id": "u-1001",
            "user_created": 1_600_000_000,
            "device_id": "d-77",
            "card_bin": "535456",
            "card_hash": "f00d",
            "transaction_amount": 49.9,
            "transaction_currency": "EUR",
            "billing_country": "HU",
            "shipping_country": "HU",
            "items": [{"item_id": "sku-1", "item_price": 49.9, "item_quantity": 1}]
        },
        "custom": {"loyalty_tier": "gold"},
        "ip": {"country": "HU", "is_datacenter": false, "is_tor": false, "is_vpn": false, "is_proxy": false},
        "email": {"disposable": false, "free": true, "typo_of": "", "domain_age_days": 9000},
        "phone": {"valid": true, "type": "mobile", "country": "HU", "disposable": false},
        "card": {"country": "HU", "type": "debit", "prepaid": false},
        "aml": {"sanctions_match": false, "pep": false},
        "device": {
            "id": "d-77", "hash": "h-77", "platform": "web", "flags": [], "risk": 5,
            "identity_correlation": 90, "is_new_for_user": false,
            "details": {"os": "Windows", "browser": "Firefox"}
        },
        "velocity": {
            "card_tx_1h": 1, "device_cards_24h": 1, "user_amount_24h": 49.9,
            "ip_users_1h": 1, "device_users_24h": 1
        },
        "lists": {},
        "now": 1_700_000_000
    })
}

#[test]
fn every_default_rule_compiles() {
    let set = default_pack();
    assert!((28..=40).contains(&set.rules.len()), "{}", set.rules.len());
    let ids: HashSet<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), set.rules.len());
    assert!(set.rules.iter().all(|r| !r.description.is_empty() && r.enabled));
    let c = pack();
    assert_eq!(c.len(), set.rules.len());
    let expected: HashSet<VelocitySpec> = [
        VelocitySpec::new(KeyKind::CardHash, Measure::Count, Window::Hour1),
        VelocitySpec::new(KeyKind::DeviceId, Measure::DistinctCount(KeyKind::CardHash), Window::Hours24),
        VelocitySpec::new(KeyKind::DeviceId, Measure::DistinctCount(KeyKind::UserId), Window::Hours24),
        VelocitySpec::new(KeyKind::UserId, Measure::SumAmount, Window::Hours24),
        VelocitySpec::new(KeyKind::Ip, Measure::DistinctCount(KeyKind::UserId), Window::Hour1),
    ]
    .into_iter()
    .collect();
    assert_eq!(c.velocity_needs().iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(c.list_needs().len(), 18);
}

#[test]
fn a_clean_event_is_approved_without_errors() {
    let d = pack().evaluate(&Event::from_json(&clean_event()));
    assert_eq!(d.state, State::Approve, "{d:#?}");
    assert_eq!(d.fraud_score, 0);
    assert!(d.applied_rules.is_empty(), "{:?}", d.applied_rules);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert!(d.unavailable.is_empty(), "{:?}", d.unavailable);
}

#[test]
fn a_bare_request_is_approved_with_rules_unavailable() {
    let d = pack().evaluate(&Event::from_json(&json!({"request": {"email": "a@b.example"}})));
    assert_eq!(d.state, State::Approve);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
    assert!(!d.unavailable.is_empty());
}

#[test]
fn a_bot_on_a_deny_list_is_declined() {
    let mut raw = clean_event();
    raw["device"]["flags"] = json!(["automation", "tampering"]);
    let mut event = Event::from_json(&raw);
    let mut lists = ListSet::new();
    lists.insert(Polarity::Deny, ListKind::Email, "Anna.Kovacs@gmail.com").unwrap();
    event.set_list_matches(&lists.matches(&event));
    let d = pack().evaluate(&event);
    assert_eq!(d.state, State::Decline);
    let ids: Vec<&str> = d.applied_rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["device_automation", "device_tampering", "list_deny"]);
    assert_eq!(d.fraud_score, 45);
    assert!(d.errors.is_empty(), "{:?}", d.errors);
}

#[test]
fn an_allow_list_hit_is_a_credit_not_a_bypass() {
    let mut raw = clean_event();
    raw["device"]["flags"] = json!(["automation"]);
    raw["lists"] = json!({"allow_user_id": true});
    let d = pack().evaluate(&Event::from_json(&raw));
    assert_eq!((d.fraud_score, d.state), (10, State::Review));
    raw["aml"]["sanctions_match"] = json!(true);
    assert_eq!(pack().evaluate(&Event::from_json(&raw)).state, State::Decline);
}

#[test]
fn weights_land_in_the_intended_bands() {
    let decide = |patch: &dyn Fn(&mut Value)| {
        let mut raw = clean_event();
        patch(&mut raw);
        pack().evaluate(&Event::from_json(&raw))
    };
    let weak = decide(&|r| r["device"]["flags"] = json!(["private_mode"]));
    assert_eq!((weak.fraud_score, weak.state), (3, State::Approve));
    let moderate = decide(&|r| r["ip"]["is_datacenter"] = json!(true));
    assert_eq!(moderate.state, State::Review);
    let strong = decide(&|r| r["email"]["disposable"] = json!(true));
    assert_eq!(strong.state, State::Decline);
    let pep = decide(&|r| r["aml"]["pep"] = json!(true));
    assert_eq!((pep.fraud_score, pep.state), (0, State::Review));
    let travel = decide(&|r| {
        r["ip"]["country"] = json!("NG");
        r["device"]["is_new_for_user"] = json!(true);
        r["request"]["transaction_amount"] = json!(900);
    });
    let ids: Vec<&str> = travel.applied_rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        ["device_new_high_amount", "ip_country_mismatch", "phone_country_mismatch", "card_bin_country_mismatch"]
    );
    assert_eq!(travel.state, State::Decline);
}
