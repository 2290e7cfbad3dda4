//! The in-memory index: every listed name prepared once, an inverted index from phonetic
//! keys to names for candidate retrieval, and per-token document frequencies for weights.

use crate::entry::Entry;
use crate::names::{PreparedName, Token, TokenClass, prepare};
use crate::phonetic::{self, Code};
use crate::store::ImportMeta;
use std::cell::RefCell;
use std::collections::HashMap;

/// Weight of a particle ("al", "bin", "van"): present, but nearly free to add or drop.
pub(crate) const PARTICLE_WEIGHT: f64 = 0.15;
/// Weight of an initial, before pairing: it carries one letter of information.
pub(crate) const INITIAL_WEIGHT: f64 = 0.5;
/// The weight of the most common word; the rarest weighs 1. Rare words (family names) thus
/// count for more than "Mohammed" or "Ivan", which half the list shares.
const MIN_WORD_WEIGHT: f64 = 0.35;
/// Names scored in full per query, taken best-first from the retrieval ranking.
const CANDIDATES: usize = 160;
/// A key reached through a one-letter deletion counts for less than an intact code.
const DELETION_KEY_FACTOR: f32 = 0.5;
/// Query words beyond this are ignored for retrieval (they still count in scoring).
const MAX_QUERY_KEYS_TOKENS: usize = 8;

/// A query initial ("J.") reaches names with a word of that initial, weakly: enough to rank
/// "John Doe" above the other Does, not to retrieve anyone on its own.
const INITIAL_KEY_FACTOR: f32 = 0.3;

const TAG_CODE: u64 = 1 << 32;
const TAG_DELETION: u64 = 2 << 32;
const TAG_INITIAL: u64 = 3 << 32;
const TAG_TEXT: u64 = 4 << 32;
/// An exact word counts on top of its phonetic code, so "Young" ranks the Youngs above the
/// many "Yong"s that share its code.
const TEXT_KEY_FACTOR: f32 = 1.0;

#[derive(Debug, Clone)]
pub(crate) struct IndexedName {
    pub entry: u32,
    /// 0 for the primary name, i for `aliases[i - 1]`.
    pub alias: u32,
    pub prepared: PreparedName,
    pub weights: Vec<f64>,
}

/// Sanctions entries prepared for screening. Build it once per list update and share it
/// (it is immutable and `Sync`); see [`SanctionsIndex::screen`].
#[derive(Debug, Clone, Default)]
pub struct SanctionsIndex {
    pub(crate) entries: Vec<Entry>,
    pub(crate) imports: Vec<ImportMeta>,
    pub(crate) names: Vec<IndexedName>,
    postings: HashMap<u64, Vec<u32>>,
    token_df: HashMap<Box<str>, u32>,
    max_idf: f64,
}

/// Per-name retrieval accumulator, reused across queries on one thread.
#[derive(Clone, Copy, Default)]
struct Acc {
    total: f32,
    current: f32,
    token: u16,
}

