//! Card brands from the issuer identification number ranges the networks publish (ISO/IEC 7812
//! prefixes). Needs no data file, so a BIN is never answered with nothing: the brand at least
//! is always known for the major networks.

/// A prefix rule: the first `digits` digits of the BIN, read as a number, fall in `low..=high`.
struct Rule {
    digits: usize,
    low: u32,
    high: u32,
    brand: &'static str,
}

const fn rule(digits: usize, low: u32, high: u32, brand: &'static str) -> Rule {
    Rule { digits, low, high, brand }
}

/// Longer prefixes are more specific and win (Discover's `6011` inside RuPay's `60`).
const RULES: &[Rule] = &[
    rule(1, 4, 4, "VISA"),
    rule(2, 51, 55, "MASTERCARD"),
    rule(4, 2221, 2720, "MASTERCARD"),
    rule(2, 34, 34, "AMERICAN EXPRESS"),
    rule(2, 37, 37, "AMERICAN EXPRESS"),
    rule(4, 6011, 6011, "DISCOVER"),
    rule(3, 644, 649, "DISCOVER"),
    rule(2, 65, 65, "DISCOVER"),
    rule(6, 622_126, 622_925, "DISCOVER"),
    rule(4, 3528, 3589, "JCB"),
    rule(2, 62, 62, "UNIONPAY"),
    rule(3, 300, 305, "DINERS CLUB"),
    rule(4, 3095, 3095, "DINERS CLUB"),
    rule(2, 36, 36, "DINERS CLUB"),
    rule(2, 38, 39, "DINERS CLUB"),
    rule(4, 5018, 5018, "MAESTRO"),
    rule(4, 5020, 5020, "MAESTRO"),
    rule(4, 5038, 5038, "MAESTRO"),
    rule(4, 5893, 5893, "MAESTRO"),
    rule(4, 6304, 6304, "MAESTRO"),
    rule(4, 6759, 6759, "MAESTRO"),
    rule(4, 6761, 6763, "MAESTRO"),
    rule(2, 56, 58, "MAESTRO"),
    rule(4, 2200, 2204, "MIR"),
    rule(4, 5019, 5019, "DANKORT"),
    rule(4, 9792, 9792, "TROY"),
    rule(2, 60, 60, "RUPAY"),
    rule(3, 508, 508, "RUPAY"),
    rule(1, 1, 1, "UATP"),
];

/// The network of a BIN given as ASCII digits.
pub(crate) fn brand(digits: &str) -> Option<&'static str> {
    RULES
        .iter()
        .filter(|r| digits.len() >= r.digits)
        .filter(|r| digits[..r.digits].parse::<u32>().is_ok_and(|p| (r.low..=r.high).contains(&p)))
        .max_by_key(|r| r.digits)
        .map(|r| r.brand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_bins_of_each_network() {
        for (bin, expected) in [
            ("411111", "VISA"),
            ("424242", "VISA"),
            ("555555", "MASTERCARD"),
            ("222300", "MASTERCARD"),
            ("272099", "MASTERCARD"),
            ("378282", "AMERICAN EXPRESS"),
            ("601111", "DISCOVER"),
            ("622126", "DISCOVER"),
            ("353011", "JCB"),
            ("620000", "UNIONPAY"),
            ("305693", "DINERS CLUB"),
            ("675964", "MAESTRO"),
            ("220000", "MIR"),
            ("608001", "RUPAY"),
        ] {
            assert_eq!(brand(bin), Some(expected), "{bin}");
        }
        assert_eq!(brand("272100"), None);
        assert_eq!(brand("999999"), None);
        assert_eq!(brand(""), None);
    }
}
