//! The phone module: parsing, validity, line type and country from libphonenumber's metadata
//! (the `phonenumber` crate), E.164 normalisation and country mismatches.
//!
//! libphonenumber keeps carrier names in a separate dataset the Rust port does not ship, and a
//! number's original carrier says little once numbers are portable, so `carrier` is `null`.

use hashlink::LruCache;
use phonenumber::{Mode, PhoneNumber, Type, country::Id};
use serde::Serialize;
use std::sync::{Arc, Mutex, PoisonError};

use crate::context::CountryContext;
use crate::geo::countries;
use crate::status::{DatasetInfo, StatusBuilder};

/// Score weights: premium-rate and VoIP numbers are cheap to obtain in bulk and favoured for
/// throwaway accounts; an invalid number cannot receive a verification SMS at all.
const SCORE_INVALID: f64 = 80.0;
const SCORE_PREMIUM: f64 = 40.0;
const SCORE_VOIP: f64 = 30.0;
const SCORE_MISMATCH: f64 = 15.0;

/// What Sightline knows about a phone number, in the spirit of SEON's `phone_details`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneDetails {
    /// The number as given, trimmed.
    pub number: String,
    /// 0–100: how risky the number looks (weights in `docs/enrichment.md`).
    pub score: f64,
    /// Parsable and valid for its country's numbering plan.
    pub valid: bool,
    /// `+4915112345678`; present whenever the number could be parsed, even if invalid.
    pub e164: Option<String>,
    pub international: Option<String>,
    /// `mobile`, `fixed_line`, `fixed_line_or_mobile` (where the plan cannot tell, e.g. the US),
    /// `voip`, `toll_free`, `premium_rate`, `shared_cost`, `personal_number`, `pager`, `uan`,
    /// `voicemail`, or `unknown`.
    #[serde(rename = "type")]
    pub number_type: Option<&'static str>,
    /// ISO 3166-1 alpha-2 code of the numbering plan's region.
    pub country: Option<String>,
    pub country_name: Option<String>,
    pub country_calling_code: Option<u16>,
    /// Always `null`: no carrier data is shipped.
    pub carrier: Option<String>,
    pub ip_country_mismatch: Option<bool>,
    pub billing_country_mismatch: Option<bool>,
    pub flags: Vec<&'static str>,
}

/// Parsed numbers kept: parsing runs libphonenumber's regular expressions (~40 µs, the most
/// expensive look-up of a decision) and a partner's customers send the same numbers again and
/// again.
const PARSED_NUMBERS_KEPT: usize = 8192;

pub(crate) struct PhoneModule {
    parsed: Mutex<ParsedNumbers>,
}

/// (region the number is read in, number as given) → its facts, `None` when unparsable.
type ParsedNumbers = LruCache<(Option<Id>, String), Option<Arc<NumberFacts>>>;

/// What a number says about itself, whatever the request around it.
#[derive(Debug)]
struct NumberFacts {
    valid: bool,
    e164: String,
    international: String,
    calling_code: u16,
    country: Option<String>,
    number_type: &'static str,
}

impl NumberFacts {
    fn of(number: &PhoneNumber) -> NumberFacts {
        NumberFacts {
            valid: number.is_valid(),
            e164: number.format().mode(Mode::E164).to_string(),
            international: number.format().mode(Mode::International).to_string(),
            calling_code: number.country().code(),
            country: number.country().id().map(|id| id.as_ref().to_string()),
            number_type: type_name(number),
        }
    }
}

impl PhoneModule {
    pub fn load(status: &mut StatusBuilder) -> PhoneModule {
        // The metadata is decoded on first use; pay for that at start-up, not in a request.
        let _ = phonenumber::parse(Some(Id::DE), "030 1234567");
        status.dataset(DatasetInfo::built_in(
            "libphonenumber-metadata",
            Some("9.0.33 (phonenumber 0.3.10)"),
            "Apache-2.0",
            None,
        ));
        PhoneModule { parsed: Mutex::new(LruCache::new(PARSED_NUMBERS_KEPT)) }
    }

