//! CIDR ranges for IP lists, on std::net alone. IPv4-mapped IPv6 addresses
//! (`::ffff:203.0.113.7`) are matched as the IPv4 address they carry, because dual-stack
//! servers report IPv4 clients that way and a deny list written in IPv4 must still hit.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A network: an address with its host bits cleared, and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("'{0}' is not an IP address")]
    Address(String),
    #[error("'{0}' has a prefix length that is not a number within the address size")]
    Prefix(String),
}

fn mask32(prefix: u8) -> u32 {
    // A shift by the full width overflows, so /0 is special.
    if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) }
}

fn mask128(prefix: u8) -> u128 {
    if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) }
}

/// The address as IPv4 if it is IPv4 or IPv4-mapped IPv6.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl Cidr {
    /// Builds the range, clearing host bits (`10.1.2.3/8` is `10.0.0.0/8`) so that an entry
    /// typed with a host address still means the network its prefix says.
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Cidr> {
        match canonical(addr) {
            IpAddr::V4(v4) if prefix <= 32 => {
                Some(Cidr { network: IpAddr::V4((u32::from(v4) & mask32(prefix)).into()), prefix })
            }
            IpAddr::V6(v6) if prefix <= 128 => {
                Some(Cidr { network: IpAddr::V6((u128::from(v6) & mask128(prefix)).into()), prefix })
            }
            _ => None,
        }
    }

    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Every network that contains `ip`, from the address itself (/32, /128) to /0: a list
    /// stored as canonical networks can be searched for `ip` by these values, however long it is.
    pub fn covering(ip: IpAddr) -> impl Iterator<Item = Cidr> {
        let ip = canonical(ip);
        let full = if ip.is_ipv4() { 32 } else { 128 };
        (0..=full).rev().filter_map(move |prefix| Cidr::new(ip, prefix))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => u32::from(ip) & mask32(self.prefix) == u32::from(net),
            (IpAddr::V6(net), IpAddr::V6(ip)) => u128::from(ip) & mask128(self.prefix) == u128::from(net),
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    /// `addr/prefix`, or a bare address meaning a single host.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| CidrError::Address(s.to_owned()))?;
        let ip = canonical(ip);
        let full = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => full,
            Some(p) => {
                let p: u8 = p.parse().map_err(|_| CidrError::Prefix(s.to_owned()))?;
                // A mapped address written with an IPv6 prefix covers the IPv4 range 96 bits in.
                if addr.contains(':') && ip.is_ipv4() {
                    p.checked_sub(96).ok_or_else(|| CidrError::Prefix(s.to_owned()))?
                } else {
                    p
                }
            }
        };
        Cidr::new(ip, prefix).ok_or_else(|| CidrError::Prefix(s.to_owned()))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_covering_networks_are_exactly_those_that_contain_the_address() {
        for (address, networks) in [("198.51.100.77", 33), ("::ffff:198.51.100.77", 33), ("2001:db8::42", 129)] {
            let covering: Vec<Cidr> = Cidr::covering(ip(address)).collect();
            assert_eq!(covering.len(), networks, "{address}");
            assert!(covering.iter().all(|c| c.contains(ip(address))), "{address}");
            // Each is its own canonical text: what a list stores for that network.
            assert!(covering.iter().all(|c| c.to_string().parse::<Cidr>().as_ref() == Ok(c)));
        }
        let v4: Vec<String> = Cidr::covering(ip("198.51.100.77")).map(|c| c.to_string()).collect();
        assert_eq!(
            (v4[0].as_str(), v4[8].as_str(), v4[32].as_str()),
            ("198.51.100.77/32", "198.51.100.0/24", "0.0.0.0/0")
        );
        assert!(!Cidr::covering(ip("198.51.100.77")).any(|c| c == self::c("198.51.101.0/24")));
    }

    #[test]
    fn ipv4_edges() {
        let net = c("192.168.1.0/24");
        assert!(net.contains(ip("192.168.1.0")));
        assert!(net.contains(ip("192.168.1.255")));
        assert!(!net.contains(ip("192.168.2.0")));
        assert!(!net.contains(ip("192.168.0.255")));
        assert!(c("0.0.0.0/0").contains(ip("255.255.255.255")));
        assert!(c("203.0.113.7/32").contains(ip("203.0.113.7")));
        assert!(!c("203.0.113.7/32").contains(ip("203.0.113.8")));
        assert!(c("203.0.113.7").contains(ip("203.0.113.7")));
        assert_eq!(c("10.1.2.3/8").to_string(), "10.0.0.0/8");
        assert!(c("128.0.0.0/1").contains(ip("200.1.1.1")));
        assert!(!c("128.0.0.0/1").contains(ip("127.255.255.255")));
    }

    #[test]
    fn ipv6_edges() {
        let net = c("2001:db8::/32");
        assert!(net.contains(ip("2001:db8::1")));
        assert!(net.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        assert!(!net.contains(ip("2001:db9::")));
        assert!(c("::/0").contains(ip("ffff::1")));
        assert!(c("2001:db8::1/128").contains(ip("2001:db8::1")));
        assert!(!c("2001:db8::1/128").contains(ip("2001:db8::2")));
        assert!(c("2001:db8::ff/127").contains(ip("2001:db8::fe")));
        assert!(!c("2001:db8::/127").contains(ip("2001:db8::2")));
    }

    #[test]
    fn families_do_not_mix_except_mapped_ipv4() {
        assert!(!c("::/0").contains(ip("10.0.0.1")));
        assert!(!c("0.0.0.0/0").contains(ip("2001:db8::1")));
        assert!(c("10.0.0.0/8").contains(ip("::ffff:10.1.2.3")));
        assert_eq!(c("::ffff:10.0.0.0/104"), c("10.0.0.0/8"));
        assert!(c("::ffff:10.1.2.3").contains(ip("10.1.2.3")));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!("10.0.0.0/33".parse::<Cidr>(), Err(CidrError::Prefix(_))));
        assert!(matches!("::/129".parse::<Cidr>(), Err(CidrError::Prefix(_))));
        assert!(matches!("10.0.0.0/-1".parse::<Cidr>(), Err(CidrError::Prefix(_))));
        assert!(matches!("10.0.0.0/".parse::<Cidr>(), Err(CidrError::Prefix(_))));
        assert!(matches!("10.0.0/8".parse::<Cidr>(), Err(CidrError::Address(_))));
        assert!(matches!("::ffff:10.0.0.0/90".parse::<Cidr>(), Err(CidrError::Prefix(_))));
        assert!(matches!("".parse::<Cidr>(), Err(CidrError::Address(_))));
    }
}
