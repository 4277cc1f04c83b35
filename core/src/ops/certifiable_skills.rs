//! `certifiable_skills.*`.

use super::list::List;
use super::{req, with_id};
use crate::request::ApiRequest;

/// `certifiable_skills.list`: `GET /api/v2/certifiable-skills`.
pub fn list() -> List {
    List::new(req("certifiable_skills.list"))
}

/// `certifiable_skills.get`: `GET /api/v2/certifiable-skills/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("certifiable_skills.get", id)
}
