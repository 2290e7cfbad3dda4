//! `sightline-enrich` owns offline enrichment: what can be said about an IP address, an email
//! address, a phone number and a card BIN from data loaded once at start-up.
//!
//! - IP: country, region, city and coordinates (DB-IP Lite or an operator's MaxMind DB), AS
//!   number and network name, hosting/CDN/VPN/Tor ranges, operator proxy and abuse lists,
//!   private/reserved/CGNAT classes, IPv4 and IPv6 ([`IpDetails`]); WebRTC-versus-request
//!   comparison ([`WebRtcComparison`]) and [`ip_country_matches_timezone`].
//! - Email: RFC 5322 syntax, disposable and free providers, look-alike domains, velocity keys
//!   ([`normalise_for_velocity`]) and deliverability hints ([`EmailDetails`]).
//! - Phone: validity, line type, country, E.164 and country mismatches ([`PhoneDetails`]).
//! - BIN: network from the IIN ranges, issuer, type, level and country from BIN files, country
//!   mismatches ([`BinDetails`]).
//!
//! It never makes network requests and reads files only in [`Enrichment::load`]. Which
//! datasets are installed comes from `data/enrich/manifest.json`, written by
//! `scripts/data-fetch.sh`; what is missing degrades a module ([`ModuleStatus`]) instead of
//! failing the service. Sanctions screening lives elsewhere. The design, the datasets and their
//! licences are described in `docs/enrichment.md`.
//!
//! ```
//! use sightline_enrich::{CountryContext, EnrichConfig, Enrichment};
//!
//! let enrichment = Enrichment::load(&EnrichConfig::with_data_dir("data"));
//! let ip = enrichment.ip("10.0.0.1".parse()?).ok_or("the IP module is off")?;
//! assert_eq!(ip.ip_type, Some("PRIVATE"));
//! let phone = enrichment.phone("+4915112345678", &CountryContext::default()).ok_or("off")?;
//! assert_eq!((phone.valid, phone.number_type), (true, Some("mobile")));
//! let bin = enrichment.card_bin("424242", &CountryContext::default()).ok_or("off")?;
//! assert_eq!(bin.bin_card.as_deref(), Some("VISA"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cardbin;
mod config;
mod context;
mod email;
mod enrichment;
mod error;
mod geo;
mod ip;
mod manifest;
mod phone;
mod score;
mod status;
mod text;

#[doc(hidden)]
pub mod testkit;

pub use cardbin::BinDetails;
pub use config::{EnrichConfig, Module, RangeFile, RangeKind};
pub use context::CountryContext;
pub use email::{EmailDetails, EmailDomainDetails, normalise_for_velocity};
pub use enrichment::Enrichment;
pub use geo::timezones::ip_country_matches_timezone;
pub use ip::{AddressClass, IpDetails, WebRtcComparison};
pub use phone::PhoneDetails;
pub use status::{DatasetInfo, ModuleState, ModuleStatus};

/// The English name of an ISO 3166-1 alpha-2 country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    geo::countries::name(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn enrichment_can_be_shared_between_threads() {
        assert_send_sync::<Enrichment>();
    }
}
