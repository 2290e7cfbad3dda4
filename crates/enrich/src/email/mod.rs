//! The email module: syntax (RFC 5322 via `email_address`), disposable and free providers,
//! look-alike domains, velocity keys and mailbox-name hints, without any DNS or SMTP traffic.

mod domains;
mod local_part;
mod normalise;

use email_address::{EmailAddress, Options};
use serde::Serialize;

pub use normalise::normalise_for_velocity;

use self::domains::Domains;
use crate::config::EnrichConfig;
use crate::status::{DatasetInfo, StatusBuilder};
use crate::text::read_domain_list;

/// How much each finding adds to the 0–100 score.
const SCORE_INVALID: f64 = 100.0;
const SCORE_RESERVED: f64 = 60.0;
const SCORE_DISPOSABLE: f64 = 50.0;
const SCORE_UNDELIVERABLE: f64 = 40.0;
const SCORE_TYPO: f64 = 40.0;
const SCORE_RANDOM: f64 = 20.0;
const SCORE_SUSPICIOUS_TLD: f64 = 15.0;
const SCORE_DIGITS: f64 = 10.0;
const SCORE_ROLE: f64 = 10.0;

/// What Sightline knows about an email address, in the spirit of SEON's `email_details`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailDetails {
    /// The address as given, trimmed.
    pub email: String,
    /// 0–100: how risky the address looks (weights in `docs/enrichment.md`).
    pub score: f64,
    /// RFC 5322 addr-spec syntax (no display name).
    pub valid: bool,
    /// `false` when mail certainly cannot arrive (bad syntax, reserved or non-existent TLD,
    /// a name the provider does not allow), `true` for a well-formed Gmail/Outlook/Yahoo/iCloud
    /// mailbox name, `null` when only a DNS or SMTP check could tell.
    pub deliverable: Option<bool>,
    /// The velocity key from [`normalise_for_velocity`].
    pub normalised: Option<String>,
    pub domain_details: EmailDomainDetails,
    /// Every finding, e.g. `disposable`, `typo_domain`, `plus_addressing`, `random_looking`.
    pub flags: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmailDomainDetails {
    pub domain: Option<String>,
    pub tld: Option<String>,
    pub free: bool,
    pub disposable: bool,
    /// Neither free nor disposable: a company's or a person's own domain.
    pub custom: bool,
    /// The big provider this domain is a near miss of (`gmial.com` → `gmail.com`).
    pub typo_of: Option<String>,
    pub suspicious_tld: bool,
    /// Whether the TLD is in the IANA root zone; `null` for internationalised TLDs.
    pub known_tld: Option<bool>,
    /// Reserved for documentation or tests (`example.com`, `.test`, `.invalid`, `.local`).
    pub reserved: bool,
}

pub(crate) struct EmailModule {
    domains: Domains,
}