thread_local! {
    static SCRATCH: RefCell<(Vec<Acc>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl SanctionsIndex {
    /// Indexes `entries` with no import metadata (tests, custom lists built in code).
    pub fn build(entries: Vec<Entry>) -> Self {
        Self::build_with_imports(entries, Vec::new())
    }

    /// Indexes `entries` and keeps `imports` to be saved alongside them.
    pub fn build_with_imports(entries: Vec<Entry>, imports: Vec<ImportMeta>) -> Self {
        let mut names = Vec::new();
        for (entry_idx, entry) in entries.iter().enumerate() {
            let entry_idx = u32::try_from(entry_idx).unwrap_or(u32::MAX);
            for (alias, name) in entry.names().enumerate() {
                let prepared = prepare(name);
                if prepared.tokens.is_empty() {
                    continue;
                }
                let alias = u32::try_from(alias).unwrap_or(u32::MAX);
                names.push(IndexedName { entry: entry_idx, alias, prepared, weights: Vec::new() });
            }
        }

        // Every distinct listed word gets an id, for the per-query similarity cache.
        let mut ids: HashMap<Box<str>, u32> = HashMap::new();
        for name in &mut names {
            for token in &mut name.prepared.tokens {
                let next = u32::try_from(ids.len()).unwrap_or(u32::MAX - 1);
                token.id = *ids.entry(token.text.clone()).or_insert(next);
            }
        }
        drop(ids);

        let mut token_df: HashMap<Box<str>, u32> = HashMap::new();
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut keys = Vec::new();
        for (name_idx, name) in names.iter().enumerate() {
            let name_idx = u32::try_from(name_idx).unwrap_or(u32::MAX);
            let mut seen: Vec<&str> = Vec::with_capacity(name.prepared.tokens.len());
            keys.clear();
            // Short neighbouring words are also filed joined ("min yong" as "minyong"): East
            // Asian given names are written both ways.
            for pair in name.prepared.tokens.windows(2) {
                if let Some(codes) = short_pair_codes(&pair[0], &pair[1]) {
                    push_listed_keys(codes, &mut keys);
                }
            }
            for token in name.prepared.tokens.iter().filter(|t| t.class == TokenClass::Word) {
                if !seen.contains(&&*token.text) {
                    seen.push(&token.text);
                    *token_df.entry(token.text.clone()).or_default() += 1;
                }
                push_listed_keys(token.codes, &mut keys);
                keys.push((text_key(&token.text), 1.0));
                if let Some(first) = token.text.bytes().next() {
                    keys.push((TAG_INITIAL | u64::from(first), 1.0));
                }
            }
            keys.sort_unstable_by_key(|(key, _)| *key);
            keys.dedup_by_key(|(key, _)| *key);
            for (key, _) in &keys {
                postings.entry(*key).or_default().push(name_idx);
            }
        }

        let max_idf = (names.len().max(1) as f64 + 1.0).ln();
        let mut index = SanctionsIndex { entries, imports, names: Vec::new(), postings, token_df, max_idf };
        for name in &mut names {
            name.weights = name.prepared.tokens.iter().map(|t| index.token_weight(t.class, &t.text)).collect();
        }
        index.names = names;
        index
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry a [`crate::Match`] refers to by `entry_id`.
    pub fn entry(&self, entry_id: usize) -> Option<&Entry> {
        self.entries.get(entry_id)
    }

    pub fn imports(&self) -> &[ImportMeta] {
        &self.imports
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of indexed names (primary names plus aliases).
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn token_weight(&self, class: TokenClass, text: &str) -> f64 {
        match class {
            TokenClass::Particle => PARTICLE_WEIGHT,
            TokenClass::Initial => INITIAL_WEIGHT,
            TokenClass::Word => {
                // Unseen words (typos, names not on the list) are as informative as the rarest.
                let df = self.token_df.get(text).copied().unwrap_or(1).max(1);
                let idf = ((self.names.len().max(1) as f64 + 1.0) / f64::from(df)).ln();
                let ratio = if self.max_idf > 0.0 { (idf / self.max_idf).clamp(0.0, 1.0) } else { 1.0 };
                MIN_WORD_WEIGHT + (1.0 - MIN_WORD_WEIGHT) * ratio
            }
        }
    }

    /// The names worth scoring for `query`: those sharing phonetic keys with its words,
    /// ranked by the summed rarity of the keys they share (each query word counted once).
    pub(crate) fn candidates(&self, query: &PreparedName) -> Vec<u32> {
        let total_names = self.names.len();
        if total_names == 0 {
            return Vec::new();
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let (accs, touched) = &mut *scratch;
            if accs.len() < total_names {
                accs.resize(total_names, Acc::default());
            }
            touched.clear();
            let mut keys = Vec::new();
            let searchable =
                query.tokens.iter().filter(|t| t.class != TokenClass::Particle).take(MAX_QUERY_KEYS_TOKENS);
            for (token_no, token) in searchable.enumerate() {
                let token_no = u16::try_from(token_no + 1).unwrap_or(u16::MAX);
                keys.clear();
                match token.class {
                    TokenClass::Initial => {
                        if let Some(first) = token.text.bytes().next() {
                            keys.push((TAG_INITIAL | u64::from(first), INITIAL_KEY_FACTOR));
                        }
                    }
                    _ => {
                        push_query_keys(token.codes, &mut keys);
                        keys.push((text_key(&token.text), TEXT_KEY_FACTOR));
                    }
                }
                keys.sort_unstable_by_key(|(key, _)| *key);
                keys.dedup_by_key(|(key, _)| *key);
                self.accumulate(&keys, token_no, accs, touched);
            }
            // Two short query words may be one listed word ("Min Yong" for "Minyong").
            for (pair_no, pair) in query.tokens.windows(2).enumerate() {
                let Some(codes) = short_pair_codes(&pair[0], &pair[1]) else { continue };
                let token_no = u16::try_from(MAX_QUERY_KEYS_TOKENS + 2 + pair_no).unwrap_or(u16::MAX);
                keys.clear();
                for code in codes.into_iter().filter(|c| *c != 0) {
                    keys.push((TAG_CODE | u64::from(code), 1.0));
                    keys.push((TAG_DELETION | u64::from(code), DELETION_KEY_FACTOR));
                }
                self.accumulate(&keys, token_no, accs, touched);
            }
            let mut ranked: Vec<(f32, u32)> = touched
                .iter()
                .map(|&name| {
                    let acc = &mut accs[name as usize];
                    let total = acc.total + acc.current;
                    *acc = Acc::default();
                    (total, name)
                })
                .collect();
            if ranked.len() > CANDIDATES {
                ranked.select_nth_unstable_by(CANDIDATES, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                ranked.truncate(CANDIDATES);
            }
            ranked.into_iter().map(|(_, name)| name).collect()
        })
    }
}

impl SanctionsIndex {
    /// Adds the rarity of each key to the names filed under it, counting the best key once
    /// per query token (`token_no`).
    fn accumulate(&self, keys: &[(u64, f32)], token_no: u16, accs: &mut [Acc], touched: &mut Vec<u32>) {
        let total_names = self.names.len() as f32;
        for (key, factor) in keys {
            let Some(list) = self.postings.get(key) else { continue };
            let idf = ((total_names + 1.0) / list.len() as f32).ln() * factor;
            for &name in list {
                let acc = &mut accs[name as usize];
                if acc.token == 0 {
                    touched.push(name);
                }
                if acc.token != token_no {
                    acc.total += acc.current;
                    acc.current = idf;
                    acc.token = token_no;
                } else if idf > acc.current {
                    acc.current = idf;
                }
            }
        }
    }
}

fn text_key(text: &str) -> u64 {
    let hash = text.bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    TAG_TEXT | u64::from(hash)
}

/// Longest word counted as a syllable that may be written joined to its neighbour.
const MAX_SYLLABLE_LEN: usize = 4;

/// Retrieval codes of two neighbouring short words written as one, if both are short words.
fn short_pair_codes(a: &Token, b: &Token) -> Option<[Code; 2]> {
    let short = |t: &Token| t.class == TokenClass::Word && t.text.len() <= MAX_SYLLABLE_LEN;
    (short(a) && short(b)).then(|| phonetic::codes(&format!("{}{}", a.text, b.text)))
}

/// The keys a listed word is filed under: its phonetic codes, and their one-letter
/// deletions (the symmetric-deletion scheme: two codes within one edit share a key).
fn push_listed_keys(codes: [Code; 2], keys: &mut Vec<(u64, f32)>) {
    for code in codes.into_iter().filter(|c| *c != 0) {
        keys.push((TAG_CODE | u64::from(code), 1.0));
        for deleted in phonetic::deletions(code) {
            keys.push((TAG_DELETION | u64::from(deleted), 1.0));
        }
    }
}

/// The keys a query word looks up: its codes against listed codes (exact) and deletions (a
/// letter missing from the query), its deletions against listed codes (a letter too many)
/// and deletions (a letter changed).
fn push_query_keys(codes: [Code; 2], keys: &mut Vec<(u64, f32)>) {
    for code in codes.into_iter().filter(|c| *c != 0) {
        keys.push((TAG_CODE | u64::from(code), 1.0));
        keys.push((TAG_DELETION | u64::from(code), DELETION_KEY_FACTOR));
        for deleted in phonetic::deletions(code) {
            keys.push((TAG_CODE | u64::from(deleted), DELETION_KEY_FACTOR));
            keys.push((TAG_DELETION | u64::from(deleted), DELETION_KEY_FACTOR * 0.8));
        }
    }
}
