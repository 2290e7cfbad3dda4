//! The modules' 0–100 scores: a sum of fixed weights for what was found, capped at 100. Simple
//! on purpose, so a score can be explained from its flags; the rules engine does the weighing.

pub(crate) fn additive(findings: &[(bool, f64)]) -> f64 {
    // A fold from +0.0: `Iterator::sum` of nothing is -0.0 for floats, which serialises as "-0.0".
    findings.iter().filter(|(found, _)| *found).fold(0.0, |total, (_, weight)| total + weight).min(100.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_found_weights_and_caps() {
        assert_eq!(super::additive(&[]).to_string(), "0");
        assert_eq!(super::additive(&[(true, 40.0), (false, 30.0), (true, 25.0)]), 65.0);
        assert_eq!(super::additive(&[(true, 80.0), (true, 40.0)]), 100.0);
    }
}
