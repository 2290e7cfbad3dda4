//! Every route of the service, grouped by concern. Public routes need no key; everything else
//! passes [`crate::http::auth::require_api_key`] first.

mod account;
mod agent;
mod backtest;
pub mod context;
mod devices;
mod modules;
mod ops;
mod rules;
mod seon;
pub(crate) mod solaris;
mod webhooks;

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
        .routes(routes!(ops::metrics))
        .routes(routes!(agent::config))
        .routes(routes!(agent::current))
        .routes(routes!(agent::versioned));
    let authenticated = OpenApiRouter::new()
        .routes(routes!(account::current_tenant))
        .routes(routes!(account::settings, account::update_settings))
        .routes(routes!(account::list_keys, account::create_key))
        .routes(routes!(account::revoke_key))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::get, webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(devices::get))
        .routes(routes!(devices::links))
        .routes(routes!(devices::of_person))
        .routes(routes!(devices::reason_codes))
        .routes(routes!(rules::get, rules::put))
        .routes(routes!(rules::validate))
        .routes(routes!(rules::dry_run))
        .routes(routes!(backtest::run))
        .routes(routes!(modules::get))
        .routes(routes!(rules::version))
        .routes(routes!(rules::get_list))
        .routes(routes!(rules::put_entry, rules::delete_entry))
        .merge(solaris::routes())
        .merge(seon::routes())
        .route_layer(axum::middleware::from_fn_with_state(state, require_api_key));
    public.merge(authenticated)
}
