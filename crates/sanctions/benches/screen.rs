//! Screening against 50k synthetic entries, and the cost of getting those entries in:
//! importing them from CSV, building the index, and loading a saved index.
//!
//! cargo bench -p sightline-sanctions --bench screen -- --warm-up-time 1 --measurement-time 5
//!
//! The p99 latency (criterion reports means and medians) comes from
//! `cargo run --release -p sightline-sanctions --example screen_p99`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sightline_sanctions::fixtures::{synthetic_entries, unrelated_queries, variant_queries};
use sightline_sanctions::{DEFAULT_THRESHOLD, Entry, ListSource, SanctionsIndex, read_list};
use std::hint::black_box;
use std::time::Duration;

const ENTRIES: usize = 50_000;

/// The entries as an operator's custom-list CSV, to time a 50k-record import.
fn as_csv(entries: &[Entry]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let written = out.write_record(["id", "name", "kind", "aliases", "birth_dates", "countries", "programs"]).is_ok()
        && entries.iter().all(|e| {
            let dates: Vec<String> = e.birth_dates.iter().map(ToString::to_string).collect();
            let kind =
                serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            out.write_record([
                e.list_id.as_str(),
                e.primary_name.as_str(),
                kind.as_str(),
                e.aliases.join(";").as_str(),
                dates.join(";").as_str(),
                e.countries.join(";").as_str(),
                e.programs.join(";").as_str(),
            ])
            .is_ok()
        });
    assert!(written, "writing CSV to memory cannot fail");
    out.into_inner().unwrap_or_default()
}

fn screen(c: &mut Criterion) {
    let list = synthetic_entries(ENTRIES, 42);
    let entries: Vec<Entry> = list.iter().map(|s| s.entry.clone()).collect();
    let index = SanctionsIndex::build(entries.clone());
    let mut queries = variant_queries(&list, 500, 9, true);
    queries.extend(unrelated_queries(500, 9, true));

    let mut group = c.benchmark_group("screen_50k");
    let mut next = 0usize;
    group.bench_function("mixed_queries", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            black_box(index.screen(black_box(&queries[next].query), DEFAULT_THRESHOLD))
        })
    });
    let variant = &queries[0].query;
    group.bench_function("listed_name_variant", |b| b.iter(|| index.screen(black_box(variant), DEFAULT_THRESHOLD)));
    let unrelated = &queries[queries.len() - 1].query;
    group.bench_function("unrelated_name", |b| b.iter(|| index.screen(black_box(unrelated), DEFAULT_THRESHOLD)));
    group.finish();

    let mut group = c.benchmark_group("load_50k");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    let csv = as_csv(&entries);
    group.bench_function("import_custom_csv", |b| {
        b.iter(|| read_list(ListSource::Custom, black_box(csv.as_slice()), &mut |_| {}).map(|r| r.entries.len()))
    });
    group.bench_function("build_index", |b| {
        b.iter_batched(|| entries.clone(), |e| SanctionsIndex::build(e).len(), BatchSize::LargeInput)
    });
    if let Ok(dir) = tempfile::tempdir() {
        let path = dir.path().join("sanctions.jsonl");
        if index.save(&path).is_ok() {
            group.bench_function("load_saved_index", |b| b.iter(|| SanctionsIndex::load(&path).map(|i| i.len())));
        }
    }
    group.finish();
}

criterion_group!(benches, screen);
criterion_main!(benches);
