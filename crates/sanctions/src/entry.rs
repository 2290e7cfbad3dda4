//! The list-independent record every importer produces and the matcher indexes.

use crate::date::PartialDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which published list an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListSource {
    /// US Treasury OFAC Specially Designated Nationals (sdn.csv with alt.csv/add.csv, or sdn.xml).
    Ofac,
    /// EU consolidated financial sanctions list (FSF XML).
    Eu,
    /// UN Security Council consolidated list (XML).
    Un,
    /// UK HM Treasury / OFSI consolidated list of targets (CSV).
    UkHmt,
    /// An operator's own list in the simple CSV described in docs/sanctions.md.
    Custom,
}

impl ListSource {
    pub const ALL: [ListSource; 5] =
        [ListSource::Ofac, ListSource::Eu, ListSource::Un, ListSource::UkHmt, ListSource::Custom];

    /// The spelling used on the command line and in the saved index.
    pub fn as_str(self) -> &'static str {
        match self {
            ListSource::Ofac => "ofac",
            ListSource::Eu => "eu",
            ListSource::Un => "un",
            ListSource::UkHmt => "uk_hmt",
            ListSource::Custom => "custom",
        }
    }
}

impl fmt::Display for ListSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The list name was none of `ofac`, `eu`, `un`, `uk` (`uk_hmt`, `hmt`, `ofsi`) or `custom`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sanctions list `{0}` (expected ofac, eu, un, uk or custom)")]
pub struct UnknownList(pub String);

impl FromStr for ListSource {
    type Err = UnknownList;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "ofac" | "sdn" | "ofac_sdn" => Ok(ListSource::Ofac),
            "eu" | "eu_fsf" | "fsf" => Ok(ListSource::Eu),
            "un" | "unsc" | "un_sc" => Ok(ListSource::Un),
            "uk" | "uk_hmt" | "hmt" | "ofsi" => Ok(ListSource::UkHmt),
            "custom" => Ok(ListSource::Custom),
            _ => Err(UnknownList(s.to_owned())),
        }
    }
}

/// What kind of subject a listing designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Person,
    Entity,
    Vessel,
    Aircraft,
    #[default]
    Unknown,
}

impl EntryKind {
    /// Maps the type words the lists use ("individual", "enterprise", "ship", …).
    pub fn from_list_word(word: &str) -> EntryKind {
        match word.trim().to_ascii_lowercase().as_str() {
            "individual" | "person" | "p" | "individuals" => EntryKind::Person,
            "entity" | "enterprise" | "organisation" | "organization" | "e" | "entities" => EntryKind::Entity,
            "vessel" | "ship" => EntryKind::Vessel,
            "aircraft" => EntryKind::Aircraft,
            _ => EntryKind::Unknown,
        }
    }
}

/// One designated subject, whichever list it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub list: ListSource,
    /// The list's own identifier (OFAC ent_num, EU logicalId, UN reference number, UK Group ID).
    pub list_id: String,
    pub kind: EntryKind,
    /// The name as the list spells it (OFAC keeps "LAST, First").
    pub primary_name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<PartialDate>,
    /// ISO 3166 alpha-2 codes where the list's text could be mapped, else the raw text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Entry {
    pub fn new(list: ListSource, list_id: impl Into<String>, kind: EntryKind, primary_name: impl Into<String>) -> Self {
        Entry {
            list,
            list_id: list_id.into(),
            kind,
            primary_name: primary_name.into(),
            aliases: Vec::new(),
            birth_dates: Vec::new(),
            countries: Vec::new(),
            programs: Vec::new(),
            remarks: None,
        }
    }

    /// The primary name followed by the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.primary_name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Adds an alias unless it repeats a name already present (lists repeat names per language).
    pub fn push_alias(&mut self, alias: &str) {
        let alias = collapse_spaces(alias);
        if alias.is_empty() || self.names().any(|n| n.eq_ignore_ascii_case(&alias)) {
            return;
        }
        self.aliases.push(alias);
    }

    pub fn push_country(&mut self, raw: &str) {
        if let Some(code) = crate::country::normalize_country(raw)
            && !self.countries.contains(&code)
        {
            self.countries.push(code);
        }
    }

    pub fn push_birth_date(&mut self, date: PartialDate) {
        if !self.birth_dates.contains(&date) {
            self.birth_dates.push(date);
        }
    }

    pub fn push_program(&mut self, program: &str) {
        let program = program.trim();
        if !program.is_empty() && !self.programs.iter().any(|p| p == program) {
            self.programs.push(program.to_owned());
        }
    }

    /// Joins remark fragments; lists spread remarks over several elements.
    pub fn push_remark(&mut self, remark: &str) {
        let remark = collapse_spaces(remark);
        if remark.is_empty() {
            return;
        }
        match &mut self.remarks {
            Some(existing) => {
                existing.push_str("; ");
                existing.push_str(&remark);
            }
            None => self.remarks = Some(remark),
        }
    }
}

/// Trims and turns every run of whitespace into one space.
pub(crate) fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_names_parse_from_cli_spellings() {
        assert_eq!("OFAC".parse::<ListSource>(), Ok(ListSource::Ofac));
        assert_eq!("uk-hmt".parse::<ListSource>(), Ok(ListSource::UkHmt));
        assert_eq!("ofsi".parse::<ListSource>(), Ok(ListSource::UkHmt));
        assert!("interpol".parse::<ListSource>().is_err());
        for list in ListSource::ALL {
            assert_eq!(list.as_str().parse::<ListSource>(), Ok(list));
        }
    }

    #[test]
    fn aliases_are_deduplicated_case_insensitively() {
        let mut e = Entry::new(ListSource::Custom, "1", EntryKind::Person, "John Doe");
        e.push_alias("JOHN  DOE");
        e.push_alias(" Johnny Doe ");
        e.push_alias("");
        assert_eq!(e.aliases, vec!["Johnny Doe".to_owned()]);
    }
}
