//! Users (`type: "users"`).

use super::decode::model;
use super::enums::{PermissionRole, ProfileVisibility};
use crate::datetime::Timestamp;

model! {
    /// A user. Anonymized users keep their id and show `Anonymous` in identifying attributes;
    /// their dates are .NET's minimum, read as `None`.
    User = "users" {
        /// The customer's own key (from the HRIS); not the Degreed id.
        employee_id: String = "employee-id",
        /// First name.
        first_name: String = "first-name",
        /// Last name.
        last_name: String = "last-name",
        /// Full name.
        full_name: String = "full-name",
        /// Organization e-mail.
        organization_email: String = "organization-email",
        /// Personal e-mail.
        personal_email: String = "personal-email",
        /// Who can see the profile.
        profile_visibility: ProfileVisibility = "profile-visibility",
        /// Biography (up to 2000 characters).
        bio: String = "bio",
        /// Location.
        location: String = "location",
        /// Profile image URL.
        profile_image_url: String = "profile-image-url",
        /// Whether the user cannot log in.
        login_disabled: bool = "login-disabled",
        /// Whether the user is restricted.
        restricted: bool = "restricted",
        /// Whether the user is an active learner.
        is_active_learner: bool = "is-active-learner",
        /// Permission role.
        permission_role: PermissionRole = "permission-role",
        /// Job role (when the organization setting is on).
        job_role: String = "job-role",
        /// Alias UID.
        alias_uid: String = "alias-uid",
        /// Preferred language.
        preferred_language: String = "preferred-language",
        /// Real-time e-mail notifications.
        real_time_email_notification: bool = "real-time-email-notification",
        /// Daily digest e-mail.
        daily_digest_email: bool = "daily-digest-email",
        /// Weekly digest e-mail.
        weekly_digest_email: bool = "weekly-digest-email",
        /// When the user was created.
        created_at: Timestamp = "created-at",
        /// First login (`None` for never).
        first_login_at: Timestamp = "first-login-at",
        /// Last login (`None` for never).
        last_login_at: Timestamp = "last-login-at",
        /// Points.
        total_points: f64 = "total-points",
        /// Days with a login.
        daily_logins: i64 = "daily-logins",
    }
    rels {
        /// The manager's Degreed id.
        manager_id => "manager",
    }
}
