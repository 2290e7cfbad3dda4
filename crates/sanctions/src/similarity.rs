//! Scoring one query name against one listed name: per-token similarity, the best
//! one-to-one assignment of query tokens to listed tokens, and a weighted combination.

use crate::names::{NO_ID, PreparedName, Token, TokenClass};
use std::collections::HashMap;
use strsim::{jaro_winkler, osa_distance};

/// Similarities already computed for one query, keyed by query token position and the
/// index's id of the listed token: common words recur across many candidate names.
pub(crate) type SimCache = HashMap<u64, (f64, How)>;

/// An initial against a word that starts with it: likely, but "J." is also Jane and James.
const INITIAL_SIM: f64 = 0.9;
/// Words that sound alike throughout, or differ by a swap of two letters, are at least this
/// similar ("jon"/"john", "deo"/"doe").
const PHONETIC_SIM: f64 = 0.9;
/// A spelling similarity below this is not a variant of the same word; such pairs are
/// halved so that "Petrov" against "Sidorov" cannot carry a match.
const SPELLING_FLOOR: f64 = 0.8;
/// Below this Jaro-Winkler the edit distance is not worth computing.
const SKIP_EDIT_BELOW_JW: f64 = 0.7;
/// Reading two words as one is not tried once a name already scores this much.
const MERGE_MAX_SCORE: f64 = 0.97;
/// Pairs below this count as unmatched.
const MIN_PAIR_SIM: f64 = 0.5;
/// Cost of a query token the listed name lacks, relative to its weight: the customer gave
/// more detail than the list (a middle name the list does not record).
const UNMATCHED_QUERY_COST: f64 = 0.5;
/// Cost of a listed token the query lacks (a dropped middle name): cheaper, since customers
/// routinely leave out middle names, patronymics and second family names.
const UNMATCHED_LISTED_COST: f64 = 0.3;
/// Middle names and patronymics are left out far more often than first or family names.
const MIDDLE_COST_FACTOR: f64 = 0.5;
/// Reading two words as one ("abdul rahman" as "abdulrahman") costs a little.
const MERGE_DISCOUNT: f64 = 0.02;
/// Below this Jaro-Winkler a shared phonetic code is a coincidence ("Schmidt"/"Smith").
/// (The full-length Double Metaphone codes are compared, not the four-letter retrieval keys.)
const MIN_JW_FOR_PHONETIC: f64 = 0.75;
/// Short tokens share codes easily ("xie"/"xiao"), so they need more spelling agreement.
const MIN_JW_FOR_PHONETIC_SHORT: f64 = 0.85;
const SHORT_TOKEN: usize = 4;
/// Sounding alike only counts between words of similar length (or one letter apart).
const MIN_PHONETIC_LENGTH_RATIO: f64 = 0.8;
/// Equal once transliteration differences are folded away.
const FOLDED_SIM: f64 = 0.95;
/// Exact assignment by dynamic programming over subsets up to this many tokens; greedy beyond.
const MAX_EXACT_TOKENS: usize = 6;

/// Why two tokens were paired; reported in match reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Exact,
    Initial,
    Phonetic,
    Spelling,
    Particle,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub query: usize,
    pub listed: usize,
    pub sim: f64,
    pub how: How,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NameScore {
    pub score: f64,
    pub pairs: Vec<Pair>,
    /// The score came from reading these two words (of the longer name) as one.
    pub joined: Option<String>,
}

pub(crate) fn token_sim(q: &Token, c: &Token) -> (f64, How) {
    use TokenClass::{Initial, Particle};
    match (q.class, c.class) {
        (Particle, Particle) => return (1.0, How::Particle),
        (Particle, _) | (_, Particle) => return (0.0, How::Particle),
        _ => {}
    }
    if q.text == c.text {
        return (1.0, How::Exact);
    }
    if q.class == Initial || c.class == Initial {
        let same_initial = q.text.as_bytes().first() == c.text.as_bytes().first();
        return (if same_initial { INITIAL_SIM } else { 0.0 }, How::Initial);
    }
    if q.folded == c.folded {
        // Same name in another romanisation ("iurii"/"yuri", "mukhammad"/"muhammad").
        return (FOLDED_SIM, How::Phonetic);
    }
    // Folding helps romanisation differences but can hurt a typo ("kaeen" folds to "kain"),
    // so the better of the raw and folded comparisons counts.
    let folded = spelling_sim(&q.folded, &c.folded, q, c);
    if folded.0 >= PHONETIC_SIM || (q.folded == q.text && c.folded == c.text) {
        return folded;
    }
    let raw = spelling_sim(&q.text, &c.text, q, c);
    if raw.0 >= folded.0 { raw } else { folded }
}

