//! Question sets: the customer-due-diligence follow-up a partner answers on the customer's
//! behalf after a potential match (Solaris "questions and answers").

use crate::{Error, Id, ResourceKind, Result, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    #[schema(value_type = String)]
    pub id: Id,
    pub question: String,
    pub response: Option<String>,
    pub partner_notes: Option<String>,
    pub attachments: Vec<String>,
    pub ready_for_review: bool,
    pub answered_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionSetStatus {
    /// Waiting for answers.
    Open,
    /// Every answer is ready for review.
    ReadyForReview,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionSet {
    #[schema(value_type = String)]
    pub id: Id,
    #[serde(skip)]
    #[schema(ignore)]
    pub tenant_id: Id,
    #[schema(value_type = String)]
    pub person_id: Id,
    pub status: QuestionSetStatus,
    pub questions: Vec<Question>,
    /// Answers are expected before this time; afterwards the customer counts as unresponsive.
    pub deadline: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const DEVICE_FOLLOW_UP: [&str; 3] = [
    "Please confirm that the customer personally uses the devices from which their account was recently accessed.",
    "Has the customer shared their login credentials or devices with anybody else?",
    "Please describe the purpose of the customer's recent account activity and the expected source of funds.",
];

impl QuestionSet {
    /// The follow-up asked after a potential match raised by device monitoring.
    pub fn device_follow_up(tenant_id: &Id, person_id: &Id, now: Timestamp) -> QuestionSet {
        const FOURTEEN_DAYS_MS: i64 = 14 * 24 * 3600 * 1000;
        QuestionSet {
            id: Id::new(ResourceKind::QuestionSet),
            tenant_id: tenant_id.clone(),
            person_id: person_id.clone(),
            status: QuestionSetStatus::Open,
            questions: DEVICE_FOLLOW_UP
                .iter()
                .map(|q| Question {
                    id: Id::new(ResourceKind::Question),
                    question: (*q).to_owned(),
                    response: None,
                    partner_notes: None,
                    attachments: Vec::new(),
                    ready_for_review: false,
                    answered_at: None,
                })
                .collect(),
            deadline: now.plus_millis(FOURTEEN_DAYS_MS),
            created_at: now,
            updated_at: now,
        }
    }

    /// Records an answer. Returns `true` when this answer completed the set (every answer now
    /// ready for review), which moves the person to INFORMATION_RECEIVED.
    pub fn answer(&mut self, question_id: &str, answer: Answer, now: Timestamp) -> Result<bool> {
        answer.validate()?;
        if self.status == QuestionSetStatus::ReadyForReview {
            return Err(Error::conflict(
                "question_set_closed",
                "every answer of this question set is already ready for review",
            ));
        }
        let question = self
            .questions
            .iter_mut()
            .find(|q| q.id.as_str() == question_id)
            .ok_or_else(|| Error::not_found("question"))?;
        question.response = Some(answer.response);
        question.partner_notes = answer.partner_notes;
        question.attachments = answer.attachments;
        question.ready_for_review = answer.ready_for_review;
        question.answered_at = Some(now);
        self.updated_at = now;
        let complete = self.questions.iter().all(|q| q.ready_for_review);
        if complete {
            self.status = QuestionSetStatus::ReadyForReview;
        }
        Ok(complete)
    }
}

/// The body of `PATCH /v1/question_set/{id}/questions/{question_id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub response: String,
    #[serde(default)]
    pub partner_notes: Option<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub ready_for_review: bool,
}

impl Answer {
    fn validate(&self) -> Result<()> {
        if self.response.trim().is_empty() || self.response.len() > 10_000 {
            return Err(Error::invalid_field("response", "must be 1 to 10000 characters"));
        }
        if self.partner_notes.as_ref().is_some_and(|n| n.len() > 10_000) {
            return Err(Error::invalid_field("partner_notes", "must be at most 10000 characters"));
        }
        if self.attachments.len() > 20 || self.attachments.iter().any(|a| a.is_empty() || a.len() > 200) {
            return Err(Error::invalid_field("attachments", "at most 20 attachment ids of 1 to 200 characters"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(ready: bool) -> Answer {
        Answer { response: "yes".into(), partner_notes: None, attachments: vec![], ready_for_review: ready }
    }

    #[test]
    fn set_completes_when_every_answer_is_ready() {
        let now = Timestamp::now();
        let mut set =
            QuestionSet::device_follow_up(&Id::new(ResourceKind::Tenant), &Id::new(ResourceKind::Person), now);
        let ids: Vec<String> = set.questions.iter().map(|q| q.id.to_string()).collect();
        assert!(!set.answer(&ids[0], answer(true), now).unwrap());
        assert!(!set.answer(&ids[1], answer(false), now).unwrap());
        assert!(!set.answer(&ids[2], answer(true), now).unwrap());
        assert!(set.answer(&ids[1], answer(true), now).unwrap());
        assert_eq!(set.status, QuestionSetStatus::ReadyForReview);
        assert_eq!(set.answer(&ids[1], answer(true), now).unwrap_err().status(), 409);
    }

    #[test]
    fn unknown_question_and_empty_answer_are_rejected() {
        let now = Timestamp::now();
        let mut set =
            QuestionSet::device_follow_up(&Id::new(ResourceKind::Tenant), &Id::new(ResourceKind::Person), now);
        assert_eq!(set.answer("nope", answer(true), now).unwrap_err().status(), 404);
        let id = set.questions[0].id.to_string();
        let empty = Answer { response: " ".into(), ..answer(true) };
        assert_eq!(set.answer(&id, empty, now).unwrap_err().field.as_deref(), Some("response"));
    }
}
