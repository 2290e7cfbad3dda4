//! What the AS holder's number and name suggest about a network when no range list has the
//! address: hosting providers announce their own ASNs, and mobile operators tend to say so in
//! their names. These are hints; a listed range always wins over them.

/// ASNs of large cloud, hosting and CDN operators. Kept short on purpose: only networks whose
/// address space is (nearly) all servers, so a match is rarely a home or office line.
const HOSTING_ASNS: &[u32] = &[
    714,    // Apple (iCloud Private Relay egress and data centres)
    8075,   // Microsoft Azure
    8100,   // QuadraNet
    12876,  // Scaleway
    13335,  // Cloudflare
    14061,  // DigitalOcean
    14618,  // Amazon AWS
    15169,  // Google
    16276,  // OVHcloud
    16509,  // Amazon AWS
    19994,  // Rackspace
    20473,  // Vultr (Choopa)
    20940,  // Akamai
    24940,  // Hetzner
    26496,  // GoDaddy
    28753,  // Leaseweb
    31898,  // Oracle Cloud
    36352,  // ColoCrossing
    37963,  // Alibaba Cloud
    40676,  // Psychz
    45102,  // Alibaba Cloud
    46606,  // Unified Layer
    51167,  // Contabo
    53667,  // FranTech (BuyVM)
    54113,  // Fastly
    60781,  // Leaseweb
    62567,  // DigitalOcean
    63949,  // Akamai Connected Cloud (Linode)
    132203, // Tencent Cloud
    135377, // UCloud
    136907, // Huawei Cloud
    197540, // netcup
    212238, // Datacamp (CDN77)
    396982, // Google Cloud
];

/// Words that, in an AS organisation name, mark a hosting or data-centre network.
const HOSTING_WORDS: &[&str] = &[
    "hosting",
    "data center",
    "datacenter",
    "data centre",
    "datacentre",
    "server",
    "vps",
    "cloud",
    "colocation",
    "dedicated",
    "amazon",
    "digitalocean",
    "hetzner",
    "ovh",
    "linode",
    "vultr",
    "leaseweb",
];

/// Words that mark a mobile operator's network.
const MOBILE_WORDS: &[&str] = &["mobile", "wireless", "cellular", "movil", "móvil", "celular"];

pub(crate) fn is_hosting(asn: u32, organisation: Option<&str>) -> bool {
    HOSTING_ASNS.binary_search(&asn).is_ok() || organisation.is_some_and(|o| contains_any(o, HOSTING_WORDS))
}

pub(crate) fn is_mobile(organisation: Option<&str>) -> bool {
    organisation.is_some_and(|o| contains_any(o, MOBILE_WORDS))
}

fn contains_any(text: &str, words: &[&str]) -> bool {
    let text = text.to_lowercase();
    words.iter().any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asn_list_is_sorted() {
        assert!(HOSTING_ASNS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn hosting_by_number_or_name() {
        assert!(is_hosting(16509, None));
        assert!(is_hosting(64500, Some("Example Hosting Ltd")));
        assert!(!is_hosting(3320, Some("Deutsche Telekom AG")));
    }

    #[test]
    fn mobile_by_name() {
        assert!(is_mobile(Some("T-Mobile USA, Inc.")));
        assert!(is_mobile(Some("Telefonica Movil")));
        assert!(!is_mobile(Some("Deutsche Telekom AG")));
        assert!(!is_mobile(None));
    }
}