fn spelling_sim(a: &str, b: &str, q: &Token, c: &Token) -> (f64, How) {
    let jw = jaro_winkler(a, b);
    if jw < PHONETIC_SIM && adjacent_swap(a, b) {
        // Jaro-Winkler barely sees a swap in a short word ("deo"/"doe" scores 0.6).
        return (PHONETIC_SIM, How::Spelling);
    }
    let (short_len, long_len) = (a.len().min(b.len()), a.len().max(b.len()));
    let min_jw = if short_len <= SHORT_TOKEN { MIN_JW_FOR_PHONETIC_SHORT } else { MIN_JW_FOR_PHONETIC };
    let phonetic = q.full_codes.iter().any(|code| *code != 0 && c.full_codes.contains(code))
        && (long_len - short_len <= 1 || short_len as f64 >= MIN_PHONETIC_LENGTH_RATIO * long_len as f64)
        && jw >= min_jw;
    if jw < SKIP_EDIT_BELOW_JW {
        // Far below the floor either way; the edit distance would not change the verdict.
        return (jw * 0.5, How::Spelling);
    }
    // Jaro-Winkler alone rates different names with a shared prefix highly ("Harris"/
    // "Harrison" 0.93); averaging with an edit-distance similarity keeps one-letter typos
    // high and pulls such pairs down.
    let edit_sim = 1.0 - osa_distance(a, b) as f64 / long_len as f64;
    let sim = (jw + edit_sim) / 2.0;
    if phonetic && sim < PHONETIC_SIM {
        // Sounding alike throughout lifts a spelling variant ("jon"/"john", "yusuf"/"jusuf").
        return (PHONETIC_SIM, How::Phonetic);
    }
    if sim >= SPELLING_FLOOR { (sim, How::Spelling) } else { (sim * 0.5, How::Spelling) }
}

/// Scores `query` against `listed`, given each token's weight (see `SanctionsIndex`).
///
/// When the names have different numbers of words, each pair of neighbouring words on the
/// longer side is also tried as one word, so "Abdul Rahman" meets "Abdulrahman" and
/// "Fang-yong Shen" meets "Shen Fangyong".
pub(crate) fn score_name(
    query: &PreparedName,
    wq: &[f64],
    listed: &PreparedName,
    wl: &[f64],
    cache: &mut SimCache,
) -> NameScore {
    let mut best = score_tokens(&query.tokens, wq, &listed.tokens, wl, Some(cache));
    let (n, m) = (query.tokens.len(), listed.tokens.len());
    if n == m || n.max(m) > MAX_EXACT_TOKENS || n.min(m) == 0 || best.score >= MERGE_MAX_SCORE {
        return best;
    }
    let query_longer = n > m;
    // Joining two words can only help if the longer name has a word left unpaired and the
    // shorter one a word unpaired or weakly paired.
    let strong = |i: usize, on_query: bool| {
        best.pairs.iter().any(|p| (if on_query { p.query } else { p.listed }) == i && p.sim >= PHONETIC_SIM)
    };
    let longer_loose =
        (0..n.max(m)).any(|i| !best.pairs.iter().any(|p| (if query_longer { p.query } else { p.listed }) == i));
    let shorter_loose = (0..n.min(m)).any(|i| !strong(i, !query_longer));
    if !longer_loose || !shorter_loose {
        return best;
    }
    let (tokens, weights) = if query_longer { (&query.tokens, wq) } else { (&listed.tokens, wl) };
    let other = if query_longer { &listed.tokens } else { &query.tokens };
    let loose: Vec<&Token> =
        other.iter().enumerate().filter(|(i, _)| !strong(*i, !query_longer)).map(|(_, t)| t).collect();
    for at in 0..tokens.len() - 1 {
        // Building a joined token is costly; only try joins that could resemble a loose word:
        // same first letter and similar length.
        let joined_len = tokens[at].text.len() + tokens[at + 1].text.len();
        let first = tokens[at].text.as_bytes().first();
        let plausible = loose.iter().any(|t| {
            t.text.as_bytes().first() == first
                && t.text.len() * 10 >= joined_len * 7
                && joined_len * 10 >= t.text.len() * 7
        });
        if !plausible {
            continue;
        }
        let (merged, merged_weights) = merge_pair(tokens, weights, at);
        let mut candidate = if query_longer {
            score_tokens(&merged, &merged_weights, &listed.tokens, wl, None)
        } else {
            score_tokens(&query.tokens, wq, &merged, &merged_weights, Some(&mut *cache))
        };
        candidate.score = (candidate.score - MERGE_DISCOUNT).max(0.0);
        if candidate.score > best.score {
            let joined = format!("{} {}", tokens[at].text, tokens[at + 1].text);
            best = NameScore { joined: Some(joined), pairs: Vec::new(), ..candidate };
        }
    }
    best
}

