//! Evaluating the default rule pack on one realistic event: the CEL engine of this crate,
//! a hand-written Rust version of the same rules, and (with `--features zen-bench`) the
//! same rules as a GoRules zen-engine decision graph and in zen's expression engine alone.
//!
//! cargo bench -p sightline-rules --bench evaluate --features zen-bench -- --warm-up-time 1 --measurement-time 3

// The realistic event is one large json! literal.
#![recursion_limit = "256"]

#[path = "evaluate/baseline.rs"]
mod baseline;
#[path = "evaluate/event.rs"]
mod event;
#[cfg(feature = "zen-bench")]
#[path = "evaluate/zen.rs"]
mod zen;
#[cfg(feature = "zen-bench")]
#[path = "evaluate/zen_engine.rs"]
mod zen_engine;

use criterion::{Criterion, criterion_group, criterion_main};
use sightline_rules::{CompiledRuleSet, Event, default_pack};
use std::hint::black_box;

fn evaluate(c: &mut Criterion) {
    let raw = event::realistic_event();
    let event = Event::from_json(&raw);
    let Ok(pack) = CompiledRuleSet::compile(&default_pack()) else {
        panic!("the default pack compiles");
    };
    let decision = pack.evaluate(&event);
    assert!(decision.errors.is_empty() && decision.unavailable.is_empty(), "{decision:?}");
    let expected = (decision.fraud_score, decision.state);
    assert_eq!(baseline::decide(&event), expected, "the baseline must decide like the pack");

    let mut group = c.benchmark_group("default_pack");
    group.bench_function("sightline_cel", |b| b.iter(|| pack.evaluate(black_box(&event))));
    group.bench_function("hand_written_rust", |b| b.iter(|| baseline::decide(black_box(&event))));
    #[cfg(feature = "zen-bench")]
    {
        let graph = zen_engine::ZenEngineGraph::new();
        assert_eq!(graph.decide(&raw), expected, "zen-engine must decide like the pack");
        group.bench_function("zen_engine", |b| b.iter(|| graph.decide(black_box(&raw))));
        let mut zen = zen::ZenPack::new();
        assert_eq!(zen.decide(&raw), expected, "zen must decide like the pack");
        group.bench_function("zen_expression", |b| b.iter(|| zen.decide(black_box(&raw))));
        // Not a like-for-like figure (the context must be built per request); shown to
        // separate zen's conversion cost from its evaluation cost.
        let context = zen_expression::variable::Variable::from(&raw);
        group.bench_function("zen_expression_preconverted_context", |b| {
            b.iter(|| zen.decide_converted(black_box(context.clone())))
        });
    }
    group.finish();

    c.bench_function("compile_default_pack", |b| b.iter(|| CompiledRuleSet::compile(black_box(&default_pack()))));
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
