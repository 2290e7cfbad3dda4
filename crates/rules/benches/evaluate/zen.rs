//! The default pack in GoRules' zen expression language, evaluated the way a zen-engine
//! expression node or decision-table row is: each condition compiled once, run against a
//! context converted from the event JSON on every request, with a reused VM.

use serde_json::Value;
use sightline_rules::{State, Thresholds};
use zen_expression::compile_expression;
use zen_expression::expression::{Expression, Standard};
use zen_expression::variable::Variable;
use zen_expression::vm::VM;

pub enum Op {
    Score(i32),
    Review,
    Decline,
}

const DENY: &str = "lists.deny_email == true or lists.deny_email_domain == true or lists.deny_ip == true or lists.deny_cidr == true or lists.deny_device_id == true or lists.deny_device_hash == true or lists.deny_card_hash == true or lists.deny_phone == true or lists.deny_user_id == true";
const ALLOW: &str = "lists.allow_email == true or lists.allow_email_domain == true or lists.allow_ip == true or lists.allow_cidr == true or lists.allow_device_id == true or lists.allow_device_hash == true or lists.allow_card_hash == true or lists.allow_phone == true or lists.allow_user_id == true";

pub const RULES: &[(&str, Op)] = &[
    ("'automation' in device.flags", Op::Score(25)),
    ("'emulator' in device.flags", Op::Score(20)),
    ("'tampering' in device.flags", Op::Score(20)),
    ("'private_mode' in device.flags", Op::Score(3)),
    ("some(device.flags, # in ['vpn', 'proxy'])", Op::Score(8)),
    ("'tor' in device.flags", Op::Score(15)),
    ("'replayed' in device.flags", Op::Score(25)),
    (
        "some(device.flags, # in ['remote_control', 'potential_remote_control', 'screen_mirroring', 'possible_vishing'])",
        Op::Review,
    ),
    (
        "some(device.flags, # in ['suspicious_keypress_characteristics', 'suspicious_mouse_movement', 'suspicious_form_fillout', 'possible_automation', 'possible_device_farm'])",
        Op::Score(10),
    ),
    ("'impossible_travel' in device.flags", Op::Score(15)),
    ("velocity.device_users_24h >= 4", Op::Score(15)),
    ("device.is_new_for_user == true and request.transaction_amount >= 500", Op::Score(10)),
    ("device.is_new_for_user == false and device.identity_correlation < 20", Op::Score(5)),
    ("ip.is_datacenter == true", Op::Score(10)),
    ("ip.is_tor == true", Op::Score(20)),
    ("ip.is_vpn == true or ip.is_proxy == true", Op::Score(8)),
    (
        "ip.country != '' and ((request.billing_country != null and request.billing_country != '' and request.billing_country != ip.country) or (request.shipping_country != null and request.shipping_country != '' and request.shipping_country != ip.country))",
        Op::Score(5),
    ),
    ("email.disposable == true", Op::Score(20)),
    ("email.free == true and request.user_created != null and now - request.user_created < 7 * 86400", Op::Score(5)),
    ("email.typo_of != null and email.typo_of != ''", Op::Score(10)),
    ("email.domain_age_days != null and email.domain_age_days < 30", Op::Score(10)),
    ("phone.valid == false", Op::Score(10)),
    ("phone.type == 'voip' or phone.disposable == true", Op::Score(8)),
    ("phone.country != '' and ip.country != '' and phone.country != ip.country", Op::Score(5)),
    ("card.country != '' and ip.country != '' and card.country != ip.country", Op::Score(8)),
    ("card.prepaid == true and request.transaction_amount >= 300", Op::Score(10)),
    ("velocity.card_tx_1h >= 5", Op::Score(15)),
    ("velocity.device_cards_24h >= 3", Op::Score(15)),
    ("velocity.user_amount_24h >= 5000", Op::Score(10)),
    ("velocity.ip_users_1h >= 5", Op::Score(10)),
    ("aml.sanctions_match == true", Op::Decline),
    ("aml.pep == true", Op::Review),
    (DENY, Op::Decline),
    (ALLOW, Op::Score(-15)),
];

pub struct ZenPack {
    rules: Vec<(Expression<Standard>, &'static Op)>,
    vm: VM,
}

impl ZenPack {
    pub fn new() -> Self {
        let rules = RULES
            .iter()
            .map(|(src, op)| match compile_expression(src) {
                Ok(e) => (e, op),
                Err(e) => panic!("zen does not compile {src}: {e:?}"),
            })
            .collect();
        ZenPack { rules, vm: VM::new() }
    }

    /// Score and state for one event given as JSON.
    pub fn decide(&mut self, event: &Value) -> (u32, State) {
        self.decide_converted(Variable::from(event))
    }

    /// The same with the context already converted: zen's evaluation cost alone.
    pub fn decide_converted(&mut self, context: Variable) -> (u32, State) {
        let mut score = 0i64;
        let mut forced: Option<State> = None;
        for (expression, op) in &self.rules {
            let hit = matches!(expression.evaluate_with(context.clone(), &mut self.vm), Ok(Variable::Bool(true)));
            if hit {
                match op {
                    Op::Score(s) => score += i64::from(*s),
                    Op::Review => forced = forced.max(Some(State::Review)),
                    Op::Decline => forced = forced.max(Some(State::Decline)),
                }
            }
        }
        outcome(score, forced)
    }
}

/// The pack's last step, the same for both zen variants: the score capped to 0–100, and the
/// state a forcing rule set or else the default thresholds'.
pub fn outcome(score: i64, forced: Option<State>) -> (u32, State) {
    let score = score.clamp(0, 100) as u32;
    (score, forced.unwrap_or_else(|| Thresholds::default().state_for(score)))
}
