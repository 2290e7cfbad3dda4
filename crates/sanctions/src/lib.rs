//! AML sanctions screening for Sightline.
//!
//! This crate owns everything between the official list files and a screening verdict:
//!
//! * **Importers** ([`import_file`], [`read_list`], [`read_ofac_csv`]) for the files an
//!   operator downloads: OFAC SDN (CSV with `alt.csv`/`add.csv`, or XML), the EU
//!   consolidated list (FSF XML), the UN consolidated list (XML), the UK HMT/OFSI
//!   consolidated list (CSV), and a simple CSV for the operator's own lists. They stream,
//!   report progress, and skip malformed records with a reason.
//! * **The index** ([`SanctionsIndex`]): built from [`Entry`] values, saved to and loaded
//!   from one JSON-lines file in the data directory ([`SanctionsIndex::save`],
//!   [`SanctionsIndex::load`]).
//! * **The matcher** ([`SanctionsIndex::screen`]): fuzzy name matching that survives
//!   transliteration, diacritics, word order, initials, typos and honorifics, adjusted by
//!   birth date and country, with reasons for the analyst. Scores run from 0 to 1;
//!   [`DEFAULT_THRESHOLD`] applies unless a tenant chooses its own.
//! * **Synthetic fixtures** ([`fixtures`]) for tests and benchmarks: no real list is
//!   shipped.
//!
//! The crate does no network I/O and reads the clock only to stamp imports; file I/O is
//! confined to the importer and persistence functions that take a path. See
//! `docs/sanctions.md` for formats, the scoring method and measured accuracy.
//!
//! ```
//! use sightline_sanctions::{DEFAULT_THRESHOLD, Entry, EntryKind, ListSource, Query, SanctionsIndex};
//!
//! let mut entry = Entry::new(ListSource::Custom, "C-1", EntryKind::Person, "Mukhammad Ivanov");
//! entry.push_alias("Мухаммад Иванов");
//! let index = SanctionsIndex::build(vec![entry]);
//! let matches = index.screen(&Query::new("Ivanov, Muhammad"), DEFAULT_THRESHOLD);
//! assert_eq!(matches[0].list_id, "C-1");
//! ```

mod country;
mod country_table;
mod date;
mod entry;
pub mod fixtures;
mod import;
mod index;
mod names;
mod normalize;
mod phonetic;
mod screen;
mod similarity;
mod store;
mod time;

pub use country::{normalize_country, to_iso2};
pub use date::{DateError, PartialDate, parse_list_dates};
pub use entry::{Entry, EntryKind, ListSource, UnknownList};
pub use import::{ImportError, ImportReport, PROGRESS_EVERY, SkippedRecord, import_file, read_list, read_ofac_csv};
pub use index::SanctionsIndex;
pub use normalize::normalize;
pub use screen::{DEFAULT_THRESHOLD, MAX_MATCHES, Match, Query};
pub use store::{FORMAT_NAME, FORMAT_VERSION, ImportMeta, StoreError};