    /// The facts of `number` read in `region`, parsed once per pair while it stays in use.
    fn facts(&self, region: Option<Id>, number: &str) -> Option<Arc<NumberFacts>> {
        let key = (region, number.to_owned());
        // A panic elsewhere cannot leave the cache half-updated in a way that matters: it only
        // holds finished parses.
        if let Some(found) = self.parsed.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return found.clone();
        }
        let facts = phonenumber::parse(region, number).ok().map(|parsed| Arc::new(NumberFacts::of(&parsed)));
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner).insert(key, facts.clone());
        facts
    }

    pub fn lookup(&self, number: &str, context: &CountryContext) -> PhoneDetails {
        let number = number.trim();
        // Numbers written without a country code are read in the billing country, then the IP's.
        let region = [context.billing_country, context.ip_country]
            .into_iter()
            .flatten()
            .find_map(|c| countries::normalise(c).and_then(|c| c.parse::<Id>().ok()));
        let parsed = self.facts(region, number);
        let mut details = PhoneDetails {
            number: number.to_string(),
            score: 0.0,
            valid: false,
            e164: None,
            international: None,
            number_type: None,
            country: None,
            country_name: None,
            country_calling_code: None,
            carrier: None,
            ip_country_mismatch: None,
            billing_country_mismatch: None,
            flags: Vec::new(),
        };
        let Some(parsed) = parsed else {
            details.flags.push("unparsable");
            details.score = SCORE_INVALID;
            return details;
        };
        details.valid = parsed.valid;
        details.e164 = Some(parsed.e164.clone());
        details.international = Some(parsed.international.clone());
        details.country_calling_code = Some(parsed.calling_code);
        let country = parsed.country.clone();
        details.country_name = country.as_deref().and_then(countries::name).map(str::to_string);
        details.number_type = Some(parsed.number_type);
        details.ip_country_mismatch = countries::mismatch(country.as_deref(), context.ip_country);
        details.billing_country_mismatch = countries::mismatch(country.as_deref(), context.billing_country);
        details.country = country;
        if !details.valid {
            details.flags.push("invalid");
        }
        let kind = details.number_type.unwrap_or("unknown");
        for (found, flag) in [
            (kind == "voip", "voip"),
            (kind == "premium_rate", "premium_rate"),
            (kind == "toll_free", "toll_free"),
            (details.ip_country_mismatch == Some(true), "ip_country_mismatch"),
            (details.billing_country_mismatch == Some(true), "billing_country_mismatch"),
        ] {
            if found {
                details.flags.push(flag);
            }
        }
        details.score = crate::score::additive(&[
            (!details.valid, SCORE_INVALID),
            (kind == "premium_rate", SCORE_PREMIUM),
            (kind == "voip", SCORE_VOIP),
            (details.ip_country_mismatch == Some(true), SCORE_MISMATCH),
            (details.billing_country_mismatch == Some(true), SCORE_MISMATCH),
        ]);
        details
    }
}

fn type_name(number: &PhoneNumber) -> &'static str {
    match number.number_type(&phonenumber::metadata::DATABASE) {
        Type::FixedLine => "fixed_line",
        Type::Mobile => "mobile",
        Type::FixedLineOrMobile => "fixed_line_or_mobile",
        Type::TollFree => "toll_free",
        Type::PremiumRate => "premium_rate",
        Type::SharedCost => "shared_cost",
        Type::PersonalNumber => "personal_number",
        Type::Voip => "voip",
        Type::Pager => "pager",
        Type::Uan => "uan",
        Type::Emergency => "emergency",
        Type::Voicemail => "voicemail",
        Type::ShortCode => "short_code",
        Type::StandardRate => "standard_rate",
        Type::Carrier => "carrier",
        Type::NoInternational => "no_international",
        Type::Unknown => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(number: &str, context: CountryContext) -> PhoneDetails {
        PhoneModule::load(&mut StatusBuilder::default()).lookup(number, &context)
    }

    #[test]
    fn german_mobile() {
        let d = lookup("+4915112345678", CountryContext::default());
        assert!(d.valid);
        assert_eq!(d.number_type, Some("mobile"));
        assert_eq!(d.country.as_deref(), Some("DE"));
        assert_eq!(d.country_name.as_deref(), Some("Germany"));
        assert_eq!(d.e164.as_deref(), Some("+4915112345678"));
        assert_eq!(d.country_calling_code, Some(49));
        assert_eq!(d.carrier, None);
        assert_eq!(d.score, 0.0);
    }

    #[test]
    fn a_remembered_parse_is_only_reused_for_the_same_region() {
        let module = PhoneModule::load(&mut StatusBuilder::default());
        let german = CountryContext { ip_country: None, billing_country: Some("DE") };
        let french = CountryContext { ip_country: None, billing_country: Some("FR") };
        let first = module.lookup("0151 12345678", &german);
        assert_eq!(module.lookup("0151 12345678", &german), first);
        let in_france = module.lookup("0151 12345678", &french);
        assert_eq!(first.e164.as_deref(), Some("+4915112345678"));
        assert_ne!(in_france.e164, first.e164);
        // The mismatch flags come from the request, not from the remembered parse.
        let from_france = CountryContext { ip_country: Some("FR"), billing_country: Some("DE") };
        assert_eq!(module.lookup("0151 12345678", &from_france).ip_country_mismatch, Some(true));
        assert_eq!(first.ip_country_mismatch, None);
    }

    #[test]
    fn national_format_uses_the_billing_country() {
        let context = CountryContext { ip_country: Some("FR"), billing_country: Some("de") };
        let d = lookup("0151 12345678", context);
        assert_eq!(d.e164.as_deref(), Some("+4915112345678"));
        assert_eq!(d.billing_country_mismatch, Some(false));
        assert_eq!(d.ip_country_mismatch, Some(true));
        assert!(d.flags.contains(&"ip_country_mismatch"));
    }

    #[test]
    fn other_types_and_garbage() {
        assert_eq!(lookup("+44 20 7946 0958", CountryContext::default()).number_type, Some("fixed_line"));
        assert_eq!(lookup("+1 800 555 0199", CountryContext::default()).number_type, Some("toll_free"));
        let d = lookup("+49 123", CountryContext::default());
        assert!(!d.valid && d.flags.contains(&"invalid"));
        let d = lookup("not a number", CountryContext::default());
        assert!(!d.valid && d.e164.is_none() && d.score == SCORE_INVALID);
    }
}
