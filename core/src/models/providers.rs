//! Content providers and their licences.

use super::decode::model;
use crate::datetime::Timestamp;

model! {
    /// A content provider (`type: "providers"`).
    Provider = "providers" {
        /// Name.
        name: String = "name",
        /// Website.
        url: String = "url",
    }
}

model! {
    /// A user's licence for a provider (`providers.licences.list`).
    Licence = "licences" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// Whether the licence is enabled.
        is_enabled: bool = "is-enabled",
        /// Created.
        created_at: Timestamp = "created-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}
