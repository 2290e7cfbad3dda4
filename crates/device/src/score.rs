//! The two scores. Both are explained entirely by reason codes.
//!
//! `device_risk` treats each risk code as independent evidence with the
//! probability `weight/100` and reports `100 × (1 − Π(1 − wᵢ/100))`: one
//! strong code gives its weight, several add up with diminishing returns,
//! and the result never exceeds 100 without clipping.
//!
//! `identity_correlation` starts at a neutral 50 and adds each present
//! code's correlation weight, clamped to 0–100.

use serde::{Deserialize, Serialize};

use crate::codes;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// 0–100.
    pub value: u8,
    /// The codes that moved the score, strongest first.
    pub reasons: Vec<String>,
}

pub(crate) fn device_risk<'a>(codes_present: impl Iterator<Item = &'a str>) -> Score {
    let mut weighted: Vec<(&'static str, u8)> = codes_present
        .filter_map(codes::info)
        .filter(|c| c.is_risk() && c.risk_weight > 0)
        .map(|c| (c.code, c.risk_weight))
        .collect();
    weighted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let keep: f64 = weighted.iter().map(|(_, w)| 1.0 - f64::from(*w) / 100.0).product();
    Score {
        value: (100.0 * (1.0 - keep)).round().clamp(0.0, 100.0) as u8,
        reasons: weighted.iter().map(|(c, _)| (*c).to_owned()).collect(),
    }
}

pub(crate) fn identity_correlation<'a>(codes_present: impl Iterator<Item = &'a str>) -> Score {
    let mut moved: Vec<(&'static str, i8)> = codes_present
        .filter_map(codes::info)
        .filter(|c| c.correlation_weight != 0)
        .map(|c| (c.code, c.correlation_weight))
        .collect();
    moved.sort_by(|a, b| b.1.unsigned_abs().cmp(&a.1.unsigned_abs()).then(a.0.cmp(b.0)));
    let total: i32 = 50 + moved.iter().map(|(_, w)| i32::from(*w)).sum::<i32>();
    Score { value: total.clamp(0, 100) as u8, reasons: moved.iter().map(|(c, _)| (*c).to_owned()).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_combines_without_exceeding_100() {
        assert_eq!(device_risk([].into_iter()).value, 0);
        assert_eq!(device_risk(["R401"].into_iter()).value, 70);
        let s = device_risk(["I416", "R443", "R401", "R402", "R422"].into_iter());
        assert!(s.value > 95 && s.value <= 100);
        assert_eq!(s.reasons.first().map(String::as_str), Some("R422"));
        assert!(!s.reasons.contains(&"I416".to_owned()));
    }

    #[test]
    fn correlation_moves_from_neutral() {
        assert_eq!(identity_correlation([].into_iter()).value, 50);
        assert_eq!(identity_correlation(["I401", "I403", "I404", "I406"].into_iter()).value, 100);
        assert_eq!(identity_correlation(["R424", "R425", "R426"].into_iter()).value, 0);
    }
}
