//! The IP answers, shaped like SEON's `ip_details` so the server can pass them through.

use std::net::IpAddr;

use serde::Serialize;

use super::special::AddressClass;

/// What Sightline knows about one IP address.
///
/// Field names follow SEON's `ip_details`. Flags that depend on a dataset are `null` when no
/// dataset of that kind is loaded: "not on the list" and "no list" must not look alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpDetails {
    pub ip: String,
    /// 0–100: how risky the address itself is (weights in `docs/enrichment.md`).
    pub score: f64,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub country_name: Option<String>,
    pub state_prov: Option<String>,
    pub city: Option<String>,
    /// IANA zone name, when the geolocation data has one (DB-IP Lite does not; GeoIP2 City does).
    pub timezone: Option<String>,
    /// SEON's `±HH:MM` offset; always `null`, as no offline dataset here carries one.
    pub timezone_offset: Option<String>,
    /// The network's name: the ISP for GeoIP2-ISP data, otherwise the AS holder.
    pub isp_name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// `PRIVATE`, `TOR`, `DCH` (data centre, hosting, VPN exit), `MOB` (mobile operator), `ISP`
    /// (any other known network) or `null`. Residential is not told apart from other ISP lines.
    #[serde(rename = "type")]
    pub ip_type: Option<&'static str>,
    /// Always `null`: no port scans are made.
    pub open_ports: Option<Vec<u16>>,
    pub tor: Option<bool>,
    pub vpn: Option<bool>,
    pub web_proxy: Option<bool>,
    pub public_proxy: Option<bool>,
    /// Always `null`: no spam block lists are shipped.
    pub spam_number: Option<u32>,
    pub spam_urls: Option<Vec<String>>,
    /// On an operator-supplied abuse list.
    pub harmful: Option<bool>,
    pub asn: Option<u32>,
    pub asn_organisation: Option<String>,
    /// A cloud, hosting or CDN network (from the range lists, else from the ASN).
    pub hosting: bool,
    /// The provider named by the range list that matched (`Amazon AWS`, `Mullvad`, …).
    pub provider: Option<String>,
    pub address_class: AddressClass,
    pub ip_version: u8,
}

/// How the public addresses a device's WebRTC stack revealed compare with the address its request
/// came from. A different public address of the same family means traffic goes through a proxy or
/// VPN that WebRTC bypasses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebRtcComparison {
    /// The public WebRTC addresses considered (private and local candidates are ignored).
    pub public_ips: Vec<IpAddr>,
    /// A public WebRTC address of the request's family differs from the request address.
    pub different_public_ip: bool,
    /// A public WebRTC address is in another country than the request address; `null` when a
    /// country is unknown.
    pub different_country: Option<bool>,
    pub request_country: Option<String>,
    pub webrtc_countries: Vec<String>,
}

impl IpDetails {
    /// Details with nothing known yet beyond the address itself.
    pub(crate) fn unknown(ip: IpAddr, address_class: AddressClass) -> IpDetails {
        IpDetails {
            ip: ip.to_string(),
            score: 0.0,
            country: None,
            country_name: None,
            state_prov: None,
            city: None,
            timezone: None,
            timezone_offset: None,
            isp_name: None,
            latitude: None,
            longitude: None,
            ip_type: None,
            open_ports: None,
            tor: None,
            vpn: None,
            web_proxy: None,
            public_proxy: None,
            spam_number: None,
            spam_urls: None,
            harmful: None,
            asn: None,
            asn_organisation: None,
            hosting: false,
            provider: None,
            address_class,
            ip_version: if ip.is_ipv4() { 4 } else { 6 },
        }
    }
}
