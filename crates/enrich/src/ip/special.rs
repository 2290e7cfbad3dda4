//! Addresses that are not on the public internet. A request arriving from one of them means a
//! proxy or load balancer in front of the service is not passing the client address on, and a
//! WebRTC candidate in them says nothing about where the device is; neither may be geolocated.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

/// Where an address sits in the address space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressClass {
    Public,
    /// RFC 1918 and IPv6 unique-local (fc00::/7).
    Private,
    /// Carrier-grade NAT shared space, 100.64.0.0/10 (RFC 6598).
    Cgnat,
    Loopback,
    LinkLocal,
    Multicast,
    /// Documentation and benchmarking ranges (RFC 5737, 3849, 9637, 2544).
    Documentation,
    Unspecified,
    Broadcast,
    /// Anything else IANA keeps out of the public internet (240.0.0.0/4, 192.0.0.0/24, …).
    Reserved,
}

impl AddressClass {
    pub fn is_public(self) -> bool {
        self == AddressClass::Public
    }
}

/// Classifies `ip`; IPv4-mapped IPv6 addresses are classified as the IPv4 address they carry.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip.to_canonical() {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    let [a, b, c, d, e, f, g, h] = net;
    u128::from(ip) & mask == u128::from(Ipv6Addr::new(a, b, c, d, e, f, g, h)) & mask
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    if ip.is_unspecified() || in_v4(ip, [0, 0, 0, 0], 8) {
        AddressClass::Unspecified
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if in_v4(ip, [100, 64, 0, 0], 10) {
        AddressClass::Cgnat
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if ip.is_broadcast() {
        AddressClass::Broadcast
    } else if ip.is_multicast() {
        AddressClass::Multicast
    } else if ip.is_documentation() || in_v4(ip, [198, 18, 0, 0], 15) {
        AddressClass::Documentation
    } else if in_v4(ip, [240, 0, 0, 0], 4) || in_v4(ip, [192, 0, 0, 0], 24) || in_v4(ip, [192, 88, 99, 0], 24) {
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if ip.is_unspecified() {
        AddressClass::Unspecified
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if in_v6(ip, [0xfc00, 0, 0, 0, 0, 0, 0, 0], 7) {
        AddressClass::Private
    } else if in_v6(ip, [0xfe80, 0, 0, 0, 0, 0, 0, 0], 10) {
        AddressClass::LinkLocal
    } else if ip.is_multicast() {
        AddressClass::Multicast
    } else if in_v6(ip, [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32)
        || in_v6(ip, [0x3fff, 0, 0, 0, 0, 0, 0, 0], 20)
        || in_v6(ip, [0x2001, 0x0002, 0, 0, 0, 0, 0, 0], 48)
    {
        AddressClass::Documentation
    } else if !in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        // Only 2000::/3 is allocated as global unicast; the rest (discard 100::/64, deprecated
        // site-local fec0::/10, IPv4-compatible ::/96) never reaches us from a real client.
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> AddressClass {
        classify(s.parse().unwrap())
    }

    #[test]
    fn ipv4_classes() {
        assert_eq!(class("8.8.8.8"), AddressClass::Public);
        assert_eq!(class("10.1.2.3"), AddressClass::Private);
        assert_eq!(class("172.16.0.1"), AddressClass::Private);
        assert_eq!(class("172.32.0.1"), AddressClass::Public);
        assert_eq!(class("192.168.1.1"), AddressClass::Private);
        assert_eq!(class("100.64.0.1"), AddressClass::Cgnat);
        assert_eq!(class("100.127.255.255"), AddressClass::Cgnat);
        assert_eq!(class("100.128.0.0"), AddressClass::Public);
        assert_eq!(class("127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("169.254.1.1"), AddressClass::LinkLocal);
        assert_eq!(class("224.0.0.1"), AddressClass::Multicast);
        assert_eq!(class("255.255.255.255"), AddressClass::Broadcast);
        assert_eq!(class("192.0.2.1"), AddressClass::Documentation);
        assert_eq!(class("198.18.0.1"), AddressClass::Documentation);
        assert_eq!(class("0.0.0.0"), AddressClass::Unspecified);
        assert_eq!(class("0.1.2.3"), AddressClass::Unspecified);
        assert_eq!(class("240.0.0.1"), AddressClass::Reserved);
    }

    #[test]
    fn ipv6_classes() {
        assert_eq!(class("2001:4860:4860::8888"), AddressClass::Public);
        assert_eq!(class("::1"), AddressClass::Loopback);
        assert_eq!(class("::"), AddressClass::Unspecified);
        assert_eq!(class("fd12:3456::1"), AddressClass::Private);
        assert_eq!(class("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(class("ff02::1"), AddressClass::Multicast);
        assert_eq!(class("2001:db8::1"), AddressClass::Documentation);
        assert_eq!(class("100::1"), AddressClass::Reserved);
        assert_eq!(class("::ffff:10.0.0.1"), AddressClass::Private);
        assert_eq!(class("::ffff:8.8.8.8"), AddressClass::Public);
    }
}
