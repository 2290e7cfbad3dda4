//! Checks against the real datasets installed by `scripts/data-fetch.sh`.
//!
//! The data directory is `$SIGHTLINE_DATA_DIR`, else `data/` at the workspace root. Without
//! data these tests skip, unless `SIGHTLINE_REQUIRE_DATA` is set (CI sets it after fetching):
//! then missing data fails them, so a broken fetch cannot pass as green.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use sightline_enrich::{CountryContext, EnrichConfig, Enrichment, ModuleState, RangeKind};

fn data_dir() -> PathBuf {
    match std::env::var_os("SIGHTLINE_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data"),
    }
}

/// The loaded data, shared by the tests (loading the ASN tables takes a moment in debug builds).
fn enrichment() -> Option<&'static Enrichment> {
    static LOADED: OnceLock<Option<Enrichment>> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| {
        let dir = data_dir();
        if dir.join("enrich/manifest.json").is_file() {
            return Some(Enrichment::load(&EnrichConfig::with_data_dir(dir)));
        }
        assert!(
            std::env::var_os("SIGHTLINE_REQUIRE_DATA").is_none(),
            "SIGHTLINE_REQUIRE_DATA is set but {} has no enrich/manifest.json; run scripts/data-fetch.sh",
            dir.display()
        );
        None
    });
    if loaded.is_none() {
        eprintln!("skipped: no enrichment data in {} (run scripts/data-fetch.sh)", data_dir().display());
    }
    loaded.as_ref()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn every_fetched_dataset_loads() {
    let Some(enrichment) = enrichment() else { return };
    for status in enrichment.statuses() {
        assert_eq!(status.state, ModuleState::Ready, "{status:?}");
    }
    assert!(enrichment.attributions().iter().any(|a| a.contains("DB-IP")));
}

#[test]
fn google_dns_is_in_the_us_on_as15169() {
    let Some(enrichment) = enrichment() else { return };
    for address in ["8.8.8.8", "2001:4860:4860::8888"] {
        let d = enrichment.ip(ip(address)).unwrap();
        assert_eq!(d.asn, Some(15169), "{address}: {d:?}");
        assert!(d.isp_name.as_deref().is_some_and(|n| n.contains("Google")), "{address}: {d:?}");
        assert!(d.hosting, "{address}: {d:?}");
    }
    let d = enrichment.ip(ip("8.8.8.8")).unwrap();
    assert_eq!(d.country.as_deref(), Some("US"), "{d:?}");
    assert!(d.latitude.is_some() && d.city.is_some(), "{d:?}");
}

#[test]
fn a_tor_exit_and_a_cloud_range_are_flagged() {
    let Some(enrichment) = enrichment() else { return };
    let tor = enrichment.sample_address(RangeKind::Tor).expect("the range table lists Tor exits");
    let d = enrichment.ip(tor).unwrap();
    assert_eq!((d.tor, d.ip_type), (Some(true), Some("TOR")), "{d:?}");
    // An address in AWS's published EC2 ranges.
    let d = enrichment.ip(ip("52.95.110.1")).unwrap();
    assert!(d.hosting && d.ip_type == Some("DCH"), "{d:?}");
    assert!(d.provider.as_deref().is_some_and(|p| p.contains("Amazon")), "{d:?}");
    let vpn = enrichment.sample_address(RangeKind::Vpn).expect("the range table lists VPN exits");
    assert_eq!(enrichment.ip(vpn).unwrap().vpn, Some(true));
}

#[test]
fn disposable_domains_are_flagged() {
    let Some(enrichment) = enrichment() else { return };
    let d = enrichment.email("someone@mailinator.com").unwrap();
    assert!(d.domain_details.disposable && d.flags.contains(&"disposable"), "{d:?}");
}

#[test]
fn banks_db_names_issuers() {
    let Some(enrichment) = enrichment() else { return };
    let d = enrichment.card_bin("405221", &CountryContext { ip_country: Some("AU"), billing_country: None }).unwrap();
    assert_eq!(d.bin_bank.as_deref(), Some("Commonwealth Bank of Australia"), "{d:?}");
    assert_eq!((d.bin_country_code.as_deref(), d.bin_card.as_deref()), (Some("AU"), Some("VISA")));
    assert_eq!(d.ip_country_mismatch, Some(false));
}
