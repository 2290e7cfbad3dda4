//! BIN tables loaded from files: the fetched Banks DB (issuer and country per 6-digit prefix,
//! one JSON file per bank) and an operator's CSV (any of brand, type, level, issuer, country,
//! phone, website, prepaid per prefix). Both become one prefix map; a look-up tries the longest
//! prefix first, so an 8-digit row beats a 6-digit one.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::LoadError;
use crate::geo::countries;
use crate::text::{csv_fields, read_to_string};

/// What a table knows about a prefix. Every field is optional: sources differ in what they carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BinRecord {
    pub brand: Option<String>,
    pub card_type: Option<String>,
    pub level: Option<String>,
    pub issuer: Option<String>,
    pub country_code: Option<&'static str>,
    pub issuer_phone: Option<String>,
    pub issuer_url: Option<String>,
    pub prepaid: Option<bool>,
}

#[derive(Debug, Default)]
pub(crate) struct BinTable {
    /// (prefix length, prefix value) → record index.
    prefixes: HashMap<(u8, u32), usize>,
    records: Vec<BinRecord>,
}

pub(crate) const MIN_PREFIX: usize = 4;
pub(crate) const MAX_PREFIX: usize = 8;

impl BinTable {
    fn insert(&mut self, prefix: &str, record_index: usize) -> bool {
        let Ok(value) = prefix.parse::<u32>() else {
            return false;
        };
        if !(MIN_PREFIX..=MAX_PREFIX).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        self.prefixes.insert((prefix.len() as u8, value), record_index);
        true
    }

    pub fn len(&self) -> usize {
        self.prefixes.len()
    }

    /// The record of the longest listed prefix of `digits`.
    pub fn lookup(&self, digits: &str) -> Option<&BinRecord> {
        (MIN_PREFIX..=MAX_PREFIX.min(digits.len())).rev().find_map(|length| {
            let value = digits[..length].parse::<u32>().ok()?;
            self.prefixes.get(&(length as u8, value)).map(|i| &self.records[*i])
        })
    }

    /// Reads Banks DB's `banks/<country>/<bank>.json` files.
    pub fn load_banks_db(folder: &Path) -> Result<BinTable, LoadError> {
        #[derive(Deserialize)]
        struct Bank {
            country: String,
            #[serde(rename = "engTitle")]
            eng_title: Option<String>,
            #[serde(rename = "localTitle")]
            local_title: Option<String>,
            url: Option<String>,
            prefixes: Vec<u32>,
            #[serde(default)]
            defunct: bool,
        }
        let mut table = BinTable::default();
        let mut files = Vec::new();
        for country in std::fs::read_dir(folder).map_err(|e| LoadError::io(folder, e))? {
            let country = country.map_err(|e| LoadError::io(folder, e))?.path();
            if !country.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&country).map_err(|e| LoadError::io(&country, e))? {
                let file = file.map_err(|e| LoadError::io(&country, e))?.path();
                if file.extension().is_some_and(|e| e == "json") {
                    files.push(file);
                }
            }
        }
        // Sorted so that a prefix claimed by two banks always resolves the same way.
        files.sort();
        for file in files {
            let bank: Bank =
                serde_json::from_str(&read_to_string(&file)?).map_err(|e| LoadError::format(&file, e.to_string()))?;
            if bank.defunct {
                continue;
            }
            let index = table.records.len();
            table.records.push(BinRecord {
                issuer: bank.eng_title.or(bank.local_title),
                country_code: countries::normalise(&bank.country),
                issuer_url: bank.url,
                ..BinRecord::default()
            });
            for prefix in bank.prefixes {
                table.insert(&prefix.to_string(), index);
            }
        }
        Ok(table)
    }

    /// Reads an operator CSV. The header names the columns (any order, case-insensitive, extra
    /// columns ignored): `bin` (required, 4–8 digits), `brand`, `type`, `level` or `category`,
    /// `issuer` or `bank`, `country_code` or `isocode2`, `issuer_phone`, `issuer_url`, `prepaid`.
    pub fn load_csv(path: &Path) -> Result<BinTable, LoadError> {
        let text = read_to_string(path)?;
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Err(LoadError::format(path, "empty file"));
        };
        let names: Vec<String> = csv_fields(header).iter().map(|h| normalise_header(h)).collect();
        let column = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
        let Some(bin_column) = column(&["bin", "iin"]) else {
            return Err(LoadError::format(path, "no `bin` column in the header"));
        };
        let columns = [
            column(&["brand", "scheme", "network"]),
            column(&["type", "cardtype"]),
            column(&["level", "category", "cardlevel"]),
            column(&["issuer", "bank", "bankname", "issuername"]),
            column(&["countrycode", "isocode2", "country", "alpha2"]),
            column(&["issuerphone", "bankphone", "phone"]),
            column(&["issuerurl", "bankurl", "url", "website"]),
            column(&["prepaid"]),
        ];
        let mut table = BinTable::default();
        for (index, line) in lines {
            let fields = csv_fields(line);
            let field = |column: Option<usize>| {
                column.and_then(|c| fields.get(c)).map(|f| f.trim()).filter(|f| !f.is_empty()).map(str::to_string)
            };
            let bin = field(Some(bin_column)).unwrap_or_default();
            let [brand, card_type, level, issuer, country, phone, url, prepaid] = columns.map(field);
            let record_index = table.records.len();
            if !table.insert(&bin, record_index) {
                return Err(LoadError::line(path, index + 1, format!("bad BIN {bin:?} (4 to 8 digits expected)")));
            }
            table.records.push(BinRecord {
                brand: brand.map(|b| b.to_uppercase()),
                card_type: card_type.map(|t| t.to_uppercase()),
                level: level.map(|l| l.to_uppercase()),
                issuer,
                country_code: country.as_deref().and_then(countries::normalise),
                issuer_phone: phone,
                issuer_url: url,
                prepaid: prepaid.map(|p| matches!(p.to_ascii_lowercase().as_str(), "true" | "yes" | "y" | "1")),
            });
        }
        Ok(table)
    }
}

