//! Screening a customer's name (with optional birth date and country) against the index.

use crate::date::PartialDate;
use crate::entry::{Entry, EntryKind, ListSource};
use crate::index::{IndexedName, SanctionsIndex};
use crate::names::{PreparedName, TokenClass, prepare};
use crate::normalize::{has_diacritics, has_non_latin_script};
use crate::similarity::{How, NameScore, SimCache, score_name};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The threshold used when a tenant has not chosen one; see docs/sanctions.md for the
/// recall and false-positive rates it gives on the synthetic benchmark.
pub const DEFAULT_THRESHOLD: f64 = 0.9;
/// At most this many matches are returned, best first.
pub const MAX_MATCHES: usize = 50;

/// Both birth dates known and equal to the day.
const DOB_EXACT_BONUS: f64 = 0.05;
/// Compatible but partial (same year, month where both give one).
const DOB_PARTIAL_BONUS: f64 = 0.03;
/// Every listed date is more than a year away from the query's.
const DOB_CONFLICT_PENALTY: f64 = 0.15;
/// A listed country (nationality, citizenship, address) equals the query's.
const COUNTRY_BONUS: f64 = 0.02;
/// The entry lists countries and none is the query's. Mild: lists record only some of
/// the countries a person is linked to.
const COUNTRY_CONFLICT_PENALTY: f64 = 0.05;

/// What to screen: a name, and what else is known about the subject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<PartialDate>,
    /// ISO 3166 alpha-2 code or a country name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Query {
    pub fn new(name: impl Into<String>) -> Self {
        Query { name: name.into(), birth_date: None, country: None }
    }

    pub fn with_birth_date(mut self, date: PartialDate) -> Self {
        self.birth_date = Some(date);
        self
    }

    pub fn with_country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }
}

/// One listed entry that the query resembles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// Position of the entry in [`SanctionsIndex::entries`] (valid for this index only).
    pub entry_id: usize,
    pub list: ListSource,
    pub list_id: String,
    pub kind: EntryKind,
    pub primary_name: String,
    /// The primary name or alias that scored best.
    pub matched_name: String,
    /// 0 to 1: the name similarity adjusted by birth date and country.
    pub score: f64,
    /// 0 to 1: the name similarity alone.
    pub name_score: f64,
    /// Human-readable evidence, for the analyst reviewing the alert.
    pub reasons: Vec<String>,
}

struct Candidate<'a> {
    name: &'a IndexedName,
    detail: NameScore,
}

impl SanctionsIndex {
    /// Screens `query` and returns the entries scoring at least `threshold` (0 to 1), best
    /// first, at most [`MAX_MATCHES`]. Use [`DEFAULT_THRESHOLD`] unless the tenant set one.
    ///
    /// Only names that share a phonetic key with a word of the query are scored, so a
    /// query of initials or particles alone ("J. D.") matches nothing.
    pub fn screen(&self, query: &Query, threshold: f64) -> Vec<Match> {
        // A NaN threshold would let every comparison pass and return the whole candidate set.
        let threshold = if threshold.is_nan() { DEFAULT_THRESHOLD } else { threshold };
        let prepared = prepare(&query.name);
        if !prepared.has_words() {
            return Vec::new();
        }
        let query_weights: Vec<f64> = prepared.tokens.iter().map(|t| self.token_weight(t.class, &t.text)).collect();
        let country = query.country.as_deref().and_then(crate::country::normalize_country);

        let mut best: HashMap<u32, Candidate<'_>> = HashMap::new();
        let mut cache = SimCache::new();
        for name_idx in self.candidates(&prepared) {
            let Some(name) = self.names.get(name_idx as usize) else { continue };
            let detail = score_name(&prepared, &query_weights, &name.prepared, &name.weights, &mut cache);
            let better = best.get(&name.entry).is_none_or(|c| detail.score > c.detail.score);
            if better {
                best.insert(name.entry, Candidate { name, detail });
            }
        }

        let mut matches: Vec<Match> = best
            .into_values()
            .filter_map(|candidate| {
                let entry = self.entries.get(candidate.name.entry as usize)?;
                // Adjustments are bounded, so a name far below the threshold cannot be lifted.
                if candidate.detail.score + DOB_EXACT_BONUS + COUNTRY_BONUS < threshold {
                    return None;
                }
                let mut reasons = Vec::new();
                let mut score = candidate.detail.score;
                score += birth_date_adjustment(query.birth_date, entry, &mut reasons);
                score += country_adjustment(country.as_deref(), entry, &mut reasons);
                let score = score.clamp(0.0, 1.0);
                if score < threshold {
                    return None;
                }
                let mut name_reasons = explain_name(query, &prepared, candidate.name, &candidate.detail);
                name_reasons.append(&mut reasons);
                Some(Match {
                    entry_id: candidate.name.entry as usize,
                    list: entry.list,
                    list_id: entry.list_id.clone(),
                    kind: entry.kind,
                    primary_name: entry.primary_name.clone(),
                    matched_name: entry.names().nth(candidate.name.alias as usize).unwrap_or_default().to_owned(),
                    score,
                    name_score: candidate.detail.score,
                    reasons: name_reasons,
                })
            })
            .collect();
        matches.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entry_id.cmp(&b.entry_id)));
        matches.truncate(MAX_MATCHES);
        matches
    }
}

