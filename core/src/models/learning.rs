//! Completions, required learning and recommendations.

use super::content::ContentSummary;
use super::decode::model;
use super::enums::{AssignmentStatus, ContentType};
use crate::datetime::Timestamp;

model! {
    /// A completion (`type: "completions"`).
    Completion = "completions" {
        /// The learner's employee id.
        employee_id: String = "employee-id",
        /// When the learning was completed.
        completed_at: Timestamp = "completed-at",
        /// When the record was added.
        added_at: Timestamp = "added-at",
        /// Points earned (sent as a string by Degreed).
        points_earned: f64 = "points-earned",
        /// Whether the completion is verified.
        is_verified: bool = "is-verified",
        /// The learner's rating.
        rating: f64 = "rating",
        /// How it was recorded (`Mac Web`, `API`, ...).
        access_method: String = "access-method",
        /// Score, 0-100.
        percentile: f64 = "percentile",
        /// Questions answered correctly.
        questions_correct: i64 = "questions-correct",
        /// Time spent.
        duration: f64 = "duration",
        /// Involvement level.
        involvement_level: String = "involvement-level",
        /// Content kind.
        content_type: ContentType = "content-type",
    }
    included {
        /// The content summary from `included`.
        content: ContentSummary = "content",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
        /// The content's Degreed id.
        content_id => "content",
        /// The provider's id (`None` for internal content).
        provider_id => "provider",
    }
}

model! {
    /// A required-learning assignment (`type: "required-learning"`).
    RequiredLearning = "required-learning" {
        /// The learner's employee id.
        employee_id: String = "employee-id",
        /// Assignment type (`Assigned`, ...).
        assignment_type: String = "assignment-type",
        /// Status.
        status: AssignmentStatus = "status",
        /// Due date.
        due_at: Timestamp = "due-at",
        /// Created.
        created_at: Timestamp = "created-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
    included {
        /// The content summary from `included`.
        content: ContentSummary = "content",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
        /// The content's Degreed id.
        content_id => "content",
        /// The provider's id.
        provider_id => "provider",
    }
}

model! {
    /// A recommendation (`type: "recommendations"`).
    Recommendation = "recommendations" {
        /// The recommender's employee id.
        employee_id: String = "employee-id",
        /// The recipient's employee id.
        recipient_employee_id: String = "recipient-employee-id",
        /// Status.
        status: String = "status",
        /// When it was recommended.
        recommended_at: Timestamp = "recommended-at",
        /// Last modified.
        modified_at: Timestamp = "modified-at",
    }
    included {
        /// The content summary from `included`.
        content: ContentSummary = "content",
    }
    rels {
        /// The recipient's Degreed id.
        user_id => "user",
        /// The recommender's Degreed id.
        recommender_id => "recommender",
        /// The content's Degreed id.
        content_id => "content",
    }
}