fn merge_pair(tokens: &[Token], weights: &[f64], at: usize) -> (Vec<Token>, Vec<f64>) {
    let mut merged = Vec::with_capacity(tokens.len() - 1);
    let mut merged_weights = Vec::with_capacity(tokens.len() - 1);
    for (i, (token, weight)) in tokens.iter().zip(weights).enumerate() {
        if i == at + 1 {
            continue;
        }
        if i == at {
            let text = format!("{}{}", token.text, tokens[at + 1].text);
            merged.push(Token::for_comparison(&text));
            merged_weights.push(weight.max(weights[at + 1]));
        } else {
            merged.push(token.clone());
            merged_weights.push(*weight);
        }
    }
    (merged, merged_weights)
}

fn score_tokens(
    query: &[Token],
    wq: &[f64],
    listed: &[Token],
    wl: &[f64],
    mut cache: Option<&mut SimCache>,
) -> NameScore {
    let (n, m) = (query.len(), listed.len());
    if n == 0 || m == 0 {
        return NameScore::default();
    }
    let mut sims = vec![(0.0, How::Exact); n * m];
    for (i, q) in query.iter().enumerate() {
        for (j, c) in listed.iter().enumerate() {
            sims[i * m + j] = match cache.as_deref_mut() {
                Some(cache) if c.id != NO_ID => {
                    *cache.entry(((i as u64) << 32) | u64::from(c.id)).or_insert_with(|| token_sim(q, c))
                }
                _ => token_sim(q, c),
            };
        }
    }
    let value = |i: usize, j: usize| {
        let (sim, _) = sims[i * m + j];
        if sim < MIN_PAIR_SIM { 0.0 } else { sim * (wq[i] + wl[j]) / 2.0 }
    };
    let chosen = if n.min(m) <= MAX_EXACT_TOKENS && n.max(m) <= 2 * MAX_EXACT_TOKENS {
        assign_exact(n, m, &value)
    } else {
        assign_greedy(n, m, &value)
    };
    let pairs: Vec<Pair> = chosen
        .into_iter()
        .filter(|(i, j)| sims[i * m + j].0 >= MIN_PAIR_SIM)
        .map(|(i, j)| Pair { query: i, listed: j, sim: sims[i * m + j].0, how: sims[i * m + j].1 })
        .collect();

    let mut numerator = 0.0;
    let mut denominator = 0.0;
    let mut query_used = vec![false; n];
    let mut listed_used = vec![false; m];
    for p in &pairs {
        let weight = (wq[p.query] + wl[p.listed]) / 2.0;
        numerator += weight * p.sim;
        denominator += weight;
        query_used[p.query] = true;
        listed_used[p.listed] = true;
    }
    let cost = |token: &Token, full: f64| if token.middle { full * MIDDLE_COST_FACTOR } else { full };
    denominator +=
        (0..n).filter(|i| !query_used[*i]).map(|i| wq[i] * cost(&query[i], UNMATCHED_QUERY_COST)).sum::<f64>();
    denominator +=
        (0..m).filter(|j| !listed_used[*j]).map(|j| wl[j] * cost(&listed[j], UNMATCHED_LISTED_COST)).sum::<f64>();
    let score = if denominator > 0.0 { (numerator / denominator).clamp(0.0, 1.0) } else { 0.0 };
    NameScore { score, pairs, joined: None }
}

