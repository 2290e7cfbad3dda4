//! How common each attribute value is among known devices. A match on a
//! rare value (an unusual GPU, a custom font set) identifies; a match on a
//! common one (the iPhone 15's screen) does not.
//!
//! Frequencies are kept per *class* too (platform, OS family, browser
//! family): most correlation between attributes runs through the class —
//! every iPhone Safari has the same fonts, plugins and engine — so bits
//! measured within the class are far closer to the truth than marginal
//! bits added up. The caller keeps one instance per population (tenant or
//! global), adding each new device and replacing a device's attributes when
//! it drifts.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sightline_payload::Platform;

use super::weights::Class;

/// Devices a population needs before its value frequencies replace the
/// attributes' prior weights: below it, a handful of devices makes every value
/// look common (each counts itself). Measured with `sightline evaluate`
/// (pooled over seeds, BENCHMARKS.md).
pub const MIN_STATS_POPULATION: u64 = 10;

/// Pseudo-count pulling a rarely observed value towards its prior.
const PRIOR_WEIGHT: f64 = 20.0;
const CLASS_ATTR: &str = "#class";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeStats {
    devices: u64,
    /// attr → value → devices; the class itself is counted under `#class`.
    counts: HashMap<String, HashMap<String, u64>>,
    /// class → attr → value → devices.
    within: HashMap<String, HashMap<String, HashMap<String, u64>>>,
}

/// "Web|desktop|windows|chrome": the class a fingerprint belongs to.
pub(crate) fn class_key(platform: Platform, attributes: &BTreeMap<String, String>) -> String {
    let ua = attributes.get("ua").map(String::as_str).unwrap_or("");
    let family = ua.split('/').next().unwrap_or("");
    let os = ua.rsplit('/').next().unwrap_or("");
    let class = match Class::of(platform, attributes) {
        Class::Desktop => "desktop",
        Class::MobileWeb => "mobile",
        Class::Native => "native",
    };
    format!("{}|{class}|{os}|{family}", platform.as_str())
}

impl AttributeStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// These frequencies once they cover `min_devices`, else `prior` (an
    /// empty instance: the attributes' prior weights). The server links with
    /// `min_devices` = [`MIN_STATS_POPULATION`]; `evaluate` mirrors it.
    pub fn or_prior<'a>(&'a self, prior: &'a AttributeStats, min_devices: u64) -> &'a AttributeStats {
        if self.devices >= min_devices { self } else { prior }
    }

    /// Known devices counted.
    pub fn devices(&self) -> u64 {
        self.devices
    }

    pub fn count(&self, attr: &str, value: &str) -> u64 {
        self.counts.get(attr).and_then(|m| m.get(value)).copied().unwrap_or(0)
    }

    pub fn add(&mut self, platform: Platform, attributes: &BTreeMap<String, String>) {
        self.apply(platform, attributes, true);
    }

    pub fn remove(&mut self, platform: Platform, attributes: &BTreeMap<String, String>) {
        self.apply(platform, attributes, false);
    }

    /// A known device's attributes changed from `old` to `new`.
    pub fn replace(&mut self, platform: Platform, old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) {
        self.remove(platform, old);
        self.add(platform, new);
    }

    fn apply(&mut self, platform: Platform, attributes: &BTreeMap<String, String>, add: bool) {
        let class = class_key(platform, attributes);
        self.devices = if add { self.devices + 1 } else { self.devices.saturating_sub(1) };
        bump(&mut self.counts, CLASS_ATTR, &class, add);
        let within = self.within.entry(class).or_default();
        for (k, v) in attributes {
            bump(&mut self.counts, k, v, add);
            bump(within, k, v, add);
        }
    }

    /// Surprisal of the value in bits, `-log2(frequency)`, over all devices;
    /// smoothed towards the prior `2^-prior_bits` so that an empty or small
    /// population falls back on the documented priors.
    pub fn bits(&self, attr: &str, value: &str, prior_bits: f64) -> f64 {
        (-self.frequency(attr, value, prior_bits).log2()).max(0.0)
    }

    fn frequency(&self, attr: &str, value: &str, prior_bits: f64) -> f64 {
        let prior = 2f64.powf(-prior_bits);
        (self.count(attr, value) as f64 + PRIOR_WEIGHT * prior) / (self.devices as f64 + PRIOR_WEIGHT)
    }

    /// Surprisal of the class itself.
    pub fn class_bits(&self, class: &str) -> f64 {
        self.bits(CLASS_ATTR, class, 2.0)
    }

    /// Surprisal of the value among devices of the same class, smoothed
    /// towards its overall frequency.
    pub fn bits_within(&self, class: &str, attr: &str, value: &str, prior_bits: f64) -> f64 {
        let overall = self.frequency(attr, value, prior_bits);
        let (n, c) = match self.within.get(class) {
            Some(m) => {
                let n = self.count(CLASS_ATTR, class) as f64;
                (n, m.get(attr).and_then(|v| v.get(value)).copied().unwrap_or(0) as f64)
            }
            None => (0.0, 0.0),
        };
        (-((c + PRIOR_WEIGHT * overall) / (n + PRIOR_WEIGHT)).log2()).max(0.0)
    }
}

fn bump(map: &mut HashMap<String, HashMap<String, u64>>, attr: &str, value: &str, add: bool) {
    if add {
        *map.entry(attr.to_owned()).or_default().entry(value.to_owned()).or_default() += 1;
    } else if let Some(m) = map.get_mut(attr) {
        if let Some(c) = m.get_mut(value) {
            *c = c.saturating_sub(1);
            if *c == 0 {
                m.remove(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(ua: &str, fonts: &str) -> BTreeMap<String, String> {
        [("ua".to_owned(), ua.to_owned()), ("fonts".to_owned(), fonts.to_owned())].into_iter().collect()
    }

    #[test]
    fn rare_values_carry_more_bits() {
        let mut s = AttributeStats::new();
        assert!((s.bits("fonts", "x", 5.0) - 5.0).abs() < 1e-9, "empty stats give the prior");
        for _ in 0..900 {
            s.add(Platform::Web, &attrs("safari/17/ios", "ios-default"));
        }
        for i in 0..100 {
            s.add(Platform::Web, &attrs("chrome/120/windows", &format!("win-{}", i % 10)));
        }
        s.add(Platform::Web, &attrs("chrome/120/windows", "rare"));
        assert!(s.bits("fonts", "ios-default", 5.0) < 0.5);
        assert!(s.bits("fonts", "rare", 5.0) > 6.0);
        // Within iPhones the default font set says nothing at all.
        let ios = class_key(Platform::Web, &attrs("safari/17/ios", ""));
        assert!(s.bits_within(&ios, "fonts", "ios-default", 5.0) < 0.05);
        assert!(s.class_bits(&ios) < 0.3);
        let win = class_key(Platform::Web, &attrs("chrome/120/windows", ""));
        let b = s.bits_within(&win, "fonts", "win-3", 5.0);
        assert!((2.5..4.5).contains(&b), "{b}");
        s.replace(Platform::Web, &attrs("chrome/120/windows", "rare"), &attrs("chrome/120/windows", "win-1"));
        assert_eq!(s.count("fonts", "rare"), 0);
        assert_eq!(s.devices(), 1001);
    }
}
