//! Cross-language check: strings sealed by the JavaScript agent must open
//! here. The agent's test suite writes the vectors; an empty or missing
//! directory fails rather than passing vacuously, because "no vectors"
//! would silently hide a format drift between the two implementations.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sightline_payload::{AgentKeyPair, KeyRing, OpenPolicy, open};

#[derive(Debug, Deserialize)]
struct Vector {
    secret_key_hex: String,
    key_id: u32,
    device_data: String,
    now_ms: i64,
    expected_payload_id: String,
}

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../agent/test/vectors")
}

fn vector_files() -> Vec<PathBuf> {
    let dir = vector_dir();
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!("no JS test vectors: cannot read {} ({e}); the agent's tests must write them", dir.display())
    });
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn js_agent_vectors_open() {
    let files = vector_files();
    assert!(
        !files.is_empty(),
        "no *.json vectors in {}; the agent's tests must write at least one",
        vector_dir().display()
    );
    for path in files {
        let name = path.display();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let vector: Vector = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not a vector: {e}"));
        let key = AgentKeyPair::from_secret_hex(vector.key_id, &vector.secret_key_hex)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let ring: KeyRing = [key].into_iter().collect();
        let opened = open(&ring, &vector.device_data, &OpenPolicy::new(vector.now_ms))
            .unwrap_or_else(|e| panic!("{name}: open failed [{}]: {e}", e.code()));
        assert_eq!(opened.payload.payload_id, vector.expected_payload_id, "{name}: payload_id");
        assert_eq!(opened.key_id(), vector.key_id, "{name}: key_id");
    }
}
