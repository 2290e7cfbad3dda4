//! The core's `Enricher` port over `sightline_enrich`: each module's full output becomes the
//! dialect's `*_details`, and a projection of it becomes the rules' event model (`ip.is_tor`,
//! `email.disposable`, …). Fields a module does not know are left out, as the rules expect.

use serde::Serialize;
use serde_json::{Map, Value, json};
use sightline_core::TenantSettings;
use sightline_core::fraud::{Enricher, Enrichment as Reports, FraudEvent, Module, ModuleReport, ModuleStatus};
use sightline_enrich::{CountryContext, Enrichment, ModuleState};
use sightline_sanctions::{DEFAULT_THRESHOLD, PartialDate, Query, SanctionsIndex};
use std::net::IpAddr;
use std::time::Instant;

#[derive(Default)]
struct Consistency {
    timezone: Option<String>,
    timezone_matches: Option<bool>,
    webrtc: Option<sightline_enrich::WebRtcComparison>,
}

pub struct OfflineEnricher {
    data: Enrichment,
    sanctions: Option<SanctionsIndex>,
}

impl OfflineEnricher {
    pub fn new(data: Enrichment, sanctions: Option<SanctionsIndex>) -> OfflineEnricher {
        OfflineEnricher { data, sanctions }
    }

    fn unavailable(&self, name: &str) -> Option<String> {
        self.data.statuses().iter().find(|s| s.name == name).and_then(|s| match &s.state {
            ModuleState::Off => Some(format!("the {name} module is switched off in the server configuration")),
            _ => None,
        })
    }
}

