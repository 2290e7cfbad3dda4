//! Screening latency over many queries against a synthetic list: prints build time and
//! the p50/p90/p99/max of single-query latency.
//!
//! cargo run --release -p sightline-sanctions --example screen_p99 -- [entries] [queries]

use sightline_sanctions::fixtures::{synthetic_entries, unrelated_queries, variant_queries};
use sightline_sanctions::{DEFAULT_THRESHOLD, SanctionsIndex};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let entries = args.next().flatten().unwrap_or(50_000);
    let queries = args.next().flatten().unwrap_or(10_000);

    let started = Instant::now();
    let list = synthetic_entries(entries, 42);
    let generated = started.elapsed();
    let started = Instant::now();
    let index = SanctionsIndex::build(list.iter().map(|s| s.entry.clone()).collect());
    let built = started.elapsed();
    println!("{entries} entries ({} names): generated in {generated:.2?}, indexed in {built:.2?}", index.name_count());

    // Half variants of listed names (which do match), half unrelated names (which mostly
    // do not): the two paths cost differently.
    let mut labeled = variant_queries(&list, queries / 2, 11, true);
    labeled.extend(unrelated_queries(queries - queries / 2, 11, true));
    let mut times: Vec<Duration> = Vec::with_capacity(labeled.len());
    let mut matched = 0usize;
    for q in &labeled {
        let started = Instant::now();
        let found = index.screen(&q.query, DEFAULT_THRESHOLD);
        times.push(started.elapsed());
        matched += usize::from(!found.is_empty());
    }
    times.sort_unstable();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let total: Duration = times.iter().sum();
    println!(
        "{} queries ({matched} with matches): mean {:.2?}, p50 {:.2?}, p90 {:.2?}, p99 {:.2?}, max {:.2?}",
        times.len(),
        total / u32::try_from(times.len().max(1)).unwrap_or(1),
        at(0.50),
        at(0.90),
        at(0.99),
        at(1.0)
    );
}
