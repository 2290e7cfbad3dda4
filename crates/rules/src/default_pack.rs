//! The default rule pack: what a new tenant starts with. Weights are set against the
//! default thresholds (approve below 10, review below 20): a weak signal alone (+3…+8)
//! approves, a moderate one (+10…+15) reviews, a strong one (+20 and up) or two moderate
//! ones decline. Facts that need no weighing force a state.

use crate::rule::{Operation, Rule, RuleSet, Thresholds};

/// The version the default pack carries; bump it whenever a rule changes.
pub const DEFAULT_PACK_VERSION: u64 = 1;

/// How much an allow-list hit takes off the score.
pub const ALLOW_LIST_CREDIT: i32 = -15;

struct Def {
    id: &'static str,
    name: &'static str,
    category: &'static str,
    expression: &'static str,
    operation: Operation,
    rationale: &'static str,
}

const fn def(
    id: &'static str,
    name: &'static str,
    category: &'static str,
    expression: &'static str,
    operation: Operation,
    rationale: &'static str,
) -> Def {
    Def { id, name, category, expression, operation, rationale }
}

use Operation::{Decline, Review, Score};

const DEFS: &[Def] = &[
    // device
    def(
        "device_automation",
        "Automated browser or bot",
        "device",
        "'automation' in device.flags",
        Score(25),
        "Headless engines and webdriver tells mean a script, not a person, is filling the form; scripted traffic is the main vehicle for credential stuffing and card testing.",
    ),
    def(
        "device_emulator",
        "Emulator or virtual device",
        "device",
        "'emulator' in device.flags",
        Score(20),
        "Emulators let one operator pose as many phones; genuine customers almost never pay from one.",
    ),
    def(
        "device_tampering",
        "Tampered browser APIs",
        "device",
        "'tampering' in device.flags",
        Score(20),
        "Browser APIs rewritten to lie about the device are anti-detect tooling, which exists to defeat fingerprinting.",
    ),
    def(
        "device_private_mode",
        "Private browsing",
        "device",
        "'private_mode' in device.flags",
        Score(3),
        "Common among privacy-minded customers, so only a nudge; it matters together with other signals.",
    ),
    def(
        "device_vpn_proxy",
        "VPN or proxy seen by the device",
        "device",
        "device.flags.exists(f, f in ['vpn', 'proxy'])",
        Score(8),
        "Hides the real location and network; frequent with fraud but also with legitimate privacy tools, hence weak.",
    ),
    def(
        "device_tor",
        "Tor browser",
        "device",
        "'tor' in device.flags",
        Score(15),
        "Tor makes the network origin untraceable; rare among paying customers.",
    ),
    def(
        "device_replayed",
        "Replayed device payload",
        "device",
        "'replayed' in device.flags",
        Score(25),
        "The same signed device payload was submitted before: someone is replaying a captured session rather than running the SDK.",
    ),
    def(
        "device_remote_control",
        "Remote control of the device",
        "device",
        "device.flags.exists(f, f in ['remote_control', 'potential_remote_control', 'screen_mirroring', 'possible_vishing'])",
        Review,
        "Remote-access tools and screen mirroring are how scammers drive a victim's own device; the score cannot tell a coached victim from a normal session, an analyst can.",
    ),
    def(
        "device_suspicious_behaviour",
        "Suspicious typing or pointer behaviour",
        "device",
        "device.flags.exists(f, f in ['suspicious_keypress_characteristics', 'suspicious_mouse_movement', 'suspicious_form_fillout', 'possible_automation', 'possible_device_farm'])",
        Score(10),
        "Behavioural flags from the SDKs point at scripted input or device farms, but are noisier than hard automation tells.",
    ),
    def(
        "device_impossible_travel",
        "Impossible travel",
        "device",
        "'impossible_travel' in device.flags",
        Score(15),
        "The device appeared in places too far apart for the time between them: a shared or cloned identifier, or a spoofed location.",
    ),
    def(
        "device_many_users_24h",
        "Device used by many accounts",
        "device",
        "velocity.device_users_24h >= 4",
        Score(15),
        "One device logging into four or more accounts in a day is account farming or takeover; households rarely exceed three.",
    ),
    def(
        "device_new_high_amount",
        "New device for the user, high amount",
        "device",
        "device.is_new_for_user && request.transaction_amount >= 500.0",
        Score(10),
        "Account takeover shows up as a known user on an unknown device spending big; either part alone is common.",
    ),
    def(
        "device_weak_identity_link",
        "Device weakly tied to the identity",
        "device",
        "!device.is_new_for_user && device.identity_correlation < 20",
        Score(5),
        "A device seen before yet hardly ever with this identity suggests shared or borrowed hardware.",
    ),
    // ip
    def(
        "ip_datacenter",
        "Data-centre IP",
        "ip",
        "ip.is_datacenter",
        Score(10),
        "People browse from homes and phones, not server racks; data-centre traffic is bots, proxies or VPNs.",
    ),
    def(
        "ip_tor",
        "Tor exit node",
        "ip",
        "ip.is_tor",
        Score(20),
        "Seen at the network level even when the browser hides it; rare among genuine customers.",
    ),
    def(
        "ip_vpn_proxy",
        "VPN or proxy IP",
        "ip",
        "ip.is_vpn || ip.is_proxy",
        Score(8),
        "Masks location; weak alone because many customers use VPNs.",
    ),
    def(
        "ip_country_mismatch",
        "IP country differs from billing or shipping country",
        "ip",
        "ip.country != '' && ((has(request.billing_country) && request.billing_country != '' && request.billing_country != ip.country) || (has(request.shipping_country) && request.shipping_country != '' && request.shipping_country != ip.country))",
        Score(5),
        "Stolen cards are typically used from outside the cardholder's country; travellers and gifts keep it weak.",
    ),
    // email
    def(
        "email_disposable",
        "Disposable email address",
        "email",
        "email.disposable",
        Score(20),
        "Throw-away mailboxes exist to avoid being reachable or traceable; they fuel bonus abuse and fake sign-ups.",
    ),
    def(
        "email_free_new_account",
        "Free email on a brand-new account",
        "email",
        "email.free && has(request.user_created) && now - request.user_created < 7 * 86400",
        Score(5),
        "Fresh accounts on free webmail are cheap to mass-create; either part alone is normal.",
    ),
    def(
        "email_typo_squat",
        "Email domain imitates a popular one",
        "email",
        "has(email.typo_of) && email.typo_of != null && email.typo_of != ''",
        Score(10),
        "gmial.com-style domains are registered to catch mail or to pass a glance; honest typos do not receive confirmation mail.",
    ),
    def(
        "email_recent_domain",
        "Very recently registered email domain",
        "email",
        "has(email.domain_age_days) && email.domain_age_days < 30",
        Score(10),
        "Fraud rings register fresh domains to get unlimited addresses that no reputation list knows yet.",
    ),
    // phone
    def(
        "phone_invalid",
        "Invalid phone number",
        "phone",
        "!phone.valid",
        Score(10),
        "A number that cannot exist was made up to get past the form.",
    ),
    def(
        "phone_voip",
        "VoIP phone number",
        "phone",
        "phone.type == 'voip' || phone.disposable",
        Score(8),
        "Virtual numbers are bought in bulk to pass SMS verification.",
    ),
    def(
        "phone_country_mismatch",
        "Phone country differs from IP country",
        "phone",
        "phone.country != '' && ip.country != '' && phone.country != ip.country",
        Score(5),
        "A phone from one country used from another is weakly suspicious; roaming keeps it weak.",
    ),
    // card
    def(
        "card_bin_country_mismatch",
        "Card issued in another country than the IP",
        "card",
        "card.country != '' && ip.country != '' && card.country != ip.country",
        Score(8),
        "The classic stolen-card pattern: a card from one country used from another.",
    ),
    def(
        "card_prepaid_high_amount",
        "Prepaid card with a high amount",
        "card",
        "card.prepaid && request.transaction_amount >= 300.0",
        Score(10),
        "Prepaid cards are anonymous and favoured for laundering and chargeback fraud; high amounts make it matter.",
    ),
    // velocity
    def(
        "velocity_card_tx_1h",
        "Many transactions on one card in an hour",
        "velocity",
        "velocity.card_tx_1h >= 5",
        Score(15),
        "Card testing and cash-out bursts reuse a card quickly; customers rarely pay five times an hour.",
    ),
    def(
        "velocity_device_cards_24h",
        "Many cards on one device in a day",
        "velocity",
        "velocity.device_cards_24h >= 3",
        Score(15),
        "Cycling cards on one device is how stolen card lists are tested.",
    ),
    def(
        "velocity_user_amount_24h",
        "High spend per user in a day",
        "velocity",
        "velocity.user_amount_24h >= 5000.0",
        Score(10),
        "A compromised account is drained fast; the threshold sits above typical daily spend.",
    ),
    def(
        "velocity_ip_users_1h",
        "Many accounts from one IP in an hour",
        "velocity",
        "velocity.ip_users_1h >= 5",
        Score(10),
        "Many accounts behind one address in an hour is a bot or farm (large NATs are the false positive, hence moderate).",
    ),
    // aml
    def(
        "aml_sanctions",
        "Sanctions list match",
        "aml",
        "aml.sanctions_match",
        Decline,
        "Serving a sanctioned person is unlawful; no score may outweigh it.",
    ),
    def(
        "aml_pep",
        "Politically exposed person",
        "aml",
        "aml.pep",
        Review,
        "PEPs are allowed customers but require enhanced due diligence by a person.",
    ),
    // lists
    def(
        "list_deny",
        "Deny list hit",
        "lists",
        "lists.deny_any",
        Decline,
        "Someone on the team already decided this email, IP, device, card, phone or user must be refused.",
    ),
    def(
        "list_allow",
        "Allow list hit",
        "lists",
        "lists.allow_any",
        Score(ALLOW_LIST_CREDIT),
        "A credit, not a forced APPROVE: an allow-listed email or IP can be reused by an attacker, so strong signals (a bot, a sanctions match, a deny-list hit) must still win.",
    ),
];

