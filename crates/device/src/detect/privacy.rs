//! Private windows, disabled storage, anti-fingerprinting noise, and the
//! state of the persistent id. None of these is fraud by itself; they
//! explain why a device may not be recognised next time.

use super::{Ctx, Findings};

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    let s = &ctx.s;
    if ctx.web() {
        if s.bool("private_mode", "likely_private") == Some(true) {
            let reasons = s.strs("private_mode", "reasons");
            f.raise("private_mode", "R411", format!("indications: {}", reasons.join(", ")));
        } else if s.present("private_mode") {
            f.note("I420", "storage quota and OPFS look like a normal profile");
        }
        let disabled: Vec<&str> =
            ["cookies", "local_storage"].into_iter().filter(|k| s.bool("storage", k) == Some(false)).collect();
        if !disabled.is_empty() {
            f.raise("storage_disabled", "R449", format!("disabled: {}", disabled.join(", ")));
        }
        let noisy: Vec<&str> =
            ["canvas", "audio", "fonts"].into_iter().filter(|k| s.present(k) && !s.stable(k)).collect();
        if !noisy.is_empty() {
            f.raise("fingerprint_noise", "R457", format!("unstable: {}", noisy.join(", ")));
        }
        let dnt = s
            .field("do_not_track", "do_not_track")
            .is_some_and(|v| v.as_str() == Some("1") || v.as_bool() == Some(true));
        let gpc = s.bool("do_not_track", "global_privacy_control") == Some(true);
        if dnt || gpc {
            f.note("I427", if gpc { "Global Privacy Control" } else { "Do Not Track" });
        }
        if s.str("first_party_id", "source") == Some("both") {
            f.note("I405", "id read back from cookie and local storage");
        }
    } else if matches!(s.str("ids", "app_guid_source"), Some("keychain") | Some("storage")) {
        f.note("I405", "app install id persisted");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{findings, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn private_mode_and_storage() {
        let p = payload(
            Platform::Web,
            json!({"private_mode": {"likely_private": true, "reasons": ["low_quota"]}, "storage": {"cookies": false, "local_storage": true}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(f.has_flag("private_mode") && f.has_flag("storage_disabled") && !f.has_code("I420"));
        let p = payload(
            Platform::Web,
            json!({"private_mode": {"likely_private": false, "reasons": []}, "first_party_id": {"id": "x", "source": "both"}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(!f.has_flag("private_mode") && f.has_code("I420") && f.has_code("I405"));
    }

    #[test]
    fn noise_needs_stable_false() {
        let mut p = payload(Platform::Web, json!({"canvas": {"hash": "a"}}));
        assert!(!findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("fingerprint_noise"));
        if let Some(serde_json::Value::Object(o)) = p.signals.get_mut("canvas") {
            o.insert("stable".to_owned(), json!(false));
        }
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("fingerprint_noise"));
    }
}
