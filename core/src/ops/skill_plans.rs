//! `skill_plans.*`.

use super::list::List;
use super::{req, with_id};
use crate::request::ApiRequest;

/// `skill_plans.list`: `GET /api/v2/skill-plans`.
pub fn list() -> List {
    List::new(req("skill_plans.list"))
}

/// `skill_plans.get`: `GET /api/v2/skill-plans/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("skill_plans.get", id)
}

/// `skill_plans.followers.*`.
pub mod followers {
    use super::*;

    /// `skill_plans.followers.list`: `GET /api/v2/skill-plans/{id}/followers`.
    pub fn list(skill_plan_id: &str) -> List {
        List::new(with_id("skill_plans.followers.list", skill_plan_id))
    }
}
