//! Skill ratings, followed skills and certifiable skills.

use super::decode::model;
use crate::datetime::Timestamp;

model! {
    /// A skill rating (`type: "skill-ratings"`).
    SkillRating = "skill-ratings" {
        /// Employee id of the rated user.
        employee_id: String = "employee-id",
        /// Skill name.
        skill_name: String = "skill-name",
        /// Rating level.
        rating: f64 = "rating",
        /// Rating type (`Self`, `Manager`, ...).
        rating_type: String = "rating-type",
        /// GUID of the certifiable skill.
        certifiable_skill_guid: String = "certifiable-skill-guid",
        /// When it was rated.
        rated_at: Timestamp = "rated-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}

model! {
    /// A skill a user follows (`type: "user-skills"`).
    UserSkill = "user-skills" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// Skill id.
        skill_id: String = "skill-id",
        /// Skill name.
        skill_name: String = "skill-name",
        /// GUID of the certifiable skill.
        certifiable_skill_guid: String = "certifiable-skill-guid",
        /// When the user followed it.
        followed_at: Timestamp = "followed-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}

model! {
    /// A certifiable skill (`type: "certifiable-skills"`).
    CertifiableSkill = "certifiable-skills" {
        /// Name.
        name: String = "name",
        /// Description.
        description: String = "description",
        /// Unique identifier (GUID).
        skill_unique_identifier: String = "skill-unique-identifier",
        /// Whether it is featured.
        is_featured: bool = "is-featured",
        /// Visibility.
        visibility: String = "visibility",
        /// Cost.
        cost: f64 = "cost",
        /// Created.
        created_at: Timestamp = "created-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
}
