//! What the operator can set: where the fetched data lives and their own files that replace or
//! extend it. Everything has a default so an empty `[enrich]` section works.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One of the enrichment modules, as named in [`crate::ModuleStatus::name`] and in
/// [`EnrichConfig::off`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Ip,
    Email,
    Phone,
    Bin,
}

impl Module {
    pub const ALL: [Module; 4] = [Module::Ip, Module::Email, Module::Phone, Module::Bin];

    pub fn name(self) -> &'static str {
        match self {
            Module::Ip => "ip",
            Module::Email => "email",
            Module::Phone => "phone",
            Module::Bin => "bin",
        }
    }
}

/// What an address range in a range list means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeKind {
    /// Cloud and hosting providers: a machine, not somebody's home line.
    Hosting,
    /// Edge networks fronting other sites (Cloudflare, Akamai).
    Cdn,
    /// Consumer VPN and private-relay exits.
    Vpn,
    /// Tor exit relays.
    Tor,
    /// Declared crawlers (Googlebot and the like).
    Bot,
    /// Open proxies.
    PublicProxy,
    /// Web (CGI) proxies.
    WebProxy,
    /// Addresses on an abuse block list.
    Harmful,
}

/// An operator's own range list: one CIDR (`192.0.2.0/24`), address or `start-end` range per
/// line, optionally followed by `,label`; `#` starts a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    pub path: PathBuf,
    pub kind: RangeKind,
    /// Provider name used for lines without their own label.
    #[serde(default)]
    pub label: Option<String>,
}

/// Where the enrichment data is and which operator files replace or extend it.
///
/// Fetched data lives in `data_dir/enrich`, described by `manifest.json` (written by
/// `scripts/data-fetch.sh`). Every path is read once by [`crate::Enrichment::load`]; a file that
/// is missing or unreadable degrades its module instead of failing the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnrichConfig {
    /// The service's data directory; enrichment data is under its `enrich/` folder.
    pub data_dir: PathBuf,
    /// MaxMind DB files with geolocation (GeoIP2/GeoLite2 City or Country, DB-IP, or the
    /// ip-location-db layout), tried in order. When set they replace the fetched DB-IP files.
    pub geo_mmdb: Vec<PathBuf>,
    /// A MaxMind DB with `autonomous_system_number`/`_organization` (GeoIP2-ASN, GeoIP2-ISP,
    /// DB-IP ASN). When set it replaces the fetched ASN CSVs.
    pub asn_mmdb: Option<PathBuf>,
    /// Range lists consulted in addition to the fetched hosting/VPN/Tor table.
    pub ip_ranges: Vec<RangeFile>,
    /// Extra disposable email domains, one per line, added to the built-in list.
    pub disposable_domains: Option<PathBuf>,
    /// Extra free-mail provider domains, one per line, added to the built-in list.
    pub free_email_domains: Option<PathBuf>,
    /// A BIN CSV (format in `docs/enrichment.md`) consulted before the fetched BIN data.
    pub bin_csv: Option<PathBuf>,
    /// Modules switched off: their look-ups return `None`.
    pub off: Vec<Module>,
}

impl Default for EnrichConfig {
    fn default() -> Self {
        EnrichConfig {
            data_dir: PathBuf::from("data"),
            geo_mmdb: Vec::new(),
            asn_mmdb: None,
            ip_ranges: Vec::new(),
            disposable_domains: None,
            free_email_domains: None,
            bin_csv: None,
            off: Vec::new(),
        }
    }
}

impl EnrichConfig {
    /// A configuration reading fetched data from `data_dir` and nothing else.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        EnrichConfig { data_dir: data_dir.into(), ..EnrichConfig::default() }
    }

    pub fn enrich_dir(&self) -> PathBuf {
        self.data_dir.join("enrich")
    }

    pub(crate) fn is_off(&self, module: Module) -> bool {
        self.off.contains(&module)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialises_partial_configuration() {
        let config: EnrichConfig = serde_json::from_str(
            r#"{"data_dir": "/srv", "off": ["bin"],
                "ip_ranges": [{"path": "/srv/proxies.txt", "kind": "public_proxy"}]}"#,
        )
        .unwrap();
        assert_eq!(config.enrich_dir(), PathBuf::from("/srv/enrich"));
        assert!(config.is_off(Module::Bin) && !config.is_off(Module::Ip));
        assert_eq!(config.ip_ranges[0].kind, RangeKind::PublicProxy);
        assert_eq!(config.geo_mmdb, Vec::<PathBuf>::new());
        assert!(serde_json::from_str::<EnrichConfig>(r#"{"data_dri": "x"}"#).is_err());
        assert_eq!(serde_json::from_str::<EnrichConfig>("{}").unwrap(), EnrichConfig::default());
    }
}
