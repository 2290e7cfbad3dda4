//! Question sets: the customer-due-diligence follow-up after a potential match.

use crate::http::auth::Caller;
use crate::http::error::ApiError;
use crate::http::json::Json as JsonBody;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use sightline_core::question::{Answer, Question, QuestionSet};
use sightline_core::{Error, Id, ResourceKind, monitoring};

/// A question set with its questions and the answers so far.
#[utoipa::path(operation_id = "get_question_set", get, path = "/v1/question_set/{id}", tag = "solaris",
    params(("id" = String, Path, description = "Question set id (…qset)")),
    responses((status = 200, body = QuestionSet), (status = 404, description = "No such question set")))]
pub async fn get(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<QuestionSet>, ApiError> {
    let id = Id::parse(ResourceKind::QuestionSet, &id).ok_or_else(|| Error::not_found("question set"))?;
    let set =
        state.store.question_set(&caller.tenant.id, &id).await?.ok_or_else(|| Error::not_found("question set"))?;
    Ok(Json(set))
}

/// The person's question sets, oldest first.
#[utoipa::path(operation_id = "list_question_sets", get, path = "/v1/persons/{person_id}/question_sets", tag = "solaris",
    params(("person_id" = String, Path, description = "Person id")),
    responses((status = 200, body = Vec<QuestionSet>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Vec<QuestionSet>>, ApiError> {
    let person = monitoring::find_person(state.store.as_ref(), &caller, &person_id).await?;
    Ok(Json(state.store.question_sets_of_person(&caller.tenant.id, &person.id).await?))
}

/// Answer one question. When every answer is `ready_for_review`, the person's
/// `customer_vetting_status` becomes INFORMATION_RECEIVED and PERSON_CHANGED is sent.
#[utoipa::path(operation_id = "answer_question", patch, path = "/v1/question_set/{id}/questions/{question_id}/answer", tag = "solaris",
    request_body(content = Answer, example = json!({"response": "The customer uses only their own phone.",
        "partner_notes": "Confirmed by phone call", "attachments": [], "ready_for_review": true})),
    params(("id" = String, Path, description = "Question set id"), ("question_id" = String, Path, description = "Question id")),
    responses((status = 200, body = Question), (status = 404, description = "No such question set or question"),
              (status = 409, description = "The set is already complete")))]
pub async fn answer(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, question_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<Answer>,
) -> Result<Json<Question>, ApiError> {
    let question = monitoring::answer_question(state.store.as_ref(), &caller, &id, &question_id, body).await?;
    state.webhooks_wake();
    Ok(Json(question))
}
