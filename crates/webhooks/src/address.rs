//! Which IP addresses a webhook may be sent to. Pure, so every range is unit-tested without
//! DNS. Anything that could reach the operator's own network or cloud metadata (private,
//! link-local, CGNAT, NAT64 and IPv4-mapped forms of those) is refused; loopback is reported
//! separately because test tenants may receive on it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// Globally routable unicast: a legitimate receiver.
    Public,
    /// 127.0.0.0/8 or ::1 (also in IPv4-mapped and NAT64 form).
    Loopback,
    /// Never a webhook target; the text names the range for the error message.
    Restricted(&'static str),
}

/// IPv4 ranges other than loopback that are not globally reachable unicast (IANA special
/// purpose registry). Broadcast precedes 240/4 so it gets its own name.
const V4_RESTRICTED: &[([u8; 4], u32, &str)] = &[
    ([0, 0, 0, 0], 8, "unspecified"),
    ([10, 0, 0, 0], 8, "private"),
    ([100, 64, 0, 0], 10, "carrier-grade NAT"),
    ([169, 254, 0, 0], 16, "link-local"),
    ([172, 16, 0, 0], 12, "private"),
    ([192, 0, 0, 0], 24, "IETF protocol assignment"),
    ([192, 0, 2, 0], 24, "documentation"),
    ([192, 88, 99, 0], 24, "6to4 relay"),
    ([192, 168, 0, 0], 16, "private"),
    ([198, 18, 0, 0], 15, "benchmarking"),
    ([198, 51, 100, 0], 24, "documentation"),
    ([203, 0, 113, 0], 24, "documentation"),
    ([224, 0, 0, 0], 4, "multicast"),
    ([255, 255, 255, 255], 32, "broadcast"),
    ([240, 0, 0, 0], 4, "reserved"),
];

/// IPv6 ranges refused outright. 6to4 and Teredo embed IPv4 addresses that could be private,
/// and no real receiver lives there, so they are refused rather than decoded.
const V6_RESTRICTED: &[([u16; 8], u32, &str)] = &[
    ([0, 0, 0, 0, 0, 0, 0, 0], 96, "IPv4-compatible"),
    ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, "NAT64 local-use"),
    ([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "discard-only"),
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23, "IETF protocol assignment"),
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, "documentation"),
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, "6to4"),
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, "documentation"),
    ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "unique local"),
    ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local"),
    ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, "site-local"),
    ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast"),
];

/// The well-known NAT64 prefix 64:ff9b::/96: a translator would forward to the embedded IPv4.
const NAT64: [u16; 8] = [0x64, 0xff9b, 0, 0, 0, 0, 0, 0];

pub fn classify_ip(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    let bits = u32::from(ip);
    for (net, len, name) in V4_RESTRICTED {
        let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
        if bits & mask == u32::from_be_bytes(*net) & mask {
            return AddressClass::Restricted(name);
        }
    }
    AddressClass::Public
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if ip.is_unspecified() {
        return AddressClass::Restricted("unspecified");
    }
    let bits = u128::from(ip);
    if in_v6(bits, &NAT64, 96) {
        return classify_v4(Ipv4Addr::from(bits as u32));
    }
    for (net, len, name) in V6_RESTRICTED {
        if in_v6(bits, net, *len) {
            return AddressClass::Restricted(name);
        }
    }
    // Only 2000::/3 is allocated as global unicast; everything else is reserved.
    if !in_v6(bits, &[0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        return AddressClass::Restricted("reserved");
    }
    AddressClass::Public
}

fn in_v6(bits: u128, net: &[u16; 8], len: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
    bits & mask == u128::from(Ipv6Addr::from(*net)) & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> AddressClass {
        match text.parse::<IpAddr>() {
            Ok(ip) => classify_ip(ip),
            Err(e) => panic!("bad test address {text}: {e}"),
        }
    }

    fn restricted(text: &str) -> &'static str {
        match class(text) {
            AddressClass::Restricted(name) => name,
            other => panic!("{text} should be restricted, is {other:?}"),
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "169.253.255.255",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2001:200::1",
        ] {
            assert_eq!(class(ip), AddressClass::Public, "{ip}");
        }
    }

    #[test]
    fn loopback_is_its_own_class_in_every_form() {
        for ip in ["127.0.0.1", "127.255.255.254", "::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"] {
            assert_eq!(class(ip), AddressClass::Loopback, "{ip}");
        }
    }

    #[test]
    fn ipv4_special_ranges_are_refused() {
        let cases = [
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("10.0.0.1", "private"),
            ("10.255.255.255", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("100.127.255.255", "carrier-grade NAT"),
            ("169.254.169.254", "link-local"),
            ("192.0.0.8", "IETF protocol assignment"),
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("192.88.99.1", "6to4 relay"),
            ("198.18.0.1", "benchmarking"),
            ("198.19.255.255", "benchmarking"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "broadcast"),
        ];
        for (ip, name) in cases {
            assert_eq!(restricted(ip), name, "{ip}");
        }
    }

    #[test]
    fn ipv6_special_ranges_are_refused() {
        let cases = [
            ("::", "unspecified"),
            ("::a00:1", "IPv4-compatible"),
            ("64:ff9b:1::a00:1", "NAT64 local-use"),
            ("100::1", "discard-only"),
            ("2001::1", "IETF protocol assignment"),
            ("2001:2::1", "IETF protocol assignment"),
            ("2001:db8::1", "documentation"),
            ("3fff::1", "documentation"),
            ("2002:a00:1::1", "6to4"),
            ("fc00::1", "unique local"),
            ("fd12:3456:789a::1", "unique local"),
            ("fe80::1", "link-local"),
            ("febf:ffff::1", "link-local"),
            ("fec0::1", "site-local"),
            ("ff02::1", "multicast"),
            ("4000::1", "reserved"),
            ("1000::1", "reserved"),
        ];
        for (ip, name) in cases {
            assert_eq!(restricted(ip), name, "{ip}");
        }
    }

    #[test]
    fn embedded_ipv4_is_judged_by_its_ipv4_range() {
        assert_eq!(restricted("::ffff:10.0.0.1"), "private");
        assert_eq!(restricted("::ffff:169.254.169.254"), "link-local");
        assert_eq!(restricted("::ffff:100.64.0.1"), "carrier-grade NAT");
        assert_eq!(restricted("::ffff:0.0.0.0"), "unspecified");
        assert_eq!(restricted("64:ff9b::a9fe:a9fe"), "link-local");
        assert_eq!(restricted("64:ff9b::c0a8:101"), "private");
    }
}
