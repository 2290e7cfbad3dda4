//! One decision from start to commit.

use super::device::{self, DeviceWrites};
use super::enrichment::{Enricher, Enrichment, ModuleStatus};
use super::event::{FraudEvent, Module};
use super::outcome::FraudOutcome;
use super::rule_sets::RuleCache;
use super::{lists, pii, velocity};
use crate::decision::StoredDecision;
use crate::link_stats::LinkStatsCache;
use crate::velocity::VelocityEvent;
use crate::{AuthContext, ChangeSet, Error, Id, ResourceKind, Result, Store, Timestamp};
use futures_util::future::try_join;
use serde_json::Value;
use serde_json::value::{RawValue, to_raw_value};
use sightline_rules::Event;
use std::collections::BTreeMap;
use std::time::Instant;

/// What a decision needs from the running service.
#[derive(Clone, Copy)]
pub struct Decider<'a> {
    pub store: &'a dyn Store,
    pub link_stats: &'a LinkStatsCache,
    pub rules: &'a RuleCache,
    pub enricher: &'a dyn Enricher,
}

fn millis_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

pub async fn decide(deps: Decider<'_>, caller: &AuthContext, event: FraudEvent) -> Result<FraudOutcome> {
    let started = Instant::now();
    let now = Timestamp::now();
    let tenant_id = &caller.tenant.id;
    let mut timings = BTreeMap::new();

    // The stages that read the store independently are joined: where a read is a round trip
    // (PostgreSQL) a decision's latency is its longest chain of them, not their sum; SQLite's
    // reads finish in place, so there they simply run one after the other.
    let rules_load = async {
        let stage = Instant::now();
        let compiled = deps.rules.current(deps.store, tenant_id, caller.config_version).await?;
        Ok((compiled, millis_since(stage)))
    };
    let ((compiled, rules_load_ms), (device, writes)) =
        try_join(rules_load, device::run(deps.store, deps.link_stats, caller, &event)).await?;
    let DeviceWrites { device: device_record, links, stats_update, remember_payload } = writes;
    timings.insert("rules_load".to_owned(), rules_load_ms);
    timings.insert("device".to_owned(), device.elapsed_ms);

    let device_details = device.evidence.as_ref().and_then(|e| e.device_details.as_ref());
    let enrichment = deps.enricher.enrich(&event, device_details, &caller.tenant.settings);
    for (module, report) in &enrichment {
        timings.insert(module.as_str().to_owned(), report.elapsed_ms);
    }
    let fields = |module: Module| -> Option<Value> {
        enrichment.get(&module).filter(|r| r.status == ModuleStatus::Ok).and_then(|r| r.fields.clone())
    };
    let mut rules_event = Event {
        request: event.request.clone(),
        custom: event.custom.clone(),
        ip: fields(Module::Ip),
        email: fields(Module::Email),
        phone: fields(Module::Phone),
        card: fields(Module::Card),
        aml: fields(Module::Aml),
        device: device::rules_view(&device),
        velocity: BTreeMap::new(),
        lists: BTreeMap::new(),
        now: Some(now.millis().div_euclid(1000)),
    };

    let keys = velocity::values(tenant_id, &event, &device);
    let list_lookup = async {
        let stage = Instant::now();
        let kept = caller.config_version.map(|version| (deps.rules, version));
        let hits = lists::matches(deps.store, tenant_id, kept, &compiled, &rules_event).await?;
        Ok((hits, millis_since(stage)))
    };
    let counters = async {
        let stage = Instant::now();
        let counted =
            velocity::compute(deps.store, tenant_id, compiled.velocity_needs(), &keys, event.amount(), now).await?;
        Ok((counted, millis_since(stage)))
    };
    let ((hits, lists_ms), (counted, velocity_ms)) = try_join(list_lookup, counters).await?;
    rules_event.set_list_matches(&hits);
    rules_event.velocity = counted.values;
    timings.insert("lists".to_owned(), lists_ms);
    timings.insert("velocity".to_owned(), velocity_ms);

    let stage = Instant::now();
    let decision = compiled.evaluate(&rules_event);
    timings.insert("rules".to_owned(), millis_since(stage));

    let mut category_scores = BTreeMap::new();
    for rule in &decision.applied_rules {
        *category_scores.entry(rule.category.clone()).or_insert(0_i64) += i64::from(rule.score);
    }
    let id = Id::new(ResourceKind::Decision);
    let mut outcome = FraudOutcome {
        id: id.clone(),
        created_at: now,
        category_scores,
        device,
        modules: enrichment,
        velocity: rules_event.velocity.clone(),
        velocity_saturated: counted.saturated,
        lists: hits.hits.iter().map(ToString::to_string).collect(),
        timings_ms: timings,
        calculation_ms: 0.0,
        decision,
    };

    let stage = Instant::now();
    let stored = StoredDecision {
        id: id.clone(),
        tenant_id: tenant_id.clone(),
        created_at: now,
        state: outcome.decision.state.to_string(),
        fraud_score: f64::from(outcome.decision.fraud_score),
        rule_set_version: i64::try_from(outcome.decision.rule_set_version).map_err(Error::internal)?,
        event: stored_event(tenant_id, rules_event)?,
        response: stored_outcome(tenant_id, &mut outcome)?,
    };
    let changes = ChangeSet {
        decisions: vec![stored],
        velocity_events: vec![VelocityEvent {
            tenant_id: tenant_id.clone(),
            event_id: id,
            at: now,
            amount: event.amount(),
            values: keys,
        }],
        devices: device_record.into_iter().collect(),
        device_links: links,
        seen_payloads: remember_payload.into_iter().collect(),
        ..ChangeSet::default()
    };
    deps.store.commit(&changes).await?;
    if let Some(update) = &stats_update {
        deps.link_stats.apply(tenant_id, update);
    }
    outcome.timings_ms.insert("store".to_owned(), millis_since(stage));
    outcome.calculation_ms = millis_since(started);
    Ok(outcome)
}

