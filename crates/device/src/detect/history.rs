//! Evidence that needs the store: how the device was recognised, who else
//! used it, and where the previous session was.

use super::{Ctx, Findings};
use crate::geo;
use crate::identity::LinkDecision;
use crate::input::GeoPoint;

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: f64 = 3_600_000.0;
/// Countries too large for a fixed GPS-to-reference-point radius.
const LARGE_COUNTRIES: [&str; 11] = ["US", "CA", "RU", "BR", "AU", "CN", "IN", "AR", "KZ", "MX", "ID"];

pub(super) fn detect(ctx: &Ctx, f: &mut Findings) {
    identity(ctx, f);
    velocity(ctx, f);
    travel(ctx, f);
}

fn identity(ctx: &Ctx, f: &mut Findings) {
    let h = &ctx.input.history;
    match &h.link {
        Some(LinkDecision::Exact { matched_on, .. }) if matched_on != "attributes" => {
            f.note("I401", format!("persistent {matched_on} id on record"));
        }
        Some(LinkDecision::Exact { .. }) => {
            f.note("I402", "identical attributes");
            f.raise("ids_reset", "R454", "recognised by identical attributes; persistent id new or unknown");
        }
        Some(LinkDecision::Linked { confidence, .. }) => {
            f.note("I402", format!("similarity {confidence:.2}"));
            f.raise("ids_reset", "R454", "recognised by fingerprint; persistent id new or unknown");
        }
        Some(LinkDecision::New) | None => {}
    }
    if let Some(known) = &h.known_device_hash {
        if *known == ctx.fp.device_hash {
            f.note("I418", "hardware hash unchanged");
            if h.known_browser_hash.as_ref().is_some_and(|b| *b != ctx.fp.browser_hash) {
                f.note("I419", "browser hash changed");
            }
        }
    }
    match h.is_new_device_for_person {
        Some(true) => f.raise("new_device_for_person", "R426", "first use of this device by the person"),
        Some(false) => {
            f.note("I403", "the person used this device before");
            if let Some(first) = h.person_device_first_seen_ms {
                let days = ctx.input.now_ms.saturating_sub(first) / DAY_MS;
                if days >= i64::from(ctx.cfg.established_device_days) {
                    f.note("I404", format!("first used {days} days ago"));
                }
            }
        }
        None => {}
    }
}

fn velocity(ctx: &Ctx, f: &mut Findings) {
    let h = &ctx.input.history;
    if let Some(n) = h.persons_on_device_24h.filter(|n| *n >= ctx.cfg.shared_device_persons_24h) {
        f.raise("shared_device_24h", "R424", format!("{n} persons in 24 h"));
    }
    if let Some(n) = h.persons_on_device_30d {
        if n >= ctx.cfg.shared_device_persons_30d {
            f.raise("shared_device_30d", "R425", format!("{n} persons in 30 days"));
        } else if n <= 1 {
            f.note("I406", "one person in 30 days");
        }
    }
    if let Some(n) = h.devices_of_person_30d.filter(|n| *n >= ctx.cfg.many_devices_of_person_30d) {
        f.raise("many_devices", "R427", format!("{n} devices in 30 days"));
    }
}

/// The device's GPS when precise enough.
fn gps(ctx: &Ctx) -> Option<GeoPoint> {
    let group = if ctx.web() { "geolocation" } else { "location" };
    let lat = ctx.s.f64(group, "latitude")?;
    let lon = ctx.s.f64(group, "longitude")?;
    let accuracy = ctx.s.f64(group, "accuracy_m");
    let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    (valid && accuracy.is_none_or(|a| a <= ctx.cfg.max_geo_accuracy_m)).then_some(GeoPoint {
        latitude: lat,
        longitude: lon,
        accuracy_m: accuracy,
    })
}

fn reference(country: Option<&str>) -> Option<(f64, f64)> {
    geo::country(country?).map(|c| (c.lat, c.lon))
}

