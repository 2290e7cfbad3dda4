//! Recall and false-positive rate of the matcher on the synthetic benchmark, across
//! thresholds: variants of listed names (which must match) and unrelated names (which must
//! not). The figures in docs/sanctions.md come from this program.
//!
//! cargo run --release -p sightline-sanctions --example accuracy -- [entries] [seed] [--attributes]

use sightline_sanctions::fixtures::{evaluate, synthetic_entries, unrelated_queries, variant_queries};
use sightline_sanctions::{DEFAULT_THRESHOLD, SanctionsIndex};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let with_attributes = args.iter().any(|a| a == "--attributes");
    let mut numbers = args.iter().filter_map(|a| a.parse::<u64>().ok());
    let entries = numbers.next().map_or(50_000, |n| usize::try_from(n).unwrap_or(50_000));
    let seed = numbers.next().unwrap_or(42);

    let started = Instant::now();
    let list = synthetic_entries(entries, seed);
    let index = SanctionsIndex::build(list.iter().map(|s| s.entry.clone()).collect());
    println!("{entries} entries ({} names), seed {seed}, indexed in {:.2?}", index.name_count(), started.elapsed());

    let mut queries = variant_queries(&list, 1000, seed + 1, with_attributes);
    queries.extend(unrelated_queries(1000, seed + 1, with_attributes));
    let attributes = if with_attributes { "with birth dates and countries" } else { "names only" };
    println!("1000 variant and 1000 unrelated queries, {attributes}");
    for threshold in [0.80, 0.85, 0.88, 0.90, 0.92, 0.95] {
        let acc = evaluate(&index, &queries, threshold);
        let marker = if threshold == DEFAULT_THRESHOLD { "  (default)" } else { "" };
        println!(
            "threshold {threshold:.2}: recall {:.1}% ({}/{}), false positives {:.1}% ({}/{}){marker}",
            acc.recall() * 100.0,
            acc.found,
            acc.variant_queries,
            acc.false_positive_rate() * 100.0,
            acc.false_positives,
            acc.unrelated_queries
        );
        if threshold == DEFAULT_THRESHOLD && args.iter().any(|a| a == "--verbose") {
            acc.misses.iter().for_each(|(q, listed)| println!("  missed {q:?} (listed {listed:?})"));
            acc.false_alarms.iter().for_each(|(q, hit)| println!("  false alarm {q:?} -> {hit:?}"));
        }
    }
}
