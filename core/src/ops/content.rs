//! `content.*`: the generic catalogue, content skills and the seven typed kinds.
//!
//! Creates, updates and deletes go through the typed paths (`content::courses::create`);
//! reads work on either. A create whose external id or URL is already used answers 409.

use super::list::{ContentList, List};
use super::{checked_ids, req, resource_request, with_id, write_body};
use crate::datetime::Date;
use crate::error::Error;
use crate::models::DurationType;
use crate::request::ApiRequest;

/// `content.list`: `GET /api/v2/content` (every kind; obsolete items are left out).
pub fn list() -> ContentList {
    ContentList::new(req("content.list"))
}

/// `content.get`: `GET /api/v2/content/{id}` (any kind).
pub fn get(id: &str) -> ApiRequest {
    with_id("content.get", id)
}

/// `content.skills.*`: the skills tagged on a content item (identified by name).
pub mod skills {
    use super::*;

    /// `content.skills.list`: `GET /api/v2/content/{id}/skills`.
    pub fn list(content_id: &str) -> List {
        List::new(with_id("content.skills.list", content_id))
    }

    /// `content.skills.add`: `PATCH /api/v2/content/{id}/relationships/skills` with
    /// `{"data": [{"type": "skills", "id": "<name>"}]}`.
    pub fn add<I, S>(content_id: &str, skill_names: I) -> Result<ApiRequest, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = checked_ids("content.skills.add", "skill_names", skill_names)?;
        Ok(with_id("content.skills.add", content_id).ids(ids))
    }

    /// `content.skills.remove`: `DELETE /api/v2/content/{id}/relationships/skills`.
    pub fn remove<I, S>(content_id: &str, skill_names: I) -> Result<ApiRequest, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = checked_ids("content.skills.remove", "skill_names", skill_names)?;
        Ok(with_id("content.skills.remove", content_id).ids(ids))
    }
}

