//! The `/demo` reference integration: a partner-style page (consent modal, sign-up form,
//! agent) and the small partner backend it talks to.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
