//! MaxMind DB files: geolocation (GeoIP2/GeoLite2 and DB-IP's nested layout, or the flat layout
//! of the ip-location-db packages) and ASN databases.
//!
//! Files are read into memory once; look-ups decode only the fields below, borrowing strings
//! from the file, so a call costs a tree walk and a few small allocations.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use maxminddb::Reader;
use serde::Deserialize;

use crate::error::LoadError;

/// One opened database.
pub(crate) struct Mmdb {
    reader: Reader<Vec<u8>>,
    /// An IPv4-only tree cannot answer for IPv6 addresses (the reader refuses), so such files
    /// are skipped for them; ip-location-db ships its city data as two files, one per family.
    ipv6: bool,
    pub path: PathBuf,
}

impl Mmdb {
    pub fn open(path: &Path) -> Result<Mmdb, LoadError> {
        let reader =
            Reader::open_readfile(path).map_err(|source| LoadError::Mmdb { path: path.to_path_buf(), source })?;
        let ipv6 = reader.metadata().ip_version == 6;
        Ok(Mmdb { reader, ipv6, path: path.to_path_buf() })
    }

    /// Decodes the records of a few well-known addresses as `T`, so a file whose layout the
    /// decoder does not understand is reported at load time instead of answering nothing.
    fn probe<'a, T: Deserialize<'a>>(&'a self) -> Result<(), LoadError> {
        for ip in ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "2a00:1450::1"] {
            let Ok(ip) = ip.parse::<IpAddr>() else { continue };
            if ip.is_ipv6() && !self.ipv6 {
                continue;
            }
            let Ok(result) = self.reader.lookup(ip) else { continue };
            if let Err(e) = result.decode::<T>() {
                return Err(LoadError::format(&self.path, format!("cannot decode the record of {ip}: {e}")));
            }
        }
        Ok(())
    }

    pub fn probe_geo(&self) -> Result<(), LoadError> {
        self.probe::<GeoRecord>()
    }

    pub fn probe_asn(&self) -> Result<(), LoadError> {
        self.probe::<AsnRecord>()
    }

    /// Decodes the record for `ip`; `None` when the file has none or cannot answer for this
    /// address family. A corrupt record is treated like a missing one: a look-up must not fail.
    fn record<'a, T: Deserialize<'a>>(&'a self, ip: IpAddr) -> Option<T> {
        if ip.is_ipv6() && !self.ipv6 {
            return None;
        }
        self.reader.lookup(ip).ok()?.decode().ok()?
    }
}

/// What a geolocation record says about an address.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Geo {
    pub country_code: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub time_zone: Option<String>,
}

#[derive(Deserialize)]
struct GeoRecord<'a> {
    // The flat ip-location-db layout.
    #[serde(borrow)]
    country_code: Option<&'a str>,
    #[serde(borrow)]
    state1: Option<&'a str>,
    #[serde(default, deserialize_with = "float")]
    latitude: Option<f64>,
    #[serde(default, deserialize_with = "float")]
    longitude: Option<f64>,
    #[serde(borrow)]
    timezone: Option<&'a str>,
    // `city` is a name in the flat layout and a record with `names` in GeoIP2's.
    #[serde(borrow)]
    city: Option<CityField<'a>>,
    // The GeoIP2 layout.
    #[serde(borrow)]
    country: Option<Named<'a>>,
    #[serde(borrow)]
    registered_country: Option<Named<'a>>,
    #[serde(borrow)]
    subdivisions: Option<Vec<Named<'a>>>,
    #[serde(borrow)]
    location: Option<Location<'a>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CityField<'a> {
    Name(&'a str),
    Record(#[serde(borrow)] Named<'a>),
}

#[derive(Deserialize)]
struct Named<'a> {
    #[serde(borrow)]
    iso_code: Option<&'a str>,
    #[serde(borrow)]
    names: Option<Names<'a>>,
}

#[derive(Deserialize)]
struct Names<'a> {
    #[serde(borrow)]
    en: Option<&'a str>,
}

#[derive(Deserialize)]
struct Location<'a> {
    #[serde(default, deserialize_with = "float")]
    latitude: Option<f64>,
    #[serde(default, deserialize_with = "float")]
    longitude: Option<f64>,
    #[serde(borrow)]
    time_zone: Option<&'a str>,
}

/// Coordinates are doubles in GeoIP2 files but 32-bit floats in the ip-location-db ones, and the
/// decoder does not widen one into the other by itself.
fn float<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    struct Float;
    impl serde::de::Visitor<'_> for Float {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number")
        }
        fn visit_f32<E>(self, v: f32) -> Result<Self::Value, E> {
            // Widening shows the float's noise (52.52000045776367); five decimals are a metre.
            Ok(Some((f64::from(v) * 1e5).round() / 1e5))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
    }
    deserializer.deserialize_any(Float)
}

/// Empty strings mean "unknown" in the flat layout.
fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl Named<'_> {
    fn name(&self) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.en)
    }
}

impl GeoRecord<'_> {
    fn into_geo(self) -> Geo {
        let country_code = text(self.country_code)
            .or_else(|| text(self.country.as_ref().and_then(|c| c.iso_code)))
            .or_else(|| text(self.registered_country.as_ref().and_then(|c| c.iso_code)))
            .map(|c| c.to_ascii_uppercase());
        let region = text(self.state1).or_else(|| {
            let first = self.subdivisions.as_ref().and_then(|s| s.first());
            text(first.and_then(|s| s.name().or(s.iso_code)))
        });
        let city = match &self.city {
            Some(CityField::Name(name)) => text(Some(name)),
            Some(CityField::Record(record)) => text(record.name()),
            None => None,
        };
        let location = self.location.as_ref();
        Geo {
            country_code,
            region,
            city,
            latitude: self.latitude.or(location.and_then(|l| l.latitude)),
            longitude: self.longitude.or(location.and_then(|l| l.longitude)),
            time_zone: text(self.timezone).or_else(|| text(location.and_then(|l| l.time_zone))),
        }
    }
}

/// Geolocation databases tried in order; the first with a country for the address answers.
pub(crate) struct GeoDbs {
    dbs: Vec<Mmdb>,
}

impl GeoDbs {
    pub fn new(dbs: Vec<Mmdb>) -> Self {
        GeoDbs { dbs }
    }

    pub fn lookup(&self, ip: IpAddr) -> Option<Geo> {
        self.dbs
            .iter()
            .filter_map(|db| db.record::<GeoRecord>(ip))
            .map(GeoRecord::into_geo)
            .find(|geo| geo.country_code.is_some())
    }
}

#[derive(Deserialize)]
struct AsnRecord<'a> {
    autonomous_system_number: Option<u32>,
    #[serde(borrow)]
    autonomous_system_organization: Option<&'a str>,
    // GeoIP2-ISP names the operator of the line, which is more useful than the AS holder.
    #[serde(borrow)]
    isp: Option<&'a str>,
}

/// An ASN answer: the AS number and the name of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asn {
    pub number: u32,
    pub organisation: Option<String>,
}

impl Mmdb {
    pub fn asn(&self, ip: IpAddr) -> Option<Asn> {
        let record: AsnRecord = self.record(ip)?;
        let number = record.autonomous_system_number?;
        Some(Asn { number, organisation: text(record.isp).or_else(|| text(record.autonomous_system_organization)) })
    }
}
