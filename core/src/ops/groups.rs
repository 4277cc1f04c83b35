//! `groups.*`.

use super::list::List;
use super::{checked_ids, req, with_id};
use crate::error::Error;
use crate::request::ApiRequest;

/// `groups.list`: `GET /api/v2/groups`.
pub fn list() -> List {
    List::new(req("groups.list"))
}

/// `groups.get`: `GET /api/v2/groups/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("groups.get", id)
}

/// `groups.users.*`: membership records.
pub mod users {
    use super::*;

    /// `groups.users.list`: `GET /api/v2/groups/{id}/users`.
    pub fn list(group_id: &str) -> List {
        List::new(with_id("groups.users.list", group_id))
    }
}

/// `groups.members.*`: adding and removing members.
pub mod members {
    use super::*;

    /// `groups.members.add`: `POST /api/v2/groups/{id}/relationships/members` with
    /// `{"data": [{"type": "users", "id": ...}]}`.
    pub fn add<I, S>(group_id: &str, user_ids: I) -> Result<ApiRequest, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = checked_ids("groups.members.add", "user_ids", user_ids)?;
        Ok(with_id("groups.members.add", group_id).ids(ids))
    }

    /// `groups.members.remove`: `DELETE /api/v2/groups/{id}/relationships/members` (same
    /// body).
    pub fn remove<I, S>(group_id: &str, user_ids: I) -> Result<ApiRequest, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = checked_ids("groups.members.remove", "user_ids", user_ids)?;
        Ok(with_id("groups.members.remove", group_id).ids(ids))
    }
}
