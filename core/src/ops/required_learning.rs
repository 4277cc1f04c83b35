//! `required_learning.*`. The write bodies are not documented; these follow the completion
//! shape (user and content named by an identifier type).

use super::list::DatedList;
use super::{req, resource_request, with_id, write_body};
use crate::datetime::Timestamp;
use crate::error::Error;
use crate::models::{AssignmentStatus, ContentIdType, ContentType, UserIdentifierType};
use crate::request::ApiRequest;

write_body! {
    /// The body of `required_learning.create`.
    #[derive(Default)]
    NewRequiredLearning {
        required {
            /// The user, named as `user_identifier_type` says.
            user_id: String = "user-id",
            /// How `user_id` names the user.
            user_identifier_type: UserIdentifierType = "user-identifier-type",
            /// The content, named as `content_id_type` says.
            content_id: String = "content-id",
            /// How `content_id` names the content.
            content_id_type: ContentIdType = "content-id-type",
        }
        optional {
            /// The content's kind.
            content_type: ContentType = "content-type",
            /// Due date.
            due_at: Timestamp = "due-at",
            /// Assignment type (`Assigned`, ...).
            assignment_type: String = "assignment-type",
        }
    }
}

write_body! {
    /// The body of `required_learning.update`: only the fields set are sent.
    #[derive(Default)]
    RequiredLearningUpdate {
        required {}
        optional {
            /// Due date.
            due_at: Timestamp = "due-at",
            /// Status.
            status: AssignmentStatus = "status",
            /// Assignment type.
            assignment_type: String = "assignment-type",
        }
    }
}

/// `required_learning.list`: `GET /api/v2/required-learning` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("required_learning.list"))
}

/// `required_learning.get`: `GET /api/v2/required-learning/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("required_learning.get", id)
}

/// `required_learning.create`: `POST /api/v2/required-learning`.
pub fn create(assignment: NewRequiredLearning) -> Result<ApiRequest, Error> {
    const NAME: &str = "required_learning.create";
    let attrs = assignment.to_attributes(NAME)?;
    resource_request(req(NAME), attrs, None, false)
}

/// `required_learning.update`: `PATCH /api/v2/required-learning/{id}`.
pub fn update(id: &str, changes: RequiredLearningUpdate) -> Result<ApiRequest, Error> {
    const NAME: &str = "required_learning.update";
    let attrs = changes.to_attributes(NAME)?;
    resource_request(with_id(NAME, id), attrs, None, true)
}

/// `required_learning.delete`: `DELETE /api/v2/required-learning/{id}`.
pub fn delete(id: &str) -> ApiRequest {
    with_id("required_learning.delete", id)
}
