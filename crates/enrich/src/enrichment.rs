//! [`Enrichment`]: every module loaded once at start-up and shared read-only by all requests.

use std::net::IpAddr;

use crate::cardbin::{BinDetails, BinModule};
use crate::config::{EnrichConfig, Module, RangeKind};
use crate::context::CountryContext;
use crate::email::{EmailDetails, EmailModule};
use crate::ip::{IpDetails, IpModule, WebRtcComparison};
use crate::manifest::Manifest;
use crate::phone::{PhoneDetails, PhoneModule};
use crate::status::{ModuleState, ModuleStatus, StatusBuilder};

/// The loaded enrichment data. Look-ups take `&self`, never touch the disk or the network, and
/// cost microseconds; share one instance behind an `Arc`.
pub struct Enrichment {
    ip: Option<IpModule>,
    email: Option<EmailModule>,
    phone: Option<PhoneModule>,
    bin: Option<BinModule>,
    statuses: Vec<ModuleStatus>,
}

impl Enrichment {
    /// Loads every module that is not switched off. Never fails: a missing or broken dataset
    /// leaves its module answering from what remains, and [`Enrichment::statuses`] says so.
    pub fn load(config: &EnrichConfig) -> Enrichment {
        let mut manifest_problem = None;
        let manifest = match Manifest::load(&config.enrich_dir()) {
            Ok(manifest) => manifest,
            Err(e) => {
                manifest_problem = Some(format!("manifest: {e}"));
                None
            }
        };
        let mut statuses = Vec::new();
        let start = |module: Module| {
            let mut status = StatusBuilder::default();
            if let Some(problem) = &manifest_problem {
                if matches!(module, Module::Ip | Module::Bin) {
                    status.problem(problem.clone());
                }
            }
            status
        };
        let mut finish = |module: Module, status: StatusBuilder| statuses.push(status.finish(module.name()));

        let ip = (!config.is_off(Module::Ip)).then(|| {
            let mut status = start(Module::Ip);
            let module = IpModule::load(config, manifest.as_ref(), &mut status);
            finish(Module::Ip, status);
            module
        });
        let email = (!config.is_off(Module::Email)).then(|| {
            let mut status = start(Module::Email);
            let module = EmailModule::load(config, &mut status);
            finish(Module::Email, status);
            module
        });
        let phone = (!config.is_off(Module::Phone)).then(|| {
            let mut status = start(Module::Phone);
            let module = PhoneModule::load(&mut status);
            finish(Module::Phone, status);
            module
        });
        let bin = (!config.is_off(Module::Bin)).then(|| {
            let mut status = start(Module::Bin);
            let module = BinModule::load(config, manifest.as_ref(), &mut status);
            finish(Module::Bin, status);
            module
        });
        for module in Module::ALL {
            if config.is_off(module) {
                statuses.push(ModuleStatus {
                    name: module.name().to_string(),
                    state: ModuleState::Off,
                    datasets: Vec::new(),
                });
            }
        }
        statuses.sort_by_key(|s| Module::ALL.iter().position(|m| m.name() == s.name));
        Enrichment { ip, email, phone, bin, statuses }
    }

    /// One status per module, in the order ip, email, phone, bin.
    pub fn statuses(&self) -> &[ModuleStatus] {
        &self.statuses
    }

    /// The credits the loaded datasets' licences require wherever results are shown (for
    /// DB-IP: "IP Geolocation by DB-IP (https://db-ip.com)"), without duplicates.
    pub fn attributions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for text in self.statuses.iter().flat_map(|s| &s.datasets).filter_map(|d| d.attribution.as_deref()) {
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }

    /// Geolocation, network and anonymiser details of an address; `None` when the module is off.
    pub fn ip(&self, ip: IpAddr) -> Option<IpDetails> {
        Some(self.ip.as_ref()?.lookup(ip))
    }

    /// Compares the public addresses a device's WebRTC stack revealed with the request address;
    /// `None` when the IP module is off.
    pub fn compare_webrtc(&self, request_ip: IpAddr, webrtc_ips: &[IpAddr]) -> Option<WebRtcComparison> {
        Some(self.ip.as_ref()?.compare_webrtc(request_ip, webrtc_ips))
    }

    /// Syntax, provider and risk hints of an email address; `None` when the module is off.
    pub fn email(&self, email: &str) -> Option<EmailDetails> {
        Some(self.email.as_ref()?.lookup(email))
    }

