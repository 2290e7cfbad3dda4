//! Properties over arbitrary input: normalisation is idempotent and screening never panics.

use proptest::prelude::*;
use sightline_sanctions::fixtures::synthetic_list;
use sightline_sanctions::{Entry, EntryKind, ListSource, Query, SanctionsIndex, normalize};
use std::sync::OnceLock;

fn index() -> &'static SanctionsIndex {
    static INDEX: OnceLock<SanctionsIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entries = synthetic_list(500, 5);
        // Listed names are arbitrary text too.
        entries.push(Entry::new(ListSource::Custom, "odd", EntryKind::Unknown, "ǅ ß ﬁ 𝔄 —  ‐ ٣ 王 \u{0301}"));
        SanctionsIndex::build(entries)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalisation_is_idempotent(text in any::<String>()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(once.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }

    #[test]
    fn screening_never_panics(name in any::<String>(), country in proptest::option::of(any::<String>()), threshold in 0.0f64..=1.0) {
        let query = Query { name, birth_date: None, country };
        for m in index().screen(&query, threshold) {
            prop_assert!((0.0..=1.0).contains(&m.score) && m.score >= threshold);
        }
    }

    #[test]
    fn screening_unicode_name_lists(words in proptest::collection::vec("\\PC{1,12}", 0..8)) {
        let name = words.join(" ");
        let _ = index().screen(&Query::new(name.clone()), 0.0);
        let single = SanctionsIndex::build(vec![Entry::new(ListSource::Custom, "x", EntryKind::Person, name.clone())]);
        let _ = single.screen(&Query::new(name), 0.5);
    }
}
