//! Accuracy on the synthetic benchmark at the default threshold: variants of listed names
//! (transliteration, reordering, misspelling, initials, dropped middle names, accents,
//! titles; one or two at a time) must be found, unrelated names must not match.
//! The list is smaller than in the example (`examples/accuracy.rs`, 50k entries) so that the
//! test stays quick in debug builds.

use sightline_sanctions::fixtures::{evaluate, synthetic_entries, unrelated_queries, variant_queries};
use sightline_sanctions::{DEFAULT_THRESHOLD, SanctionsIndex};

#[test]
fn recall_and_false_positive_rate_at_the_default_threshold() {
    let list = synthetic_entries(10_000, 42);
    let index = SanctionsIndex::build(list.iter().map(|s| s.entry.clone()).collect());
    for with_attributes in [false, true] {
        let mut queries = variant_queries(&list, 1000, 43, with_attributes);
        queries.extend(unrelated_queries(1000, 43, with_attributes));
        let acc = evaluate(&index, &queries, DEFAULT_THRESHOLD);
        println!(
            "attributes {with_attributes}: recall {:.3}, false-positive rate {:.3}",
            acc.recall(),
            acc.false_positive_rate()
        );
        assert!(acc.recall() >= 0.95, "recall {:.3}; missed: {:#?}", acc.recall(), &acc.misses);
        assert!(
            acc.false_positive_rate() <= 0.01,
            "false-positive rate {:.3}: {:#?}",
            acc.false_positive_rate(),
            &acc.false_alarms
        );
    }
}