    /// Validity, type and country of a phone number; numbers without a `+` country code are read
    /// in the billing country, else the IP country. `None` when the module is off.
    pub fn phone(&self, number: &str, context: &CountryContext) -> Option<PhoneDetails> {
        Some(self.phone.as_ref()?.lookup(number, context))
    }

    /// Brand, issuer and country of a card BIN (or of a whole card number, of which only the
    /// BIN is kept); `None` when the module is off.
    pub fn card_bin(&self, bin: &str, context: &CountryContext) -> Option<BinDetails> {
        Some(self.bin.as_ref()?.lookup(bin, context))
    }

    /// The first address the loaded range lists give for `kind`, if any. For tests and
    /// diagnostics: lists change, so checks pick their sample from the data itself.
    pub fn sample_address(&self, kind: RangeKind) -> Option<IpAddr> {
        self.ip.as_ref()?.first_address_of(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AddressClass;
    use crate::config::RangeFile;
    use crate::testkit::{addresses, write_fixture_data_dir};

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn fixture() -> (Enrichment, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let config = write_fixture_data_dir(dir.path()).unwrap();
        (Enrichment::load(&config), dir)
    }

    #[test]
    fn fixture_loads_every_module_ready() {
        let (enrichment, _dir) = fixture();
        let names: Vec<_> = enrichment.statuses().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ip", "email", "phone", "bin"]);
        for status in enrichment.statuses() {
            assert_eq!(status.state, ModuleState::Ready, "{status:?}");
        }
        let ip_datasets: Vec<_> = enrichment.statuses()[0].datasets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ip_datasets, ["dbip-city", "asn", "iporigin"]);
        assert!(enrichment.attributions().contains(&"dbip-city fixture"));
    }

    #[test]
    fn residential_address_in_berlin() {
        let (enrichment, _dir) = fixture();
        let d = enrichment.ip(ip(addresses::BERLIN)).unwrap();
        assert_eq!(d.country.as_deref(), Some("DE"));
        assert_eq!(d.country_name.as_deref(), Some("Germany"));
        assert_eq!(d.state_prov.as_deref(), Some("Land Berlin"));
        assert_eq!(d.city.as_deref(), Some("Berlin"));
        assert!((d.latitude.unwrap() - 52.52).abs() < 0.01);
        assert_eq!(d.asn, Some(3320));
        assert_eq!(d.isp_name.as_deref(), Some("Deutsche Telekom AG"));
        assert_eq!((d.tor, d.vpn, d.public_proxy, d.harmful), (Some(false), Some(false), None, None));
        assert_eq!(d.ip_type, Some("ISP"));
        assert!(!d.hosting);
        assert_eq!(d.score, 0.0);
        assert_eq!(d.address_class, AddressClass::Public);
    }

    #[test]
    fn cloud_tor_vpn_and_mobile_addresses() {
        let (enrichment, _dir) = fixture();
        let cloud = enrichment.ip(ip(addresses::CLOUD)).unwrap();
        assert!(cloud.hosting);
        assert_eq!(cloud.ip_type, Some("DCH"));
        assert_eq!(cloud.provider.as_deref(), Some("Amazon AWS"));
        assert_eq!(cloud.country.as_deref(), Some("US"));
        let tor = enrichment.ip(ip(addresses::TOR_EXIT)).unwrap();
        assert_eq!((tor.tor, tor.ip_type), (Some(true), Some("TOR")));
        assert!(tor.score >= 40.0);
        let vpn = enrichment.ip(ip(addresses::VPN_EXIT)).unwrap();
        assert_eq!((vpn.vpn, vpn.ip_type, vpn.provider.as_deref()), (Some(true), Some("DCH"), Some("Mullvad")));
        let mobile = enrichment.ip(ip(addresses::MOBILE)).unwrap();
        assert_eq!((mobile.ip_type, mobile.country.as_deref()), (Some("MOB"), None));
        assert_eq!(enrichment.sample_address(RangeKind::Tor), Some(ip(addresses::TOR_EXIT)));
    }

    #[test]
    fn ipv6_and_mapped_addresses() {
        let (enrichment, _dir) = fixture();
        let d = enrichment.ip(ip(addresses::BERLIN_V6)).unwrap();
        assert_eq!((d.country.as_deref(), d.city.as_deref()), (Some("DE"), Some("Berlin")));
        assert_eq!(d.timezone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(d.state_prov.as_deref(), Some("Land Berlin"));
        assert_eq!((d.asn, d.ip_version), (Some(3320), 6));
        let mapped = enrichment.ip(ip("::ffff:81.2.69.10")).unwrap();
        assert_eq!((mapped.ip.as_str(), mapped.country.as_deref()), ("81.2.69.10", Some("DE")));
    }

    #[test]
    fn private_addresses_are_not_looked_up() {
        let (enrichment, _dir) = fixture();
        for text in ["10.0.0.1", "100.64.1.1", "127.0.0.1", "fe80::1", "192.0.2.1"] {
            let d = enrichment.ip(ip(text)).unwrap();
            assert_eq!((d.ip_type, d.country.as_deref(), d.tor), (Some("PRIVATE"), None, Some(false)), "{text}");
        }
    }

    #[test]
    fn serialises_in_seon_shape() {
        let (enrichment, _dir) = fixture();
        let json = serde_json::to_value(enrichment.ip(ip(addresses::TOR_EXIT)).unwrap()).unwrap();
        assert_eq!(json["type"], "TOR");
        assert_eq!(json["tor"], true);
        assert_eq!(json["open_ports"], serde_json::Value::Null);
        assert_eq!(json["address_class"], "public");
        let status = serde_json::to_value(&enrichment.statuses()[0]).unwrap();
        assert_eq!(status["state"], "ready");
    }

    #[test]
    fn webrtc_comparison() {
        let (enrichment, _dir) = fixture();
        let request = ip(addresses::VPN_EXIT);
        let leaked = [ip("192.168.1.20"), ip(addresses::BERLIN), ip(addresses::BERLIN_V6)];
        let c = enrichment.compare_webrtc(request, &leaked).unwrap();
        assert_eq!(c.public_ips, vec![ip(addresses::BERLIN), ip(addresses::BERLIN_V6)]);
        assert!(c.different_public_ip);
        assert_eq!(c.different_country, Some(true));
        assert_eq!(c.request_country.as_deref(), Some("NL"));
        assert_eq!(c.webrtc_countries, vec!["DE".to_string()]);
        let same = enrichment.compare_webrtc(request, &[request, ip("10.0.0.2")]).unwrap();
        assert!(!same.different_public_ip);
        assert_eq!(same.different_country, Some(false));
        let none = enrichment.compare_webrtc(request, &[ip("10.0.0.2")]).unwrap();
        assert_eq!((none.different_public_ip, none.different_country), (false, None));
    }

    #[test]
    fn without_data_modules_degrade_but_answer() {
        let dir = tempfile::tempdir().unwrap();
        let enrichment = Enrichment::load(&EnrichConfig::with_data_dir(dir.path()));
        let states: Vec<_> = enrichment.statuses().iter().map(|s| &s.state).collect();
        assert!(matches!(states[0], ModuleState::Degraded(reason) if reason.contains("data-fetch")));
        assert_eq!(states[1], &ModuleState::Ready);
        assert_eq!(states[2], &ModuleState::Ready);
        assert!(matches!(states[3], ModuleState::Degraded(_)));
        let d = enrichment.ip(ip("8.8.8.8")).unwrap();
        assert_eq!((d.country, d.tor, d.ip_type), (None, None, None));
        assert_eq!(
            enrichment.card_bin("411111", &CountryContext::default()).unwrap().bin_card.as_deref(),
            Some("VISA")
        );
        assert!(enrichment.email("x@mailinator.com").unwrap().domain_details.disposable);
    }

    #[test]
    fn broken_manifest_and_files_degrade() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = write_fixture_data_dir(dir.path()).unwrap();
        std::fs::write(dir.path().join("enrich/ip/fixture-city/city.mmdb"), b"not a database").unwrap();
        config.geo_mmdb = vec![dir.path().join("missing.mmdb")];
        config.bin_csv = Some(dir.path().join("missing.csv"));
        let enrichment = Enrichment::load(&config);
        let ModuleState::Degraded(reason) = &enrichment.statuses()[0].state else { panic!("ip should degrade") };
        assert!(reason.contains("missing.mmdb") && reason.contains("city.mmdb"), "{reason}");
        assert_eq!(enrichment.ip(ip(addresses::BERLIN)).unwrap().asn, Some(3320));
        assert!(matches!(&enrichment.statuses()[3].state, ModuleState::Degraded(r) if r.contains("missing.csv")));

        std::fs::write(dir.path().join("enrich/manifest.json"), b"{ not json").unwrap();
        let enrichment = Enrichment::load(&EnrichConfig::with_data_dir(dir.path()));
        assert!(matches!(&enrichment.statuses()[0].state, ModuleState::Degraded(r) if r.contains("manifest")));
    }

    #[test]
    fn operator_files_override_and_extend() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = write_fixture_data_dir(dir.path()).unwrap();
        let geo = dir.path().join("own-city.mmdb");
        let mut writer = crate::testkit::MmdbWriter::new("GeoIP2-City", 6);
        let record = crate::testkit::Value::map([(
            "country",
            crate::testkit::Value::map([("iso_code", crate::testkit::Value::from("AT"))]),
        )]);
        writer.insert("81.2.69.0/24", &record).unwrap();
        std::fs::write(&geo, writer.to_bytes()).unwrap();
        let proxies = dir.path().join("proxies.txt");
        std::fs::write(&proxies, "81.2.69.10\n").unwrap();
        let disposable = dir.path().join("disposable.txt");
        std::fs::write(&disposable, "# ours\nburner.example\n").unwrap();
        config.geo_mmdb = vec![geo];
        config.ip_ranges = vec![RangeFile { path: proxies, kind: RangeKind::PublicProxy, label: None }];
        config.disposable_domains = Some(disposable);
        let enrichment = Enrichment::load(&config);
        assert_eq!(enrichment.statuses()[0].state, ModuleState::Ready);
        let d = enrichment.ip(ip(addresses::BERLIN)).unwrap();
        assert_eq!(d.country.as_deref(), Some("AT"));
        assert_eq!((d.public_proxy, d.web_proxy, d.ip_type), (Some(true), None, Some("DCH")));
        assert_eq!(enrichment.ip(ip(addresses::CLOUD)).unwrap().public_proxy, Some(false));
        assert!(enrichment.email("a@burner.example").unwrap().domain_details.disposable);
        let sources: Vec<_> = enrichment.statuses()[0].datasets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(sources, ["operator:geo_mmdb", "asn", "iporigin", "operator:ip_ranges"]);
    }

