//! `providers.*`.

use super::list::List;
use super::{req, with_id};
use crate::request::ApiRequest;

/// `providers.list`: `GET /api/v2/providers`.
pub fn list() -> List {
    List::new(req("providers.list"))
}

/// `providers.get`: `GET /api/v2/providers/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("providers.get", id)
}

/// `providers.licences.*`.
pub mod licences {
    use super::*;

    /// `providers.licences.list`: `GET /api/v2/providers/{id}/licences`.
    pub fn list(provider_id: &str) -> List {
        List::new(with_id("providers.licences.list", provider_id))
    }
}
