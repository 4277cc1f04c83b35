//! `views.*`.

use super::list::DatedList;
use super::req;

/// `views.list`: `GET /api/v2/views` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("views.list"))
}
