//! Behaviour flags. Web: SEON's seven `suspicious_flags` from the agent's
//! keystroke, pointer and form timings. Mobile: the SDK's behaviour
//! monitoring (touch regularity, motion, calls). Thresholds sit far outside
//! human ranges (key holds of 70–130 ms with 20–40 ms spread, pointer
//! strokes curved, forms taking seconds), so a flag means "machine-like",
//! not "fast typist".

use super::{Ctx, Findings};

const MIN_KEYS: f64 = 8.0;

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    if ctx.behavior.is_none() {
        return;
    }
    if ctx.web() {
        web(ctx, f);
    } else {
        mobile(ctx, f);
    }
}

fn web(ctx: &Ctx, f: &mut Findings) {
    let b = |k: &str| ctx.behaviour_f64(k);
    let n = |k: &str| b(k).unwrap_or(0.0);
    let keys = n("keystrokes");
    let mut risky = false;
    if keys >= MIN_KEYS {
        let (dm, ds, fm, fs) = (b("dwell_mean_ms"), b("dwell_std_ms"), b("flight_mean_ms"), b("flight_std_ms"));
        let robotic = ds.is_some_and(|x| x < 3.0)
            || fs.is_some_and(|x| x < 5.0)
            || dm.is_some_and(|x| x < 8.0)
            || fm.is_some_and(|x| x < 15.0);
        if robotic {
            f.raise(
                "suspicious_keypress_characteristics",
                "R440",
                format!(
                    "{keys} keys, hold {:.0}±{:.0} ms, gap {:.0}±{:.0} ms",
                    dm.unwrap_or(0.0),
                    ds.unwrap_or(0.0),
                    fm.unwrap_or(0.0),
                    fs.unwrap_or(0.0)
                ),
            );
            risky = true;
        } else if dm.is_some_and(|x| (8.0..25.0).contains(&x)) && ds.is_some_and(|x| x < 8.0) {
            // Remote-desktop tools replay key-down/up pairs back to back:
            // holds collapse to a short, uniform pulse while gaps stay human.
            f.raise(
                "potential_remote_control",
                "R446",
                format!("key holds {:.0}±{:.0} ms", dm.unwrap_or(0.0), ds.unwrap_or(0.0)),
            );
            risky = true;
        }
    }
    let moves = n("mouse_moves");
    let straight = b("mouse_straightness");
    let speed = b("mouse_speed_px_ms");
    let desktop = ctx.ua.as_ref().is_some_and(|u| u.device_type == "desktop");
    if moves >= 10.0 && straight.is_some_and(|s| s >= 0.98) {
        f.raise(
            "suspicious_mouse_movement",
            "R441",
            format!("pointer strokes {:.2} straight", straight.unwrap_or(0.0)),
        );
        risky = true;
    } else if speed.is_some_and(|s| s > 10.0) {
        f.raise("suspicious_mouse_movement", "R441", format!("pointer speed {:.1} px/ms", speed.unwrap_or(0.0)));
        risky = true;
    } else if desktop && n("clicks") >= 2.0 && moves == 0.0 && n("touches") == 0.0 {
        f.raise("suspicious_mouse_movement", "R441", format!("{} clicks without pointer movement", n("clicks")));
        risky = true;
    }
    let fill = b("form_fill_duration_ms");
    let inputs = keys + n("autofills") + n("pastes");
    if let Some(ms) = fill.filter(|ms| *ms > 0.0) {
        let cps = keys / (ms / 1000.0);
        if (ms < 1500.0 && inputs > 0.0) || (keys >= 20.0 && cps > 20.0) {
            f.raise("suspicious_form_fillout", "R442", format!("{inputs} inputs in {ms:.0} ms"));
            risky = true;
        }
    } else if b("init_to_session_ms").is_some_and(|ms| ms < 800.0) && n("targets") > 1.0 && inputs > 0.0 {
        f.raise("suspicious_form_fillout", "R442", "submitted within 0.8 s of page load");
        risky = true;
    }
    if n("pastes") > 0.0 {
        f.raise("paste_used", "R443", format!("{} pastes into {} fields", n("pastes"), n("pasted_fields")));
    }
    if n("autofills") > 0.0 {
        f.raise(
            "autofill_used",
            "R444",
            format!("{} autofills into {} fields", n("autofills"), n("autofilled_fields")),
        );
    }
    let away = n("window_blurs") + n("visibility_changes");
    if away >= 3.0 && n("pastes") > 0.0 {
        f.raise(
            "potential_remote_interaction",
            "R445",
            format!("left the window {away} times and pasted {} times", n("pastes")),
        );
        risky = true;
    }
    if !risky && !f.has_flag("untrusted_events") && (keys > 0.0 || moves > 0.0 || n("touches") > 0.0) {
        f.note("I411", "keystroke, pointer and form timings within human ranges");
    }
}

