//! What of an event is kept: personal data hashed with a tenant-bound key before a decision
//! is stored, so that history can be replayed and compared (equal values stay equal) without
//! the store holding names, contact data or account numbers in clear.

use crate::Id;
use serde_json::{Map, Value};

/// Request attributes that identify a person and that rules have little use for verbatim.
const PII_REQUEST_FIELDS: &[&str] = &[
    "phone_number",
    "billing_phone",
    "shipping_phone",
    "user_fullname",
    "user_name",
    "user_firstname",
    "user_middlename",
    "user_lastname",
    "user_pob",
    "user_photoid_number",
    "user_bank_account",
    "user_street",
    "user_street2",
    "card_fullname",
    "shipping_fullname",
    "shipping_street",
    "shipping_street2",
    "billing_street",
    "billing_street2",
    "receiver_fullname",
    "receiver_bank_account",
    "password_hash",
];

/// Keys that carry personal data inside module outputs (the looked-up email, number, name).
const PII_OUTPUT_KEYS: &[&str] = &[
    "email",
    "normalised",
    "address",
    "phone",
    "phone_number",
    "number",
    "e164",
    "international",
    "national",
    "query_name",
];

pub(super) fn hash(tenant_id: &Id, field: &str, value: &str) -> String {
    format!("h:{}", crate::velocity::tenant_hash(tenant_id, field, value))
}

/// The request as stored: PII fields hashed; an email keeps its domain (`h:…@example.com`)
/// because domain rules must still replay.
pub(super) fn scrub_request(tenant_id: &Id, request: &Map<String, Value>) -> Map<String, Value> {
    let mut scrubbed = request.clone();
    for (name, value) in scrubbed.iter_mut() {
        let Some(text) = value.as_str() else { continue };
        if name == "email" {
            let domain = text.rsplit_once('@').map(|(_, d)| d.to_lowercase());
            let hashed = hash(tenant_id, name, text);
            *value = Value::from(domain.map_or(hashed.clone(), |d| format!("{hashed}@{d}")));
        } else if PII_REQUEST_FIELDS.contains(&name.as_str()) {
            *value = Value::from(hash(tenant_id, name, text));
        }
    }
    scrubbed
}

/// A module output as stored: string values under personal-data keys hashed, at any depth
/// except inside `matches` lists of screening hits (those are the published list entries).
pub(super) fn scrub_output(tenant_id: &Id, value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, inner) in fields.iter_mut() {
                if key == "matches" {
                    continue;
                }
                match inner {
                    Value::String(text) if PII_OUTPUT_KEYS.contains(&key.as_str()) => {
                        // An IP address is not hashed: rules and analysts need it as is.
                        if text.parse::<std::net::IpAddr>().is_err() {
                            *text = hash(tenant_id, key, text);
                        }
                    }
                    _ => scrub_output(tenant_id, inner),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| scrub_output(tenant_id, item)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResourceKind;
    use serde_json::json;

    #[test]
    fn personal_fields_are_hashed_and_the_rest_kept() {
        let tenant = Id::new(ResourceKind::Tenant);
        let request = json!({"email": "Ann@Example.com", "user_fullname": "Ann Lee", "transaction_amount": 12.5,
            "billing_country": "DE", "ip": "1.2.3.4"});
        let scrubbed = scrub_request(&tenant, request.as_object().unwrap());
        let email = scrubbed["email"].as_str().unwrap();
        assert!(email.starts_with("h:") && email.ends_with("@example.com"), "{email}");
        assert_ne!(scrubbed["user_fullname"], "Ann Lee");
        assert_eq!(scrubbed["transaction_amount"], 12.5);
        assert_eq!(scrubbed["billing_country"], "DE");
        assert_eq!(scrubbed["ip"], "1.2.3.4");
        // Equal values stay equal, so replays can still compare them.
        assert_eq!(scrubbed, scrub_request(&tenant, request.as_object().unwrap()));
    }

    #[test]
    fn outputs_lose_contact_data_but_keep_addresses_and_list_entries() {
        let tenant = Id::new(ResourceKind::Tenant);
        let mut output = json!({"email": "a@b.c", "address": "8.8.8.8", "nested": {"number": "+4915112345678"},
            "matches": [{"name": "Listed Person"}]});
        scrub_output(&tenant, &mut output);
        assert!(output["email"].as_str().unwrap().starts_with("h:"));
        assert_eq!(output["address"], "8.8.8.8");
        assert!(output["nested"]["number"].as_str().unwrap().starts_with("h:"));
        assert_eq!(output["matches"][0]["name"], "Listed Person");
    }
}
