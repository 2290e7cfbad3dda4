//! Backtests over HTTP: a draft rule set replayed over stored decisions. Long runs can be
//! followed as they go: with `?stream=true` the answer is NDJSON, one progress line per page
//! of events and the report last, so no job state lives on the node that runs it.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use sightline_core::fraud::{Backtest, backtest};
use sightline_core::{Error, Timestamp};
use sightline_rules::{BacktestReport, Rule, Thresholds};
use std::sync::Arc;

const MAX_FLIPS: usize = 10_000;
const DEFAULT_DAYS: i64 = 30;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rules": [{"id": "big", "name": "Big ticket", "category": "amount",
    "expression": "request.transaction_amount > 1000.0", "operation": "decline"}],
    "from": "2026-11-01T00:00:00Z", "to": "2026-11-22T00:00:00Z"}))]
pub struct BacktestBody {
    /// The draft; the current rules when absent (e.g. to try other thresholds).
    #[serde(default)]
    #[schema(value_type = Object)]
    rules: Option<Vec<Rule>>,
    #[serde(default)]
    #[schema(value_type = Object)]
    thresholds: Option<Thresholds>,
    /// Start of the range (RFC 3339), default 30 days ago.
    #[serde(default)]
    from: Option<String>,
    /// End of the range, exclusive (RFC 3339), default now.
    #[serde(default)]
    to: Option<String>,
    /// How many flipped events to list (at most 10,000; default 1,000).
    #[serde(default)]
    flip_limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct BacktestQuery {
    /// Answer in NDJSON with progress lines before the report.
    #[serde(default)]
    stream: bool,
}

fn time(field: &str, value: Option<&str>, default: Timestamp) -> Result<Timestamp, Error> {
    match value {
        None => Ok(default),
        Some(text) => Timestamp::parse_rfc3339(text)
            .ok_or_else(|| Error::invalid_field(field, "must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z")),
    }
}

fn progress_line(run: &Backtest) -> String {
    let report: &BacktestReport = &run.report;
    format!(
        "{}\n",
        json!({"progress": report.progress(), "processed": report.total, "expected": report.expected,
               "flips_so_far": report.flip_count})
    )
}

/// Replay a draft rule set over stored decisions and report what would change: counts per
/// state before and after, the transition matrix, score changes, and the events that flip.
#[utoipa::path(post, path = "/v1/rules/backtest", operation_id = "backtest_rules", tag = "rules",
    request_body = BacktestBody, params(BacktestQuery),
    responses((status = 200, description = "The report (or NDJSON progress lines then `{\"report\": …}` with `?stream=true`)"),
              (status = 400, description = "The draft does not compile, or the range is invalid")))]
pub async fn run(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<BacktestQuery>,
    JsonBody(body): JsonBody<BacktestBody>,
) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let from = time("from", body.from.as_deref(), now.plus_millis(-DEFAULT_DAYS * 24 * 3600 * 1000))?;
    let to = time("to", body.to.as_deref(), now.plus_millis(1))?;
    if from >= to {
        return Err(Error::invalid_field("to", "must be after `from`").into());
    }
    let flip_limit = body.flip_limit.unwrap_or(BacktestReport::DEFAULT_FLIP_LIMIT);
    if flip_limit > MAX_FLIPS {
        return Err(Error::invalid_field("flip_limit", format!("at most {MAX_FLIPS}")).into());
    }
    let draft = Arc::new(super::rules::compile_draft(&state, &caller.tenant.id, body.rules, body.thresholds).await?);
    let tenant_id = caller.tenant.id.clone();
    if !query.stream {
        let run = backtest(state.store.as_ref(), &tenant_id, &draft, from, to, flip_limit, |_| {}).await?;
        return Ok(Json(run).into_response());
    }
    let (lines, receiver) = tokio::sync::mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let progress = lines.clone();
        let result = backtest(state.store.as_ref(), &tenant_id, &draft, from, to, flip_limit, |run| {
            // A client that went away only stops receiving; the replay itself is read-only.
            progress.send(progress_line(run)).ok();
        })
        .await;
        let last = match result {
            Ok(run) => json!({"report": run}),
            Err(e) => json!({"error": {"code": e.code, "message": e.detail}}),
        };
        lines.send(format!("{last}\n")).ok();
    });
    // Fused: the compression layer polls once more after the end, which `unfold` forbids.
    let stream = futures_util::StreamExt::fuse(futures_util::stream::unfold(receiver, |mut receiver| async move {
        let line = receiver.recv().await?;
        Some((Ok::<_, std::convert::Infallible>(line), receiver))
    }));
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(stream)).into_response())
}
