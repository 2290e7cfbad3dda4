//! The SEON dialect's request example, for the tests that speak it.

use serde_json::Value;

/// The request example of SEON's reference, attribute for attribute.
pub fn seed_request() -> Value {
    serde_json::from_str(include_str!("seon_request.json")).expect("the SEON request example is JSON")
}
