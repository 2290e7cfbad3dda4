//! The BIN module: brand, type, level, issuer and country of a card's first digits, and whether
//! the issuing country matches the IP's and the billing address's.

mod iin;
mod table;

use serde::Serialize;

use self::table::{BinRecord, BinTable, MAX_PREFIX};
use crate::config::EnrichConfig;
use crate::context::CountryContext;
use crate::geo::countries;
use crate::manifest::Manifest;
use crate::status::{DatasetInfo, StatusBuilder};

const BANKS_DB_DATASET: &str = "banks-db";

/// Score weights: a card issued far from where it is used is the classic stolen-card pattern;
/// prepaid cards are anonymous.
const SCORE_INVALID: f64 = 50.0;
const SCORE_BILLING_MISMATCH: f64 = 25.0;
const SCORE_IP_MISMATCH: f64 = 20.0;
const SCORE_PREPAID: f64 = 20.0;

/// What Sightline knows about a card BIN, named like SEON's `bin_*` fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinDetails {
    /// The BIN looked up: the digits given, or only the first six when a whole card number was
    /// passed, so a PAN never travels further than this call.
    pub card_bin: String,
    /// 0–100: how risky the card looks in this context (weights in `docs/enrichment.md`).
    pub score: f64,
    pub bin_bank: Option<String>,
    /// The network: `VISA`, `MASTERCARD`, `AMERICAN EXPRESS`, …
    pub bin_card: Option<String>,
    /// `CREDIT`, `DEBIT` or `PREPAID`, when a BIN file says so.
    pub bin_type: Option<String>,
    /// Product level (`CLASSIC`, `GOLD`, `BUSINESS`, …), when a BIN file says so.
    pub bin_level: Option<String>,
    pub bin_country: Option<String>,
    pub bin_country_code: Option<String>,
    pub bin_website: Option<String>,
    pub bin_phone: Option<String>,
    /// At least six digits and a known network.
    pub bin_valid: bool,
    pub prepaid: Option<bool>,
    pub ip_country_mismatch: Option<bool>,
    pub billing_country_mismatch: Option<bool>,
    pub flags: Vec<&'static str>,
}

pub(crate) struct BinModule {
    /// Operator CSV first, then the fetched data.
    tables: Vec<BinTable>,
}

impl BinModule {
    pub fn load(config: &EnrichConfig, manifest: Option<&Manifest>, status: &mut StatusBuilder) -> BinModule {
        let mut tables = Vec::new();
        if let Some(path) = &config.bin_csv {
            match BinTable::load_csv(path) {
                Ok(table) => {
                    status.dataset(DatasetInfo::operator("bin_csv", path.clone()));
                    tables.push(table);
                }
                Err(e) => status.problem(format!("bin_csv: {e}")),
            }
        }
        match manifest.and_then(|m| m.dataset(BANKS_DB_DATASET).map(|e| (m, e))) {
            Some((manifest, entry)) => {
                let folder = manifest.files(entry).into_iter().find(|p| p.is_dir());
                match folder.map(|f| BinTable::load_banks_db(&f)) {
                    Some(Ok(table)) if table.len() > 0 => {
                        status.dataset(manifest.info(entry));
                        tables.push(table);
                    }
                    Some(Ok(_)) => status.problem("banks-db: no prefixes"),
                    Some(Err(e)) => status.problem(format!("banks-db: {e}")),
                    None => status.problem("banks-db: the manifest lists no banks folder"),
                }
            }
            // An operator file alone is a complete setup; only flag the gap when there is nothing.
            None if tables.is_empty() => {
                status.problem("no BIN data: brands only (run scripts/data-fetch.sh or set bin_csv)");
            }
            None => {}
        }
        status.dataset(DatasetInfo::built_in("iin-ranges", None, "Apache-2.0 (part of Sightline)", None));
        BinModule { tables }
    }

