//! The generated parts of the docs must match the code. Run with SIGHTLINE_BLESS=1 to
//! rewrite them after a change.

use sightline_rules::default_pack_markdown;
use std::path::PathBuf;

fn docs(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(name)
}

fn bless() -> bool {
    std::env::var_os("SIGHTLINE_BLESS").is_some()
}

#[test]
fn default_rules_doc_is_up_to_date() {
    let path = docs("default-rules.md");
    let expected = default_pack_markdown();
    if bless() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/default-rules.md is out of date; run SIGHTLINE_BLESS=1 cargo test -p sightline-rules default_rules_doc"
    );
}

#[test]
fn schema_section_of_rules_doc_is_up_to_date() {
    const BEGIN: &str = "<!-- schema:begin -->\n";
    const END: &str = "<!-- schema:end -->";
    let path = docs("rules.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        panic!("docs/rules.md lacks the schema markers");
    };
    let expected = sightline_rules::schema::markdown();
    let actual = &text[start + BEGIN.len()..end];
    if bless() && actual != expected {
        let updated = format!("{}{expected}{}", &text[..start + BEGIN.len()], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        actual == expected,
        "the schema section of docs/rules.md is out of date; run SIGHTLINE_BLESS=1 cargo test -p sightline-rules schema_section"
    );
}
