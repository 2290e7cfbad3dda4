//! The OpenAPI 3.1 document's frame. Paths come from the handlers themselves (utoipa-axum
//! registers a route and its documentation in one step), so no endpoint can be served without
//! appearing in `/openapi.json`.

use utoipa::Modify;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Sightline",
        description = "Self-hosted device intelligence and fraud decisions. One API key works with every \
                       dialect's header: `Authorization: Bearer`, `X-API-KEY` or `u21-key`."
    ),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("x_api_key" = []), ("u21_key" = [])),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "account", description = "The calling tenant and its API keys"),
        (name = "solaris", description = "Solaris device monitoring: persons, consents, activities, checks, vetting"),
        (name = "devices", description = "Device identity graph and the reason-code catalogue"),
        (name = "rules", description = "Rule sets (versioned, CEL) and allow/deny lists"),
        (name = "webhooks", description = "Signed webhooks: subscriptions and delivery logs"),
        (name = "agent", description = "The browser agent and its sealing key"),
        (name = "demo", description = "The /demo reference integration and its partner backend (disable with --no-demo)"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components
            .add_security_scheme("x_api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-KEY"))));
        components.add_security_scheme("u21_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("u21-key"))));
    }
}
