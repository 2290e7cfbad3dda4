//! Each importer on a small made-up sample of its official format.

use sightline_sanctions::{Entry, EntryKind, ImportReport, ListSource, PartialDate, import_file, read_list};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn import(list: ListSource, name: &str) -> ImportReport {
    let mut calls = Vec::new();
    let report = import_file(list, &fixture(name), &mut |n| calls.push(n)).unwrap();
    // The final call reports the total.
    assert_eq!(calls.last(), Some(&report.records_read), "{calls:?}");
    report
}

fn entry<'a>(report: &'a ImportReport, id: &str) -> &'a Entry {
    report.entries.iter().find(|e| e.list_id == id).unwrap_or_else(|| panic!("no entry {id}: {:#?}", report.entries))
}

fn dates(entry: &Entry) -> Vec<String> {
    entry.birth_dates.iter().map(PartialDate::to_string).collect()
}

#[test]
fn ofac_csv_joins_aliases_and_addresses() {
    let report = import(ListSource::Ofac, "ofac/sdn.csv");
    assert_eq!(report.source_file, "sdn.csv");
    assert_eq!(report.entries.len(), 4);

    let cuba = entry(&report, "36");
    assert_eq!(cuba.kind, EntryKind::Entity, "OFAC writes -0- as the type of entities");
    assert_eq!(cuba.countries, vec!["CU"]);

    let ivan = entry(&report, "173");
    assert_eq!(ivan.kind, EntryKind::Person);
    assert_eq!(ivan.primary_name, "PETROVICH, Ivan Sergeevich");
    assert_eq!(ivan.aliases, vec!["PETROVICH, Ivan", "ПЕТРОВИЧ, Иван Сергеевич"]);
    assert_eq!(ivan.programs, vec!["RUSSIA-EO14024", "UKRAINE-EO13660"]);
    assert_eq!(dates(ivan), vec!["1961-05-12", "1962"]);
    assert_eq!(ivan.countries, vec!["RU"]);
    assert!(ivan.remarks.as_deref().unwrap_or_default().contains("POB Omsk"));

    let yemeni = entry(&report, "306");
    assert_eq!(dates(yemeni), vec!["1970"]);
    assert_eq!(yemeni.countries, vec!["YE", "SA"]);
    assert_eq!(yemeni.aliases, vec!["AL-FAQIDI, Muhammad"]);

    let vessel = entry(&report, "2674");
    assert_eq!(vessel.kind, EntryKind::Vessel);
    assert_eq!(vessel.countries, vec!["PA"]);

    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(report.skipped.len(), 3, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("ent_num is not a number")));
    assert!(reasons.iter().any(|r| r.contains("empty SDN_Name")));
    assert!(reasons.iter().any(|r| r.contains("alt.csv") && r.contains("not in sdn.csv")));
}

#[test]
fn ofac_xml_reads_entries_and_skips_nameless_ones() {
    let report = import(ListSource::Ofac, "ofac_sdn.xml");
    assert_eq!(report.entries.len(), 2);
    let ivan = entry(&report, "173");
    assert_eq!(ivan.primary_name, "PETROVICH, Ivan Sergeevich");
    assert_eq!(ivan.aliases, vec!["PETROVITCH, Ivan"]);
    assert_eq!(dates(ivan), vec!["1961-05-12", "1962"]);
    assert_eq!(ivan.countries, vec!["RU"]);
    assert_eq!(entry(&report, "2674").kind, EntryKind::Vessel);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].list_id.as_deref(), Some("9000"));
}

#[test]
fn eu_xml_reads_name_aliases_birth_dates_and_citizenship() {
    let report = import(ListSource::Eu, "eu_fsf.xml");
    assert_eq!(report.entries.len(), 2);
    let olga = entry(&report, "EU.9001.01");
    assert_eq!(olga.kind, EntryKind::Person);
    assert_eq!(olga.primary_name, "Olga Ivanovna Testova");
    assert_eq!(olga.aliases, vec!["Ольга Ивановна Тестова"]);
    assert_eq!(dates(olga), vec!["1975-03-08", "1976"]);
    assert_eq!(olga.countries, vec!["RU"]);
    assert_eq!(olga.programs, vec!["RUS"]);
    let company = entry(&report, "EU.9002.02");
    assert_eq!(company.kind, EntryKind::Entity);
    assert_eq!(company.primary_name, "Fictional Petroleum Trading & Co. LLC");
    assert_eq!(company.countries, vec!["SY"]);
    assert_eq!(report.skipped.len(), 1);
    assert!(report.skipped[0].reason.contains("without a name"));
}

