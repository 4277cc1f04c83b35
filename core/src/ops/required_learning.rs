//! `required_learning.*`: the reads. The `required_learning:write` scope exists, but no
//! source shows the bodies of required-learning writes, so they are not in the typed
//! surface (a custom request reaches them, see [`crate::ApiRequest::custom`]).

use super::list::DatedList;
use super::{req, with_id};
use crate::request::ApiRequest;

/// `required_learning.list`: `GET /api/v2/required-learning` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("required_learning.list"))
}

/// `required_learning.get`: `GET /api/v2/required-learning/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("required_learning.get", id)
}