    pub fn lookup(&self, bin: &str, context: &CountryContext) -> BinDetails {
        let digits: String = bin.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let numeric = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        let card_bin = if !numeric {
            String::new()
        } else if digits.len() > MAX_PREFIX {
            digits[..6].to_string()
        } else {
            digits.clone()
        };
        let records: Vec<&BinRecord> =
            if numeric { self.tables.iter().filter_map(|t| t.lookup(&digits)).collect() } else { Vec::new() };
        // Earlier tables win field by field, so an operator row can override one column only.
        let pick = |get: &dyn Fn(&BinRecord) -> Option<String>| records.iter().find_map(|r| get(r));
        let brand = pick(&|r| r.brand.clone()).or_else(|| iin::brand(&card_bin).map(str::to_string));
        let country_code = records.iter().find_map(|r| r.country_code);
        let prepaid = records.iter().find_map(|r| r.prepaid);
        let card_type = pick(&|r| r.card_type.clone());
        let prepaid = prepaid.or_else(|| card_type.as_deref().map(|t| t == "PREPAID"));
        let bin_valid = numeric && card_bin.len() >= 6 && brand.is_some();
        let ip_country_mismatch = countries::mismatch(country_code, context.ip_country);
        let billing_country_mismatch = countries::mismatch(country_code, context.billing_country);
        let mut flags = Vec::new();
        for (found, flag) in [
            (!bin_valid, "invalid_bin"),
            (prepaid == Some(true), "prepaid"),
            (ip_country_mismatch == Some(true), "ip_country_mismatch"),
            (billing_country_mismatch == Some(true), "billing_country_mismatch"),
        ] {
            if found {
                flags.push(flag);
            }
        }
        let score = crate::score::additive(&[
            (!bin_valid, SCORE_INVALID),
            (billing_country_mismatch == Some(true), SCORE_BILLING_MISMATCH),
            (ip_country_mismatch == Some(true), SCORE_IP_MISMATCH),
            (prepaid == Some(true), SCORE_PREPAID),
        ]);
        BinDetails {
            card_bin,
            score,
            bin_bank: pick(&|r| r.issuer.clone()),
            bin_card: brand,
            bin_type: card_type,
            bin_level: pick(&|r| r.level.clone()),
            bin_country: country_code.and_then(countries::name).map(str::to_string),
            bin_country_code: country_code.map(str::to_string),
            bin_website: pick(&|r| r.issuer_url.clone()),
            bin_phone: pick(&|r| r.issuer_phone.clone()),
            bin_valid,
            prepaid,
            ip_country_mismatch,
            billing_country_mismatch,
            flags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_with_csv(csv: &str) -> (BinModule, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bins.csv");
        std::fs::write(&path, csv).unwrap();
        let config = EnrichConfig { bin_csv: Some(path), ..EnrichConfig::with_data_dir(dir.path()) };
        (BinModule::load(&config, None, &mut StatusBuilder::default()), dir)
    }

    #[test]
    fn visa_test_bins_without_data() {
        let module = BinModule::load(&EnrichConfig::with_data_dir("/nonexistent"), None, &mut StatusBuilder::default());
        for bin in ["411111", "424242"] {
            let d = module.lookup(bin, &CountryContext::default());
            assert!(d.bin_valid, "{bin}");
            assert_eq!(d.bin_card.as_deref(), Some("VISA"));
            assert_eq!(d.bin_country_code, None);
            assert_eq!(d.ip_country_mismatch, None);
        }
    }

    #[test]
    fn full_card_numbers_are_cut_to_the_bin() {
        let module = BinModule::load(&EnrichConfig::with_data_dir("/nonexistent"), None, &mut StatusBuilder::default());
        let d = module.lookup("4111 1111 1111 1111", &CountryContext::default());
        assert_eq!(d.card_bin, "411111");
        assert!(d.bin_valid);
        let d = module.lookup("41x111", &CountryContext::default());
        assert!(!d.bin_valid && d.card_bin.is_empty() && d.flags == vec!["invalid_bin"]);
        assert!(!module.lookup("4111", &CountryContext::default()).bin_valid);
    }

    #[test]
    fn csv_data_and_country_mismatches() {
        let (module, _dir) = module_with_csv(
            "bin,brand,type,level,issuer,country_code\n424242,VISA,prepaid,classic,Stripe Test Bank,US\n",
        );
        let context = CountryContext { ip_country: Some("us"), billing_country: Some("DE") };
        let d = module.lookup("424242", &context);
        assert_eq!(d.bin_bank.as_deref(), Some("Stripe Test Bank"));
        assert_eq!(d.bin_type.as_deref(), Some("PREPAID"));
        assert_eq!(d.prepaid, Some(true));
        assert_eq!(d.bin_country.as_deref(), Some("United States"));
        assert_eq!(d.ip_country_mismatch, Some(false));
        assert_eq!(d.billing_country_mismatch, Some(true));
        assert_eq!(d.flags, vec!["prepaid", "billing_country_mismatch"]);
        assert_eq!(d.score, SCORE_BILLING_MISMATCH + SCORE_PREPAID);
    }
}
