//! Language against the IP country and against the browser's own locale.

use super::{Ctx, Findings};
use crate::geo;

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    let langs: Vec<&str> = if ctx.web() {
        ctx.s.strs("languages", "languages")
    } else {
        ctx.s.str("system", "region_language").into_iter().collect()
    };
    if langs.is_empty() {
        return;
    }
    let primaries: Vec<String> = langs.iter().map(|l| geo::primary_language(l)).collect();
    if let Some(country) = ctx.ip_country().and_then(geo::country) {
        // English is everyone's second language on the web: never evidence.
        let expected = primaries.iter().any(|p| p == "en" || country.languages.contains(&p.as_str()));
        if expected {
            f.note("I410", format!("{} expected in {}", langs.join(","), country.code));
        } else {
            f.raise("language_ip_mismatch", "R416", format!("{} not expected in {}", langs.join(","), country.code));
        }
    }
    if ctx.web() {
        if let Some(locale) = ctx.s.str("timezone", "locale") {
            let primary = geo::primary_language(locale);
            if !primary.is_empty() && !primaries.contains(&primary) {
                f.raise(
                    "locale_language_mismatch",
                    "R419",
                    format!("Intl locale {locale} vs languages {}", langs.join(",")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{findings, payload};
    use crate::input::AnalysisInput;

    #[test]
    fn languages_vs_country() {
        let p = payload(
            Platform::Web,
            json!({"languages": {"languages": ["ru-RU", "ru"]}, "timezone": {"locale": "ru-RU"}}),
        );
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("BR".to_owned());
        assert!(findings(&input).has_flag("language_ip_mismatch"));
        input.request.ip_country = Some("LV".to_owned());
        let f = findings(&input);
        assert!(!f.has_flag("language_ip_mismatch") && f.has_code("I410"));
        let p = payload(Platform::Web, json!({"languages": {"languages": ["ru-RU", "en-US"]}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("BR".to_owned());
        assert!(!findings(&input).has_flag("language_ip_mismatch"));
    }

    #[test]
    fn locale_vs_languages() {
        let p = payload(Platform::Web, json!({"languages": {"languages": ["en-US"]}, "timezone": {"locale": "zh-CN"}}));
        assert!(findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("locale_language_mismatch"));
        let p = payload(
            Platform::Web,
            json!({"languages": {"languages": ["de-DE", "en-US"]}, "timezone": {"locale": "en-US"}}),
        );
        assert!(!findings(&AnalysisInput::new(&p, p.collected_at)).has_flag("locale_language_mismatch"));
    }
}