/// True when `a` and `b` differ only by two neighbouring letters swapped.
fn adjacent_swap(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|i| a[*i] != b[*i]).collect();
    matches!(diffs.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// The assignment maximising the summed pair value, by dynamic programming over the subsets
/// of the smaller side.
fn assign_exact(n: usize, m: usize, value: &dyn Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    let transpose = n > m;
    let (rows, cols) = if transpose { (m, n) } else { (n, m) };
    let val = |r: usize, c: usize| if transpose { value(c, r) } else { value(r, c) };
    // best[mask]: the best total over the columns seen so far, with `mask` the rows used.
    // choice[col][mask]: the row paired with `col` on the way to `mask`, or NONE if `col`
    // stayed unpaired (`next` starts as a copy of `best`, so only strict gains record a row).
    // Fixed-size arrays: this runs for every candidate name, and allocation dominated it.
    const NONE: u8 = u8::MAX;
    const MAX_MASKS: usize = 1 << MAX_EXACT_TOKENS;
    let size = 1usize << rows;
    let mut best = [f64::NEG_INFINITY; MAX_MASKS];
    let mut next = [f64::NEG_INFINITY; MAX_MASKS];
    let mut choice = [[NONE; MAX_MASKS]; 2 * MAX_EXACT_TOKENS];
    best[0] = 0.0;
    for (col, col_choice) in choice.iter_mut().enumerate().take(cols) {
        next[..size].copy_from_slice(&best[..size]);
        for (mask, &from) in best[..size].iter().enumerate() {
            if from == f64::NEG_INFINITY {
                continue;
            }
            for row in 0..rows {
                if mask & (1 << row) != 0 {
                    continue;
                }
                let v = val(row, col);
                if v <= 0.0 {
                    continue;
                }
                let to = mask | (1 << row);
                if from + v > next[to] {
                    next[to] = from + v;
                    col_choice[to] = u8::try_from(row).unwrap_or(NONE);
                }
            }
        }
        best[..size].copy_from_slice(&next[..size]);
    }
    let (mut mask, _) = best[..size]
        .iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |acc, (mask, v)| if *v > acc.1 { (mask, *v) } else { acc });
    let mut out = Vec::new();
    for col in (0..cols).rev() {
        let row = choice[col][mask];
        if row != NONE && mask & (1 << row) != 0 {
            let row = usize::from(row);
            out.push(if transpose { (col, row) } else { (row, col) });
            mask &= !(1 << row);
        }
    }
    out
}

fn assign_greedy(n: usize, m: usize, value: &dyn Fn(usize, usize) -> f64) -> Vec<(usize, usize)> {
    let mut all: Vec<(f64, usize, usize)> =
        (0..n).flat_map(|i| (0..m).map(move |j| (i, j))).map(|(i, j)| (value(i, j), i, j)).collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut used_q = vec![false; n];
    let mut used_l = vec![false; m];
    let mut out = Vec::new();
    for (v, i, j) in all {
        if v > 0.0 && !used_q[i] && !used_l[j] {
            used_q[i] = true;
            used_l[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::prepare;

    fn score(q: &str, l: &str) -> f64 {
        let (q, l) = (prepare(q), prepare(l));
        let wq: Vec<f64> = q.tokens.iter().map(|t| unit_weight(t.class)).collect();
        let wl: Vec<f64> = l.tokens.iter().map(|t| unit_weight(t.class)).collect();
        score_name(&q, &wq, &l, &wl, &mut SimCache::new()).score
    }

    fn unit_weight(class: TokenClass) -> f64 {
        match class {
            TokenClass::Word => 1.0,
            TokenClass::Initial => 0.5,
            TokenClass::Particle => 0.15,
        }
    }

    #[test]
    fn identical_and_reordered_names_score_one() {
        assert!((score("John Doe", "John Doe") - 1.0).abs() < 1e-9);
        assert!((score("Doe John", "John Doe") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn variants_score_high_and_strangers_low() {
        assert!(score("J. Doe", "John Doe") > 0.9);
        assert!(score("Jon Deo", "John Doe") > 0.85);
        assert!(score("John Doe", "John Michael Doe") > 0.85);
        assert!(score("Abdulrahman", "Abdul Rahman") > 0.95);
        assert!(score("Fang-yong Shen", "Shen Fangyong") > 0.95);
        assert!(score("Abdulrahman Aziz", "AZIZ, Abdul Rahman") > 0.95);
        assert!(score("Natalia Fedorova", "Natalia Fedotina") < 0.8);
        assert!(score("Ivan Petrov", "Ivan Sidorov") < 0.75);
        assert!(score("Mary Smith", "John Doe") < 0.3);
        assert!(score("Margaret Schmidt", "Margaret Smith") < 0.8);
        assert!(score("Anwar Darwish", "Anwar al-Rawi") < 0.7);
        assert!(score("Xie Guo", "Guo Xiao") < 0.8);
    }

    #[test]
    fn exact_assignment_matches_greedy_on_easy_cases_and_beats_it_on_hard_ones() {
        // Greedy takes the 0.9 pair and strands the rest; the best total is 0.8 + 0.8.
        let table = [[0.9, 0.8], [0.8, 0.0]];
        let value = |i: usize, j: usize| table[i][j];
        let mut exact = assign_exact(2, 2, &value);
        exact.sort();
        assert_eq!(exact, vec![(0, 1), (1, 0)]);
        assert_eq!(assign_greedy(2, 2, &value), vec![(0, 0)]);
        let mut wide = assign_exact(1, 3, &|_, j| [0.1, 0.7, 0.2][j]);
        wide.sort();
        assert_eq!(wide, vec![(0, 1)]);
        let mut tall = assign_exact(3, 1, &|i, _| [0.1, 0.7, 0.2][i]);
        tall.sort();
        assert_eq!(tall, vec![(1, 0)]);
    }
}
