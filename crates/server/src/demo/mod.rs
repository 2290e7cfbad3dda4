//! The `/demo` reference integration: a partner-style page (consent modal, sign-up form,
//! agent) and the small partner backend it talks to.
//!
//! Everything runs as one dedicated test-mode tenant named `demo`, created on first use. The
//! page is what a partner's frontend would be; `/demo/api/…` is what a partner's backend
//! would be, except that it calls the core directly instead of the Solaris API over HTTP, so
//! the demo needs no API key in the browser.

mod backend;

use crate::http::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use sightline_core::Error;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const PAGE: &str = include_str!("../../assets/demo/index.html");
const AGENT_SRC_MARKER: &str = "{{AGENT_SRC}}";

/// The static files next to the page, by the name they are requested under.
const ASSETS: &[(&str, &str, &str)] = &[
    ("demo.css", "text/css; charset=utf-8", include_str!("../../assets/demo/demo.css")),
    ("demo.js", "text/javascript; charset=utf-8", include_str!("../../assets/demo/demo.js")),
    ("texts.js", "text/javascript; charset=utf-8", include_str!("../../assets/demo/texts.js")),
];

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(page))
        .routes(routes!(slash))
        .routes(routes!(asset))
        .routes(routes!(backend::config))
        .routes(routes!(backend::consent))
        .routes(routes!(backend::activity))
        .routes(routes!(backend::person))
}

/// `/demo/` redirects to `/demo`.
#[utoipa::path(operation_id = "demo_redirect", get, path = "/demo/", tag = "demo", security(()), responses((status = 308, description = "Redirect to /demo")))]
async fn slash() -> Redirect {
    Redirect::permanent("/demo")
}

/// The page is rendered per request because the agent URL names the demo tenant, whose id is
/// only known once it exists in this store. The script tag is then exactly what a partner
/// would write, with no bootstrap code in between.
#[utoipa::path(operation_id = "demo_page", get, path = "/demo", tag = "demo", security(()),
    responses((status = 200, description = "The demo page", content_type = "text/html")))]
async fn page(State(state): State<AppState>) -> Result<Response, ApiError> {
    let tenant = backend::demo_tenant(state.store.as_ref()).await?;
    let html = PAGE.replacen(AGENT_SRC_MARKER, &backend::agent_url(&tenant.id, "agent.js"), 1);
    Ok(uncached("text/html; charset=utf-8", html))
}

#[utoipa::path(operation_id = "demo_asset", get, path = "/demo/assets/{file}", tag = "demo", security(()),
    params(("file" = String, Path, description = "demo.css, demo.js or texts.js")),
    responses((status = 200, description = "A static file of the demo"), (status = 404, description = "No such file")))]
async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    let (_, content_type, body) =
        ASSETS.iter().find(|(name, _, _)| *name == file).ok_or_else(|| Error::not_found("demo asset"))?;
    Ok(uncached(content_type, *body))
}

/// `no-cache` rather than `no-store`: browsers may keep a copy but must revalidate, so an
/// upgraded binary's page and scripts are never mixed with stale ones.
fn uncached(content_type: &'static str, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_one_agent_slot_and_every_asset_it_links() {
        assert_eq!(PAGE.matches(AGENT_SRC_MARKER).count(), 1);
        for (name, _, body) in ASSETS {
            assert!(PAGE.contains(&format!("/demo/assets/{name}")), "{name} is not linked from the page");
            assert!(!body.is_empty());
        }
    }

    #[test]
    fn page_loads_nothing_from_elsewhere() {
        for (name, text) in std::iter::once(("index.html", PAGE)).chain(ASSETS.iter().map(|(n, _, b)| (*n, *b))) {
            for scheme in ["http://", "https://", "//fonts", "@import"] {
                assert!(!text.contains(scheme), "{name} references `{scheme}`");
            }
        }
    }
}