#[test]
fn un_xml_reads_individuals_and_entities() {
    let report = import(ListSource::Un, "un_consolidated.xml");
    assert_eq!(report.entries.len(), 2);
    let person = entry(&report, "QDi.901");
    assert_eq!(person.primary_name, "ABDUL RAHMAN AL-MADEUP");
    assert_eq!(person.aliases, vec!["عبد الرحمن", "Abdulrahman al-Madeupi", "Abu Test", "Abu Testing"]);
    assert_eq!(dates(person), vec!["1971-06-15", "1972", "1973"]);
    assert_eq!(person.countries, vec!["IQ", "SY"]);
    assert_eq!(person.programs, vec!["Al-Qaida"]);
    let company = entry(&report, "KPe.903");
    assert_eq!(company.kind, EntryKind::Entity);
    assert_eq!(company.aliases, vec!["MUGT Co."]);
    assert_eq!(company.countries, vec!["KP"]);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].list_id.as_deref(), Some("KPi.902"));
}

#[test]
fn uk_csv_groups_alias_rows_by_group_id() {
    let report = import(ListSource::UkHmt, "uk_conlist.csv");
    assert_eq!(report.entries.len(), 2);
    let boris = entry(&report, "90001");
    assert_eq!(boris.kind, EntryKind::Person);
    assert_eq!(boris.primary_name, "Boris Petrovich INVENTOV");
    assert_eq!(boris.aliases, vec!["БОРИС ПЕТРОВИЧ ИНВЕНТОВ", "Boris INVENTOFF"]);
    assert_eq!(dates(boris), vec!["1958", "1958-07-14"]);
    assert_eq!(boris.countries, vec!["RU", "BY"]);
    assert_eq!(boris.programs, vec!["Russia"]);
    let company = entry(&report, "90002");
    assert_eq!(company.kind, EntryKind::Entity);
    assert_eq!(company.countries, vec!["AE"]);
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, vec!["row without Group ID", "row without any of Name 1 to Name 6"]);
}

#[test]
fn custom_csv() {
    let report = import(ListSource::Custom, "custom.csv");
    assert_eq!(report.entries.len(), 2);
    let jane = entry(&report, "C-1");
    assert_eq!(jane.aliases, vec!["Jane M. Madeup", "J. Madeup"]);
    assert_eq!(dates(jane), vec!["1980-02", "1981"]);
    assert_eq!(jane.countries, vec!["GB", "IE"]);
    assert_eq!(report.skipped.len(), 1);
}

#[test]
fn wrong_or_broken_files_are_errors_not_panics() {
    // A CSV where XML is expected, and a truncated XML file.
    assert!(import_file(ListSource::Eu, &fixture("custom.csv"), &mut |_| {}).is_err());
    let truncated = "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A B\"/>";
    assert!(read_list(ListSource::Eu, truncated.as_bytes(), &mut |_| {}).is_err());
    // A UK import of something without the header row.
    assert!(read_list(ListSource::UkHmt, "a,b\n1,2\n".as_bytes(), &mut |_| {}).is_err());
    let missing = fixture("does-not-exist.xml");
    assert!(import_file(ListSource::Un, &missing, &mut |_| {}).is_err());
}

#[test]
fn import_metadata() {
    let report = import(ListSource::Un, "un_consolidated.xml");
    let meta = report.meta();
    assert_eq!(meta.list, ListSource::Un);
    assert_eq!(meta.source_file, "un_consolidated.xml");
    assert_eq!(meta.count, 2);
    assert_eq!(meta.skipped, 1);
    assert!(meta.imported_at.ends_with('Z') && meta.imported_at.len() == 20, "{}", meta.imported_at);
}
