//! The IP module: geolocation, AS, hosting/VPN/Tor/proxy lists and address classes, combined
//! into [`IpDetails`].

mod asn;
mod details;
mod labelled;
mod mmdb;
mod networks;
mod ranges;
mod special;

use std::net::IpAddr;
use std::path::PathBuf;

pub use details::{IpDetails, WebRtcComparison};
pub(crate) use labelled::encode_iporigin;
pub use special::{AddressClass, classify};

use self::asn::{AsnDb, AsnTable};
use self::labelled::{Label, LabelledRanges};
use self::mmdb::{Asn, Geo, GeoDbs, Mmdb};
use crate::config::{EnrichConfig, RangeKind};
use crate::geo::countries;
use crate::manifest::Manifest;
use crate::status::{DatasetInfo, StatusBuilder};

/// Fetched geolocation datasets, most detailed first.
const GEO_DATASETS: [&str; 2] = ["dbip-city", "dbip-country"];
const ASN_DATASET: &str = "asn";
const RANGES_DATASET: &str = "iporigin";

/// How much each finding adds to the 0–100 score. A Tor exit is the strongest sign that the
/// person hides on purpose; a cloud address alone is common for corporate VPNs and relays.
const SCORE_TOR: f64 = 40.0;
const SCORE_PROXY: f64 = 30.0;
const SCORE_HARMFUL: f64 = 30.0;
const SCORE_VPN: f64 = 25.0;
const SCORE_HOSTING: f64 = 15.0;

pub(crate) struct IpModule {
    geo: Option<GeoDbs>,
    asn: Option<AsnDb>,
    /// The fetched table first, then the operator's files.
    lists: Vec<LabelledRanges>,
}

impl IpModule {
    pub fn load(config: &EnrichConfig, manifest: Option<&Manifest>, status: &mut StatusBuilder) -> IpModule {
        IpModule {
            geo: load_geo(config, manifest, status),
            asn: load_asn(config, manifest, status),
            lists: load_lists(config, manifest, status),
        }
    }

    pub fn lookup(&self, ip: IpAddr) -> IpDetails {
        let ip = ip.to_canonical();
        let class = classify(ip);
        let mut details = IpDetails::unknown(ip, class);
        if !class.is_public() {
            // No list or database has these; they are certainly none of the public kinds.
            details.ip_type = Some("PRIVATE");
            details.tor = Some(false);
            details.vpn = Some(false);
            details.web_proxy = Some(false);
            details.public_proxy = Some(false);
            details.harmful = Some(false);
            return details;
        }
        if let Some(geo) = self.geo(ip) {
            details.country_name = geo.country_code.as_deref().and_then(countries::name).map(str::to_string);
            details.country = geo.country_code;
            details.state_prov = geo.region;
            details.city = geo.city;
            details.latitude = geo.latitude;
            details.longitude = geo.longitude;
            details.timezone = geo.time_zone;
        }
        let asn = self.asn.as_ref().and_then(|db| db.lookup(ip));
        let hits: Vec<&Label> = self.lists.iter().filter_map(|list| list.get(ip)).collect();
        let flag = |kind: RangeKind| {
            if hits.iter().any(|label| label.kind == kind) {
                Some(true)
            } else {
                self.lists.iter().any(|list| list.covers(kind)).then_some(false)
            }
        };
        details.tor = flag(RangeKind::Tor);
        details.vpn = flag(RangeKind::Vpn);
        details.web_proxy = flag(RangeKind::WebProxy);
        details.public_proxy = flag(RangeKind::PublicProxy);
        details.harmful = flag(RangeKind::Harmful);
        let listed_hosting =
            hits.iter().any(|label| matches!(label.kind, RangeKind::Hosting | RangeKind::Cdn | RangeKind::Bot));
        let asn_hosting = asn.as_ref().is_some_and(|a| networks::is_hosting(a.number, a.organisation.as_deref()));
        details.hosting = listed_hosting || asn_hosting;
        details.provider = hits.iter().find_map(|label| label.provider.as_deref()).map(str::to_string);
        let mobile = asn.as_ref().is_some_and(|a| networks::is_mobile(a.organisation.as_deref()));
        let is = |flag: Option<bool>| flag == Some(true);
        details.ip_type = if is(details.tor) {
            Some("TOR")
        } else if details.hosting || is(details.vpn) || is(details.public_proxy) || is(details.web_proxy) {
            Some("DCH")
        } else if mobile {
            Some("MOB")
        } else if asn.is_some() {
            Some("ISP")
        } else {
            None
        };
        details.score = crate::score::additive(&[
            (is(details.tor), SCORE_TOR),
            (is(details.public_proxy) || is(details.web_proxy), SCORE_PROXY),
            (is(details.harmful), SCORE_HARMFUL),
            (is(details.vpn), SCORE_VPN),
            (details.hosting, SCORE_HOSTING),
        ]);
        if let Some(Asn { number, organisation }) = asn {
            details.asn = Some(number);
            details.isp_name.clone_from(&organisation);
            details.asn_organisation = organisation;
        }
        details
    }

    fn geo(&self, ip: IpAddr) -> Option<Geo> {
        self.geo.as_ref()?.lookup(ip)
    }

    fn country(&self, ip: IpAddr) -> Option<String> {
        if !classify(ip).is_public() {
            return None;
        }
        self.geo(ip)?.country_code
    }

