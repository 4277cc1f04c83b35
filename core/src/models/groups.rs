//! Groups and group memberships.

use super::decode::model;
use super::enums::GroupPrivacy;
use crate::datetime::Timestamp;

model! {
    /// A group (`type: "groups"`); also the items of `pathways.groups.list`.
    Group = "groups" {
        /// Name.
        name: String = "name",
        /// Description.
        description: String = "description",
        /// Privacy.
        privacy: GroupPrivacy = "privacy",
        /// The customer's group id.
        external_group_id: String = "external-group-id",
        /// Created.
        created_at: Timestamp = "created-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
    rels {
        /// The creator's Degreed id (`created_by`, with an underscore on the wire).
        created_by_id => "created_by",
        /// The group's id, for pathway-group records that reference it.
        group_id => "group",
    }
}

model! {
    /// A membership record of `groups.users.list`.
    GroupMembership = "group-users" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// First name.
        first_name: String = "first-name",
        /// Last name.
        last_name: String = "last-name",
        /// Organization e-mail.
        organization_email: String = "organization-email",
        /// Role in the group (`Leader`, `Member`, ...).
        role: String = "role",
        /// When the user joined.
        added_at: Timestamp = "added-at",
    }
    rels {
        /// The member's Degreed id.
        user_id => "user",
    }
}
