//! `skill_ratings.*`. Only the list: no source shows the path or body of a skill-rating
//! write (a custom request reaches one, see [`crate::ApiRequest::custom`]).

use super::list::SkillRatingsList;
use super::req;

/// `skill_ratings.list`: `GET /api/v2/skill-ratings` (7-day windows).
pub fn list() -> SkillRatingsList {
    SkillRatingsList::new(req("skill_ratings.list"))
}