/// The event as backtests replay it: PII hashed; module outputs kept, scrubbed. The raw
/// device details are kept once, in the outcome, and put back for replays.
fn stored_event(tenant_id: &Id, mut event: Event) -> Result<Box<RawValue>> {
    event.request = pii::scrub_request(tenant_id, &event.request);
    if let Some(Value::Object(device)) = &mut event.device {
        device.remove("details");
    }
    for value in
        [&mut event.ip, &mut event.email, &mut event.phone, &mut event.card, &mut event.aml].into_iter().flatten()
    {
        pii::scrub_output(tenant_id, value);
    }
    to_raw_value(&event).map_err(Error::internal)
}

/// The outcome as stored: module details scrubbed, and the raw device signals left out (the
/// device record keeps what linking needs; the analysis stays). Serialised from the outcome
/// itself, with those parts swapped out and back, because copying the whole outcome first
/// cost more than the serialisation.
fn stored_outcome(tenant_id: &Id, outcome: &mut FraudOutcome) -> Result<Box<RawValue>> {
    let mut scrubbed = outcome.modules.clone();
    scrub_modules(tenant_id, &mut scrubbed);
    let answered = std::mem::replace(&mut outcome.modules, scrubbed);
    let raw_signals = outcome.device.evidence.as_mut().map(|e| (e.signals.take(), e.behavior.take()));
    let stored = to_raw_value(&*outcome).map_err(Error::internal);
    outcome.modules = answered;
    if let (Some(evidence), Some((signals, behavior))) = (outcome.device.evidence.as_mut(), raw_signals) {
        evidence.signals = signals;
        evidence.behavior = behavior;
    }
    stored
}

fn scrub_modules(tenant_id: &Id, modules: &mut Enrichment) {
    for report in modules.values_mut() {
        for part in [&mut report.fields, &mut report.details].into_iter().flatten() {
            pii::scrub_output(tenant_id, part);
        }
    }
}
