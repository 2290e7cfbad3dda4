//! Automation frameworks and headless browsers (web). The agent reports raw
//! tells; strong ones count alone, weak ones only together.

use super::{Ctx, Findings};

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    if !ctx.web() {
        return;
    }
    let tells = ctx.s.strs("automation", "tells");
    let has = |t: &str| tells.contains(&t);
    if has("webdriver") || ctx.s.bool("automation", "webdriver") == Some(true) {
        f.raise("webdriver", "R401", "navigator.webdriver is true");
    }
    let globals = ctx.s.strs("automation", "globals");
    if has("automation_globals") || !globals.is_empty() {
        f.raise("automation_globals", "R401", format!("globals: {}", globals.join(", ")));
    }
    let worker_ua = ctx.s.str("worker", "user_agent").unwrap_or("");
    if has("headless_ua") || ctx.ua.as_ref().is_some_and(|u| u.headless) || worker_ua.contains("HeadlessChrome") {
        f.raise("headless", "R402", "user agent names a headless engine");
    }
    if has("software_renderer") || ctx.s.bool("automation", "software_renderer") == Some(true) {
        let renderer = ctx.s.str("automation", "renderer").unwrap_or("software");
        f.raise("software_renderer", "R403", format!("renderer: {renderer}"));
    }
    let weak: Vec<&str> =
        ["no_plugins", "no_window_chrome", "zero_outer_size", "no_languages"].into_iter().filter(|t| has(t)).collect();
    if weak.len() >= 2 || (has("zero_outer_size") && ctx.s.bool("document", "has_focus") == Some(false)) {
        f.raise("bot_profile", "R404", format!("tells: {}", weak.join(", ")));
    }
    if let Some(n) = ctx.behaviour_f64("untrusted_events").filter(|n| *n > 0.0) {
        f.raise("untrusted_events", "R447", format!("{n} script-dispatched input events"));
    }
    if ctx.s.present("automation") && !f.flags.iter().any(|fl| fl.category == crate::codes::Category::Automation) {
        f.note("I416", "no automation tells");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{CHROME_WIN, findings, flags_of, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn strong_tells_flag_alone() {
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "automation": {"webdriver": true, "globals": ["__playwright"], "software_renderer": true, "renderer": "SwiftShader", "tells": ["webdriver", "automation_globals", "software_renderer"]}}),
        );
        let flags = flags_of(&AnalysisInput::new(&p, p.collected_at));
        for f in ["webdriver", "automation_globals", "software_renderer"] {
            assert!(flags.contains(&f.to_owned()), "{f} in {flags:?}");
        }
    }

    #[test]
    fn one_weak_tell_is_not_a_bot() {
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "automation": {"webdriver": false, "globals": [], "tells": ["no_plugins"]}}),
        );
        let f = findings(&AnalysisInput::new(&p, p.collected_at));
        assert!(!f.has_flag("bot_profile"));
        assert!(f.has_code("I416"));
        let p = payload(
            Platform::Web,
            json!({"user_agent": CHROME_WIN, "automation": {"tells": ["no_plugins", "no_window_chrome"]}}),
        );
        assert!(flags_of(&AnalysisInput::new(&p, p.collected_at)).contains(&"bot_profile".to_owned()));
    }

    #[test]
    fn headless_ua_and_untrusted_events() {
        let mut p = payload(
            Platform::Web,
            json!({"user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.0.0 Safari/537.36"}),
        );
        p.behavior = Some(json!({"untrusted_events": 3}));
        let flags = flags_of(&AnalysisInput::new(&p, p.collected_at));
        assert!(flags.contains(&"headless".to_owned()) && flags.contains(&"untrusted_events".to_owned()));
    }
}
