//! The Solaris device-monitoring dialect: persons, device consents, device activities,
//! protected-action checks, customer vetting and question sets. Handlers translate Solaris'
//! request and response shapes to the core and back, nothing more.

pub(crate) mod activities;
mod consents;
mod persons;
mod questions;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(persons::create))
        .routes(routes!(persons::get, persons::update))
        .routes(routes!(persons::review))
        .routes(routes!(consents::create, consents::list))
        .routes(routes!(consents::update))
        .routes(routes!(consents::history))
        .routes(routes!(activities::create, activities::list))
        .routes(routes!(activities::check))
        .routes(routes!(activities::get))
        .routes(routes!(questions::get))
        .routes(routes!(questions::list))
        .routes(routes!(questions::answer))
}
