//! Look-ups take whatever a client sent: no input may make them panic.

use proptest::prelude::*;
use sightline_enrich::testkit::write_fixture_data_dir;
use sightline_enrich::{CountryContext, Enrichment, normalise_for_velocity};
use std::net::IpAddr;
use std::sync::OnceLock;

fn enrichment() -> &'static Enrichment {
    static LOADED: OnceLock<(Enrichment, tempfile::TempDir)> = OnceLock::new();
    &LOADED
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let config = write_fixture_data_dir(dir.path()).unwrap();
            (Enrichment::load(&config), dir)
        })
        .0
}

const AWKWARD: &[&str] = &[
    "",
    "+",
    "++",
    "+0",
    "+00",
    "tel:",
    "tel:+",
    "@",
    "@@",
    "a@",
    "@b",
    ".@.",
    "+@gmail.com",
    "\u{0}",
    "ü@ü.ü",
    "\"quoted local\"@example.com",
    "a@[127.0.0.1]",
    "a@[IPv6:::1]",
    "0000000000000000000000000000000000000000",
    "+999999999999999999999999999999",
    "-",
    " - ",
    "4",
    "41111111111111111111111111111111",
];

#[test]
fn awkward_inputs() {
    let e = enrichment();
    let context = CountryContext { ip_country: Some("zz"), billing_country: Some("") };
    for input in AWKWARD.iter().copied().chain([&*"9".repeat(5000), &*"a@".repeat(3000)]) {
        let _ = e.email(input);
        let _ = e.phone(input, &context);
        let _ = e.phone(input, &CountryContext::default());
        let _ = e.card_bin(input, &context);
        let _ = normalise_for_velocity(input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_answered(text in "\\PC{0,60}", country in "[A-Za-z]{0,3}") {
        let e = enrichment();
        let context = CountryContext { ip_country: Some(&country), billing_country: Some(&country) };
        let email = e.email(&text).unwrap();
        prop_assert!((0.0..=100.0).contains(&email.score));
        let phone = e.phone(&text, &context).unwrap();
        prop_assert!((0.0..=100.0).contains(&phone.score));
        let bin = e.card_bin(&text, &context).unwrap();
        prop_assert!(bin.card_bin.len() <= 8);
    }

    #[test]
    fn phone_like_text_is_answered(text in "[+]?[0-9 ()-]{0,40}", country in "[A-Z]{2}") {
        let context = CountryContext { ip_country: None, billing_country: Some(&country) };
        let _ = enrichment().phone(&text, &context).unwrap();
    }

    #[test]
    fn any_address_is_answered(bytes in any::<[u8; 16]>(), v4 in any::<bool>()) {
        let ip = if v4 {
            IpAddr::from([bytes[0], bytes[1], bytes[2], bytes[3]])
        } else {
            IpAddr::from(bytes)
        };
        let details = enrichment().ip(ip).unwrap();
        prop_assert!((0.0..=100.0).contains(&details.score));
        let _ = enrichment().compare_webrtc(ip, &[ip, IpAddr::from([8, 8, 8, 8])]).unwrap();
    }
}