/// An object of the fields that are known.
fn fields(pairs: impl IntoIterator<Item = (&'static str, Option<Value>)>) -> Value {
    Value::Object(pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect::<Map<_, _>>())
}

fn details(value: &impl Serialize) -> Option<Value> {
    serde_json::to_value(value).ok()
}

fn report(started: Instant, details: Option<Value>, fields: Value) -> ModuleReport {
    ModuleReport {
        status: ModuleStatus::Ok,
        fields: Some(fields),
        details,
        elapsed_ms: started.elapsed().as_secs_f64() * 1e3,
    }
}

fn no_input(what: &str) -> ModuleReport {
    ModuleReport::status(ModuleStatus::NoInput(format!("the request has no {what}")))
}

impl OfflineEnricher {
    fn ip(&self, event: &FraudEvent, device_details: Option<&Value>) -> (ModuleReport, Option<String>) {
        let Some(text) = event.text("ip") else { return (no_input("ip"), None) };
        let Ok(address) = text.parse::<IpAddr>() else {
            return (ModuleReport::status(ModuleStatus::Rejected(format!("`{text}` is not an IP address"))), None);
        };
        let started = Instant::now();
        let Some(ip) = self.data.ip(address) else {
            return (ModuleReport::status(ModuleStatus::Off), None);
        };
        let country = ip.country.clone();
        let proxy = match (ip.web_proxy, ip.public_proxy) {
            (None, None) => None,
            (a, b) => Some(Value::from(a.unwrap_or(false) || b.unwrap_or(false))),
        };
        let rules = fields([
            ("address", Some(Value::from(ip.ip.clone()))),
            ("asn", ip.asn.map(Value::from)),
            ("city", ip.city.clone().map(Value::from)),
            ("country", ip.country.clone().map(Value::from)),
            ("is_datacenter", Some(Value::from(ip.hosting))),
            ("is_proxy", proxy),
            ("is_tor", ip.tor.map(Value::from)),
            ("is_vpn", ip.vpn.map(Value::from)),
            ("isp", ip.isp_name.clone().or_else(|| ip.asn_organisation.clone()).map(Value::from)),
            ("region", ip.state_prov.clone().map(Value::from)),
            ("type", ip.ip_type.map(|t| Value::from(t.to_lowercase()))),
        ]);
        let consistency = self.device_consistency(address, country.as_deref(), device_details);
        let (mut rules, mut details) = (rules, details(&ip));
        if let (Value::Object(rules), Some(Value::Object(details))) = (&mut rules, &mut details) {
            if let Some(mismatch) = consistency.timezone_matches.map(|m| !m) {
                rules.insert("timezone_mismatch".to_owned(), Value::from(mismatch));
            }
            if let Some(webrtc) = &consistency.webrtc {
                rules.insert("webrtc_mismatch".to_owned(), Value::from(webrtc.different_public_ip));
            }
            details.insert(
                "device_consistency".to_owned(),
                json!({"device_timezone": consistency.timezone, "timezone_matches_ip_country": consistency.timezone_matches,
                       "webrtc": consistency.webrtc}),
            );
        }
        (report(started, details, rules), country)
    }

    /// The device's time zone against the IP's country, and its WebRTC addresses against the
    /// request's: the classic tells of a VPN or proxy, which need both the payload and the data.
    fn device_consistency(
        &self,
        address: IpAddr,
        country: Option<&str>,
        device_details: Option<&Value>,
    ) -> Consistency {
        let Some(device) = device_details else { return Consistency::default() };
        let timezone = ["timezone", "timezone_identifier", "region_timezone"]
            .iter()
            .find_map(|k| device.get(*k).and_then(Value::as_str))
            .map(str::to_owned);
        let timezone_matches = match (country, timezone.as_deref()) {
            (Some(country), Some(tz)) => sightline_enrich::ip_country_matches_timezone(country, tz),
            _ => None,
        };
        let webrtc_ips: Vec<IpAddr> = device
            .get("webrtc_ips")
            .and_then(Value::as_array)
            .map(|ips| ips.iter().filter_map(|ip| ip.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        let webrtc = (!webrtc_ips.is_empty()).then(|| self.data.compare_webrtc(address, &webrtc_ips)).flatten();
        Consistency { timezone, timezone_matches, webrtc }
    }

    fn email(&self, event: &FraudEvent) -> ModuleReport {
        let Some(text) = event.text("email") else { return no_input("email") };
        let started = Instant::now();
        let Some(email) = self.data.email(text) else { return ModuleReport::status(ModuleStatus::Off) };
        let domain = &email.domain_details;
        let rules = fields([
            ("address", Some(Value::from(email.email.to_lowercase()))),
            ("deliverable", email.deliverable.map(Value::from)),
            ("disposable", Some(Value::from(domain.disposable))),
            ("domain", domain.domain.clone().map(Value::from)),
            ("free", Some(Value::from(domain.free))),
            ("typo_of", Some(Value::from(domain.typo_of.clone().unwrap_or_default()))),
        ]);
        report(started, details(&email), rules)
    }

    fn phone(&self, event: &FraudEvent, context: &CountryContext) -> ModuleReport {
        let Some(text) = event.text("phone_number") else { return no_input("phone_number") };
        let started = Instant::now();
        let Some(phone) = self.data.phone(text, context) else { return ModuleReport::status(ModuleStatus::Off) };
        let kind = phone.number_type.map(|t| match t {
            "fixed_line" => "landline",
            "premium_rate" => "premium",
            other => other,
        });
        let rules = fields([
            ("country", phone.country.clone().map(Value::from)),
            ("number", phone.international.clone().map(Value::from)),
            ("type", kind.map(Value::from)),
            ("valid", Some(Value::from(phone.valid))),
        ]);
        report(started, details(&phone), rules)
    }

    fn card(&self, event: &FraudEvent, context: &CountryContext) -> ModuleReport {
        let Some(bin) = event.text("card_bin") else { return no_input("card_bin") };
        let started = Instant::now();
        let Some(card) = self.data.card_bin(bin, context) else { return ModuleReport::status(ModuleStatus::Off) };
        let rules = fields([
            ("bank", card.bin_bank.clone().map(Value::from)),
            ("bin", Some(Value::from(card.card_bin.clone()))),
            ("brand", card.bin_card.clone().map(|b| Value::from(b.to_lowercase()))),
            ("country", card.bin_country_code.clone().map(Value::from)),
            ("level", card.bin_level.clone().map(|l| Value::from(l.to_lowercase()))),
            ("prepaid", card.prepaid.map(Value::from)),
            ("type", card.bin_type.clone().map(|t| Value::from(t.to_lowercase()))),
            ("valid", Some(Value::from(card.bin_valid))),
        ]);
        report(started, details(&card), rules)
    }
}

impl OfflineEnricher {
    /// Screens the customer's name (with birth date and country when sent) against the
    /// imported lists at the tenant's threshold.
    fn aml(&self, event: &FraudEvent, settings: &TenantSettings) -> ModuleReport {
        let Some(index) = &self.sanctions else {
            let note = "no sanctions list is imported (`sightline sanctions import`)";
            return ModuleReport::status(ModuleStatus::Unavailable(note.to_owned()));
        };
        let joined = [event.text("user_firstname"), event.text("user_middlename"), event.text("user_lastname")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let name = event.text("user_fullname").map(str::to_owned).or_else(|| (!joined.is_empty()).then_some(joined));
        let Some(name) = name else { return no_input("user_fullname (or first and last name)") };
        let started = Instant::now();
        let mut query = Query::new(&name);
        if let Some(dob) = event.text("user_dob").and_then(|d| d.parse::<PartialDate>().ok()) {
            query = query.with_birth_date(dob);
        }
        if let Some(country) = event.text("user_country") {
            query = query.with_country(country);
        }
        let threshold = settings.aml_match_threshold.map_or(DEFAULT_THRESHOLD, |t| f64::from(t) / 100.0);
        let matches = index.screen(&query, threshold);
        let rules = fields([
            ("result_count", Some(Value::from(matches.len()))),
            ("sanctions_match", Some(Value::from(!matches.is_empty()))),
            ("watchlist_match", Some(Value::from(!matches.is_empty()))),
        ]);
        let details = json!({
            "query_name": name,
            "threshold": threshold,
            "has_sanction_match": !matches.is_empty(),
            "result_count": matches.len(),
            "lists_screened": index.imports(),
            "matches": matches,
        });
        report(started, Some(details), rules)
    }
}

impl Enricher for OfflineEnricher {
    fn enrich(&self, event: &FraudEvent, device_details: Option<&Value>, settings: &TenantSettings) -> Reports {
        let mut reports = Reports::new();
        let switched_off = |module: Module| !event.modules.is_on(module);
        let (ip, ip_country) = if switched_off(Module::Ip) {
            (ModuleReport::status(ModuleStatus::Off), None)
        } else {
            self.ip(event, device_details)
        };
        reports.insert(Module::Ip, ip);
        let billing = event.text("billing_country").map(str::to_uppercase);
        let context = CountryContext { ip_country: ip_country.as_deref(), billing_country: billing.as_deref() };
        for (module, name) in [(Module::Email, "email"), (Module::Phone, "phone"), (Module::Card, "bin")] {
            let answer = if switched_off(module) {
                ModuleReport::status(ModuleStatus::Off)
            } else if let Some(note) = self.unavailable(name) {
                ModuleReport::status(ModuleStatus::Unavailable(note))
            } else {
                match module {
                    Module::Email => self.email(event),
                    Module::Phone => self.phone(event, &context),
                    _ => self.card(event, &context),
                }
            };
            reports.insert(module, answer);
        }
        let aml =
            if switched_off(Module::Aml) { ModuleReport::status(ModuleStatus::Off) } else { self.aml(event, settings) };
        reports.insert(Module::Aml, aml);
        reports
    }
}

/// What `GET /v1/modules` shows of the loaded data.
pub fn describe(enricher: &OfflineEnricher) -> Value {
    let mut modules = serde_json::to_value(enricher.data.statuses()).unwrap_or_else(|_| json!([]));
    let aml = match &enricher.sanctions {
        Some(index) => json!({"name": "aml", "state": "ready", "entries": index.len(), "lists": index.imports()}),
        None => json!({"name": "aml", "state": "degraded",
            "reason": "no sanctions list imported; see `sightline sanctions import`", "datasets": []}),
    };
    if let Value::Array(list) = &mut modules {
        list.push(aml);
        list.push(json!({"name": "device", "state": "ready", "datasets": []}));
    }
    json!({"modules": modules, "attributions": enricher.data.attributions()})
}
