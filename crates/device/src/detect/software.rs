//! Browser freshness. Release dates are extrapolated from one anchor per
//! browser and its release cadence: accurate to a couple of weeks, which is
//! all a "months old" judgement needs.

use super::{Ctx, Findings};

const DAY_MS: f64 = 86_400_000.0;

/// (family, anchor major, anchor release ms, days per major).
const CADENCE: [(&str, u32, i64, f64); 4] = [
    // Chrome 120: 2023-12-05; 4-week train with holiday gaps ≈ 30.5 days.
    ("Chrome", 120, 1_701_734_400_000, 30.5),
    // Edge follows Chromium's majors a few days later.
    ("Edge", 120, 1_702_080_000_000, 30.5),
    // Firefox 120: 2023-11-21; 4-week train ≈ 28.5 days.
    ("Firefox", 120, 1_700_524_800_000, 28.5),
    // Safari 17: 2023-09-18; one major a year.
    ("Safari", 17, 1_695_000_000_000, 365.0),
];

/// Days since the browser's major version was released; `None` for
/// browsers without a known cadence. A version from the future is 0 days old.
pub(crate) fn browser_age_days(browser: &str, major: u32, now_ms: i64) -> Option<i64> {
    let (_, anchor, at, days) = CADENCE.iter().find(|(b, ..)| *b == browser)?;
    let release = *at as f64 + (f64::from(major) - f64::from(*anchor)) * days * DAY_MS;
    Some((((now_ms as f64) - release) / DAY_MS).max(0.0) as i64)
}

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    let Some(agent) = &ctx.ua else { return };
    let Some(major) = agent.browser_major else { return };
    let Some(age) = browser_age_days(agent.browser, major, ctx.input.now_ms) else { return };
    if age > ctx.cfg.outdated_browser_days {
        f.raise("outdated_browser", "R450", format!("{} {major} is about {age} days old", agent.browser));
    } else if age <= ctx.cfg.current_browser_days {
        f.note("I413", format!("{} {major} is about {age} days old", agent.browser));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use super::browser_age_days;
    use crate::detect::testing::{CHROME_WIN, findings, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn ages() {
        let dec_2023 = 1_701_734_400_000;
        assert_eq!(browser_age_days("Chrome", 120, dec_2023), Some(0));
        let a = browser_age_days("Chrome", 110, dec_2023).unwrap_or(0);
        assert!((290..320).contains(&a), "{a}");
        assert_eq!(browser_age_days("Other", 1, dec_2023), None);
        let p = payload(Platform::Web, json!({"user_agent": CHROME_WIN}));
        let f = findings(&AnalysisInput::new(&p, dec_2023 + 10 * 86_400_000));
        assert!(f.has_code("I413"));
        let f = findings(&AnalysisInput::new(&p, dec_2023 + 500 * 86_400_000));
        assert!(f.has_flag("outdated_browser"));
    }
}