fn mobile(ctx: &Ctx, f: &mut Findings) {
    let b = |k: &str| ctx.behaviour_f64(k);
    let n = |k: &str| b(k).unwrap_or(0.0);
    let touches = n("touches");
    let mut risky = false;
    let flat_touch = touches >= 5.0 && b("touch_pressure_std") == Some(0.0) && b("touch_area_std") == Some(0.0);
    let metronome = n("taps") >= 5.0 && b("tap_interval_std_ms").is_some_and(|s| s < 5.0);
    let injected = n("accessibility_events") > 0.0 || n("untrusted_events") > 0.0;
    if flat_touch || metronome || injected {
        let why = if injected {
            "gestures injected through accessibility"
        } else if flat_touch {
            "identical pressure and contact area on every touch"
        } else {
            "metronomic tap intervals"
        };
        f.raise("possible_automation", "R436", why);
        risky = true;
    }

    let mut farm = Vec::new();
    if b("motion_std").is_some_and(|m| m < 0.02) {
        farm.push("perfectly still");
    }
    if ctx.s.bool("battery", "charging") == Some(true) && ctx.s.f64("battery", "level").is_some_and(|l| l >= 95.0) {
        farm.push("always on charger");
    }
    if ctx.s.f64("system", "screen_brightness").is_some_and(|l| l <= 10.0) {
        farm.push("screen dimmed");
    }
    if ctx.s.str("network", "sim_state").is_some_and(|s| s.eq_ignore_ascii_case("absent")) {
        farm.push("no SIM");
    }
    let many_persons = ctx.input.history.persons_on_device_30d.is_some_and(|p| p >= 3);
    if many_persons {
        farm.push("many persons");
    }
    if farm.len() >= 3 && (farm.contains(&"perfectly still") || many_persons) {
        f.raise("possible_device_farm", "R437", farm.join(", "));
        risky = true;
    }

    let on_call_sdk = ctx.s.bool("telephony", "is_on_call");
    let in_call_audio = ctx.s.str("audio", "mode").is_some_and(|m| m == "in_call" || m == "in_communication")
        || n("call_active_ms") > 0.0;
    if (on_call_sdk == Some(true) || in_call_audio) && (touches > 0.0 || n("keystrokes") > 0.0) {
        f.raise("possible_vishing", "R438", "the app was operated during an active call");
        risky = true;
    }
    if in_call_audio && on_call_sdk.is_none() {
        f.raise("possible_ongoing_call", "R439", "audio routing shows a call; call state not readable");
    }
    if n("pastes") > 0.0 {
        f.raise("paste_used", "R443", format!("{} pastes", n("pastes")));
    }
    if !risky && touches > 0.0 {
        f.note("I411", "touch input within human ranges");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use sightline_payload::Platform;

    use crate::detect::testing::{CHROME_WIN, findings, payload};
    use crate::input::AnalysisInput;

    fn web(behavior: Value) -> crate::detect::Findings {
        let mut p = payload(Platform::Web, json!({"user_agent": CHROME_WIN}));
        p.behavior = Some(behavior);
        findings(&AnalysisInput::new(&p, p.collected_at))
    }

    fn human() -> Value {
        json!({"targets": 3, "keystrokes": 40, "dwell_mean_ms": 95.0, "dwell_std_ms": 28.0, "flight_mean_ms": 180.0, "flight_std_ms": 90.0,
               "backspaces": 2, "pastes": 0, "pasted_fields": 0, "autofills": 0, "autofilled_fields": 0, "mouse_moves": 240,
               "mouse_speed_px_ms": 0.9, "mouse_straightness": 0.82, "clicks": 4, "touches": 0, "focus_changes": 6,
               "window_blurs": 0, "visibility_changes": 0, "untrusted_events": 0, "form_fill_duration_ms": 21000, "init_to_session_ms": 30000})
    }

    fn with(mut v: Value, k: &str, x: Value) -> Value {
        if let Value::Object(o) = &mut v {
            o.insert(k.to_owned(), x);
        }
        v
    }

    #[test]
    fn human_behaviour_is_clean() {
        let f = web(human());
        assert!(f.flags.is_empty(), "{:?}", f.flags);
        assert!(f.has_code("I411"));
    }

    #[test]
    fn web_flags() {
        assert!(web(with(human(), "dwell_std_ms", json!(0.5))).has_flag("suspicious_keypress_characteristics"));
        assert!(
            web(with(with(human(), "dwell_mean_ms", json!(15.0)), "dwell_std_ms", json!(4.0)))
                .has_flag("potential_remote_control")
        );
        assert!(web(with(human(), "mouse_straightness", json!(1.0))).has_flag("suspicious_mouse_movement"));
        assert!(
            web(with(with(human(), "mouse_moves", json!(0)), "mouse_straightness", Value::Null))
                .has_flag("suspicious_mouse_movement")
        );
        assert!(web(with(human(), "form_fill_duration_ms", json!(900))).has_flag("suspicious_form_fillout"));
        let pasted = with(with(human(), "pastes", json!(2)), "pasted_fields", json!(2));
        let f = web(pasted.clone());
        assert!(f.has_flag("paste_used") && !f.has_flag("potential_remote_interaction"));
        assert!(web(with(pasted, "window_blurs", json!(4))).has_flag("potential_remote_interaction"));
        assert!(web(with(human(), "autofills", json!(3))).has_flag("autofill_used"));
    }

    fn mobile(behavior: Value, signals: Value) -> crate::detect::Findings {
        let mut p = payload(Platform::Android, signals);
        p.behavior = Some(behavior);
        findings(&AnalysisInput::new(&p, p.collected_at))
    }

    #[test]
    fn mobile_flags() {
        let human = json!({"touches": 30, "taps": 20, "touch_pressure_std": 0.08, "touch_area_std": 0.05, "tap_interval_std_ms": 240.0, "motion_std": 0.4, "accessibility_events": 0});
        let f = mobile(human.clone(), json!({"telephony": {"is_on_call": false}, "audio": {"mode": "normal"}}));
        assert!(f.flags.is_empty(), "{:?}", f.flags);
        assert!(
            mobile(
                with(with(human.clone(), "touch_pressure_std", json!(0.0)), "touch_area_std", json!(0.0)),
                json!({})
            )
            .has_flag("possible_automation")
        );
        assert!(mobile(human.clone(), json!({"telephony": {"is_on_call": true}})).has_flag("possible_vishing"));
        let f = mobile(human.clone(), json!({"audio": {"mode": "in_call"}}));
        assert!(f.has_flag("possible_ongoing_call") && f.has_flag("possible_vishing"));
        let farm = mobile(
            with(human, "motion_std", json!(0.0)),
            json!({"battery": {"charging": true, "level": 100}, "system": {"screen_brightness": 5}}),
        );
        assert!(farm.has_flag("possible_device_farm"));
    }
}
