//! The linking attribute table: how much each attribute identifies a device
//! (prior bits of entropy, per platform class) and how stable it is. The
//! similarity weight of an attribute is `bits × stability`; the bits alone
//! feed the identifying-power gate. Documented in `docs/device-intelligence.md`.

use std::collections::BTreeMap;

use sightline_payload::Platform;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Exact,
    /// "family/major/os": family and OS must match (veto otherwise); a
    /// newer major is expected drift, an older one is not.
    UserAgent,
    /// Dotted versions: newer is drift, older is a contradiction.
    Version,
    /// Comma-separated preference list: same set in another order is drift.
    Languages,
}

/// Attributes in one group are strongly correlated (a phone model fixes its
/// screen, DPR, cores, GPU and canvas rendering; a country fixes time zone
/// and mostly the languages), so only the most identifying agreement of a
/// group counts in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// The hardware model and what renders on it.
    Device,
    /// OS and browser build.
    Version,
    /// Installed fonts (user-specific on desktops).
    Fonts,
    Locale,
    User,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Desktop,
    MobileWeb,
    Native,
}

impl Class {
    pub fn of(platform: Platform, attributes: &BTreeMap<String, String>) -> Class {
        match platform {
            Platform::Android | Platform::Ios => Class::Native,
            Platform::Web => match attributes.get("ua").and_then(|ua| ua.rsplit('/').next()) {
                Some("android") | Some("ios") => Class::MobileWeb,
                _ => Class::Desktop,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributeSpec {
    pub key: &'static str,
    /// Prior identifying power in bits for desktop browsers, mobile
    /// browsers and native apps; 0 = not used for that class.
    pub bits: [f64; 3],
    /// Probability that the value is unchanged between two visits.
    pub stability: f64,
    pub comparator: Comparator,
    pub group: Group,
    /// A change of a strong attribute is evidence of another device.
    pub strong: bool,
    /// May change with a browser or OS update (rendering stacks, builds).
    pub update_sensitive: bool,
}

impl AttributeSpec {
    pub fn prior_bits(&self, class: Class) -> f64 {
        self.bits[class as usize]
    }

    pub fn weight(&self, class: Class) -> f64 {
        self.prior_bits(class) * self.stability
    }
}

macro_rules! specs {
    ($( $key:literal [$d:literal, $m:literal, $n:literal] $stab:literal $cmp:ident $group:ident $strong:literal $upd:literal ;)*) => {
        &[ $( AttributeSpec { key: $key, bits: [$d, $m, $n], stability: $stab, comparator: Comparator::$cmp, group: Group::$group, strong: $strong, update_sensitive: $upd } ),* ]
    };
}

static SPECS: &[AttributeSpec] = specs! {
    //                 desk  mweb  native stab  cmp        group    strong upd
    "ua"              [2.0,  2.0,  0.0]  0.90 UserAgent Version  false false;
    "os_version"      [1.5,  3.0,  3.0]  0.90 Version   Version  false false;
    "nav_platform"    [0.5,  0.2,  0.0]  0.99 Exact     Version  false false;
    "screen"          [4.0,  3.0,  2.5]  0.90 Exact     Device   false false;
    "avail"           [2.0,  1.0,  0.0]  0.85 Exact     Device   false false;
    "color_depth"     [0.5,  0.2,  0.0]  0.99 Exact     Device   false false;
    "dpr"             [1.5,  1.0,  1.0]  0.80 Exact     Device   false false;
    "cores"           [2.0,  1.0,  1.0]  0.99 Exact     Device   true  false;
    "memory"          [1.0,  1.0,  1.5]  0.99 Exact     Device   false false;
    "touch_points"    [1.0,  0.3,  0.0]  0.99 Exact     Device   false false;
    "gpu"             [5.0,  1.5,  0.0]  0.97 Exact     Device   true  false;
    "webgl"           [3.0,  1.5,  0.0]  0.90 Exact     Device   true  true;
    "canvas"          [5.0,  2.0,  0.0]  0.90 Exact     Device   true  true;
    "audio"           [2.0,  1.0,  0.0]  0.90 Exact     Device   false true;
    "fonts"           [6.0,  1.0,  0.0]  0.95 Exact     Fonts    true  false;
    "math"            [0.5,  0.3,  0.0]  0.98 Exact     Version  false true;
    "timezone"        [3.5,  3.5,  3.5]  0.90 Exact     Locale   false false;
    "languages"       [3.0,  3.0,  2.5]  0.95 Languages Locale   false false;
    "locale"          [1.0,  1.0,  0.0]  0.95 Exact     Locale   false false;
    "keyboard"        [1.5,  0.0,  0.0]  0.97 Exact     Locale   false false;
    "plugins"         [0.5,  0.1,  0.0]  0.95 Exact     Version  false true;
    "engine"          [0.3,  0.3,  0.0]  0.95 Exact     Version  false true;
    "model"           [0.0,  5.0,  5.0]  0.99 Exact     Device   true  false;
    "media"           [1.0,  0.5,  0.0]  0.80 Exact     Device   false false;
    "build"           [0.0,  0.0,  4.0]  0.90 Exact     Version  false true;
    "storage"         [0.0,  0.0,  2.0]  0.99 Exact     Device   true  false;
    "sensors"         [0.0,  0.0,  4.0]  0.98 Exact     Device   true  false;
    "cpu"             [0.0,  0.0,  2.0]  0.99 Exact     Device   false false;
    "kernel"          [0.0,  0.0,  3.0]  0.90 Exact     Version  false true;
    "carrier"         [0.0,  0.0,  2.0]  0.90 Exact     Locale   false false;
    "device_name"     [0.0,  0.0,  6.0]  0.95 Exact     User     true  false;
    "first_api_level" [0.0,  0.0,  1.0]  1.00 Exact     Device   false false;
};

/// The attribute table used by [`crate::link`].
pub fn attribute_specs() -> &'static [AttributeSpec] {
    SPECS
}

/// The attribute table as markdown (embedded in `docs/device-intelligence.md`,
/// checked by a test).
pub fn render_markdown() -> String {
    let mut out = String::from(
        "| attribute | prior bits: desktop | mobile web | native | stability | penalty on change (bits) | comparison | group | strong | changes with updates |\n\
         |---|---:|---:|---:|---:|---:|---|---|---|---|\n",
    );
    for s in SPECS {
        let bits = |b: f64| if b > 0.0 { format!("{b:.1}") } else { "–".to_owned() };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {:.2} | {:.1} | {:?} | {:?} | {} | {} |\n",
            s.key,
            bits(s.bits[0]),
            bits(s.bits[1]),
            bits(s.bits[2]),
            s.stability,
            -(1.0 - s.stability).max(1e-3).log2(),
            s.comparator,
            s.group,
            if s.strong { "yes" } else { "" },
            if s.update_sensitive { "yes" } else { "" },
        ));
    }
    out
}

/// Similarity in [0, 1] of two values of one attribute, and whether the
/// difference is expected drift (`None` = incompatible: veto).
pub(crate) fn compare(cmp: Comparator, a: &str, b: &str, max_version_jump: u32, drift_credit: f64) -> Option<f64> {
    if a == b {
        return Some(1.0);
    }
    match cmp {
        Comparator::Exact => Some(0.0),
        Comparator::UserAgent => {
            let mut pa = a.splitn(3, '/');
            let mut pb = b.splitn(3, '/');
            let (fa, ma, oa) = (pa.next(), pa.next(), pa.next());
            let (fb, mb, ob) = (pb.next(), pb.next(), pb.next());
            if oa.is_none() || ob.is_none() {
                return Some(0.0);
            }
            if fa != fb || oa != ob {
                return None;
            }
            let ma: Option<u32> = ma.and_then(|m| m.parse().ok());
            let mb: Option<u32> = mb.and_then(|m| m.parse().ok());
            Some(match (ma, mb) {
                // `a` is the candidate, `b` the known device: browsers update forward.
                (Some(ma), Some(mb)) if ma > mb && ma - mb <= max_version_jump => drift_credit,
                _ => 0.0,
            })
        }
        Comparator::Version => Some(if version_newer(a, b) { drift_credit } else { 0.0 }),
        Comparator::Languages => {
            let la: Vec<&str> = a.split(',').collect();
            let lb: Vec<&str> = b.split(',').collect();
            let mut sa = la.clone();
            let mut sb = lb.clone();
            sa.sort_unstable();
            sb.sort_unstable();
            if sa == sb {
                return Some(drift_credit);
            }
            let common = la.iter().filter(|l| lb.contains(l)).count() as f64;
            let union = (la.len() + lb.len()) as f64 - common;
            let jaccard = if union > 0.0 { common / union } else { 0.0 };
            let same_first = la.first() == lb.first();
            Some(if same_first { 0.5 + 0.3 * jaccard } else { 0.4 * jaccard })
        }
    }
}

/// Whether dotted version `a` is strictly newer than `b`.
pub(crate) fn version_newer(a: &str, b: &str) -> bool {
    let parse = |v: &str| v.split('.').map(|p| p.parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    let (va, vb) = (parse(a), parse(b));
    for i in 0..va.len().max(vb.len()) {
        let (x, y) = (va.get(i).copied().unwrap_or(0), vb.get(i).copied().unwrap_or(0));
        if x != y {
            return x > y;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparators() {
        assert_eq!(compare(Comparator::UserAgent, "chrome/121/windows", "chrome/120/windows", 8, 0.9), Some(0.9));
        assert_eq!(compare(Comparator::UserAgent, "chrome/119/windows", "chrome/120/windows", 8, 0.9), Some(0.0));
        assert_eq!(compare(Comparator::UserAgent, "firefox/120/windows", "chrome/120/windows", 8, 0.9), None);
        assert_eq!(compare(Comparator::UserAgent, "chrome/120/macos", "chrome/120/windows", 8, 0.9), None);
        assert_eq!(compare(Comparator::Version, "17.3", "17.2", 8, 0.9), Some(0.9));
        assert_eq!(compare(Comparator::Version, "17.1", "17.2", 8, 0.9), Some(0.0));
        assert_eq!(compare(Comparator::Languages, "en-us,de", "de,en-us", 8, 0.9), Some(0.9));
        let partial = compare(Comparator::Languages, "de-de,de", "de-de,de,en", 8, 0.9).unwrap_or(0.0);
        assert!(partial > 0.5 && partial < 0.9);
        assert!(version_newer("10.15.7", "10.15"));
        assert!(!version_newer("10.15", "10.15.0"));
    }

    #[test]
    fn table_is_sane() {
        assert!(SPECS.len() <= 64, "comparisons keep attributes in a u64 mask");
        let mut keys: Vec<_> = SPECS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len());
        for s in SPECS {
            assert!(s.stability > 0.0 && s.stability <= 1.0);
            assert!(s.bits.iter().all(|b| *b >= 0.0));
        }
    }
}