    #[test]
    fn databases_with_an_unknown_layout_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = write_fixture_data_dir(dir.path()).unwrap();
        let mut writer = crate::testkit::MmdbWriter::new("odd", 6);
        let odd = crate::testkit::Value::map([
            ("country_code", crate::testkit::Value::U32(840)),
            ("autonomous_system_number", crate::testkit::Value::from("fifteen")),
        ]);
        writer.insert("8.8.8.0/24", &odd).unwrap();
        let path = dir.path().join("odd.mmdb");
        std::fs::write(&path, writer.to_bytes()).unwrap();
        config.geo_mmdb = vec![path.clone()];
        config.asn_mmdb = Some(path);
        let enrichment = Enrichment::load(&config);
        let ModuleState::Degraded(reason) = &enrichment.statuses()[0].state else { panic!("ip should degrade") };
        assert!(reason.contains("geolocation") && reason.contains("asn") && reason.contains("8.8.8.8"), "{reason}");
        // The fetched data takes over.
        assert_eq!(enrichment.ip(ip(addresses::BERLIN)).unwrap().country.as_deref(), Some("DE"));
        assert_eq!(enrichment.ip(ip(addresses::BERLIN)).unwrap().asn, Some(3320));
    }

    #[test]
    fn switched_off_modules_return_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = write_fixture_data_dir(dir.path()).unwrap();
        config.off = vec![Module::Ip, Module::Bin];
        let enrichment = Enrichment::load(&config);
        assert!(enrichment.ip(ip("8.8.8.8")).is_none());
        assert!(enrichment.compare_webrtc(ip("8.8.8.8"), &[]).is_none());
        assert!(enrichment.card_bin("411111", &CountryContext::default()).is_none());
        assert!(enrichment.email("a@b.com").is_some());
        let states: Vec<_> = enrichment.statuses().iter().map(|s| (s.name.as_str(), s.state.clone())).collect();
        assert_eq!(states[0], ("ip", ModuleState::Off));
        assert_eq!(states[3], ("bin", ModuleState::Off));
    }

    #[test]
    fn bin_and_phone_through_the_facade() {
        let (enrichment, _dir) = fixture();
        let context = CountryContext { ip_country: Some("DE"), billing_country: Some("FR") };
        let bin = enrichment.card_bin("535584", &context).unwrap();
        assert_eq!(bin.bin_bank.as_deref(), Some("Fixture Bank"));
        assert_eq!(bin.bin_card.as_deref(), Some("MASTERCARD"));
        assert_eq!((bin.ip_country_mismatch, bin.billing_country_mismatch), (Some(false), Some(true)));
        let phone = enrichment.phone("+4915112345678", &context).unwrap();
        assert_eq!((phone.valid, phone.number_type, phone.country.as_deref()), (true, Some("mobile"), Some("DE")));
    }
}
