//! `user_followers.*`.

use super::list::DatedList;
use super::req;

/// `user_followers.list`: `GET /api/v2/user-followers` (optional date range).
pub fn list() -> DatedList {
    DatedList::new(req("user_followers.list"))
}
