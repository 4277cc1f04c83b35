//! List builders: a request plus the filters the API documents for that list.

use crate::datetime::{Date, Timestamp};
use crate::error::Error;
use crate::paging::Pager;
use crate::request::ApiRequest;

macro_rules! filter_method {
    ($(#[$m:meta])* $method:ident date $key:literal) => {
        $(#[$m])*
        pub fn $method(self, date: Date) -> Self {
            Self(self.0.set_query(concat!("filter[", $key, "]"), date.to_string()))
        }
    };
    ($(#[$m:meta])* $method:ident text $key:literal) => {
        $(#[$m])*
        pub fn $method(self, value: impl Into<String>) -> Self {
            Self(self.0.set_query(concat!("filter[", $key, "]"), value))
        }
    };
    ($(#[$m:meta])* $method:ident flag $key:literal) => {
        $(#[$m])*
        pub fn $method(self, value: bool) -> Self {
            Self(self.0.set_query(concat!("filter[", $key, "]"), value.to_string()))
        }
    };
    ($(#[$m:meta])* $method:ident time $key:literal) => {
        $(#[$m])*
        pub fn $method(self, at: Timestamp) -> Self {
            Self(self.0.set_query($key, at.to_string()))
        }
    };
    ($(#[$m:meta])* $method:ident param $key:literal) => {
        $(#[$m])*
        pub fn $method(self, value: impl Into<String>) -> Self {
            Self(self.0.set_query($key, value))
        }
    };
    ($(#[$m:meta])* $method:ident param_flag $key:literal) => {
        $(#[$m])*
        pub fn $method(self, value: bool) -> Self {
            Self(self.0.set_query($key, value.to_string()))
        }
    };
}

macro_rules! list_builder {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$fmeta:meta])* $method:ident : $kind:ident = $key:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[must_use = "a builder does nothing until its request is sent"]
        pub struct $name(ApiRequest);

        impl $name {
            pub(crate) fn new(request: ApiRequest) -> Self {
                $name(request)
            }

            /// Page size: 1 to 1000 (checked when the request is prepared; the API's default
            /// is 100).
            pub fn limit(self, limit: u32) -> Self {
                Self(self.0.set_query("limit", limit.to_string()))
            }

            /// Any `filter[key]=value`, for filters this SDK does not name.
            pub fn filter(self, key: &str, value: impl Into<String>) -> Self {
                Self(self.0.filter(key, value))
            }

            /// Any query parameter.
            pub fn query(self, key: &str, value: impl Into<String>) -> Self {
                Self(self.0.query(key, value))
            }

            /// The request.
            pub fn build(self) -> ApiRequest {
                self.0
            }

            /// The request, borrowed.
            pub fn request(&self) -> &ApiRequest {
                &self.0
            }

            /// A pager over every page of the list.
            pub fn pager(self) -> Pager {
                Pager::new(self.0)
            }

            $( filter_method!($(#[$fmeta])* $method $kind $key); )*
        }

        impl From<$name> for ApiRequest {
            fn from(b: $name) -> ApiRequest {
                b.0
            }
        }
    };
}

list_builder! {
    /// A list with no documented filters (only `limit`).
    List {}
}

list_builder! {
    /// `users.list`.
    UsersList {
        /// `filter[email]` (used by one client; not in the official reference).
        email: text = "email",
        /// `filter[employee_id]` (not in the official reference).
        employee_id: text = "employee_id",
    }
}

list_builder! {
    /// A list filtered by a date range: completions, required learning, recommendations,
    /// logins, views (windows of at most 7 days: use [`DatedList::pager_between`] for
    /// longer ranges), pathways, user skills, user followers and the per-user lists.
    DatedList {
        /// `filter[start_date]` (inclusive, `yyyy-mm-dd`).
        start_date: date = "start_date",
        /// `filter[end_date]` (`yyyy-mm-dd`; whether Degreed includes that day is not
        /// documented).
        end_date: date = "end_date",
    }
}

impl DatedList {
    /// A pager from `start` to `end`, split into the windows the operation accepts (7 days
    /// for the windowed lists), giving what one request for the whole range would, each
    /// item once ([`Pager::windowed`]).
    pub fn pager_between(self, start: Date, end: Date) -> Result<Pager, Error> {
        Pager::windowed(self.0, start, end)
    }
}

list_builder! {
    /// `skill_ratings.list`.
    SkillRatingsList {
        /// `filter[start_date]`.
        start_date: date = "start_date",
        /// `filter[end_date]`.
        end_date: date = "end_date",
        /// `filter[skill_name]` (used by one client; not in the official reference).
        skill_name: text = "skill_name",
    }
}

list_builder! {
    /// `content.list` and the typed content lists (`content.courses.list`, ...).
    ContentList {
        /// `filter[external_id]`: the customer's key.
        external_id: text = "external_id",
        /// `filter[url]`.
        url: text = "url",
        /// `filter[term]`: a search term.
        term: text = "term",
        /// `filter[internal_only]` (the API's default is `true`).
        internal_only: flag = "internal_only",
        /// `filter[include_restricted]` (the API's default is `false`).
        include_restricted: flag = "include_restricted",
        /// `filter[modified_after]`.
        modified_after: date = "modified_after",
        /// `filter[modified_before]`.
        modified_before: date = "modified_before",
        /// `filter[start_date]` (created from; the legacy spelling).
        start_date: date = "start_date",
        /// `filter[end_date]` (created before; the legacy spelling).
        end_date: date = "end_date",
    }
}

impl ContentList {
    /// A pager over content created in `start..=end` (legacy `start_date`/`end_date`).
    pub fn pager_between(self, start: Date, end: Date) -> Result<Pager, Error> {
        Pager::windowed(self.0, start, end)
    }
}

list_builder! {
    /// `xapi.statements.list` (pages through `more`). Statements are kept six months;
    /// Degreed advises a 15-minute lag on `since`.
    StatementsList {
        /// `since`: statements stored after this instant.
        since: time = "since",
        /// `until`: statements stored at or before this instant.
        until: time = "until",
        /// `ascending` (the API's default is `false`: newest first).
        ascending: param_flag = "ascending",
        /// `verb`: a verb IRI.
        verb: param = "verb",
    }
}
