//! `recommendations.*`.

use super::list::DatedList;
use super::req;

/// `recommendations.list`: `GET /api/v2/recommendations` (7-day windows).
pub fn list() -> DatedList {
    DatedList::new(req("recommendations.list"))
}
