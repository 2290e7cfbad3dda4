//! Which enrichment modules run on full data, which are degraded and why, and the datasets
//! behind them with their source, version, licence and required attribution.

use crate::http::auth::Caller;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Enrichment modules, their state and datasets (with the attributions their licences require).
#[utoipa::path(get, path = "/v1/modules", operation_id = "get_modules", tag = "fraud",
    responses((status = 200, description = "`{modules: [{name, state, datasets}], attributions: [..]}`")))]
pub async fn get(State(state): State<AppState>, _caller: Caller) -> Json<serde_json::Value> {
    Json(crate::enrichment::describe(&state.enricher))
}
