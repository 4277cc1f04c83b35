//! `search_terms.*`.

use super::list::List;
use super::req;

/// `search_terms.list`: `GET /api/v2/search-terms`.
pub fn list() -> List {
    List::new(req("search_terms.list"))
}
