//! `docs/reason-codes.md` is generated from the catalogue; this test fails
//! when it is out of date. `UPDATE_DOCS=1 cargo test -p sightline-device
//! --test reason_codes_doc` rewrites it.

use std::path::PathBuf;

#[test]
fn reason_codes_doc_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/reason-codes.md");
    let rendered = sightline_device::render_reason_codes_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).expect("write docs/reason-codes.md");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/reason-codes.md is out of date: run `UPDATE_DOCS=1 cargo test -p sightline-device --test reason_codes_doc`"
    );
}

#[test]
fn every_emitted_code_is_catalogued() {
    use sightline_device::simulate::{Scenario, simulate};
    use sightline_device::{AnalysisInput, analyse, catalogue};
    use sightline_payload::Platform;
    let known: Vec<&str> = catalogue().iter().map(|c| c.code).collect();
    for platform in Platform::ALL {
        for scenario in Scenario::ALL {
            for sim in simulate(platform, scenario, 4, 1_767_225_600_000).unwrap_or_default() {
                let mut input = AnalysisInput::new(&sim.payload, sim.payload.collected_at);
                input.request = sim.request.clone();
                input.history = sim.history.clone();
                for c in analyse(&input).reason_codes {
                    assert!(known.contains(&c.code.as_str()), "{}", c.code);
                }
            }
        }
    }
}

#[test]
fn device_intelligence_doc_has_the_current_attribute_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/device-intelligence.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let table = sightline_device::render_attribute_table();
    assert!(doc.contains(&table), "docs/device-intelligence.md lacks the current attribute table:\n{table}");
}
