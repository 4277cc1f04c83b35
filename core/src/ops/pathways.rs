//! `pathways.*`.

use super::list::{DatedList, List};
use super::{req, with_id};
use crate::request::ApiRequest;

/// `pathways.list`: `GET /api/v2/pathways` (optional modified-date range).
pub fn list() -> DatedList {
    DatedList::new(req("pathways.list"))
}

/// `pathways.get`: `GET /api/v2/pathways/{id}`.
pub fn get(id: &str) -> ApiRequest {
    with_id("pathways.get", id)
}

macro_rules! sub_list {
    ($module:ident, $name:literal, $path:literal) => {
        #[doc = concat!("`", $name, "`: `GET ", $path, "`.")]
        pub mod $module {
            use super::*;

            #[doc = concat!("`", $name, "` of one pathway.")]
            pub fn list(pathway_id: &str) -> List {
                List::new(with_id($name, pathway_id))
            }
        }
    };
}

sub_list!(tags, "pathways.tags.list", "/api/v2/pathways/{id}/tags");
sub_list!(
    collaborators,
    "pathways.collaborators.list",
    "/api/v2/pathways/{id}/collaborators"
);
sub_list!(
    groups,
    "pathways.groups.list",
    "/api/v2/pathways/{id}/groups"
);
sub_list!(
    followers,
    "pathways.followers.list",
    "/api/v2/pathways/{id}/followers"
);
