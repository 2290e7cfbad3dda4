//! Velocity counters: what a rule set needs counted, and the canonical names rules use for
//! them (`velocity.card_tx_1h`). The name is the contract between the rules and the server,
//! which computes exactly the counters a compiled rule set lists, so it must round-trip.
//!
//! Grammar: `<key>_<measure>_<window>` where
//! - key: `device`, `device_hash`, `ip`, `email`, `phone`, `user`, `card`;
//! - measure: `tx` (events), `amount` (sum of `transaction_amount`) or the plural of another
//!   key for a distinct count (`devices`, `device_hashes`, `ips`, `emails`, `phones`, `users`,
//!   `cards`);
//! - window: `10m`, `1h`, `24h`, `7d`, `30d`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a counter is keyed on: the event value that groups past events together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    DeviceId,
    DeviceHash,
    Ip,
    Email,
    Phone,
    UserId,
    CardHash,
}

impl KeyKind {
    pub const ALL: [KeyKind; 7] = [
        KeyKind::DeviceId,
        KeyKind::DeviceHash,
        KeyKind::Ip,
        KeyKind::Email,
        KeyKind::Phone,
        KeyKind::UserId,
        KeyKind::CardHash,
    ];

    /// The token used for it as a counter key.
    pub fn token(self) -> &'static str {
        match self {
            KeyKind::DeviceId => "device",
            KeyKind::DeviceHash => "device_hash",
            KeyKind::Ip => "ip",
            KeyKind::Email => "email",
            KeyKind::Phone => "phone",
            KeyKind::UserId => "user",
            KeyKind::CardHash => "card",
        }
    }

    /// The token used for it as a distinct-count measure.
    pub fn plural(self) -> &'static str {
        match self {
            KeyKind::DeviceId => "devices",
            KeyKind::DeviceHash => "device_hashes",
            KeyKind::Ip => "ips",
            KeyKind::Email => "emails",
            KeyKind::Phone => "phones",
            KeyKind::UserId => "users",
            KeyKind::CardHash => "cards",
        }
    }

    /// Where the server finds the key value in an event (`device.hash` comes from the
    /// device analysis, everything else from the request).
    pub fn event_path(self) -> &'static str {
        match self {
            KeyKind::DeviceId => "request.device_id",
            KeyKind::DeviceHash => "device.hash",
            KeyKind::Ip => "request.ip",
            KeyKind::Email => "request.email",
            KeyKind::Phone => "request.phone_number",
            KeyKind::UserId => "request.user_id",
            KeyKind::CardHash => "request.card_hash",
        }
    }
}

/// What is measured over the matching events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "of")]
pub enum Measure {
    /// Number of events, the current one included.
    Count,
    /// Number of distinct values of another key, the current event's included.
    DistinctCount(KeyKind),
    /// Sum of `request.transaction_amount`, the current event's included.
    SumAmount,
}

/// The look-back window, ending at the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "10m")]
    Minutes10,
    #[serde(rename = "1h")]
    Hour1,
    #[serde(rename = "24h")]
    Hours24,
    #[serde(rename = "7d")]
    Days7,
    #[serde(rename = "30d")]
    Days30,
}

impl Window {
    pub const ALL: [Window; 5] = [Window::Minutes10, Window::Hour1, Window::Hours24, Window::Days7, Window::Days30];

    pub fn token(self) -> &'static str {
        match self {
            Window::Minutes10 => "10m",
            Window::Hour1 => "1h",
            Window::Hours24 => "24h",
            Window::Days7 => "7d",
            Window::Days30 => "30d",
        }
    }

    pub fn seconds(self) -> u64 {
        match self {
            Window::Minutes10 => 600,
            Window::Hour1 => 3_600,
            Window::Hours24 => 86_400,
            Window::Days7 => 7 * 86_400,
            Window::Days30 => 30 * 86_400,
        }
    }
}

/// One counter a rule set needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VelocitySpec {
    pub key: KeyKind,
    pub measure: Measure,
    pub window: Window,
}

/// Why a name is not a velocity counter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VelocityNameError {
    #[error("'{0}' does not end in a window (10m, 1h, 24h, 7d, 30d)")]
    Window(String),
    #[error(
        "'{0}' is not <key>_<measure>: keys are device, device_hash, ip, email, phone, user, card; measures are tx, amount or a plural key such as users"
    )]
    KeyMeasure(String),
    #[error("'{0}' counts distinct values of its own key, which is always 1")]
    SelfDistinct(String),
}

impl VelocitySpec {
    pub fn new(key: KeyKind, measure: Measure, window: Window) -> Self {
        VelocitySpec { key, measure, window }
    }

