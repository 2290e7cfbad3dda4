//! The default pack as a zen-engine (GoRules JDM) decision graph, the way a team on zen-engine
//! would write it: the request goes into a decision table with the `collect` hit policy, one row
//! per rule (its condition as the row's input cell, its score and forced state as outputs), then
//! an expression node adds up the hits. The graph is compiled once; every evaluation converts
//! the event JSON into zen's context and runs the graph, as `Decision::evaluate` does for a
//! served request.

use super::zen::{Op, RULES, outcome};
use serde_json::{Value, json};
use sightline_rules::State;
use zen_engine::model::GraphContent;
use zen_engine::{Decision, Variable};

/// A rule's forced state as the table's `force` output: 0 none, 1 REVIEW, 2 DECLINE.
fn force_code(op: &Op) -> u8 {
    match op {
        Op::Score(_) => 0,
        Op::Review => 1,
        Op::Decline => 2,
    }
}

fn graph() -> Value {
    let rows: Vec<Value> = RULES
        .iter()
        .enumerate()
        .map(|(i, (condition, op))| {
            let score = if let Op::Score(s) = op { *s } else { 0 };
            json!({
                "_id": format!("rule-{i}"),
                "condition": condition,
                "score": score.to_string(),
                "force": force_code(op).to_string(),
            })
        })
        .collect();
    json!({
        "nodes": [
            {"id": "request", "name": "request", "type": "inputNode", "content": {}},
            {"id": "pack", "name": "default pack", "type": "decisionTableNode", "content": {
                "hitPolicy": "collect",
                "inputs": [{"id": "condition", "name": "condition"}],
                "outputs": [
                    {"id": "score", "name": "score", "field": "score"},
                    {"id": "force", "name": "force", "field": "force"}
                ],
                "rules": rows,
                "outputPath": "hits"
            }},
            {"id": "total", "name": "total", "type": "expressionNode", "content": {"expressions": [
                {"id": "score", "key": "score", "value": "sum(map(hits, #.score))"},
                {"id": "force", "key": "force",
                 "value": "some(hits, #.force == 2) ? 2 : (some(hits, #.force == 1) ? 1 : 0)"}
            ]}},
            {"id": "response", "name": "response", "type": "outputNode", "content": {}}
        ],
        "edges": [
            {"id": "request-pack", "sourceId": "request", "targetId": "pack"},
            {"id": "pack-total", "sourceId": "pack", "targetId": "total"},
            {"id": "total-response", "sourceId": "total", "targetId": "response"}
        ]
    })
}

pub struct ZenEngineGraph {
    decision: Decision,
    runtime: tokio::runtime::Runtime,
}

impl ZenEngineGraph {
    pub fn new() -> Self {
        let content: GraphContent = match serde_json::from_value(graph()) {
            Ok(content) => content,
            Err(e) => panic!("the JDM graph does not parse: {e}"),
        };
        let mut decision = Decision::from(content);
        decision.compile();
        if let Err(e) = decision.validate() {
            panic!("the JDM graph is invalid: {e:?}");
        }
        // zen-engine's evaluation is async but never waits on I/O here: a current-thread
        // runtime only polls it to completion.
        let runtime = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(runtime) => runtime,
            Err(e) => panic!("no tokio runtime: {e}"),
        };
        ZenEngineGraph { decision, runtime }
    }

    /// Score and state for one event given as JSON.
    pub fn decide(&self, event: &Value) -> (u32, State) {
        let response = match self.runtime.block_on(self.decision.evaluate(Variable::from(event))) {
            Ok(response) => response,
            Err(e) => panic!("zen-engine failed: {e:?}"),
        };
        let result = Value::from(response.result);
        let score = result["score"].as_f64().unwrap_or(f64::NAN) as i64;
        let forced = match result["force"].as_f64() {
            Some(2.0) => Some(State::Decline),
            Some(1.0) => Some(State::Review),
            _ => None,
        };
        outcome(score, forced)
    }
}