fn travel(ctx: &Ctx, f: &mut Findings) {
    let ip_country = ctx.ip_country();
    let here_gps = gps(ctx);
    if let (Some(g), Some((lat, lon))) = (here_gps, reference(ip_country)) {
        let d = geo::haversine_km(g.latitude, g.longitude, lat, lon);
        let limit = if ip_country.is_some_and(|c| LARGE_COUNTRIES.contains(&c.to_ascii_uppercase().as_str())) {
            ctx.cfg.gps_ip_max_km.max(3500.0)
        } else {
            ctx.cfg.gps_ip_max_km
        };
        if d > limit {
            f.raise("gps_ip_mismatch", "R455", format!("GPS {d:.0} km from IP country {}", ip_country.unwrap_or("")));
        } else {
            f.note("I408", format!("GPS {d:.0} km from the reference point of {}", ip_country.unwrap_or("")));
        }
    }

    let Some(prev) = &ctx.input.history.last_seen else { return };
    let here = here_gps.map(|g| (g.latitude, g.longitude)).or_else(|| reference(ip_country));
    let there = prev
        .geo
        .filter(|g| g.accuracy_m.is_none_or(|a| a <= ctx.cfg.max_geo_accuracy_m))
        .map(|g| (g.latitude, g.longitude))
        .or_else(|| reference(prev.ip_country.as_deref()));
    let same_country =
        matches!((ip_country, prev.ip_country.as_deref()), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
    let (Some(here), Some(there)) = (here, there) else {
        if same_country {
            f.note("I415", "same IP country as the previous session");
        }
        return;
    };
    let km = geo::haversine_km(here.0, here.1, there.0, there.1);
    // Same-country hops measured between two reference points are 0 km;
    // within-country GPS distances still count.
    let hours = (ctx.input.now_ms.saturating_sub(prev.at_ms) as f64 / HOUR_MS).max(1.0 / 60.0);
    let speed = km / hours;
    if km >= ctx.cfg.min_travel_km && speed > ctx.cfg.max_travel_kmh {
        f.raise(
            "impossible_travel",
            "R428",
            format!("{km:.0} km in {:.1} h ({speed:.0} km/h) since the previous session", hours),
        );
    } else if same_country {
        f.note("I415", "same IP country as the previous session");
    } else if prev.ip_country.is_some() && ip_country.is_some() {
        f.note("I425", format!("{km:.0} km in {hours:.1} h"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sightline_payload::Platform;

    use crate::detect::testing::{findings, payload};
    use crate::identity::LinkDecision;
    use crate::input::{AnalysisInput, GeoPoint, LastSeen};

    #[test]
    fn identity_and_velocity() {
        let p = payload(Platform::Web, json!({}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.history.link = Some(LinkDecision::Exact { device_id: "d".into(), matched_on: "cookie".into() });
        input.history.is_new_device_for_person = Some(false);
        input.history.person_device_first_seen_ms = Some(p.collected_at - 40 * 86_400_000);
        input.history.persons_on_device_30d = Some(1);
        let f = findings(&input);
        for c in ["I401", "I403", "I404", "I406"] {
            assert!(f.has_code(c), "{c}");
        }
        input.history.is_new_device_for_person = Some(true);
        input.history.persons_on_device_24h = Some(4);
        input.history.persons_on_device_30d = Some(9);
        input.history.devices_of_person_30d = Some(7);
        let f = findings(&input);
        for n in ["new_device_for_person", "shared_device_24h", "shared_device_30d", "many_devices"] {
            assert!(f.has_flag(n), "{n}");
        }
    }

    #[test]
    fn impossible_travel_by_ip_country() {
        let p = payload(Platform::Web, json!({}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("US".to_owned());
        input.history.last_seen =
            Some(LastSeen { at_ms: p.collected_at - 2 * 3_600_000, ip_country: Some("DE".into()), geo: None });
        assert!(findings(&input).has_flag("impossible_travel"));
        input.history.last_seen =
            Some(LastSeen { at_ms: p.collected_at - 20 * 3_600_000, ip_country: Some("DE".into()), geo: None });
        let f = findings(&input);
        assert!(!f.has_flag("impossible_travel") && f.has_code("I425"));
        input.history.last_seen =
            Some(LastSeen { at_ms: p.collected_at - 60_000, ip_country: Some("US".into()), geo: None });
        let f = findings(&input);
        assert!(!f.has_flag("impossible_travel") && f.has_code("I415"));
    }

    #[test]
    fn gps_travel_and_ip() {
        let p =
            payload(Platform::Web, json!({"geolocation": {"latitude": 48.14, "longitude": 11.58, "accuracy_m": 30.0}}));
        let mut input = AnalysisInput::new(&p, p.collected_at);
        input.request.ip_country = Some("DE".to_owned());
        // Hamburg → Munich (610 km) in 10 minutes.
        input.history.last_seen = Some(LastSeen {
            at_ms: p.collected_at - 600_000,
            ip_country: Some("DE".into()),
            geo: Some(GeoPoint { latitude: 53.55, longitude: 9.99, accuracy_m: Some(20.0) }),
        });
        let f = findings(&input);
        assert!(f.has_flag("impossible_travel") && f.has_code("I408"));
        input.request.ip_country = Some("JP".to_owned());
        assert!(findings(&input).has_flag("gps_ip_mismatch"));
    }
}
