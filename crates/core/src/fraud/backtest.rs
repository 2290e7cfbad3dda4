//! Backtests: a draft rule set replayed over the stored decisions of a time range, compared
//! with what was decided. Events replay as they were stored: their module outputs, device
//! analysis, list hits and the counters the rules of the time read. A counter only the draft
//! reads was not computed then, so rules reading it count as unavailable (reported).

use crate::{Id, Result, Store, Timestamp};
use serde::Deserialize;
use sightline_rules::{BacktestReport, CompiledRuleSet, Decision, Event};
use std::collections::BTreeMap;

const PAGE: u32 = 500;

/// The replay's report, with how many events could not use some draft rules.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Backtest {
    #[serde(flatten)]
    pub report: BacktestReport,
    /// Draft rule id → events on which it could not be evaluated (data not stored then).
    pub unavailable: BTreeMap<String, u64>,
    /// Stored decisions that could not be read back (older formats); not counted.
    pub skipped: u64,
}

/// Replays `[from, to)`, calling `progress` after each page of events.
pub async fn backtest(
    store: &dyn Store,
    tenant_id: &Id,
    draft: &CompiledRuleSet,
    from: Timestamp,
    to: Timestamp,
    flip_limit: usize,
    mut progress: impl FnMut(&Backtest),
) -> Result<Backtest> {
    let expected = store.count_decisions_between(tenant_id, from, to).await?;
    let mut run = Backtest {
        report: BacktestReport::with_flip_limit(Some(expected), flip_limit),
        unavailable: BTreeMap::new(),
        skipped: 0,
    };
    let mut cursor = None;
    loop {
        let page = store.decisions_between(tenant_id, from, to, cursor.clone(), PAGE).await?;
        let Some(last) = page.last() else { break };
        cursor = Some((last.created_at, last.id.clone()));
        for stored in &page {
            let (Ok(answered), Ok(stored_event)) = (
                serde_json::from_str::<Answered>(stored.response.get()),
                serde_json::from_str::<serde_json::Value>(stored.event.get()),
            ) else {
                run.skipped += 1;
                continue;
            };
            let Answered { decision: old, device } = answered;
            let mut event = Event::from_json(&stored_event);
            restore_device_details(&mut event, device.and_then(AnsweredDevice::details));
            let new = draft.evaluate(&event);
            for rule in &new.unavailable {
                *run.unavailable.entry(rule.clone()).or_default() += 1;
            }
            run.report.record(stored.id.as_str(), &old, &new);
        }
        progress(&run);
        if page.len() < PAGE as usize {
            break;
        }
    }
    Ok(run)
}

/// What a replay needs of a stored [`super::FraudOutcome`]: its decision and the raw device
/// details, read without building the rest.
#[derive(Deserialize)]
struct Answered {
    decision: Decision,
    device: Option<AnsweredDevice>,
}

#[derive(Deserialize)]
struct AnsweredDevice {
    evidence: Option<AnsweredEvidence>,
}

#[derive(Deserialize)]
struct AnsweredEvidence {
    device_details: Option<serde_json::Value>,
}

impl AnsweredDevice {
    fn details(self) -> Option<serde_json::Value> {
        self.evidence?.device_details.filter(serde_json::Value::is_object)
    }
}

/// Device details are stored once, in the outcome (see `decide::stored_event`).
fn restore_device_details(event: &mut Event, details: Option<serde_json::Value>) {
    if let (Some(serde_json::Value::Object(device)), Some(details)) = (&mut event.device, details) {
        device.insert("details".to_owned(), details);
    }
}
