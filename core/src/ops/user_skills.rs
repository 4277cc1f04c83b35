//! `user_skills.*`. The write body is not documented; it mirrors the read attributes.

use super::list::DatedList;
use super::{req, resource_request, with_id, write_body};
use crate::error::Error;
use crate::request::ApiRequest;

write_body! {
    /// The body of `user_skills.create` (a user follows a skill).
    #[derive(Default)]
    NewUserSkill {
        required {
            /// Employee id.
            employee_id: String = "employee-id",
            /// Skill name.
            skill_name: String = "skill-name",
        }
        optional {
            /// Skill id.
            skill_id: String = "skill-id",
        }
    }
}

/// `user_skills.list`: `GET /api/v2/user-skills`.
pub fn list() -> DatedList {
    DatedList::new(req("user_skills.list"))
}

/// `user_skills.create`: `POST /api/v2/user-skills`.
pub fn create(skill: NewUserSkill) -> Result<ApiRequest, Error> {
    const NAME: &str = "user_skills.create";
    let attrs = skill.to_attributes(NAME)?;
    resource_request(req(NAME), attrs, None, false)
}

/// `user_skills.delete`: `DELETE /api/v2/user-skills/{id}`.
pub fn delete(id: &str) -> ApiRequest {
    with_id("user_skills.delete", id)
}
