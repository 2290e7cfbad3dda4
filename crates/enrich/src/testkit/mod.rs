//! Test support: a minimal MaxMind DB writer and a complete fixture data directory, so unit
//! tests and benchmarks run without the fetched datasets. Not part of the supported API.

mod mmdb_writer;

use std::io;
use std::path::{Path, PathBuf};

pub use mmdb_writer::{MmdbWriter, Value};

use crate::config::EnrichConfig;

/// Addresses the fixture knows, for tests to refer to. The facts are invented; the addresses
/// are public ones because documentation ranges are classified as not public and never looked up.
pub mod addresses {
    /// Geolocated to Berlin, DE, AS 3320 "Deutsche Telekom AG".
    pub const BERLIN: &str = "81.2.69.10";
    /// Geolocated to Mountain View, US, AS 15169 "Google LLC", and an Amazon AWS hosting range.
    pub const CLOUD: &str = "3.5.140.20";
    /// Geolocated to Paris, FR, and a Tor exit.
    pub const TOR_EXIT: &str = "185.220.101.30";
    /// Geolocated to Amsterdam, NL, and a Mullvad VPN exit.
    pub const VPN_EXIT: &str = "185.213.154.200";
    /// IPv6, geolocated to DE via the GeoIP2-style record, AS 3320.
    pub const BERLIN_V6: &str = "2a01:4f8:1::5";
    /// AS 64512 with a mobile operator's name, no geolocation.
    pub const MOBILE: &str = "100.200.0.10";
}

fn flat_city(country: &str, state: &str, city: &str, lat: f64, lon: f64) -> Value {
    Value::map([
        ("country_code", Value::from(country)),
        ("state1", Value::from(state)),
        ("state2", Value::from("")),
        ("city", Value::from(city)),
        ("postcode", Value::from("")),
        ("latitude", Value::F32(lat as f32)),
        ("longitude", Value::F32(lon as f32)),
        ("timezone", Value::from("")),
    ])
}

fn geoip2_city(country: &str, city: &str, zone: &str) -> Value {
    let names = |name: &str| Value::map([("en", Value::from(name))]);
    Value::map([
        ("city", Value::map([("names", names(city))])),
        ("country", Value::map([("iso_code", Value::from(country)), ("names", names("Germany"))])),
        (
            "subdivisions",
            Value::Array(vec![Value::map([("iso_code", Value::from("BE")), ("names", names("Land Berlin"))])]),
        ),
        (
            "location",
            Value::map([
                ("latitude", Value::F64(52.52)),
                ("longitude", Value::F64(13.40)),
                ("time_zone", Value::from(zone)),
            ]),
        ),
    ])
}

/// The geolocation fixture: the flat ip-location-db layout for IPv4 and the nested GeoIP2
/// layout for IPv6, so both decoders are exercised.
pub fn geo_mmdb() -> Result<Vec<u8>, String> {
    let mut writer = MmdbWriter::new("sightline-fixture-city", 6);
    let rows = [
        ("81.2.69.0/24", flat_city("DE", "Land Berlin", "Berlin", 52.52, 13.40)),
        ("3.5.140.0/24", flat_city("US", "California", "Mountain View", 37.42, -122.08)),
        ("185.220.101.0/24", flat_city("FR", "Ile-de-France", "Paris", 48.85, 2.35)),
        ("185.213.154.0/24", flat_city("NL", "North Holland", "Amsterdam", 52.37, 4.89)),
        ("2a01:4f8:1::/48", geoip2_city("DE", "Berlin", "Europe/Berlin")),
    ];
    for (network, value) in rows {
        writer.insert(network, &value)?;
    }
    Ok(writer.to_bytes())
}

/// Writes a data directory with every dataset in the formats `scripts/data-fetch.sh` installs
/// and returns a configuration reading it.
pub fn write_fixture_data_dir(data_dir: &Path) -> io::Result<EnrichConfig> {
    let enrich = data_dir.join("enrich");
    let write = |relative: &str, bytes: &[u8]| -> io::Result<PathBuf> {
        let path = enrich.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        Ok(path)
    };
    write("ip/fixture-city/city.mmdb", &geo_mmdb().map_err(io::Error::other)?)?;
    write(
        "ip/asn/asn-ipv4-num.csv",
        b"1359103232,1359103487,3320,Deutsche Telekom AG\n\
          50695168,50695423,15169,Google LLC\n\
          1690828800,1690829055,64512,\"Example Mobile, Wireless\"\n",
    )?;
    write("ip/asn/asn-ipv6.csv", b"2a01:4f8:1::,2a01:4f8:1:ffff:ffff:ffff:ffff:ffff,3320,Deutsche Telekom AG\n")?;
    let ranges = crate::ip::encode_iporigin(
        &[("Amazon AWS", "hosting"), ("", "tor"), ("Mullvad", "vpn")],
        &[(0x0305_8c00, 0x0305_8cff, 0), (0xb9dc_651e, 0xb9dc_651e, 1), (0xb9d5_9ac8, 0xb9d5_9ac8, 2)],
        &[],
    );
    write("ip/iporigin/ranges.bin", &ranges)?;
    write(
        "bin/banks-db/banks/de/fixture.json",
        br##"{"name":"fixture","country":"de","localTitle":"Fixture Bank","engTitle":"Fixture Bank","url":"https://bank.example/","color":"#000000","prefixes":[535584]}"##,
    )?;
    let dataset = |id: &str, module: &str, package: &str, files: &[&str]| {
        serde_json::json!({
            "id": id, "module": module, "registry": "fixture", "package": package, "version": "1",
            "licence": "CC0-1.0", "attribution": format!("{id} fixture"), "files": files,
        })
    };
    let manifest = serde_json::json!({
        "format": 1,
        "datasets": [
            dataset("dbip-city", "ip", "fixture-city", &["ip/fixture-city/city.mmdb"]),
            dataset("asn", "ip", "fixture-asn", &["ip/asn/asn-ipv4-num.csv", "ip/asn/asn-ipv6.csv"]),
            dataset("iporigin", "ip", "fixture-ranges", &["ip/iporigin/ranges.bin"]),
            dataset("banks-db", "bin", "fixture-banks", &["bin/banks-db/banks"]),
        ],
    });
    write("manifest.json", manifest.to_string().as_bytes())?;
    Ok(EnrichConfig::with_data_dir(data_dir))
}
