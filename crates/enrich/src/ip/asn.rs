//! Address → autonomous system, from the ip-location-db `asn` CSVs (inclusive start, end, AS
//! number, organisation; addresses dotted or as integers) or from an operator's ASN MaxMind DB.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::mmdb::{Asn, Mmdb};
use super::ranges::{IpRange, RangeSet};
use crate::error::LoadError;
use crate::text::read_to_string;

pub(crate) enum AsnDb {
    Table(AsnTable),
    Mmdb(Mmdb),
}

impl AsnDb {
    pub fn lookup(&self, ip: IpAddr) -> Option<Asn> {
        match self {
            AsnDb::Table(table) => table.lookup(ip),
            AsnDb::Mmdb(db) => db.asn(ip),
        }
    }
}

/// The CSV rows as a range index. Half a million rows share a few tens of thousands of
/// (AS, organisation) pairs, so rows hold an index into `networks` rather than their own strings.
pub(crate) struct AsnTable {
    ranges: RangeSet<u32>,
    networks: Vec<(u32, Box<str>)>,
}

impl AsnTable {
    pub fn load(paths: &[PathBuf]) -> Result<AsnTable, LoadError> {
        // Interning without allocating for rows whose organisation was already seen keeps the
        // load of half a million rows well under a second.
        let mut organisations: HashMap<Box<str>, u32> = HashMap::new();
        let mut ids: HashMap<(u32, u32), u32> = HashMap::new();
        let mut networks: Vec<(u32, Box<str>)> = Vec::new();
        let mut rows = Vec::new();
        for path in paths {
            let text = read_to_string(path)?;
            for (index, line) in text.lines().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let (range, number, organisation) = parse_row(line).map_err(|m| LoadError::line(path, index + 1, m))?;
                // Neighbouring rows usually belong to the same network: skip the hashing then.
                if let (Some((_, last)), Some((last_number, last_organisation))) =
                    (rows.last(), rows.last().and_then(|(_, id): &(IpRange, u32)| networks.get(*id as usize)))
                {
                    if *last_number == number && **last_organisation == *organisation {
                        rows.push((range, *last));
                        continue;
                    }
                }
                let next = organisations.len() as u32;
                let organisation_id = match organisations.get(organisation.as_ref()) {
                    Some(id) => *id,
                    None => *organisations.entry(Box::from(organisation.as_ref())).or_insert(next),
                };
                let id = *ids.entry((number, organisation_id)).or_insert_with(|| {
                    networks.push((number, Box::from(organisation.as_ref())));
                    (networks.len() - 1) as u32
                });
                rows.push((range, id));
            }
        }
        if rows.is_empty() {
            return Err(LoadError::format(first(paths), "no ASN rows"));
        }
        Ok(AsnTable { ranges: RangeSet::build(rows), networks })
    }

    fn lookup(&self, ip: IpAddr) -> Option<Asn> {
        let (number, organisation) = &self.networks[self.ranges.get(ip)? as usize];
        let organisation = (!organisation.is_empty()).then(|| organisation.to_string());
        Some(Asn { number: *number, organisation })
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }
}

fn first(paths: &[PathBuf]) -> &Path {
    paths.first().map(PathBuf::as_path).unwrap_or(Path::new("asn"))
}

/// `start,end,asn,organisation`, the organisation possibly quoted (it may contain commas).
fn parse_row(line: &str) -> Result<(IpRange, u32, Cow<'_, str>), String> {
    let mut parts = line.splitn(4, ',');
    let (Some(start), Some(end), Some(number)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected start,end,asn,organisation".to_string());
    };
    // Integer form: IPv4 rows fit in 32 bits, anything larger is IPv6.
    let range = match (start.parse::<u32>(), end.parse::<u32>()) {
        (Ok(s), Ok(e)) => IpRange::V4(s, e),
        _ => match (start.parse::<u128>(), end.parse::<u128>()) {
            (Ok(s), Ok(e)) => IpRange::V6(s, e),
            _ => IpRange::parse(&format!("{start}-{end}"))?,
        },
    };
    let number = number.trim().trim_start_matches("AS").parse().map_err(|_| format!("bad AS number {number:?}"))?;
    let organisation = parts.next().unwrap_or_default().trim();
    let organisation = match organisation.strip_prefix('"').and_then(|o| o.strip_suffix('"')) {
        Some(quoted) if quoted.contains("\"\"") => Cow::Owned(quoted.replace("\"\"", "\"")),
        Some(quoted) => Cow::Borrowed(quoted),
        None => Cow::Borrowed(organisation),
    };
    Ok((range, number, organisation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_both_address_forms() {
        let (range, number, org) = parse_row("16777216,16777471,13335,\"Cloudflare, Inc.\"").unwrap();
        assert_eq!(range, IpRange::V4(16_777_216, 16_777_471));
        assert_eq!((number, org.as_ref()), (13335, "Cloudflare, Inc."));
        let (_, _, org) = parse_row("1,2,3,\"Say \"\"hi\"\"\"").unwrap();
        assert_eq!(org, "Say \"hi\"");
        let (range, _, _) = parse_row("1.0.0.0,1.0.0.255,13335,Cloudflare").unwrap();
        assert_eq!(range, IpRange::V4(16_777_216, 16_777_471));
        let (range, number, _) =
            parse_row("42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,HE").unwrap();
        assert!(matches!(range, IpRange::V6(_, _)));
        assert_eq!(number, 6939);
        assert!(parse_row("1,2").is_err());
    }

    #[test]
    fn table_answers_and_shares_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("asn.csv");
        std::fs::write(&path, "134744064,134744319,15169,Google LLC\n134744320,134744575,15169,Google LLC\n").unwrap();
        let table = AsnTable::load(&[path]).unwrap();
        assert_eq!(table.networks.len(), 1);
        let asn = table.lookup("8.8.8.8".parse().unwrap()).unwrap();
        assert_eq!((asn.number, asn.organisation.as_deref()), (15169, Some("Google LLC")));
        assert_eq!(table.lookup("8.8.10.0".parse().unwrap()), None);
    }
}