/// Declares the create body of a kind: its required fields, the optional fields every kind
/// shares, then its own optional fields. Kinds whose bodies are alike are named together
/// (each with its own doc comment) before the one body.
macro_rules! new_content {
    (
        @one
        [$(#[$meta:meta])* $name:ident]
        {
            required { $($req:tt)* }
            optional { $($opt:tt)* }
        }
    ) => {
        write_body! {
            $(#[$meta])*
            #[derive(Default)]
            $name {
                required { $($req)* }
                optional {
                    /// Summary.
                    summary: String = "summary",
                    /// Image URL.
                    image_url: String = "image-url",
                    /// Language (ISO 639-1, `en`).
                    language: String = "language",
                    /// Format (`Online`, `Classroom`, ...).
                    format: String = "format",
                    /// Obsolete (hidden from lists).
                    obsolete: bool = "obsolete",
                    /// Provider code.
                    provider_code: String = "provider-code",
                    /// Publication date.
                    publish_date: Date = "publish-date",
                    $($opt)*
                }
            }
        }
    };
    (@each [$($kind:tt)+] $body:tt) => {
        $( new_content! { @one $kind $body } )+
    };
    ($( $(#[$meta:meta])* $name:ident ),+ { $($body:tt)* }) => {
        new_content! { @each [$( [$(#[$meta])* $name] )+] { $($body)* } }
    };
}

new_content! {
    /// The body of `content.courses.create`.
    NewCourse {
        required {
            /// Title.
            title: String = "title",
            /// The customer's key (unique: a used one answers 409).
            external_id: String = "external-id",
            /// Duration, in `duration_type` units.
            duration: f64 = "duration",
            /// Unit of `duration`.
            duration_type: DurationType = "duration-type",
        }
        optional {
            /// Course URL.
            url: String = "url",
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
}

new_content! {
    /// The body of `content.articles.create`.
    NewArticle {
        required {
            /// The customer's key.
            external_id: String = "external-id",
            /// Title.
            title: String = "title",
            /// Article URL.
            url: String = "url",
            /// Length in words.
            num_words: i64 = "num-words",
        }
        optional {}
    }
}

new_content! {
    /// The body of `content.books.create`.
    NewBook {
        required {
            /// Title.
            title: String = "title",
            /// The customer's key.
            external_id: String = "external-id",
        }
        optional {
            /// URL.
            url: String = "url",
            /// Subtitle.
            subtitle: String = "subtitle",
            /// Author (`author` on writes).
            author: String = "author",
            /// Pages.
            pages: i64 = "pages",
            /// ISBN-13.
            isbn13: String = "i-s-b-n13",
        }
    }
}

new_content! {
    /// The body of `content.videos.create`.
    NewVideo {
        required {
            /// The customer's key.
            external_id: String = "external-id",
            /// Title.
            title: String = "title",
            /// Duration.
            duration: f64 = "duration",
            /// Unit of `duration`.
            duration_type: DurationType = "duration-type",
        }
        optional {
            /// Video URL.
            url: String = "url",
        }
    }
}

new_content! {
    /// The body of `content.assessments.create`. The API docs mark no field required (the
    /// other kinds require an external id and a title, which the API probably wants here
    /// too), so none is required here. A new assessment may take 15 minutes to be readable.
    NewAssessment,
    /// The body of `content.podcasts.create` (the API docs mark no field required).
    NewPodcast,
    /// The body of `content.events.create` (the API docs mark no field required).
    NewEvent {
        required {}
        optional {
            /// The customer's key.
            external_id: String = "external-id",
            /// Title.
            title: String = "title",
            /// URL.
            url: String = "url",
            /// Duration.
            duration: f64 = "duration",
            /// Unit of `duration`.
            duration_type: DurationType = "duration-type",
        }
    }
}

write_body! {
    /// The body of every typed content update (`content.courses.update`, ...): only the
    /// fields set are sent. `obsolete: Some(false)` restores an obsoleted item.
    #[derive(Default)]
    ContentUpdate {
        required {}
        optional {
            /// Title.
            title: String = "title",
            /// The customer's key.
            external_id: String = "external-id",
            /// Summary.
            summary: String = "summary",
            /// URL.
            url: String = "url",
            /// Image URL.
            image_url: String = "image-url",
            /// Language.
            language: String = "language",
            /// Format.
            format: String = "format",
            /// Obsolete.
            obsolete: bool = "obsolete",
            /// Provider code.
            provider_code: String = "provider-code",
            /// Publication date.
            publish_date: Date = "publish-date",
            /// Duration.
            duration: f64 = "duration",
            /// Unit of `duration`.
            duration_type: DurationType = "duration-type",
            /// Cost (courses).
            cost_units: f64 = "cost-units",
            /// Cost unit (courses).
            cost_unit_type: String = "cost-unit-type",
            /// Difficulty (courses).
            difficulty: String = "difficulty",
            /// Video URL (courses).
            video_url: String = "video-url",
            /// Length in words (articles).
            num_words: i64 = "num-words",
            /// Subtitle (books).
            subtitle: String = "subtitle",
            /// Author (books).
            author: String = "author",
            /// Pages (books).
            pages: i64 = "pages",
            /// ISBN-13 (books).
            isbn13: String = "i-s-b-n13",
        }
    }
}

macro_rules! content_kind {
    ($(#[$m:meta])* $module:ident, $kind:literal, $new:ident) => {
        $(#[$m])*
        pub mod $module {
            use super::*;

            /// `GET /api/v2/content/<kind>`.
            pub fn list() -> ContentList {
                ContentList::new(req(concat!("content.", $kind, ".list")))
            }

            /// `GET /api/v2/content/<kind>/{id}`.
            pub fn get(id: &str) -> ApiRequest {
                with_id(concat!("content.", $kind, ".get"), id)
            }

            /// `POST /api/v2/content/<kind>`.
            pub fn create(item: $new) -> Result<ApiRequest, Error> {
                const NAME: &str = concat!("content.", $kind, ".create");
                let attrs = item.to_attributes(NAME)?;
                resource_request(req(NAME), attrs, None, false)
            }

            /// `PATCH /api/v2/content/<kind>/{id}` with the fields set in `changes`.
            pub fn update(id: &str, changes: ContentUpdate) -> Result<ApiRequest, Error> {
                const NAME: &str = concat!("content.", $kind, ".update");
                let attrs = changes.to_attributes(NAME)?;
                resource_request(with_id(NAME, id), attrs, None, true)
            }

            /// `DELETE /api/v2/content/<kind>/{id}`.
            pub fn delete(id: &str) -> ApiRequest {
                with_id(concat!("content.", $kind, ".delete"), id)
            }
        }
    };
}

content_kind!(
    /// `content.articles.*`.
    articles,
    "articles",
    NewArticle
);
content_kind!(
    /// `content.books.*`.
    books,
    "books",
    NewBook
);
content_kind!(
    /// `content.videos.*`.
    videos,
    "videos",
    NewVideo
);
content_kind!(
    /// `content.courses.*`.
    courses,
    "courses",
    NewCourse
);
content_kind!(
    /// `content.assessments.*`.
    assessments,
    "assessments",
    NewAssessment
);
content_kind!(
    /// `content.podcasts.*`.
    podcasts,
    "podcasts",
    NewPodcast
);
content_kind!(
    /// `content.events.*`.
    events,
    "events",
    NewEvent
);