/// `Country Code` and `country_code` both become `countrycode`.
fn normalise_header(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_aliases_and_longest_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bins.csv");
        std::fs::write(
            &path,
            "BIN,Brand,Type,Category,Issuer,isoCode2,Extra\n\
             411111,visa,credit,classic,\"Test Bank, N.A.\",US,x\n\
             41111122,visa,debit,,Other Bank,GB,\n",
        )
        .unwrap();
        let table = BinTable::load_csv(&path).unwrap();
        let record = table.lookup("411111").unwrap();
        assert_eq!(record.brand.as_deref(), Some("VISA"));
        assert_eq!(record.card_type.as_deref(), Some("CREDIT"));
        assert_eq!(record.level.as_deref(), Some("CLASSIC"));
        assert_eq!(record.issuer.as_deref(), Some("Test Bank, N.A."));
        assert_eq!(record.country_code, Some("US"));
        assert_eq!(table.lookup("41111122").unwrap().issuer.as_deref(), Some("Other Bank"));
        assert_eq!(table.lookup("41111199").unwrap().issuer.as_deref(), Some("Test Bank, N.A."));
        assert!(table.lookup("422222").is_none());
    }

    #[test]
    fn csv_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bins.csv");
        std::fs::write(&path, "bin,brand\n12,visa\n").unwrap();
        assert!(BinTable::load_csv(&path).err().unwrap().to_string().contains("line 2"));
        std::fs::write(&path, "brand\nvisa\n").unwrap();
        assert!(BinTable::load_csv(&path).is_err());
    }

    #[test]
    fn banks_db_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("de")).unwrap();
        std::fs::write(
            dir.path().join("de/n26.json"),
            r##"{"name":"n26","country":"de","localTitle":"N26","engTitle":"N26","url":"https://n26.com/","color":"#383838","prefixes":[535584]}"##,
        )
        .unwrap();
        std::fs::write(dir.path().join("index.js"), "module.exports = [];").unwrap();
        let table = BinTable::load_banks_db(dir.path()).unwrap();
        let record = table.lookup("5355840012").unwrap();
        assert_eq!((record.issuer.as_deref(), record.country_code), (Some("N26"), Some("DE")));
    }
}
