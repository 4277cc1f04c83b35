//! Pathways and skill plans, with their tags, collaborators and followers.

use super::decode::model;
use crate::datetime::Timestamp;

model! {
    /// A pathway (`type: "pathways"`).
    Pathway = "pathways" {
        /// Title.
        title: String = "title",
        /// Summary.
        summary: String = "summary",
        /// Visibility.
        visibility: String = "visibility",
        /// Number of sections (kept as sent: a count or a list).
        sections: serde_json::Value = "sections",
        /// Created.
        created_at: Timestamp = "created-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
}

model! {
    /// A pathway tag (`pathways.tags.list`).
    PathwayTag = "tags" {
        /// The tag.
        tag: String = "tag",
    }
}

model! {
    /// A pathway collaborator (`pathways.collaborators.list`).
    PathwayCollaborator = "collaborators" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// Since when.
        created_at: Timestamp = "created-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}

model! {
    /// A pathway follower (`pathways.followers.list`).
    PathwayFollower = "followers" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// Since when.
        created_at: Timestamp = "created-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}

model! {
    /// A skill plan (`type: "skill-plans"`).
    SkillPlan = "skill-plans" {
        /// Name.
        name: String = "name",
        /// Description.
        description: String = "description",
        /// Visibility.
        visibility: String = "visibility",
        /// Sections (kept as sent).
        sections: serde_json::Value = "sections",
        /// Created.
        created_at: Timestamp = "created-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
}

model! {
    /// A skill-plan follower (`skill_plans.followers.list`).
    SkillPlanFollower = "followers" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// When the user enrolled.
        enrolled_at: Timestamp = "enrolled-at",
        /// Whether this is the user's primary plan.
        is_primary_plan: bool = "is-primary-plan",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}
