//! `completions.*`.

use super::list::DatedList;
use super::{req, resource_request, with_id, write_body};
use crate::datetime::Timestamp;
use crate::error::Error;
use crate::models::{ContentIdType, ContentType, UserIdentifierType};
use crate::request::ApiRequest;

write_body! {
    /// The body of `completions.create`. `completed_at` goes out as `yyyy-mm-ddTHH:MM:SS`
    /// (UTC). An unknown or deleted user answers 400 `Invalid user identifier: ...`.
    NewCompletion {
        required {
            /// The user, named as `user_identifier_type` says.
            user_id: String = "user-id",
            /// How `user_id` names the user.
            user_identifier_type: UserIdentifierType = "user-identifier-type",
            /// The content, named as `content_id_type` says.
            content_id: String = "content-id",
            /// How `content_id` names the content.
            content_id_type: ContentIdType = "content-id-type",
            /// The content's kind.
            content_type: ContentType = "content-type",
            /// When the learning was completed.
            completed_at: Timestamp = "completed-at",
        }
        optional {
            /// Whether the completion is verified.
            is_verified: bool = "is-verified",
            /// Questions answered correctly.
            questions_correct: i64 = "questions-correct",
            /// Score, 0-100.
            percentile: f64 = "percentile",
            /// Time spent.
            duration: f64 = "duration",
            /// Involvement level.
            involvement_level: String = "involvement-level",
        }
    }
}

impl NewCompletion {
    /// A completion with its required fields; set the optional ones on the result.
    pub fn new(
        user_id: impl Into<String>,
        user_identifier_type: UserIdentifierType,
        content_id: impl Into<String>,
        content_id_type: ContentIdType,
        content_type: ContentType,
        completed_at: Timestamp,
    ) -> Self {
        NewCompletion {
            user_id: user_id.into(),
            user_identifier_type,
            content_id: content_id.into(),
            content_id_type,
            content_type,
            completed_at,
            is_verified: None,
            questions_correct: None,
            percentile: None,
            duration: None,
            involvement_level: None,
            extra: serde_json::Map::new(),
        }
    }
}

write_body! {
    /// The body of `completions.update`: only the fields set are sent.
    #[derive(Default)]
    CompletionUpdate {
        required {}
        optional {
            /// When the learning was completed.
            completed_at: Timestamp = "completed-at",
            /// Whether the completion is verified.
            is_verified: bool = "is-verified",
            /// Questions answered correctly.
            questions_correct: i64 = "questions-correct",
            /// Score, 0-100.
            percentile: f64 = "percentile",
            /// Time spent.
            duration: f64 = "duration",
            /// Involvement level.
            involvement_level: String = "involvement-level",
        }
    }
}

/// `completions.list`: `GET /api/v2/completions`. The API accepts at most 7 days between
/// `start_date` and `end_date`: walk longer ranges with [`DatedList::pager_between`].
pub fn list() -> DatedList {
    DatedList::new(req("completions.list"))
}

/// `completions.get`: `GET /api/v2/completions/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("completions.get", id)
}

/// `completions.create`: `POST /api/v2/completions`.
pub fn create(completion: NewCompletion) -> Result<ApiRequest, Error> {
    const NAME: &str = "completions.create";
    let attrs = completion.to_attributes(NAME)?;
    resource_request(req(NAME), attrs, None, false)
}

/// `completions.update`: `PATCH /api/v2/completions/{id}`.
pub fn update(id: &str, changes: CompletionUpdate) -> Result<ApiRequest, Error> {
    const NAME: &str = "completions.update";
    let attrs = changes.to_attributes(NAME)?;
    resource_request(with_id(NAME, id), attrs, None, true)
}

/// `completions.delete`: `DELETE /api/v2/completions/{id}` (needs the Degreed id).
pub fn delete(id: &str) -> ApiRequest {
    with_id("completions.delete", id)
}
