//! What the caller knows about where the person is, for the mismatch checks of the phone and
//! BIN modules.

/// Countries to compare against, as ISO 3166-1 alpha-2 codes (any case). Missing values make
/// the matching mismatch field `null`, never `true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountryContext<'a> {
    /// The request IP's country, e.g. [`crate::IpDetails::country`].
    pub ip_country: Option<&'a str>,
    /// The billing address's country.
    pub billing_country: Option<&'a str>,
}
