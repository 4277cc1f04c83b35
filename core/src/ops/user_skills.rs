//! `user_skills.*`. Only the list: no source shows the path or body of a user-skill write
//! (a custom request reaches one, see [`crate::ApiRequest::custom`]).

use super::list::DatedList;
use super::req;

/// `user_skills.list`: `GET /api/v2/user-skills` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("user_skills.list"))
}
