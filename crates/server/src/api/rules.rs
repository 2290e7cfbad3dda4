//! Rule sets and allow/deny lists. Every change to the rules writes a new version (decisions
//! record the version that made them); a set that does not compile is refused with the
//! position of each error, so a broken rule never reaches evaluation.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sightline_core::decision::{ListEntry, StoredRuleSet};
use sightline_core::fraud::current_rule_set;
use sightline_core::{Error, Timestamp};
use sightline_rules::{CompileError, CompiledRuleSet, ListName, Rule, RuleSet, Thresholds};

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSetView {
    /// 0 while the tenant runs the shipped default pack unchanged.
    version: u64,
    #[schema(value_type = Object)]
    thresholds: Thresholds,
    #[schema(value_type = Vec<Object>)]
    rules: Vec<Rule>,
}

impl From<RuleSet> for RuleSetView {
    fn from(set: RuleSet) -> Self {
        RuleSetView { version: set.version, thresholds: set.thresholds, rules: set.rules }
    }
}

/// The current rule set.
#[utoipa::path(get, path = "/v1/rules", operation_id = "get_rules", tag = "rules",
    responses((status = 200, body = RuleSetView)))]
pub async fn get(State(state): State<AppState>, Caller(caller): Caller) -> Result<Json<RuleSetView>, ApiError> {
    Ok(Json(current_rule_set(state.store.as_ref(), &caller.tenant.id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetBody {
    #[schema(value_type = Vec<Object>)]
    rules: Vec<Rule>,
    #[serde(default)]
    #[schema(value_type = Object)]
    thresholds: Option<Thresholds>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompileErrorView {
    rule_id: Option<String>,
    message: String,
    line: Option<u32>,
    column: Option<u32>,
}

impl From<&CompileError> for CompileErrorView {
    fn from(e: &CompileError) -> Self {
        CompileErrorView {
            rule_id: e.rule_id.clone(),
            message: e.message.clone(),
            line: e.position.map(|p| p.0),
            column: e.position.map(|p| p.1),
        }
    }
}

fn compile_error(errors: &[CompileError]) -> Error {
    let detail = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    let field = errors.first().and_then(|e| e.rule_id.clone()).map_or("rules".to_owned(), |id| format!("rules[{id}]"));
    Error::bad_request("rule_compile_error", detail).with_field(field)
}

/// Replace the rule set: it is compiled first (400 with positions on any error), then
/// stored as the next version.
#[utoipa::path(put, path = "/v1/rules", operation_id = "put_rules", tag = "rules", request_body = RuleSetBody,
    responses((status = 201, body = RuleSetView), (status = 400, description = "A rule does not compile"),
              (status = 409, description = "Another change created this version first")))]
pub async fn put(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<RuleSetBody>,
) -> Result<(StatusCode, Json<RuleSetView>), ApiError> {
    let current = current_rule_set(state.store.as_ref(), &caller.tenant.id).await?;
    let set = RuleSet {
        version: current.version + 1,
        rules: body.rules,
        thresholds: body.thresholds.unwrap_or(current.thresholds),
    };
    CompiledRuleSet::compile(&set).map_err(|errors| compile_error(&errors))?;
    let stored = StoredRuleSet {
        tenant_id: caller.tenant.id.clone(),
        version: i64::try_from(set.version).map_err(Error::internal)?,
        rule_set: serde_json::to_value(&set).map_err(Error::internal)?,
        created_at: Timestamp::now(),
        created_by: caller.key_id.clone(),
    };
    state.store.insert_rule_set(&stored).await?;
    Ok((StatusCode::CREATED, Json(set.into())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"expression": "device.risk >= 70 && velocity.card_tx_1h > 3"}))]
pub struct ValidateBody {
    expression: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ValidateAnswer {
    valid: bool,
    errors: Vec<CompileErrorView>,
}

/// Check one expression against the event model: syntax and unknown fields, with positions.
#[utoipa::path(post, path = "/v1/rules/validate", operation_id = "validate_rule_expression", tag = "rules",
    request_body = ValidateBody, responses((status = 200, body = ValidateAnswer)))]
pub async fn validate(_caller: Caller, JsonBody(body): JsonBody<ValidateBody>) -> Json<ValidateAnswer> {
    match sightline_rules::validate_expression(&body.expression) {
        Ok(()) => Json(ValidateAnswer { valid: true, errors: Vec::new() }),
        Err(errors) => {
            Json(ValidateAnswer { valid: false, errors: errors.iter().map(CompileErrorView::from).collect() })
        }
    }
}

/// One stored version of the rule set.
#[utoipa::path(get, path = "/v1/rules/versions/{version}", operation_id = "get_rules_version", tag = "rules",
    params(("version" = i64, Path, description = "Rule-set version")),
    responses((status = 200, body = RuleSetView), (status = 404, description = "No such version")))]
pub async fn version(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(version): Path<i64>,
) -> Result<Json<RuleSetView>, ApiError> {
    let stored =
        state.store.rule_set(&caller.tenant.id, version).await?.ok_or_else(|| Error::not_found("rule-set version"))?;
    let set: RuleSet =
        serde_json::from_value(stored.rule_set).map_err(|e| Error::internal(format!("stored rule set: {e}")))?;
    Ok(Json(set.into()))
}