/// The default rule pack, enabled, with the default thresholds.
pub fn default_pack() -> RuleSet {
    RuleSet {
        version: DEFAULT_PACK_VERSION,
        rules: DEFS
            .iter()
            .map(|d| Rule {
                id: d.id.to_owned(),
                name: d.name.to_owned(),
                category: d.category.to_owned(),
                description: d.rationale.to_owned(),
                expression: d.expression.to_owned(),
                operation: d.operation,
                enabled: true,
            })
            .collect(),
        thresholds: Thresholds::default(),
    }
}

/// `docs/default-rules.md`, generated from the pack so the two cannot drift apart.
pub fn default_pack_markdown() -> String {
    let pack = default_pack();
    let mut out = String::new();
    out.push_str("# Default rule pack\n\n");
    out.push_str("<!-- Generated from crates/rules/src/default_pack.rs by its tests; do not edit by hand.\n");
    out.push_str("     Regenerate with: SIGHTLINE_BLESS=1 cargo test -p sightline-rules default_rules_doc -->\n\n");
    out.push_str(&format!(
        "Version {}, {} rules. Thresholds: APPROVE below {}, REVIEW below {}, DECLINE from {}.\n",
        pack.version,
        pack.rules.len(),
        pack.thresholds.approve_below,
        pack.thresholds.review_below,
        pack.thresholds.review_below
    ));
    out.push_str(
        "Scores add up and are capped to 0–100; a forced state overrides the score (DECLINE > REVIEW > APPROVE).\n",
    );
    out.push_str("Weights: a weak signal alone (+3…+8) approves, a moderate one (+10…+15) reviews, a strong one (+20 and up) or two moderate ones decline.\n");
    let mut category = "";
    for rule in &pack.rules {
        if rule.category != category {
            category = &rule.category;
            out.push_str(&format!("\n## {category}\n"));
        }
        out.push_str(&format!(
            "\n### `{}` — {}\n\n- operation: `{}`\n- expression: `{}`\n\n{}\n",
            rule.id,
            rule.name,
            rule.operation.label(),
            rule.expression,
            rule.description
        ));
    }
    out
}
