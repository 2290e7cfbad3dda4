//! Range lists that say what kind of network an address belongs to (hosting, VPN, Tor, …):
//! the fetched iporigin table and operators' own files.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;

use super::ranges::{IpRange, RangeSet};
use crate::config::{RangeFile, RangeKind};
use crate::error::LoadError;
use crate::text::{content_lines, read_to_string};

/// What a range list says about an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub kind: RangeKind,
    pub provider: Option<Box<str>>,
}

/// One range list. Which kinds it covers is kept so that "not listed" can be told apart from
/// "no list of that kind was loaded".
pub(crate) struct LabelledRanges {
    ranges: RangeSet<u32>,
    labels: Vec<Label>,
    kinds: Vec<RangeKind>,
}

impl LabelledRanges {
    fn new(rows: Vec<(IpRange, u32)>, labels: Vec<Label>, mut kinds: Vec<RangeKind>) -> Self {
        kinds.sort();
        kinds.dedup();
        LabelledRanges { ranges: RangeSet::build(rows), labels, kinds }
    }

    pub fn get(&self, ip: IpAddr) -> Option<&Label> {
        self.labels.get(self.ranges.get(ip)? as usize)
    }

    pub fn covers(&self, kind: RangeKind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn first_address_of(&self, kind: RangeKind) -> Option<IpAddr> {
        self.ranges.first_address_where(|id| self.labels.get(id as usize).is_some_and(|l| l.kind == kind))
    }

    /// Reads an operator file: `range[,label]` per line.
    pub fn load_file(file: &RangeFile) -> Result<LabelledRanges, LoadError> {
        let text = read_to_string(&file.path)?;
        let mut labels: Vec<Label> = Vec::new();
        let mut ids: HashMap<Option<String>, u32> = HashMap::new();
        let mut rows = Vec::new();
        for (line_number, line) in content_lines(&text) {
            let (range, label) = match line.split_once(',') {
                Some((range, label)) => (range, Some(label.trim().to_string()).filter(|l| !l.is_empty())),
                None => (line, None),
            };
            let range = IpRange::parse(range).map_err(|m| LoadError::line(&file.path, line_number, m))?;
            let label = label.or_else(|| file.label.clone());
            let id = *ids.entry(label.clone()).or_insert_with(|| {
                labels.push(Label { kind: file.kind, provider: label.map(Box::from) });
                (labels.len() - 1) as u32
            });
            rows.push((range, id));
        }
        Ok(LabelledRanges::new(rows, labels, vec![file.kind]))
    }

    /// Reads iporigin's `ranges.bin`: a little-endian header (`IPORIGIN`, format version,
    /// build time, counts), `provider\tkind` labels, then (start, end, label) records for IPv4
    /// (u32 little-endian) and IPv6 (16-byte big-endian), sorted and disjoint.
    pub fn load_iporigin(path: &Path) -> Result<LabelledRanges, LoadError> {
        let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
        parse_iporigin(&bytes).map_err(|m| LoadError::format(path, m))
    }
}

struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.data.len() < n {
            return Err("truncated file".to_string());
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}

fn parse_iporigin(data: &[u8]) -> Result<LabelledRanges, String> {
    let mut bytes = Bytes { data };
    if bytes.take(8)? != b"IPORIGIN" {
        return Err("not an iporigin range table".to_string());
    }
    let version = bytes.u16()?;
    if version != 1 {
        return Err(format!("unsupported iporigin format {version}"));
    }
    bytes.take(8)?; // build time
    let label_count = bytes.u16()?;
    let v4_count = bytes.u32()?;
    let v6_count = bytes.u32()?;
    let mut labels = Vec::with_capacity(label_count as usize);
    let mut kinds = Vec::new();
    for _ in 0..label_count {
        let length = bytes.u16()? as usize;
        let text = std::str::from_utf8(bytes.take(length)?).map_err(|_| "label is not UTF-8".to_string())?;
        let (provider, kind) = text.split_once('\t').unwrap_or((text, ""));
        // Unknown kinds are kept as hosting: every kind iporigin has is a machine, not a home line.
        let kind = match kind {
            "cdn" => RangeKind::Cdn,
            "vpn" => RangeKind::Vpn,
            "tor" => RangeKind::Tor,
            "bot" => RangeKind::Bot,
            _ => RangeKind::Hosting,
        };
        kinds.push(kind);
        labels.push(Label { kind, provider: (!provider.is_empty()).then(|| Box::from(provider)) });
    }
    let mut rows = Vec::with_capacity(v4_count as usize + v6_count as usize);
    for _ in 0..v4_count {
        let (start, end, label) = (bytes.u32()?, bytes.u32()?, bytes.u16()?);
        rows.push((IpRange::V4(start, end), u32::from(label)));
    }
    for _ in 0..v6_count {
        let start = u128::from_be_bytes(bytes.array()?);
        let end = u128::from_be_bytes(bytes.array()?);
        let label = bytes.u16()?;
        rows.push((IpRange::V6(start, end), u32::from(label)));
    }
    if rows.iter().any(|(_, label)| *label as usize >= labels.len()) {
        return Err("range refers to a missing label".to_string());
    }
    Ok(LabelledRanges::new(rows, labels, kinds))
}

/// Writes a table in iporigin's format, for test fixtures.
pub(crate) fn encode_iporigin(labels: &[(&str, &str)], v4: &[(u32, u32, u16)], v6: &[(u128, u128, u16)]) -> Vec<u8> {
    let mut out = b"IPORIGIN".to_vec();
    out.extend(1u16.to_le_bytes());
    out.extend(0u64.to_le_bytes());
    out.extend((labels.len() as u16).to_le_bytes());
    out.extend((v4.len() as u32).to_le_bytes());
    out.extend((v6.len() as u32).to_le_bytes());
    for (provider, kind) in labels {
        let text = format!("{provider}\t{kind}");
        out.extend((text.len() as u16).to_le_bytes());
        out.extend(text.as_bytes());
    }
    for (start, end, label) in v4 {
        out.extend(start.to_le_bytes());
        out.extend(end.to_le_bytes());
        out.extend(label.to_le_bytes());
    }
    for (start, end, label) in v6 {
        out.extend(start.to_be_bytes());
        out.extend(end.to_be_bytes());
        out.extend(label.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iporigin_round_trip() {
        let data = encode_iporigin(
            &[("Amazon AWS", "hosting"), ("", "tor")],
            &[(0x0300_0000, 0x0300_00ff, 0), (0x0400_0001, 0x0400_0001, 1)],
            &[(0x2a05 << 112, (0x2a05 << 112) | 0xffff, 0)],
        );
        let table = parse_iporigin(&data).unwrap();
        let label = table.get("3.0.0.7".parse().unwrap()).unwrap();
        assert_eq!((label.kind, label.provider.as_deref()), (RangeKind::Hosting, Some("Amazon AWS")));
        assert_eq!(table.get("4.0.0.1".parse().unwrap()).unwrap().kind, RangeKind::Tor);
        assert_eq!(table.get("4.0.0.2".parse().unwrap()), None);
        assert_eq!(table.get("2a05::1".parse().unwrap()).unwrap().kind, RangeKind::Hosting);
        assert!(table.covers(RangeKind::Tor) && !table.covers(RangeKind::Vpn));
        assert_eq!(table.first_address_of(RangeKind::Tor), Some("4.0.0.1".parse().unwrap()));
        assert!(parse_iporigin(&data[..data.len() - 1]).is_err());
        assert!(parse_iporigin(b"NOTTHIS!").is_err());
    }

    #[test]
    fn operator_file_with_labels_and_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vpn.txt");
        std::fs::write(&path, "# my VPN list\n198.51.100.0/24, Acme VPN\n203.0.113.5\n2001:db8::/48\n").unwrap();
        let file = RangeFile { path: path.clone(), kind: RangeKind::Vpn, label: Some("list".into()) };
        let table = LabelledRanges::load_file(&file).unwrap();
        assert_eq!(table.get("198.51.100.9".parse().unwrap()).unwrap().provider.as_deref(), Some("Acme VPN"));
        assert_eq!(table.get("203.0.113.5".parse().unwrap()).unwrap().provider.as_deref(), Some("list"));
        assert!(table.get("2001:db8::1".parse().unwrap()).is_some());
        std::fs::write(&path, "198.51.100.0/33\n").unwrap();
        let error = LabelledRanges::load_file(&file).err().unwrap().to_string();
        assert!(error.contains("line 1"), "{error}");
    }
}