fn list_name(list: &str) -> Result<ListName, Error> {
    let name: ListName = list.parse().map_err(|e| Error::not_found(&format!("list `{list}` ({e})")))?;
    if name.to_string().ends_with("_any") {
        return Err(Error::invalid_field("list", "`*_any` names a match across lists; add entries to a concrete list"));
    }
    Ok(name)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEntryBody {
    /// Why the entry exists (e.g. a chargeback reference).
    #[serde(default)]
    note: Option<String>,
}

/// Add a value to an allow/deny list (`deny_email`, `allow_ip`, `deny_cidr`, …).
#[utoipa::path(put, path = "/v1/lists/{list}/{value}", operation_id = "put_list_entry", tag = "rules",
    request_body = ListEntryBody,
    params(("list" = String, Path, description = "e.g. deny_email"), ("value" = String, Path, description = "The value")),
    responses((status = 201, body = ListEntry), (status = 400, description = "Value invalid for this list")))]
pub async fn put_entry(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((list, value)): Path<(String, String)>,
    JsonBody(body): JsonBody<ListEntryBody>,
) -> Result<(StatusCode, Json<ListEntry>), ApiError> {
    let name = list_name(&list)?;
    let kind = name.expand().next().and_then(|n| n.kind).ok_or_else(|| Error::not_found("list"))?;
    let canonical = kind.canonical(&value).map_err(|e| Error::invalid_field("value", e.to_string()))?;
    if body.note.as_ref().is_some_and(|n| n.len() > 500) {
        return Err(Error::invalid_field("note", "at most 500 characters").into());
    }
    // Stored canonical: decisions look entries up by the event's canonical values.
    let entry = ListEntry { list: name.to_string(), value: canonical, note: body.note, created_at: Timestamp::now() };
    state.store.upsert_list_entry(&caller.tenant.id, &entry).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Remove a value from a list.
#[utoipa::path(delete, path = "/v1/lists/{list}/{value}", operation_id = "delete_list_entry", tag = "rules",
    params(("list" = String, Path, description = "e.g. deny_email"), ("value" = String, Path, description = "The value")),
    responses((status = 204, description = "Removed"), (status = 404, description = "Not on the list")))]
pub async fn delete_entry(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((list, value)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let name = list_name(&list)?;
    let canonical = name.kind.and_then(|k| k.canonical(&value).ok()).unwrap_or_else(|| value.trim().to_owned());
    if state.store.delete_list_entry(&caller.tenant.id, &name.to_string(), &canonical).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::not_found("list entry").into())
    }
}

/// A list's entries.
#[utoipa::path(get, path = "/v1/lists/{list}", operation_id = "get_list", tag = "rules",
    params(("list" = String, Path, description = "e.g. deny_email")),
    responses((status = 200, body = Vec<ListEntry>)))]
pub async fn get_list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(list): Path<String>,
) -> Result<Json<Vec<ListEntry>>, ApiError> {
    let name = list_name(&list)?;
    Ok(Json(state.store.list_entries(&caller.tenant.id, &name.to_string()).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event": {"request": {"transaction_amount": 9000.0, "email": "a@example.com"},
    "device": {"flags": ["automation"], "risk": 90}, "velocity": {"card_tx_1h": 4}, "lists": {"deny_email": false}}}))]
pub struct DryRunBody {
    /// An event in the rules' event model (see docs/rules.md): `request`, `custom`, module
    /// outputs, `device`, `velocity`, `lists`.
    #[schema(value_type = Object)]
    event: serde_json::Value,
    /// A draft set to try instead of the current one.
    #[serde(default)]
    #[schema(value_type = Object)]
    rules: Option<Vec<Rule>>,
    #[serde(default)]
    #[schema(value_type = Object)]
    thresholds: Option<Thresholds>,
}

/// The current rule set with a draft's rules and/or thresholds in place of its own, compiled
/// (400 with positions when it does not compile). Dry runs and backtests try drafts this way.
pub(super) async fn compile_draft(
    state: &AppState,
    tenant_id: &sightline_core::Id,
    rules: Option<Vec<Rule>>,
    thresholds: Option<Thresholds>,
) -> Result<CompiledRuleSet, Error> {
    let mut set = current_rule_set(state.store.as_ref(), tenant_id).await?;
    if let Some(rules) = rules {
        set.rules = rules;
    }
    if let Some(thresholds) = thresholds {
        set.thresholds = thresholds;
    }
    CompiledRuleSet::compile(&set).map_err(|errors| compile_error(&errors))
}

/// Evaluate the current rule set — or a draft — on a supplied event, storing nothing.
#[utoipa::path(post, path = "/v1/rules/dry-run", operation_id = "dry_run_rules", tag = "rules", request_body = DryRunBody,
    responses((status = 200, description = "The decision: fraud_score, state, applied_rules, errors, unavailable"),
              (status = 400, description = "The draft does not compile")))]
pub async fn dry_run(
    State(state): State<AppState>,
    Caller(caller): Caller,
    JsonBody(body): JsonBody<DryRunBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !body.event.is_object() {
        return Err(Error::invalid_field("event", "must be an object in the rules' event model").into());
    }
    let compiled = compile_draft(&state, &caller.tenant.id, body.rules, body.thresholds).await?;
    let decision = compiled.evaluate(&sightline_rules::Event::from_json(&body.event));
    Ok(Json(serde_json::to_value(decision).map_err(Error::internal)?))
}
