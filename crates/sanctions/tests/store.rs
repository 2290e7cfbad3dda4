//! Saving and loading the index, and replacing one list on re-import.

use sightline_sanctions::fixtures::synthetic_list;
use sightline_sanctions::{DEFAULT_THRESHOLD, FORMAT_NAME, ListSource, Query, SanctionsIndex, StoreError, import_file};
use std::path::PathBuf;
use std::time::Instant;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn save_and_load_round_trip_with_import_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sanctions.jsonl");
    let un = import_file(ListSource::Un, &fixture("un_consolidated.xml"), &mut |_| {}).unwrap();
    let eu = import_file(ListSource::Eu, &fixture("eu_fsf.xml"), &mut |_| {}).unwrap();
    let index = SanctionsIndex::default().with_import(un).with_import(eu);
    assert_eq!(index.len(), 4);
    index.save(&path).unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    let header: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(header["format"], FORMAT_NAME);
    assert_eq!(header["version"], 1);
    assert_eq!(header["entry_count"], 4);
    assert_eq!(header["imports"][0]["list"], "eu");
    assert_eq!(header["imports"][0]["source_file"], "eu_fsf.xml");
    assert_eq!(text.lines().count(), 5, "one header line and one line per entry");

    let loaded = SanctionsIndex::load(&path).unwrap();
    assert_eq!(loaded.entries(), index.entries());
    assert_eq!(loaded.imports(), index.imports());
    let query = Query::new("Olga Testova");
    assert_eq!(loaded.screen(&query, DEFAULT_THRESHOLD), index.screen(&query, DEFAULT_THRESHOLD));
    assert!(!loaded.screen(&query, DEFAULT_THRESHOLD).is_empty());
}

#[test]
fn re_import_replaces_only_that_list() {
    let un = || import_file(ListSource::Un, &fixture("un_consolidated.xml"), &mut |_| {}).unwrap();
    let eu = import_file(ListSource::Eu, &fixture("eu_fsf.xml"), &mut |_| {}).unwrap();
    let index = SanctionsIndex::default().with_import(un()).with_import(eu).with_import(un());
    assert_eq!(index.len(), 4);
    assert_eq!(index.imports().len(), 2);
    assert_eq!(index.entries().iter().filter(|e| e.list == ListSource::Un).count(), 2);
}

#[test]
fn damaged_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.jsonl");
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::Io { .. })));

    std::fs::write(
        &path,
        "{\"format\":\"something-else\",\"version\":1,\"saved_at\":\"\",\"entry_count\":0,\"imports\":[]}\n",
    )
    .unwrap();
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::NotAnIndex { .. })));

    std::fs::write(&path, "not json\n").unwrap();
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::NotAnIndex { .. })));

    let header = |version: u32, count: usize| {
        format!(
            "{{\"format\":\"{FORMAT_NAME}\",\"version\":{version},\"saved_at\":\"\",\"entry_count\":{count},\"imports\":[]}}\n"
        )
    };
    std::fs::write(&path, header(2, 0)).unwrap();
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::UnsupportedVersion { found: 2, .. })));

    std::fs::write(&path, header(1, 3)).unwrap();
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::Truncated { expected: 3, found: 0, .. })));

    std::fs::write(&path, header(1, 1) + "{\"list\":\"ofac\"}\n").unwrap();
    assert!(matches!(SanctionsIndex::load(&path), Err(StoreError::Json { line: 2, .. })));
}

#[test]
fn loading_a_large_index_is_quick() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    SanctionsIndex::build(synthetic_list(20_000, 3)).save(&path).unwrap();
    let started = Instant::now();
    let loaded = SanctionsIndex::load(&path).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(loaded.len(), 20_000);
    // Generous: this runs unoptimised and on a shared machine. The release figure for 50k
    // entries is in docs/sanctions.md.
    assert!(elapsed.as_secs() < 30, "loading 20k entries took {elapsed:?}");
}
