//! `skill_ratings.*`. The write body is not documented; it mirrors the read attributes.

use super::list::SkillRatingsList;
use super::{req, resource_request, write_body};
use crate::error::Error;
use crate::request::ApiRequest;

write_body! {
    /// The body of `skill_ratings.create`.
    #[derive(Default)]
    NewSkillRating {
        required {
            /// Employee id of the rated user.
            employee_id: String = "employee-id",
            /// Skill name.
            skill_name: String = "skill-name",
            /// Rating level (1 or more).
            rating: i64 = "rating",
        }
        optional {
            /// Rating type (`Self`, `Manager`, ...).
            rating_type: String = "rating-type",
        }
    }
}

/// `skill_ratings.list`: `GET /api/v2/skill-ratings`.
pub fn list() -> SkillRatingsList {
    SkillRatingsList::new(req("skill_ratings.list"))
}

/// `skill_ratings.create`: `POST /api/v2/skill-ratings`.
pub fn create(rating: NewSkillRating) -> Result<ApiRequest, Error> {
    const NAME: &str = "skill_ratings.create";
    let attrs = rating.to_attributes(NAME)?;
    resource_request(req(NAME), attrs, None, false)
}
