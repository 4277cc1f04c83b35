//! Reporting feeds: logins, views, search terms, user followers.

use super::decode::model;
use super::enums::ContentType;
use crate::datetime::Timestamp;

model! {
    /// A login (`type: "logins"`).
    Login = "logins" {
        /// Employee id.
        employee_id: String = "employee-id",
        /// When.
        logged_in_at: Timestamp = "logged-in-at",
    }
    rels {
        /// The user's Degreed id.
        user_id => "user",
    }
}

model! {
    /// Views of a content item (`type: "views"`).
    View = "views" {
        /// Content URL.
        url: String = "url",
        /// Content kind.
        content_type: ContentType = "content-type",
        /// Content title.
        content_title: String = "content-title",
        /// Number of views.
        view_count: i64 = "view-count",
        /// When (not documented; sent by some servers).
        viewed_at: Timestamp = "viewed-at",
    }
    rels {
        /// The content's Degreed id.
        content_id => "content",
    }
}

model! {
    /// A search term and how often it was searched (`type: "search-terms"`).
    SearchTerm = "search-terms" {
        /// The term.
        search_term: String = "search-term",
        /// Count.
        count: i64 = "count",
    }
}

model! {
    /// One user following another (`type: "user-followers"`).
    UserFollower = "user-followers" {
        /// Employee id of the follower.
        follower_employee_id: String = "follower-employee-id",
        /// Employee id of the followed user.
        following_employee_id: String = "following-employee-id",
        /// Since when.
        followed_at: Timestamp = "followed-at",
    }
    rels {
        /// The follower's Degreed id.
        follower_id => "follower",
        /// The followed user's Degreed id.
        following_id => "following",
    }
}