impl EmailModule {
    pub fn load(config: &EnrichConfig, status: &mut StatusBuilder) -> EmailModule {
        let mut extra = |path: &Option<std::path::PathBuf>, id: &str| match path {
            Some(path) => match read_domain_list(path) {
                Ok(list) => {
                    status.dataset(DatasetInfo::operator(id, path.clone()));
                    list
                }
                Err(e) => {
                    status.problem(format!("{id}: {e}"));
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        let free = extra(&config.free_email_domains, "free_email_domains");
        let disposable = extra(&config.disposable_domains, "disposable_domains");
        let domains = Domains::new(free, disposable);
        status.dataset(DatasetInfo::built_in(
            "mailchecker",
            Some(&format!("6.0 ({} domains)", domains.disposable_count())),
            "MIT",
            None,
        ));
        status.dataset(DatasetInfo::built_in(
            "free-email-providers",
            Some(&format!("{} domains", domains.free_count())),
            "Apache-2.0 (part of Sightline)",
            None,
        ));
        status.dataset(DatasetInfo::built_in("iana-tlds", Some("2026100300"), "public data (IANA)", None));
        EmailModule { domains }
    }

    pub fn lookup(&self, email: &str) -> EmailDetails {
        let email = email.trim();
        let valid = EmailAddress::parse_with_options(email, Options::default().without_display_text()).is_ok();
        let (local, domain) = match email.rsplit_once('@') {
            Some((local, domain)) if !domain.is_empty() => (local, Some(domain.trim_end_matches('.').to_lowercase())),
            _ => (email, None),
        };
        let mut flags = Vec::new();
        if !valid {
            flags.push("invalid_syntax");
        }
        let ip_literal = domain.as_deref().is_some_and(|d| d.starts_with('['));
        let facts = match domain.as_deref() {
            Some(d) if !ip_literal => self.domains.check(d),
            _ => Default::default(),
        };
        let tld = domain.as_deref().filter(|d| !ip_literal && d.contains('.')).and_then(|d| d.rsplit('.').next());
        let hints = local_part::analyse(local);
        for (found, flag) in [
            (ip_literal, "ip_literal_domain"),
            (facts.disposable, "disposable"),
            (facts.free, "free_provider"),
            (facts.typo_of.is_some(), "typo_domain"),
            (facts.reserved, "reserved_domain"),
            (facts.suspicious_tld, "suspicious_tld"),
            (facts.known_tld == Some(false), "unknown_tld"),
            (local.contains('+'), "plus_addressing"),
            (hints.many_digits, "many_digits"),
            (hints.random_looking, "random_looking"),
            (hints.role_account, "role_account"),
            (hints.too_long, "long_local_part"),
        ] {
            if found {
                flags.push(flag);
            }
        }
        let provider_rule = domain.as_deref().and_then(|d| provider_accepts(local, d));
        if provider_rule == Some(false) {
            flags.push("provider_rules_violated");
        }
        let deliverable = if !valid || ip_literal || facts.reserved || facts.known_tld == Some(false) {
            Some(false)
        } else {
            provider_rule
        };
        let score = crate::score::additive(&[
            (!valid, SCORE_INVALID),
            (facts.reserved, SCORE_RESERVED),
            (facts.disposable, SCORE_DISPOSABLE),
            (valid && deliverable == Some(false), SCORE_UNDELIVERABLE),
            (facts.typo_of.is_some(), SCORE_TYPO),
            (hints.random_looking, SCORE_RANDOM),
            (facts.suspicious_tld, SCORE_SUSPICIOUS_TLD),
            (hints.many_digits, SCORE_DIGITS),
            (hints.role_account, SCORE_ROLE),
        ]);
        EmailDetails {
            email: email.to_string(),
            score,
            valid,
            deliverable,
            normalised: if valid { normalise_for_velocity(email) } else { None },
            domain_details: EmailDomainDetails {
                tld: tld.map(str::to_string),
                free: facts.free,
                disposable: facts.disposable,
                custom: domain.is_some() && !facts.free && !facts.disposable,
                typo_of: facts.typo_of.map(str::to_string),
                suspicious_tld: facts.suspicious_tld,
                known_tld: facts.known_tld,
                reserved: facts.reserved,
                domain,
            },
            flags,
        }
    }
}

/// Whether the big providers' own sign-up rules allow this mailbox name: `None` for other
/// domains. Gmail: 6–30 letters, digits and dots; Outlook: letters, digits, `.`, `_`, `-`,
/// starting with a letter; Yahoo: 4–32 letters, digits, `.` and `_`, starting with a letter;
/// iCloud: 3–20 letters, digits, `.` and `_`. A `+tag` is ignored.
fn provider_accepts(local: &str, domain: &str) -> Option<bool> {
    let mailbox = local.split('+').next().unwrap_or_default().to_ascii_lowercase();
    let only = |extra: &str| mailbox.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    let starts_with_letter = mailbox.starts_with(|c: char| c.is_ascii_alphabetic());
    let length = mailbox.len();
    Some(match domain {
        "gmail.com" | "googlemail.com" => {
            let letters = mailbox.chars().filter(|c| *c != '.').count();
            (6..=30).contains(&letters) && only(".") && !mailbox.contains("..")
        }
        "outlook.com" | "hotmail.com" | "live.com" => (1..=64).contains(&length) && only("._-") && starts_with_letter,
        "yahoo.com" | "ymail.com" => (4..=32).contains(&length) && only("._") && starts_with_letter,
        "icloud.com" | "me.com" => (3..=20).contains(&length) && only("._"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> EmailModule {
        EmailModule::load(&EnrichConfig::with_data_dir("/nonexistent"), &mut StatusBuilder::default())
    }

    #[test]
    fn clean_gmail_address() {
        let d = module().lookup("Jane.Doe+news@gmail.com");
        assert!(d.valid);
        assert_eq!(d.deliverable, Some(true));
        assert_eq!(d.normalised.as_deref(), Some("janedoe@gmail.com"));
        assert!(d.domain_details.free && !d.domain_details.disposable && !d.domain_details.custom);
        assert_eq!(d.flags, vec!["free_provider", "plus_addressing"]);
        assert_eq!(d.score, 0.0);
    }

    #[test]
    fn disposable_and_typo_domains() {
        let m = module();
        let d = m.lookup("someone@mailinator.com");
        assert!(d.domain_details.disposable && d.flags.contains(&"disposable"));
        assert!(d.score >= 50.0);
        let d = m.lookup("jane@gmial.com");
        assert_eq!(d.domain_details.typo_of.as_deref(), Some("gmail.com"));
        assert!(d.flags.contains(&"typo_domain"));
    }

    #[test]
    fn undeliverable_addresses() {
        let m = module();
        for email in
            ["not an email", "a@b@c", "Jane <jane@acme.io>", "jane@example.com", "jane@acme.notatld", "abc@gmail.com"]
        {
            let d = m.lookup(email);
            assert_eq!(d.deliverable, Some(false), "{email}");
        }
        assert!(!m.lookup("not an email").valid);
        assert_eq!(m.lookup("not an email").score, 100.0);
        assert!(m.lookup("abc@gmail.com").flags.contains(&"provider_rules_violated"));
    }

    #[test]
    fn custom_domains_are_unknown_deliverability() {
        let d = module().lookup("ceo@acme.io");
        assert!(d.valid && d.domain_details.custom);
        assert_eq!(d.deliverable, None);
        assert_eq!(d.domain_details.tld.as_deref(), Some("io"));
        assert_eq!(d.domain_details.known_tld, Some(true));
    }

    #[test]
    fn generated_mailboxes_score_higher() {
        let d = module().lookup("xk3j9q2z7m1@acme.xyz");
        assert!(d.flags.contains(&"random_looking") && d.flags.contains(&"suspicious_tld"));
        assert!(d.score >= 35.0);
    }
}
