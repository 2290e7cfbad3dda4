//! Per-call cost of each look-up. Uses the fetched datasets when `data/enrich/manifest.json`
//! (or `$SIGHTLINE_DATA_DIR`) exists, else the test fixture, and says which on stderr.
//! Run: `cargo bench -p sightline-enrich --bench modules -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::net::IpAddr;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use sightline_enrich::testkit::{addresses, write_fixture_data_dir};
use sightline_enrich::{CountryContext, EnrichConfig, Enrichment, ip_country_matches_timezone, normalise_for_velocity};

struct Setup {
    enrichment: Enrichment,
    public_v4: IpAddr,
    public_v6: IpAddr,
    // Keeps the fixture directory alive for the whole run.
    _fixture: Option<tempfile::TempDir>,
}

fn setup() -> Setup {
    let data_dir = std::env::var_os("SIGHTLINE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data"));
    let parse = |s: &str| s.parse::<IpAddr>().ok();
    if data_dir.join("enrich/manifest.json").is_file() {
        eprintln!("benchmarking with the fetched data in {}", data_dir.display());
        let enrichment = Enrichment::load(&EnrichConfig::with_data_dir(data_dir));
        if let (Some(public_v4), Some(public_v6)) = (parse("217.0.0.1"), parse("2a00:1450:4001:80b::200e")) {
            return Setup { enrichment, public_v4, public_v6, _fixture: None };
        }
    }
    eprintln!("benchmarking with the test fixture (run scripts/data-fetch.sh for real data)");
    let fixture = tempfile::tempdir().ok();
    let config = fixture.as_ref().and_then(|dir| write_fixture_data_dir(dir.path()).ok()).unwrap_or_default();
    let enrichment = Enrichment::load(&config);
    let public_v4 = parse(addresses::BERLIN).unwrap_or(IpAddr::from([81, 2, 69, 10]));
    let public_v6 = parse(addresses::BERLIN_V6).unwrap_or(IpAddr::from([0x2a01, 0x4f8, 1, 0, 0, 0, 0, 5]));
    Setup { enrichment, public_v4, public_v6, _fixture: fixture }
}

fn bench_modules(c: &mut Criterion) {
    let Setup { enrichment, public_v4, public_v6, _fixture } = setup();
    let e = &enrichment;
    let private = IpAddr::from([192, 168, 1, 20]);
    c.bench_function("ip/public_v4", |b| b.iter(|| black_box(e.ip(black_box(public_v4)))));
    c.bench_function("ip/public_v6", |b| b.iter(|| black_box(e.ip(black_box(public_v6)))));
    c.bench_function("ip/private", |b| b.iter(|| black_box(e.ip(black_box(private)))));
    let candidates = [private, public_v6];
    c.bench_function("ip/compare_webrtc", |b| {
        b.iter(|| black_box(e.compare_webrtc(black_box(public_v4), black_box(&candidates))))
    });
    c.bench_function("ip/country_matches_timezone", |b| {
        b.iter(|| black_box(ip_country_matches_timezone(black_box("DE"), black_box("Europe/Berlin"))))
    });
    c.bench_function("email/free_provider", |b| b.iter(|| black_box(e.email(black_box("Jane.Doe+shop@gmail.com")))));
    c.bench_function("email/typo_domain", |b| b.iter(|| black_box(e.email(black_box("jane@gmial.com")))));
    c.bench_function("email/normalise_for_velocity", |b| {
        b.iter(|| black_box(normalise_for_velocity(black_box("J.Doe+x@googlemail.com"))))
    });
    let context = CountryContext { ip_country: Some("DE"), billing_country: Some("DE") };
    c.bench_function("phone/e164_mobile", |b| b.iter(|| black_box(e.phone(black_box("+4915112345678"), &context))));
    c.bench_function("phone/national", |b| b.iter(|| black_box(e.phone(black_box("030 1234567"), &context))));
    c.bench_function("bin/lookup", |b| b.iter(|| black_box(e.card_bin(black_box("535584"), &context))));
}

criterion_group!(benches, bench_modules);
criterion_main!(benches);