fn birth_date_adjustment(query: Option<PartialDate>, entry: &Entry, reasons: &mut Vec<String>) -> f64 {
    let Some(query) = query else { return 0.0 };
    if entry.birth_dates.is_empty() {
        return 0.0;
    }
    if let Some(listed) = entry.birth_dates.iter().find(|d| d.exact(&query)) {
        reasons.push(format!("birth date {listed} matches"));
        return DOB_EXACT_BONUS;
    }
    if let Some(listed) = entry.birth_dates.iter().find(|d| d.compatible(&query)) {
        reasons.push(format!("birth date {query} is compatible with listed {listed}"));
        return DOB_PARTIAL_BONUS;
    }
    if let Some(listed) = entry.birth_dates.iter().find(|d| d.year.abs_diff(query.year) <= 1) {
        reasons.push(format!("birth date {query} is close to listed {listed}"));
        return 0.0;
    }
    let listed: Vec<String> = entry.birth_dates.iter().map(ToString::to_string).collect();
    reasons.push(format!("birth date {query} conflicts with listed {}", listed.join(", ")));
    -DOB_CONFLICT_PENALTY
}

fn country_adjustment(query: Option<&str>, entry: &Entry, reasons: &mut Vec<String>) -> f64 {
    let Some(query) = query else { return 0.0 };
    if entry.countries.is_empty() {
        return 0.0;
    }
    if entry.countries.iter().any(|c| c.eq_ignore_ascii_case(query)) {
        reasons.push(format!("country {query} matches"));
        return COUNTRY_BONUS;
    }
    reasons.push(format!("country {query} is not among listed {}", entry.countries.join(", ")));
    -COUNTRY_CONFLICT_PENALTY
}

fn explain_name(query: &Query, prepared: &PreparedName, listed: &IndexedName, detail: &NameScore) -> Vec<String> {
    let mut reasons = Vec::new();
    let alias_kind = if listed.alias == 0 { "primary name" } else { "alias" };
    reasons.push(format!("name similarity {:.2} against {alias_kind}", detail.score));
    if has_non_latin_script(&query.name) {
        reasons.push("query transliterated to Latin script".to_owned());
    } else if has_diacritics(&query.name) {
        reasons.push("diacritics ignored".to_owned());
    }
    if let Some(joined) = &detail.joined {
        reasons.push(format!("'{joined}' read as one word"));
        return reasons;
    }
    let q = &prepared.tokens;
    let l = &listed.prepared.tokens;
    for pair in &detail.pairs {
        let (qt, lt) = (&q[pair.query].text, &l[pair.listed].text);
        match pair.how {
            How::Exact | How::Particle => {}
            How::Initial => reasons.push(format!("initial '{qt}' ~ '{lt}'")),
            How::Phonetic => reasons.push(format!("'{qt}' sounds like '{lt}'")),
            How::Spelling => reasons.push(format!("'{qt}' ~ '{lt}' (spelling {:.2})", pair.sim)),
        }
    }
    let mut order: Vec<(usize, usize)> = detail.pairs.iter().map(|p| (p.query, p.listed)).collect();
    order.sort_unstable();
    if order.windows(2).any(|w| w[1].1 < w[0].1) {
        reasons.push("word order differs".to_owned());
    }
    let unmatched = |tokens: &[crate::names::Token], used: &dyn Fn(usize) -> bool| -> Vec<String> {
        tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| t.class != TokenClass::Particle && !used(*i))
            .map(|(_, t)| t.text.to_string())
            .collect()
    };
    {
        let missing = unmatched(l, &|j| detail.pairs.iter().any(|p| p.listed == j));
        if !missing.is_empty() {
            reasons.push(format!("listed name parts not in query: {}", missing.join(" ")));
        }
        let extra = unmatched(q, &|i| detail.pairs.iter().any(|p| p.query == i));
        if !extra.is_empty() {
            reasons.push(format!("query name parts not listed: {}", extra.join(" ")));
        }
    }
    reasons
}