    /// The canonical name, as used after `velocity.` in rules.
    pub fn name(&self) -> String {
        self.to_string()
    }

    /// Whether the counter is a whole number (event and distinct counts) rather than an
    /// amount; counts are handed to rules as `int`, amounts as `double`.
    pub fn is_count(&self) -> bool {
        !matches!(self.measure, Measure::SumAmount)
    }

    /// Every valid counter, for documentation and exhaustive tests.
    pub fn all() -> impl Iterator<Item = VelocitySpec> {
        KeyKind::ALL.into_iter().flat_map(|key| {
            let measures = [Measure::Count, Measure::SumAmount]
                .into_iter()
                .chain(KeyKind::ALL.into_iter().filter(move |k| *k != key).map(Measure::DistinctCount))
                .collect::<Vec<_>>();
            measures.into_iter().flat_map(move |measure| {
                Window::ALL.into_iter().map(move |window| VelocitySpec::new(key, measure, window))
            })
        })
    }
}

impl fmt::Display for VelocitySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let measure = match self.measure {
            Measure::Count => "tx",
            Measure::SumAmount => "amount",
            Measure::DistinctCount(k) => k.plural(),
        };
        write!(f, "{}_{}_{}", self.key.token(), measure, self.window.token())
    }
}

impl FromStr for VelocitySpec {
    type Err = VelocityNameError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let (rest, window) = name
            .rsplit_once('_')
            .and_then(|(rest, w)| Window::ALL.into_iter().find(|x| x.token() == w).map(|x| (rest, x)))
            .ok_or_else(|| VelocityNameError::Window(name.to_owned()))?;
        let measures = [("tx", Measure::Count), ("amount", Measure::SumAmount)]
            .into_iter()
            .chain(KeyKind::ALL.into_iter().map(|k| (k.plural(), Measure::DistinctCount(k))));
        for (token, measure) in measures {
            let Some(key) = rest
                .strip_suffix(token)
                .and_then(|k| k.strip_suffix('_'))
                .and_then(|k| KeyKind::ALL.into_iter().find(|x| x.token() == k))
            else {
                continue;
            };
            if measure == Measure::DistinctCount(key) {
                return Err(VelocityNameError::SelfDistinct(name.to_owned()));
            }
            return Ok(VelocitySpec::new(key, measure, window));
        }
        Err(VelocityNameError::KeyMeasure(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_round_trips_through_its_name() {
        let mut n = 0;
        for spec in VelocitySpec::all() {
            let name = spec.name();
            assert_eq!(name.parse::<VelocitySpec>(), Ok(spec), "{name}");
            n += 1;
        }
        // 7 keys × (count + sum + 6 other keys) × 5 windows
        assert_eq!(n, 7 * 8 * 5);
    }

    #[test]
    fn names_from_the_brief() {
        let s: VelocitySpec = "device_users_24h".parse().unwrap();
        assert_eq!(s, VelocitySpec::new(KeyKind::DeviceId, Measure::DistinctCount(KeyKind::UserId), Window::Hours24));
        let s: VelocitySpec = "card_tx_1h".parse().unwrap();
        assert_eq!(s, VelocitySpec::new(KeyKind::CardHash, Measure::Count, Window::Hour1));
        let s: VelocitySpec = "user_amount_24h".parse().unwrap();
        assert!(!s.is_count());
        assert!(matches!(
            "device_hash_device_hashes_7d".parse::<VelocitySpec>(),
            Err(VelocityNameError::SelfDistinct(_))
        ));
        assert_eq!(Window::Days7.seconds(), 7 * 86_400);
        let s: VelocitySpec = "device_hash_users_10m".parse().unwrap();
        assert_eq!(s.key, KeyKind::DeviceHash);
    }

    #[test]
    fn bad_names_say_why() {
        assert!(matches!("card_tx_2h".parse::<VelocitySpec>(), Err(VelocityNameError::Window(_))));
        assert!(matches!("cards_tx_1h".parse::<VelocitySpec>(), Err(VelocityNameError::KeyMeasure(_))));
        assert!(matches!("card_cards_1h".parse::<VelocitySpec>(), Err(VelocityNameError::SelfDistinct(_))));
        assert!(matches!("_tx_1h".parse::<VelocitySpec>(), Err(VelocityNameError::KeyMeasure(_))));
        assert!(matches!("".parse::<VelocitySpec>(), Err(VelocityNameError::Window(_))));
        assert!(matches!("tx_1h".parse::<VelocitySpec>(), Err(VelocityNameError::KeyMeasure(_))));
    }
}
