//! The range index behind every CIDR list: sorted disjoint intervals searched by binary search,
//! one table per address family.
//!
//! Lists overlap (a provider's block inside its upstream's, an operator's /32 inside a /16), and
//! a binary search over overlapping intervals can land on a narrow range that ends before the
//! address while a wider one still holds it. So [`Intervals::build`] flattens them once at load
//! time into disjoint pieces where the innermost (for CIDRs, the narrowest) range wins; every
//! look-up is then one `partition_point` and one comparison.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address as an integer key: `u32` for IPv4, `u128` for IPv6.
pub(crate) trait Key: Ord + Copy {
    fn next(self) -> Option<Self>;
    fn prev(self) -> Option<Self>;
}

impl Key for u32 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn prev(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

impl Key for u128 {
    fn next(self) -> Option<Self> {
        self.checked_add(1)
    }
    fn prev(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

/// Disjoint inclusive intervals with a value each, sorted by start.
#[derive(Debug, Default)]
pub(crate) struct Intervals<K, V> {
    starts: Vec<K>,
    ends: Vec<K>,
    values: Vec<V>,
}

impl<K: Key, V: Copy> Intervals<K, V> {
    /// Builds the index from possibly overlapping inclusive ranges. Where ranges overlap, the one
    /// starting later wins, and among equal starts the shorter one: for CIDR blocks, which are
    /// either nested or disjoint, that is always the most specific block.
    pub fn build(mut ranges: Vec<(K, K, V)>) -> Self {
        ranges.retain(|(start, end, _)| start <= end);
        ranges.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Intervals { starts: Vec::new(), ends: Vec::new(), values: Vec::new() };
        // Ranges still open at the sweep position, innermost last.
        let mut open: Vec<(K, V)> = Vec::new();
        // First address not yet assigned; `None` once the top of the address space is assigned.
        let mut cursor: Option<K> = None;
        for (start, end, value) in ranges {
            while let Some(&(open_end, open_value)) = open.last() {
                if open_end >= start {
                    break;
                }
                out.emit(&mut cursor, open_end, open_value);
                open.pop();
            }
            if let (Some(&(_, open_value)), Some(from), Some(before)) = (open.last(), cursor, start.prev()) {
                if from <= before {
                    out.push(from, before, open_value);
                }
            }
            cursor = Some(start);
            open.push((end, value));
        }
        while let Some((open_end, open_value)) = open.pop() {
            out.emit(&mut cursor, open_end, open_value);
        }
        out
    }

    /// Assigns `cursor..=end` to `value` and moves the cursor past it.
    fn emit(&mut self, cursor: &mut Option<K>, end: K, value: V) {
        if let Some(from) = *cursor {
            if from <= end {
                self.push(from, end, value);
                *cursor = end.next();
            }
        }
    }

    fn push(&mut self, start: K, end: K, value: V) {
        self.starts.push(start);
        self.ends.push(end);
        self.values.push(value);
    }

    pub fn get(&self, key: K) -> Option<V> {
        let index = self.starts.partition_point(|start| *start <= key).checked_sub(1)?;
        (self.ends[index] >= key).then(|| self.values[index])
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Every interval with its value, in address order.
    pub fn iter(&self) -> impl Iterator<Item = (K, K, V)> + '_ {
        (0..self.starts.len()).map(|i| (self.starts[i], self.ends[i], self.values[i]))
    }
}

/// One IPv4 and one IPv6 interval table with values of type `V`.
#[derive(Debug, Default)]
pub(crate) struct RangeSet<V> {
    pub v4: Intervals<u32, V>,
    pub v6: Intervals<u128, V>,
}

impl<V: Copy> RangeSet<V> {
    pub fn build(ranges: Vec<(IpRange, V)>) -> Self {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for (range, value) in ranges {
            match range {
                IpRange::V4(start, end) => v4.push((start, end, value)),
                IpRange::V6(start, end) => v6.push((start, end, value)),
            }
        }
        RangeSet { v4: Intervals::build(v4), v6: Intervals::build(v6) }
    }

    /// Looks `ip` up; callers pass canonical addresses (IPv4-mapped IPv6 already turned into IPv4).
    pub fn get(&self, ip: IpAddr) -> Option<V> {
        match ip {
            IpAddr::V4(v4) => self.v4.get(u32::from(v4)),
            IpAddr::V6(v6) => self.v6.get(u128::from(v6)),
        }
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// The first address of each interval whose value satisfies `keep`, IPv4 first.
    pub fn first_address_where(&self, keep: impl Fn(V) -> bool) -> Option<IpAddr> {
        let v4 = self.v4.iter().find(|(_, _, v)| keep(*v)).map(|(s, _, _)| IpAddr::V4(Ipv4Addr::from(s)));
        v4.or_else(|| self.v6.iter().find(|(_, _, v)| keep(*v)).map(|(s, _, _)| IpAddr::V6(Ipv6Addr::from(s))))
    }
}

/// An inclusive address range of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpRange {
    V4(u32, u32),
    V6(u128, u128),
}

impl IpRange {
    /// Parses `192.0.2.0/24`, `2001:db8::/32`, a single address, or `start-end`.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        if let Some((start, end)) = text.split_once('-') {
            let start: IpAddr = start.trim().parse().map_err(|_| format!("bad range start {start:?}"))?;
            let end: IpAddr = end.trim().parse().map_err(|_| format!("bad range end {end:?}"))?;
            return match (start, end) {
                (IpAddr::V4(s), IpAddr::V4(e)) if s <= e => Ok(IpRange::V4(s.into(), e.into())),
                (IpAddr::V6(s), IpAddr::V6(e)) if s <= e => Ok(IpRange::V6(s.into(), e.into())),
                _ => Err(format!("bad range {text:?}")),
            };
        }
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.parse().map_err(|_| format!("bad address {address:?}"))?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u32 = match prefix {
            Some(p) => p.parse().ok().filter(|p| *p <= bits).ok_or_else(|| format!("bad prefix length {p:?}"))?,
            None => bits,
        };
        Ok(match address {
            IpAddr::V4(a) => {
                let host_mask = u32::MAX.checked_shr(prefix).unwrap_or(0);
                let start = u32::from(a) & !host_mask;
                IpRange::V4(start, start | host_mask)
            }
            IpAddr::V6(a) => {
                let host_mask = u128::MAX.checked_shr(prefix).unwrap_or(0);
                let start = u128::from(a) & !host_mask;
                IpRange::V6(start, start | host_mask)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_cidrs_ranges_and_addresses() {
        assert_eq!(IpRange::parse("10.0.0.0/8").unwrap(), IpRange::V4(0x0a00_0000, 0x0aff_ffff));
        assert_eq!(IpRange::parse("10.1.2.3/8").unwrap(), IpRange::V4(0x0a00_0000, 0x0aff_ffff));
        assert_eq!(IpRange::parse("0.0.0.0/0").unwrap(), IpRange::V4(0, u32::MAX));
        assert_eq!(IpRange::parse("1.2.3.4").unwrap(), IpRange::V4(0x0102_0304, 0x0102_0304));
        assert_eq!(IpRange::parse("1.0.0.0 - 1.0.0.9").unwrap(), IpRange::V4(0x0100_0000, 0x0100_0009));
        assert_eq!(IpRange::parse("::/0").unwrap(), IpRange::V6(0, u128::MAX));
        assert!(IpRange::parse("1.2.3.4/33").is_err());
        assert!(IpRange::parse("1.2.3.4-::1").is_err());
        assert!(IpRange::parse("nonsense").is_err());
    }

    #[test]
    fn nested_ranges_resolve_to_the_innermost() {
        let set = RangeSet::build(vec![
            (IpRange::parse("10.0.0.0/8").unwrap(), 1),
            (IpRange::parse("10.1.0.0/16").unwrap(), 2),
            (IpRange::parse("10.1.2.0/24").unwrap(), 3),
            (IpRange::parse("10.200.0.0/16").unwrap(), 4),
        ]);
        assert_eq!(set.get(ip("10.0.0.1")), Some(1));
        assert_eq!(set.get(ip("10.1.0.1")), Some(2));
        assert_eq!(set.get(ip("10.1.2.255")), Some(3));
        assert_eq!(set.get(ip("10.1.3.0")), Some(2));
        assert_eq!(set.get(ip("10.2.0.0")), Some(1));
        assert_eq!(set.get(ip("10.200.5.5")), Some(4));
        assert_eq!(set.get(ip("10.255.255.255")), Some(1));
        assert_eq!(set.get(ip("11.0.0.0")), None);
        assert_eq!(set.get(ip("9.255.255.255")), None);
    }

    #[test]
    fn whole_address_space_and_partial_overlaps() {
        let set = RangeSet::build(vec![
            (IpRange::parse("0.0.0.0/0").unwrap(), 1),
            (IpRange::parse("255.255.255.255").unwrap(), 2),
            (IpRange::parse("::/0").unwrap(), 1),
            (IpRange::parse("1.0.0.0-1.0.0.20").unwrap(), 3),
            (IpRange::parse("1.0.0.10-1.0.0.30").unwrap(), 4),
        ]);
        assert_eq!(set.get(ip("0.0.0.0")), Some(1));
        assert_eq!(set.get(ip("255.255.255.254")), Some(1));
        assert_eq!(set.get(ip("255.255.255.255")), Some(2));
        assert_eq!(set.get(ip("1.0.0.5")), Some(3));
        assert_eq!(set.get(ip("1.0.0.15")), Some(4));
        assert_eq!(set.get(ip("1.0.0.25")), Some(4));
        assert_eq!(set.get(ip("1.0.0.31")), Some(1));
        assert_eq!(set.get(ip("2001:db8::1")), Some(1));
    }

    #[test]
    fn matches_a_linear_scan_of_nested_cidrs() {
        // Pseudo-random nested and disjoint CIDRs: the index must give the same answer as
        // "narrowest containing block, later one on ties" found by brute force.
        let mut seed: u32 = 0x1234_5678;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let mut blocks = Vec::new();
        for value in 0..200u32 {
            let prefix = 8 + next() % 17;
            let text = format!("{}/{}", Ipv4Addr::from(next() & 0x0fff_ffff), prefix);
            blocks.push((IpRange::parse(&text).unwrap(), value));
        }
        let set = RangeSet::build(blocks.clone());
        for _ in 0..5000 {
            let key = next() & 0x0fff_ffff;
            let expected = blocks
                .iter()
                .filter_map(|(r, v)| match r {
                    IpRange::V4(s, e) if *s <= key && key <= *e => Some((*e - *s, *v)),
                    _ => None,
                })
                .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, v)| v);
            let got = set.get(IpAddr::V4(Ipv4Addr::from(key)));
            // Identical blocks may appear twice with different values; either is acceptable then.
            match (expected, got) {
                (Some(e), Some(g)) if e != g => {
                    let same = blocks
                        .iter()
                        .filter(|(r, v)| {
                            (*v == e || *v == g) && matches!(r, IpRange::V4(s, en) if *s <= key && key <= *en)
                        })
                        .count();
                    assert!(same >= 2, "key {key}: expected {e}, got {g}");
                }
                _ => assert_eq!(expected.is_some(), got.is_some(), "key {key}"),
            }
        }
    }
}
