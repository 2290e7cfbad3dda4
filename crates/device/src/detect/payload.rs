//! Facts about the payload itself: replay, age, completeness.

use super::{Ctx, Findings};

/// A payload with at least this many sources, of which at most this share
/// failed, counts as complete.
const MIN_SOURCES: usize = 8;
const COMPLETE_MAX_FAILED: f64 = 0.1;
const MOSTLY_MISSING: f64 = 0.5;

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    let p = ctx.input.payload;
    if ctx.input.replayed {
        f.raise("replayed", "R422", format!("payload_id {} was already submitted", p.payload_id));
    }
    let age = ctx.input.now_ms.saturating_sub(p.collected_at);
    if age > ctx.cfg.stale_payload_ms {
        f.raise("stale_payload", "R423", format!("collected {} s before analysis", age / 1000));
    } else if age.saturating_neg() > ctx.cfg.future_skew_ms {
        f.raise("future_payload", "R423", format!("collected {} s in the future", age.saturating_neg() / 1000));
    }
    if !ctx.web() {
        f.note("I407", format!("{} SDK {}", p.platform, p.sdk_version));
    }
    let (total, failed) = ctx.s.counts();
    if total == 0 {
        f.raise("signals_missing", "R453", "no signals");
    } else if failed as f64 >= MOSTLY_MISSING * total as f64 {
        f.raise("signals_missing", "R453", format!("{failed} of {total} sources failed"));
    } else if total >= MIN_SOURCES && (failed as f64) <= COMPLETE_MAX_FAILED * total as f64 {
        f.note("I422", format!("{} of {total} sources reported", total - failed));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{findings, flags_of, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn replay_and_age() {
        let p = payload(Platform::Web, json!({"user_agent": "x"}));
        let mut input = AnalysisInput::new(&p, p.collected_at + 1000);
        assert!(!flags_of(&input).contains(&"replayed".to_owned()));
        input.replayed = true;
        assert!(flags_of(&input).contains(&"replayed".to_owned()));
        input.now_ms = p.collected_at + 60 * 60 * 1000;
        assert!(flags_of(&input).contains(&"stale_payload".to_owned()));
        input.now_ms = p.collected_at - 60 * 60 * 1000;
        assert!(flags_of(&input).contains(&"future_payload".to_owned()));
    }

    #[test]
    fn completeness() {
        let p = payload(Platform::Web, json!({}));
        assert!(flags_of(&AnalysisInput::new(&p, p.collected_at)).contains(&"signals_missing".to_owned()));
        let full: serde_json::Map<String, serde_json::Value> = (0..10).map(|i| (format!("s{i}"), json!(1))).collect();
        let p = payload(Platform::Web, serde_json::Value::Object(full));
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(f.has_code("I422") && !f.has_flag("signals_missing"));
    }
}