    pub fn compare_webrtc(&self, request_ip: IpAddr, webrtc_ips: &[IpAddr]) -> WebRtcComparison {
        let request_ip = request_ip.to_canonical();
        let mut public_ips: Vec<IpAddr> =
            webrtc_ips.iter().map(|ip| ip.to_canonical()).filter(|ip| classify(*ip).is_public()).collect();
        public_ips.sort();
        public_ips.dedup();
        let different_public_ip = public_ips.iter().any(|ip| ip.is_ipv4() == request_ip.is_ipv4() && *ip != request_ip);
        let request_country = self.country(request_ip);
        let mut webrtc_countries: Vec<String> = public_ips.iter().filter_map(|ip| self.country(*ip)).collect();
        webrtc_countries.sort();
        webrtc_countries.dedup();
        let different_country = match &request_country {
            Some(request) if !webrtc_countries.is_empty() => Some(webrtc_countries.iter().any(|c| c != request)),
            _ => None,
        };
        WebRtcComparison { public_ips, different_public_ip, different_country, request_country, webrtc_countries }
    }

    /// The first listed address of a kind, so data-dependent tests can find a Tor exit or a
    /// cloud address without hard-coding one that may leave the list.
    pub fn first_address_of(&self, kind: RangeKind) -> Option<IpAddr> {
        self.lists.iter().find_map(|list| list.first_address_of(kind))
    }
}

fn files_with_suffix(manifest: &Manifest, id: &str, suffix: &str) -> Vec<PathBuf> {
    manifest
        .dataset(id)
        .map(|entry| manifest.files(entry))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

fn open_all(paths: &[PathBuf], status: &mut StatusBuilder) -> Vec<Mmdb> {
    let mut dbs = Vec::new();
    for path in paths {
        match Mmdb::open(path).and_then(|db| db.probe_geo().map(|()| db)) {
            Ok(db) => dbs.push(db),
            Err(e) => status.problem(format!("geolocation: {e}")),
        }
    }
    dbs
}

fn load_geo(config: &EnrichConfig, manifest: Option<&Manifest>, status: &mut StatusBuilder) -> Option<GeoDbs> {
    if !config.geo_mmdb.is_empty() {
        let dbs = open_all(&config.geo_mmdb, status);
        if !dbs.is_empty() {
            for db in &dbs {
                status.dataset(DatasetInfo::operator("geo_mmdb", db.path.clone()));
            }
            return Some(GeoDbs::new(dbs));
        }
        status.problem("geolocation: no operator database could be opened, using the fetched data");
    }
    let mut dbs = Vec::new();
    if let Some(manifest) = manifest {
        for id in GEO_DATASETS {
            let files = files_with_suffix(manifest, id, ".mmdb");
            if files.is_empty() {
                continue;
            }
            let opened = open_all(&files, status);
            if !opened.is_empty() {
                if let Some(entry) = manifest.dataset(id) {
                    status.dataset(manifest.info(entry));
                }
            }
            dbs.extend(opened);
        }
    }
    if dbs.is_empty() {
        status.problem("geolocation: no data (run scripts/data-fetch.sh or set geo_mmdb)");
        return None;
    }
    Some(GeoDbs::new(dbs))
}

fn load_asn(config: &EnrichConfig, manifest: Option<&Manifest>, status: &mut StatusBuilder) -> Option<AsnDb> {
    if let Some(path) = &config.asn_mmdb {
        match Mmdb::open(path).and_then(|db| db.probe_asn().map(|()| db)) {
            Ok(db) => {
                status.dataset(DatasetInfo::operator("asn_mmdb", path.clone()));
                return Some(AsnDb::Mmdb(db));
            }
            Err(e) => status.problem(format!("asn: {e}; using the fetched data")),
        }
    }
    let Some((manifest, entry)) = manifest.and_then(|m| m.dataset(ASN_DATASET).map(|e| (m, e))) else {
        status.problem("asn: no data (run scripts/data-fetch.sh or set asn_mmdb)");
        return None;
    };
    let files = files_with_suffix(manifest, ASN_DATASET, ".csv");
    match AsnTable::load(&files) {
        Ok(table) if table.len() > 0 => {
            status.dataset(manifest.info(entry));
            Some(AsnDb::Table(table))
        }
        Ok(_) => {
            status.problem("asn: the fetched tables are empty");
            None
        }
        Err(e) => {
            status.problem(format!("asn: {e}"));
            None
        }
    }
}

fn load_lists(config: &EnrichConfig, manifest: Option<&Manifest>, status: &mut StatusBuilder) -> Vec<LabelledRanges> {
    let mut lists = Vec::new();
    let fetched = manifest.and_then(|m| m.dataset(RANGES_DATASET).map(|e| (m, e)));
    match fetched {
        Some((manifest, entry)) => {
            let file = files_with_suffix(manifest, RANGES_DATASET, ".bin").into_iter().next();
            match file.map(|path| LabelledRanges::load_iporigin(&path)) {
                Some(Ok(list)) => {
                    status.dataset(manifest.info(entry));
                    lists.push(list);
                }
                Some(Err(e)) => status.problem(format!("ranges: {e}")),
                None => status.problem("ranges: the manifest lists no ranges.bin"),
            }
        }
        None => status.problem("ranges: no hosting/VPN/Tor ranges (run scripts/data-fetch.sh or set ip_ranges)"),
    }
    for file in &config.ip_ranges {
        match LabelledRanges::load_file(file) {
            Ok(list) if list.len() > 0 => {
                status.dataset(DatasetInfo::operator("ip_ranges", file.path.clone()));
                lists.push(list);
            }
            Ok(_) => status.problem(format!("ranges: {} has no ranges", file.path.display())),
            Err(e) => status.problem(format!("ranges: {e}")),
        }
    }
    lists
}
