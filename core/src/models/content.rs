//! Content: the generic catalogue item, the seven typed kinds, the summary placed in
//! `included`, and content skills.

use super::decode::model;
use super::enums::{ContentType, DurationType};
use crate::datetime::Timestamp;

/// Declares a content model: the attributes every kind shares, then the kind's own.
macro_rules! content_model {
    ($(#[doc = $doc:literal])* $name:ident = $rtype:literal { $($extra:tt)* }) => {
        model! {
            $(#[doc = $doc])*
            $name = $rtype {
                /// Article, Book, Course, ...
                content_type: ContentType = "content-type",
                /// The customer's own key. Some servers send numeric-looking ids such as
                /// `4.68E+18`: kept as the text received.
                external_id: String = "external-id",
                /// Title.
                title: String = "title",
                /// Summary.
                summary: String = "summary",
                /// The content URL.
                url: String = "url",
                /// The item's page on Degreed.
                degreed_url: String = "degreed-url",
                /// Format (`Online`, `Classroom`, ...).
                format: String = "format",
                /// Whether the item is obsolete (typed endpoints).
                obsolete: bool = "obsolete",
                /// Whether the item is obsolete (generic endpoint).
                is_obsolete: bool = "is-obsolete",
                /// Image URL.
                image_url: String = "image-url",
                /// Language (ISO 639-1).
                language: String = "language",
                /// Duration, in `duration_type` units.
                duration: f64 = "duration",
                /// Unit of `duration`.
                duration_type: DurationType = "duration-type",
                /// Provider name.
                provider: String = "provider",
                /// Provider code.
                provider_code: String = "provider-code",
                /// Whether the item is in the internal catalogue.
                is_internal: bool = "is-internal",
                /// Owner.
                owner: String = "owner",
                /// Learning minutes.
                learning_minutes: f64 = "learning-minutes",
                /// Visibility.
                visibility: String = "visibility",
                /// Groups with access (shape not documented: kept as sent).
                groups_with_access: serde_json::Value = "groups-with-access",
                /// Ids of the groups with access.
                groups_with_access_ids: Vec<String> = "groups-with-access-ids",
                /// Created.
                created_at: Timestamp = "created-at",
                /// Last modified.
                modified_at: Timestamp = "modified-at",
                /// Publication date.
                publish_date: Timestamp = "publish-date",
                $($extra)*
            }
        }
    };
}

content_model! {
    /// A content item from the generic endpoints (`/api/v2/content`): any kind, possibly
    /// without some kind-specific attributes.
    Content = "content" {}
}

content_model! {
    /// A course (`content/courses`).
    Course = "content/courses" {
        /// Cost.
        cost_units: f64 = "cost-units",
        /// Currency or unit of the cost.
        cost_unit_type: String = "cost-unit-type",
        /// Difficulty.
        difficulty: String = "difficulty",
        /// Video URL.
        video_url: String = "video-url",
    }
}

content_model! {
    /// An article (`content/articles`).
    Article = "content/articles" {
        /// Length in words.
        num_words: i64 = "num-words",
    }
}

content_model! {
    /// A book (`content/books`).
    Book = "content/books" {
        /// Subtitle.
        subtitle: String = "subtitle",
        /// Authors (one string is a list of one; writes send `author`).
        authors: Vec<String> = "authors" | "author",
        /// Pages.
        pages: i64 = "pages",
        /// ISBN-13.
        isbn13: String = "i-s-b-n13" | "isbn13" | "isbn",
    }
}

content_model! {
    /// A video (`content/videos`).
    Video = "content/videos" {}
}

content_model! {
    /// An assessment (`content/assessments`). A new assessment may take 15 minutes to be
    /// readable.
    Assessment = "content/assessments" {}
}

content_model! {
    /// A podcast (`content/podcasts`).
    Podcast = "content/podcasts" {}
}

content_model! {
    /// An event (`content/events`).
    Event = "content/events" {}
}

model! {
    /// The content summary Degreed places in `included` of completions, required learning
    /// and recommendations.
    ContentSummary = "content" {
        /// Article, Book, Course, ...
        content_type: ContentType = "content-type",
        /// Title.
        title: String = "title",
        /// URL.
        url: String = "url",
        /// Provider name.
        provider: String = "provider",
        /// Duration.
        content_duration: f64 = "content-duration",
        /// Unit of the duration.
        content_duration_type: DurationType = "content-duration-type",
        /// Whether the item is internal.
        is_internal: bool = "is-internal",
        /// External id, when sent.
        external_id: String = "external-id",
    }
}

model! {
    /// A skill tagged on a content item (`content.skills.list`): `{"type": "skills", "id":
    /// "<skill name>"}`. Skills are identified by name.
    ContentSkill = "skills" {
        /// Name, when sent as an attribute (the id is the name otherwise).
        name: String = "name",
    }
}

impl ContentSkill {
    /// The skill name: the `name` attribute, or the id.
    pub fn skill_name(&self) -> Option<&str> {
        self.name.as_deref().or(self.id.as_deref())
    }
}

model! {
    /// An item of a user's today's-learning list.
    TodaysLearning = "todays-learning" {
        /// Title.
        title: String = "title",
        /// Article, Book, Course, ...
        content_type: ContentType = "content-type",
        /// URL.
        url: String = "url",
        /// Image URL.
        image_url: String = "image-url",
        /// Why it was suggested.
        reason: String = "reason",
    }
    rels {
        /// The content's Degreed id.
        content_id => "content",
        /// The user's Degreed id.
        user_id => "user",
    }
}
