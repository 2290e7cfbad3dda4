//! The default pack written by hand in Rust over the same `Event`: what the rules would
//! cost with no engine at all. Missing data reads as "does not match", as in the pack.

use serde_json::Value;
use sightline_rules::{Event, State, Thresholds};

fn module<'a>(m: &'a Option<Value>, key: &str) -> Option<&'a Value> {
    m.as_ref().and_then(|v| v.get(key))
}

fn b(m: &Option<Value>, key: &str) -> Option<bool> {
    module(m, key).and_then(Value::as_bool)
}

fn s<'a>(m: &'a Option<Value>, key: &str) -> Option<&'a str> {
    module(m, key).and_then(Value::as_str)
}

fn n(m: &Option<Value>, key: &str) -> Option<f64> {
    module(m, key).and_then(Value::as_f64)
}

fn req_s<'a>(e: &'a Event, key: &str) -> Option<&'a str> {
    e.request.get(key).and_then(Value::as_str)
}

fn req_n(e: &Event, key: &str) -> Option<f64> {
    e.request.get(key).and_then(Value::as_f64)
}

fn flags(e: &Event) -> impl Iterator<Item = &str> {
    module(&e.device, "flags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

fn flag(e: &Event, any_of: &[&str]) -> bool {
    flags(e).any(|f| any_of.contains(&f))
}

fn vel(e: &Event, name: &str) -> Option<f64> {
    e.velocity.get(name).copied()
}

fn list_any(e: &Event, polarity: &str) -> bool {
    e.lists.iter().any(|(k, v)| *v && k.starts_with(polarity))
}

fn differs(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() && a != b)
}

enum Op {
    Score(i32),
    Review,
    Decline,
}

/// Score and state of the default pack, hand-coded.
pub fn decide(e: &Event) -> (u32, State) {
    let amount = req_n(e, "transaction_amount");
    let ip_country = s(&e.ip, "country");
    let checks: [(bool, Op); 34] = [
        (flag(e, &["automation"]), Op::Score(25)),
        (flag(e, &["emulator"]), Op::Score(20)),
        (flag(e, &["tampering"]), Op::Score(20)),
        (flag(e, &["private_mode"]), Op::Score(3)),
        (flag(e, &["vpn", "proxy"]), Op::Score(8)),
        (flag(e, &["tor"]), Op::Score(15)),
        (flag(e, &["replayed"]), Op::Score(25)),
        (flag(e, &["remote_control", "potential_remote_control", "screen_mirroring", "possible_vishing"]), Op::Review),
        (
            flag(
                e,
                &[
                    "suspicious_keypress_characteristics",
                    "suspicious_mouse_movement",
                    "suspicious_form_fillout",
                    "possible_automation",
                    "possible_device_farm",
                ],
            ),
            Op::Score(10),
        ),
        (flag(e, &["impossible_travel"]), Op::Score(15)),
        (vel(e, "device_users_24h").is_some_and(|v| v >= 4.0), Op::Score(15)),
        (b(&e.device, "is_new_for_user") == Some(true) && amount.is_some_and(|a| a >= 500.0), Op::Score(10)),
        (
            b(&e.device, "is_new_for_user") == Some(false)
                && n(&e.device, "identity_correlation").is_some_and(|c| c < 20.0),
            Op::Score(5),
        ),
        (b(&e.ip, "is_datacenter") == Some(true), Op::Score(10)),
        (b(&e.ip, "is_tor") == Some(true), Op::Score(20)),
        (b(&e.ip, "is_vpn") == Some(true) || b(&e.ip, "is_proxy") == Some(true), Op::Score(8)),
        (
            differs(req_s(e, "billing_country"), ip_country) || differs(req_s(e, "shipping_country"), ip_country),
            Op::Score(5),
        ),
        (b(&e.email, "disposable") == Some(true), Op::Score(20)),
        (
            b(&e.email, "free") == Some(true)
                && matches!((e.now, req_n(e, "user_created")), (Some(now), Some(c)) if (now as f64) - c < 7.0 * 86400.0),
            Op::Score(5),
        ),
        (s(&e.email, "typo_of").is_some_and(|t| !t.is_empty()), Op::Score(10)),
        (n(&e.email, "domain_age_days").is_some_and(|d| d < 30.0), Op::Score(10)),
        (b(&e.phone, "valid") == Some(false), Op::Score(10)),
        (s(&e.phone, "type") == Some("voip") || b(&e.phone, "disposable") == Some(true), Op::Score(8)),
        (differs(s(&e.phone, "country"), ip_country), Op::Score(5)),
        (differs(s(&e.card, "country"), ip_country), Op::Score(8)),
        (b(&e.card, "prepaid") == Some(true) && amount.is_some_and(|a| a >= 300.0), Op::Score(10)),
        (vel(e, "card_tx_1h").is_some_and(|v| v >= 5.0), Op::Score(15)),
        (vel(e, "device_cards_24h").is_some_and(|v| v >= 3.0), Op::Score(15)),
        (vel(e, "user_amount_24h").is_some_and(|v| v >= 5000.0), Op::Score(10)),
        (vel(e, "ip_users_1h").is_some_and(|v| v >= 5.0), Op::Score(10)),
        (b(&e.aml, "sanctions_match") == Some(true), Op::Decline),
        (b(&e.aml, "pep") == Some(true), Op::Review),
        (list_any(e, "deny_"), Op::Decline),
        (list_any(e, "allow_"), Op::Score(-15)),
    ];
    let mut score = 0i64;
    let mut forced: Option<State> = None;
    for (hit, op) in checks {
        if hit {
            match op {
                Op::Score(s) => score += i64::from(s),
                Op::Review => forced = forced.max(Some(State::Review)),
                Op::Decline => forced = forced.max(Some(State::Decline)),
            }
        }
    }
    let score = score.clamp(0, 100) as u32;
    (score, forced.unwrap_or_else(|| Thresholds::default().state_for(score)))
}
