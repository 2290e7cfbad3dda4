//! Every route of the service, grouped by concern. Public routes need no key; everything else
//! passes [`crate::http::auth::require_api_key`] first.

mod account;
mod ops;

use crate::http::auth::require_api_key;
use crate::http::openapi::ApiDoc;
use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes(state: AppState) -> OpenApiRouter<AppState> {
    let public = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics));
    let authenticated = OpenApiRouter::new()
        .routes(routes!(account::current_tenant))
        .routes(routes!(account::list_keys, account::create_key))
        .routes(routes!(account::revoke_key))
        .route_layer(axum::middleware::from_fn_with_state(state, require_api_key));
    public.merge(authenticated)
}
