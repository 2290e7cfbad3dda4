//! Birth dates as the lists give them: often only a year, or a year and a month.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date of which the month and day may be unknown.
///
/// Written as `1960`, `1960-05` or `1960-05-12`, in the saved index and in queries alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Ranges longer than this ("1940 to 1990") say nothing useful about a person, so they are dropped.
const MAX_RANGE_YEARS: u16 = 10;

impl PartialDate {
    pub fn year(year: u16) -> Self {
        PartialDate { year, month: None, day: None }
    }

    /// Builds a date, dropping a month or day that cannot exist; `None` for an implausible year.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if !(1800..=2200).contains(&year) {
            return None;
        }
        let month = month.filter(|m| (1..=12).contains(m));
        let day = match month {
            Some(_) => day.filter(|d| (1..=31).contains(d)),
            None => None,
        };
        Some(PartialDate { year, month, day })
    }

    /// True when nothing known about the two dates disagrees (1960 is compatible with 1960-05-12).
    pub fn compatible(&self, other: &PartialDate) -> bool {
        self.year == other.year
            && option_agrees(self.month, other.month)
            && (self.month.is_none() || other.month.is_none() || option_agrees(self.day, other.day))
    }

    /// True when both dates are complete and equal.
    pub fn exact(&self, other: &PartialDate) -> bool {
        self.day.is_some() && self == other
    }
}

fn option_agrees(a: Option<u8>, b: Option<u8>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

/// The text was not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError(pub String);

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_owned());
        let mut parts = s.trim().split('-');
        let year = parts.next().filter(|p| p.len() == 4).and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let month = parts.next().map(|p| p.parse::<u8>().map_err(|_| err())).transpose()?;
        let day = parts.next().map(|p| p.parse::<u8>().map_err(|_| err())).transpose()?;
        if parts.next().is_some() {
            return Err(err());
        }
        let date = PartialDate::new(year, month, day).ok_or_else(err)?;
        // A stored or queried date must say exactly what it means: no silently dropped month.
        if date.month != month || date.day != day {
            return Err(err());
        }
        Ok(date)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_word(word: &str) -> Option<u8> {
    let lower = word.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS.iter().position(|m| *m == prefix).and_then(|i| u8::try_from(i + 1).ok())
}

/// Reads the date notations the official lists use and returns every date they denote.
///
/// Handles `1960-05-12`, `12/05/1960` and `12.05.1960` (with `00` for an unknown day or
/// month, as OFSI writes), `05/1960`, `12 May 1960`, `May 1960`, `1960`, `circa 1960`, and
/// ranges such as `1958 to 1960` or `between 1958 and 1960` (one year-only date per year).
pub fn parse_list_dates(text: &str) -> Vec<PartialDate> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Ok(date) = text.parse::<PartialDate>() {
        return vec![date];
    }
    let cleaned = text.to_ascii_lowercase().replace(',', " ");
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !matches!(*w, "circa" | "approximately" | "about" | "c." | "ca."))
        .collect();
    if let Some(range) = parse_range(&words) {
        return range;
    }
    let joined = words.join(" ");
    if let Some(date) = parse_numeric(&joined) {
        return vec![date];
    }
    parse_words(&words).into_iter().collect()
}

fn parse_range(words: &[&str]) -> Option<Vec<PartialDate>> {
    let years: Vec<u16> = words.iter().filter(|w| w.len() == 4).filter_map(|w| w.parse::<u16>().ok()).collect();
    let is_range = words.iter().any(|w| matches!(*w, "to" | "and" | "-" | "–"));
    if !is_range || years.len() != 2 {
        return None;
    }
    let (from, to) = (years[0].min(years[1]), years[0].max(years[1]));
    if to - from > MAX_RANGE_YEARS {
        return Some(Vec::new());
    }
    Some((from..=to).filter_map(|y| PartialDate::new(y, None, None)).collect())
}

/// `dd/mm/yyyy`, `dd.mm.yyyy`, `mm/yyyy`, `yyyy/mm/dd` with zeros for unknown parts.
fn parse_numeric(text: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let num = |p: &str| p.parse::<u16>().ok();
    let nonzero = |v: u16| u8::try_from(v).ok().filter(|v| *v != 0);
    match parts.as_slice() {
        [y] if y.len() == 4 => PartialDate::new(num(y)?, None, None),
        [m, y] if y.len() == 4 => PartialDate::new(num(y)?, nonzero(num(m)?), None),
        [y, m, d] if y.len() == 4 => PartialDate::new(num(y)?, nonzero(num(m)?), nonzero(num(d)?)),
        [d, m, y] if y.len() == 4 => PartialDate::new(num(y)?, nonzero(num(m)?), nonzero(num(d)?)),
        _ => None,
    }
}

/// `12 May 1960`, `May 1960`, `12 may 1960`.
fn parse_words(words: &[&str]) -> Option<PartialDate> {
    match words {
        [d, m, y] => PartialDate::new(y.parse().ok()?, Some(month_word(m)?), d.parse().ok()),
        [m, y] => PartialDate::new(y.parse().ok()?, Some(month_word(m)?), None),
        [y] => PartialDate::new(y.parse().ok()?, None, None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    #[test]
    fn iso_forms_round_trip() {
        for text in ["1960", "1960-05", "1960-05-12"] {
            assert_eq!(d(text).to_string(), text);
        }
        assert!("1960-13".parse::<PartialDate>().is_err());
        assert!("60".parse::<PartialDate>().is_err());
        assert!("1960-05-12-1".parse::<PartialDate>().is_err());
    }

    #[test]
    fn list_notations() {
        assert_eq!(parse_list_dates("12/05/1960"), vec![d("1960-05-12")]);
        assert_eq!(parse_list_dates("00/00/1960"), vec![d("1960")]);
        assert_eq!(parse_list_dates("00/05/1960"), vec![d("1960-05")]);
        assert_eq!(parse_list_dates("05/1960"), vec![d("1960-05")]);
        assert_eq!(parse_list_dates("12 May 1960"), vec![d("1960-05-12")]);
        assert_eq!(parse_list_dates("Feb 1971"), vec![d("1971-02")]);
        assert_eq!(parse_list_dates("circa 1955"), vec![d("1955")]);
        assert_eq!(parse_list_dates("1958 to 1960"), vec![d("1958"), d("1959"), d("1960")]);
        assert_eq!(parse_list_dates("Between 1958 and 1959"), vec![d("1958"), d("1959")]);
        assert!(parse_list_dates("1900 to 1990").is_empty());
        assert!(parse_list_dates("unknown").is_empty());
        assert!(parse_list_dates("").is_empty());
    }

    #[test]
    fn compatibility_ignores_unknown_parts() {
        assert!(d("1960").compatible(&d("1960-05-12")));
        assert!(d("1960-05").compatible(&d("1960-05-12")));
        assert!(!d("1960-06").compatible(&d("1960-05-12")));
        assert!(!d("1961").compatible(&d("1960")));
        assert!(d("1960-05-12").exact(&d("1960-05-12")));
        assert!(!d("1960-05").exact(&d("1960-05")));
    }
}
