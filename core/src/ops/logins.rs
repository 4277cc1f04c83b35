//! `logins.*`.

use super::list::DatedList;
use super::req;

/// `logins.list`: `GET /api/v2/logins` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("logins.list"))
}
