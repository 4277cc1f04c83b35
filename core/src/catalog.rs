//! The operation catalogue: one row for every Degreed API operation the SDK knows.
//!
//! The same table drives the request builders, the scope calculator and the bindings'
//! namespaces (`client.users.list`, ...); with the model schema ([`crate::models::schema`](mod@crate::models::schema))
//! it is the whole description the hosts' typed files are generated from. The sandbox's
//! routes are checked against it (core/tests/description.rs), so nothing drifts.
//! Each row records its [`Source`]: an official page, a public client that calls it, or
//! inference.

use crate::error::Error;
use crate::scope::{Scope, ScopeSet};

/// HTTP method of an operation (kept as a small enum so the table is `const`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as an [`http::Method`].
    pub fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }

    /// The upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice has the same effect as sending it once.
    ///
    /// `PATCH` with a full attribute set and `DELETE` are idempotent on Degreed's resources;
    /// `POST` creates (or, for relationship endpoints, adds) and is not.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post)
    }
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paging {
    /// A single response, no paging.
    None,
    /// Cursor paging: `limit` + `links.next` (Degreed v2 lists).
    Cursor,
    /// xAPI paging: `limit` + a `more` URL.
    Xapi,
}

/// What body an operation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// No body.
    None,
    /// `{"data": {"type": T, "attributes": {...}}}` (`data.id` added on updates).
    Resource(&'static str),
    /// `{"data": [{"type": T, "id": ...}, ...]}`: a relationship list.
    Relationships(&'static str),
    /// A raw JSON document passed through unchanged (xAPI statements).
    Raw,
}

/// Where an operation's path, method and body come from, so a user can judge how far to
/// trust it before calling Degreed with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// An official Degreed page describes it (the URL).
    Documented(&'static str),
    /// A public client calls the real API this way (`owner/repo/path`), but no official
    /// page was found: the shape works for that client and may change without notice.
    Community(&'static str),
    /// Deduced from naming patterns and neighbouring endpoints; no source shows it.
    Inferred,
}

impl Source {
    /// `documented`, `community` or `inferred`.
    pub fn kind(self) -> &'static str {
        match self {
            Source::Documented(_) => "documented",
            Source::Community(_) => "community",
            Source::Inferred => "inferred",
        }
    }

    /// The URL or `repo/path`, when there is one.
    pub fn reference(self) -> Option<&'static str> {
        match self {
            Source::Documented(r) | Source::Community(r) => Some(r),
            Source::Inferred => None,
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Stable dotted name: `users.list`, `content.courses.create`, ...
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the API base, with `{id}` placeholders.
    pub path: &'static str,
    /// The scopes that allow the call, any one of them being enough (`users:read`). The
    /// first is the one [`crate::minimal_scopes`] and token requests ask for. Empty for the
    /// custom stand-ins, whose scope the SDK does not know.
    pub scopes: &'static [&'static str],
    /// Where the operation comes from.
    pub source: Source,
    /// The `filter[...]` names (xAPI: the plain parameters) the list accepts; any other
    /// keyword filter is refused before sending ([`check_filter`]).
    pub filters: &'static [&'static str],
    /// Paging kind.
    pub paging: Paging,
    /// Request body kind.
    pub body: Body,
    /// Whether the operation accepts the `X-Degreed-Organization-Code` tenant header.
    pub tenant_header: bool,
    /// Whether a date window filter (`filter[start_date]`/`filter[end_date]`) is limited
    /// to [`crate::window::MAX_WINDOW_DAYS`] days and so is split by the SDK.
    pub windowed: bool,
}

impl Operation {
    /// The scope a token is asked for to call this operation: the first of [`Self::scopes`]
    /// (`None` for a custom stand-in).
    pub fn scope(&self) -> Option<Scope> {
        self.scopes.first().map(|s| parse_static(s))
    }

    /// Every scope that allows the call (any one is enough).
    pub fn any_of(&self) -> Vec<Scope> {
        self.scopes.iter().map(|s| parse_static(s)).collect()
    }

    /// The alternatives as shown to users: `users:read|completions:read`.
    pub fn scopes_display(&self) -> String {
        self.scopes.join("|")
    }

    /// Names of the path parameters, in order (`["id"]` for `/api/v2/users/{id}`).
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
    }

    /// Number of path parameters.
    pub fn path_param_count(&self) -> usize {
        self.path_params().count()
    }

    /// Whether the operation may be retried after an ambiguous failure (sent, no answer).
    pub fn is_idempotent(&self) -> bool {
        self.method.is_idempotent()
    }
}

fn parse_static(s: &str) -> Scope {
    // The table's scope names are checked by a test (`every_scope_is_official`).
    s.parse().expect("catalogue scope names are well formed")
}

/// Checks a keyword filter against the list's known filters: an unknown name is an
/// [`Error::InvalidRequest`] before anything is sent, with the closest known name as a hint.
/// A misspelled filter would otherwise be ignored by the server and the call would return
/// (and a loop over it touch) every record. Explicit `filters`/`query` mappings are the
/// escape hatch for filters this SDK does not name; they are not checked.
pub fn check_filter(op: &Operation, name: &str) -> Result<(), Error> {
    if op.is_custom() || op.filters.contains(&name) {
        return Ok(());
    }
    let known = if op.filters.is_empty() {
        "it takes none".to_owned()
    } else {
        format!("known: {}", op.filters.join(", "))
    };
    let hint = op
        .filters
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    Err(Error::invalid(format!(
        "`{}` has no filter `{}` ({known}){hint} Pass undocumented filters in an explicit \
         `filters`/`query` mapping.",
        op.name,
        crate::error::excerpt(name)
    )))
}

/// Levenshtein distance (filter names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

// Sources (see shared/degreed-api.md §0 for the keys).
const R_USER: Source = Source::Documented("https://developer.degreed.com/reference/user");
const R_POSTUSER: Source =
    Source::Documented("https://developer.degreed.com/reference/post_api-v2-users");
const R_V3USER: Source =
    Source::Documented("https://developer.degreed.com/v3.0/reference/post_api-v3-users");
const L_DOCS: Source = Source::Documented("https://api.degreed.com/docs/");
const R_CONTENT: Source = Source::Documented("https://developer.degreed.com/reference/content");
const R_GETCONTENT: Source =
    Source::Documented("https://developer.degreed.com/reference/get_api-v2-content");
const R_BOOKS: Source =
    Source::Documented("https://developer.degreed.com/reference/get_api-v2-content-books");
const R_ASSESS: Source =
    Source::Documented("https://developer.degreed.com/reference/post_api-v2-content-assessments");
const D_GAT: Source = Source::Documented(
    "https://developer.degreed.com/docs/accessing-data-via-the-global-admin-tool-1",
);
const D_STMT: Source = Source::Documented("https://developer.degreed.com/docs/get-all-statements");
const EDX: Source =
    Source::Community("openedx/edx-enterprise/integrated_channels/degreed2/client.py");
const SAV: Source = Source::Community(
    "saviynt/saviynt-connectors/Degreed/src/Connection_2023-04-21_06-56-00(UTC).json",
);
const RZ_USERS: Source = Source::Community("ronnzw/degreedClient/degreedClient/users.py");
const RZ_COMPLETIONS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/completions.py");
const RZ_REQUIRED: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/required_learnings.py");
const RZ_RECOMMENDATIONS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/recommendations.py");
const RZ_PATHWAYS: Source = Source::Community("ronnzw/degreedClient/degreedClient/pathways.py");
const RZ_SKILL_PLANS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/skills_plan.py");
const RZ_GROUPS: Source = Source::Community("ronnzw/degreedClient/degreedClient/groups.py");
const RZ_SKILL_RATINGS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/skills_ratings.py");
const RZ_USER_SKILLS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/user_skills.py");
const RZ_CERTIFIABLE: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/certifiable_skills.py");
const RZ_LOGINS: Source = Source::Community("ronnzw/degreedClient/degreedClient/logins.py");
const RZ_VIEWS: Source = Source::Community("ronnzw/degreedClient/degreedClient/the_views.py");
const RZ_SEARCH: Source = Source::Community("ronnzw/degreedClient/degreedClient/search_terms.py");
const RZ_FOLLOWERS: Source =
    Source::Community("ronnzw/degreedClient/degreedClient/user_followers.py");
const RZ_PROVIDERS: Source = Source::Community("ronnzw/degreedClient/degreedClient/providers.py");
const RZ_TYPED: Source = Source::Community("ronnzw/degreedClient/degreedClient/courses.py");

// Known filters, by list family.
const DATED: &[&str] = &["start_date", "end_date"];
const CONTENT_FILTERS: &[&str] = &[
    "external_id",
    "url",
    "term",
    "internal_only",
    "include_restricted",
    "modified_after",
    "modified_before",
    "start_date",
    "end_date",
];
const XAPI_FILTERS: &[&str] = &["since", "until", "verb", "ascending"];

macro_rules! op {
    ($name:expr, $m:ident, $path:expr, $scopes:expr, $src:expr $(, $k:ident = $v:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut o = Operation {
            name: $name,
            method: Method::$m,
            path: $path,
            scopes: $scopes,
            source: $src,
            filters: &[],
            paging: Paging::None,
            body: Body::None,
            tenant_header: false,
            windowed: false,
        };
        $( o.$k = $v; )*
        o
    }};
}

// Typed content: R-books documents the list of books (filters included), R-assess the
// create of assessments, R-content that writes go through the typed paths; the other kinds
// and verbs are called by public clients (EDX for courses, RZ for the reads).
macro_rules! typed_content {
    ($($t:literal),*) => {
        [$(
            op!(concat!("content.", $t, ".list"), Get, concat!("/api/v2/content/", $t), &["content:read"],
                if matches!($t.as_bytes(), b"books") { R_BOOKS } else { RZ_TYPED },
                paging = Paging::Cursor, tenant_header = true, filters = CONTENT_FILTERS),
            op!(concat!("content.", $t, ".get"), Get, concat!("/api/v2/content/", $t, "/{id}"), &["content:read"],
                RZ_TYPED, tenant_header = true),
            op!(concat!("content.", $t, ".create"), Post, concat!("/api/v2/content/", $t), &["content:write"],
                if matches!($t.as_bytes(), b"assessments") { R_ASSESS } else { EDX },
                body = Body::Resource(concat!("content/", $t)), tenant_header = true),
            op!(concat!("content.", $t, ".update"), Patch, concat!("/api/v2/content/", $t, "/{id}"), &["content:write"],
                EDX, body = Body::Resource(concat!("content/", $t))),
            op!(concat!("content.", $t, ".delete"), Delete, concat!("/api/v2/content/", $t, "/{id}"), &["content:write"],
                EDX),
        )*]
    };
}

/// The seven typed content kinds, as they appear in paths (`/api/v2/content/courses`).
pub const CONTENT_KINDS: [&str; 7] = [
    "articles",
    "books",
    "videos",
    "courses",
    "assessments",
    "podcasts",
    "events",
];

const TYPED_CONTENT: [Operation; 35] = typed_content!(
    "articles",
    "books",
    "videos",
    "courses",
    "assessments",
    "podcasts",
    "events"
);

// Scope choices that no page states (each "any of" list starts with the one requested):
//
// - Per-user lists (`/users/{id}/...`): a production client reads completions and required
//   learning with a token scoped `users:read,content:read`, so the area's own scope is not
//   (or not only) what the server checks. Any of the area's scope, `users:read` or
//   `content:read` may be what it wants: the SDK refuses only when the client holds none,
//   and lets the server decide otherwise. `users:read` is requested first, as that client
//   does.
// - `certifiable-skills` and `user-followers` are called by a public client, but the
//   official scope list has no `certifiable_skills` or `user_followers` scope. The nearest
//   official areas are asked for (`skill:read` is the official list's generic skill area;
//   followers are user data), with the other skill areas as alternatives.
const PER_USER_COMPLETIONS: &[&str] = &["users:read", "completions:read", "content:read"];
const PER_USER_REQUIRED: &[&str] = &["users:read", "required_learning:read", "content:read"];
const PER_USER_RECOMMENDED: &[&str] = &["users:read", "recommendations:read", "content:read"];
const PER_USER_SKILL_RATINGS: &[&str] = &["users:read", "skill_ratings:read"];
const PER_USER_USER_SKILLS: &[&str] = &["users:read", "user_skills:read"];
const PER_USER_SKILL_PLANS: &[&str] = &["users:read", "skill_plans:read"];
const PER_USER_TODAYS: &[&str] = &["users:read", "todays_learning:read"];
const CERTIFIABLE: &[&str] = &["skill:read", "user_skills:read", "skill_ratings:read"];

#[rustfmt::skip]
const BASE: &[Operation] = &[
    // Users. The legacy docs say "users:read or users:write" for Get All Users.
    op!("users.list", Get, "/api/v2/users", &["users:read", "users:write"], L_DOCS, paging = Paging::Cursor,
        tenant_header = true, filters = &["email", "employee_id"]),
    op!("users.get", Get, "/api/v2/users/{id}", &["users:read", "users:write"], RZ_USERS, tenant_header = true),
    op!("users.create", Post, "/api/v2/users", &["users:write"], R_POSTUSER, body = Body::Resource("users"),
        tenant_header = true),
    op!("users.update", Patch, "/api/v2/users/{id}", &["users:write"], SAV, body = Body::Resource("users")),
    op!("users.delete", Delete, "/api/v2/users/{id}", &["users:write"], SAV),
    op!("users.completions.list", Get, "/api/v2/users/{id}/completions", PER_USER_COMPLETIONS, RZ_USERS,
        paging = Paging::Cursor, filters = DATED),
    op!("users.required_learning.list", Get, "/api/v2/users/{id}/required-learning", PER_USER_REQUIRED,
        Source::Inferred, paging = Paging::Cursor, filters = DATED),
    op!("users.recommended_learning.list", Get, "/api/v2/users/{id}/recommended-learning", PER_USER_RECOMMENDED,
        Source::Inferred, paging = Paging::Cursor, filters = DATED),
    op!("users.skill_ratings.list", Get, "/api/v2/users/{id}/skill-ratings", PER_USER_SKILL_RATINGS, R_USER,
        paging = Paging::Cursor, filters = DATED),
    op!("users.user_skills.list", Get, "/api/v2/users/{id}/user-skills", PER_USER_USER_SKILLS, RZ_USERS,
        paging = Paging::Cursor, filters = DATED),
    op!("users.skill_plans.list", Get, "/api/v2/users/{id}/skill-plans", PER_USER_SKILL_PLANS, Source::Inferred,
        paging = Paging::Cursor),
    op!("users.todays_learning.list", Get, "/api/v2/users/{id}/todays-learning", PER_USER_TODAYS, RZ_USERS,
        paging = Paging::Cursor),
    op!("users.v3.create", Post, "/api/v3/users", &["users:write"], R_V3USER, body = Body::Resource("users"),
        tenant_header = true),
    // Content (generic)
    op!("content.list", Get, "/api/v2/content", &["content:read"], R_GETCONTENT, paging = Paging::Cursor,
        tenant_header = true, filters = CONTENT_FILTERS),
    op!("content.get", Get, "/api/v2/content/{id}", &["content:read"], R_CONTENT, tenant_header = true),
    op!("content.skills.list", Get, "/api/v2/content/{id}/skills", &["content:read"], Source::Inferred,
        paging = Paging::Cursor),
    op!("content.skills.add", Patch, "/api/v2/content/{id}/relationships/skills", &["content:write"], R_CONTENT,
        body = Body::Relationships("skills")),
    op!("content.skills.remove", Delete, "/api/v2/content/{id}/relationships/skills", &["content:write"], R_CONTENT,
        body = Body::Relationships("skills")),
    // Completions
    op!("completions.list", Get, "/api/v2/completions", &["completions:read"], RZ_COMPLETIONS, paging = Paging::Cursor,
        tenant_header = true, windowed = true, filters = DATED),
    op!("completions.get", Get, "/api/v2/completions/{id}", &["completions:read"], RZ_COMPLETIONS,
        tenant_header = true),
    op!("completions.create", Post, "/api/v2/completions", &["completions:write"], EDX,
        body = Body::Resource("completions"), tenant_header = true),
    op!("completions.update", Patch, "/api/v2/completions/{id}", &["completions:write"], D_GAT,
        body = Body::Resource("completions"), tenant_header = true),
    op!("completions.delete", Delete, "/api/v2/completions/{id}", &["completions:write"], EDX),
    // Required learning, recommendations. Required-learning writes are left out: the write
    // scope exists, but no source shows their bodies (custom requests reach them).
    op!("required_learning.list", Get, "/api/v2/required-learning", &["required_learning:read"], RZ_REQUIRED,
        paging = Paging::Cursor, windowed = true, filters = DATED),
    op!("required_learning.get", Get, "/api/v2/required-learning/{id}", &["required_learning:read"],
        Source::Inferred),
    op!("recommendations.list", Get, "/api/v2/recommendations", &["recommendations:read"], RZ_RECOMMENDATIONS,
        paging = Paging::Cursor, windowed = true, filters = DATED),
    // Pathways
    op!("pathways.list", Get, "/api/v2/pathways", &["pathways:read"], RZ_PATHWAYS, paging = Paging::Cursor,
        windowed = true, filters = DATED),
    op!("pathways.get", Get, "/api/v2/pathways/{id}", &["pathways:read"], RZ_PATHWAYS),
    op!("pathways.tags.list", Get, "/api/v2/pathways/{id}/tags", &["pathways:read"], RZ_PATHWAYS,
        paging = Paging::Cursor),
    op!("pathways.collaborators.list", Get, "/api/v2/pathways/{id}/collaborators", &["pathways:read"], RZ_PATHWAYS,
        paging = Paging::Cursor),
    op!("pathways.groups.list", Get, "/api/v2/pathways/{id}/groups", &["pathways:read"], RZ_PATHWAYS,
        paging = Paging::Cursor),
    op!("pathways.followers.list", Get, "/api/v2/pathways/{id}/followers", &["pathways:read"], RZ_PATHWAYS,
        paging = Paging::Cursor),
    // Skill plans
    op!("skill_plans.list", Get, "/api/v2/skill-plans", &["skill_plans:read"], RZ_SKILL_PLANS,
        paging = Paging::Cursor),
    op!("skill_plans.get", Get, "/api/v2/skill-plans/{id}", &["skill_plans:read"], RZ_SKILL_PLANS),
    op!("skill_plans.followers.list", Get, "/api/v2/skill-plans/{id}/followers", &["skill_plans:read"],
        Source::Inferred, paging = Paging::Cursor),
    // Groups
    op!("groups.list", Get, "/api/v2/groups", &["groups:read"], RZ_GROUPS, paging = Paging::Cursor),
    op!("groups.get", Get, "/api/v2/groups/{id}", &["groups:read"], RZ_GROUPS),
    op!("groups.users.list", Get, "/api/v2/groups/{id}/users", &["groups:read"], SAV, paging = Paging::Cursor),
    op!("groups.members.add", Post, "/api/v2/groups/{id}/relationships/members", &["groups:write"], SAV,
        body = Body::Relationships("users")),
    op!("groups.members.remove", Delete, "/api/v2/groups/{id}/relationships/members", &["groups:write"], SAV,
        body = Body::Relationships("users")),
    // Skills. Skill-rating and user-skill writes are left out: no source shows their paths
    // or bodies (custom requests reach them).
    op!("skill_ratings.list", Get, "/api/v2/skill-ratings", &["skill_ratings:read"], RZ_SKILL_RATINGS,
        paging = Paging::Cursor, windowed = true, filters = &["start_date", "end_date", "skill_name"]),
    op!("user_skills.list", Get, "/api/v2/user-skills", &["user_skills:read"], RZ_USER_SKILLS, paging = Paging::Cursor,
        windowed = true, filters = DATED),
    op!("certifiable_skills.list", Get, "/api/v2/certifiable-skills", CERTIFIABLE, RZ_CERTIFIABLE,
        paging = Paging::Cursor),
    op!("certifiable_skills.get", Get, "/api/v2/certifiable-skills/{id}", CERTIFIABLE, RZ_CERTIFIABLE),
    // Reporting feeds
    op!("logins.list", Get, "/api/v2/logins", &["logins:read"], RZ_LOGINS, paging = Paging::Cursor, windowed = true,
        filters = DATED),
    op!("views.list", Get, "/api/v2/views", &["views:read"], RZ_VIEWS, paging = Paging::Cursor, windowed = true,
        filters = DATED),
    op!("search_terms.list", Get, "/api/v2/search-terms", &["search_terms:read"], RZ_SEARCH, paging = Paging::Cursor),
    op!("user_followers.list", Get, "/api/v2/user-followers", &["users:read"], RZ_FOLLOWERS, paging = Paging::Cursor,
        windowed = true, filters = DATED),
    // Providers
    op!("providers.list", Get, "/api/v2/providers", &["providers:read"], RZ_PROVIDERS, paging = Paging::Cursor),
    op!("providers.get", Get, "/api/v2/providers/{id}", &["providers:read"], RZ_PROVIDERS),
    op!("providers.licences.list", Get, "/api/v2/providers/{id}/licences", &["providers:read"], RZ_PROVIDERS,
        paging = Paging::Cursor),
    // xAPI
    op!("xapi.statements.list", Get, "/xAPI/statements", &["xapi:read"], D_STMT, paging = Paging::Xapi,
        filters = XAPI_FILTERS),
    op!("xapi.statements.create", Post, "/xAPI/statements", &["xapi:write"], Source::Inferred, body = Body::Raw),
];

/// Stand-ins for operations the catalogue lacks (see [`crate::ApiRequest::custom`]): no
/// known scope (the server decides), cursor paging on GET, a raw body when one is given.
const CUSTOM: [Operation; 4] = [
    op!(
        "custom.get",
        Get,
        "",
        &[],
        Source::Inferred,
        paging = Paging::Cursor,
        tenant_header = true
    ),
    op!(
        "custom.post",
        Post,
        "",
        &[],
        Source::Inferred,
        tenant_header = true
    ),
    op!(
        "custom.patch",
        Patch,
        "",
        &[],
        Source::Inferred,
        tenant_header = true
    ),
    op!(
        "custom.delete",
        Delete,
        "",
        &[],
        Source::Inferred,
        tenant_header = true
    ),
];

/// The stand-in operation for a custom request with `method`.
pub fn custom(method: Method) -> &'static Operation {
    match method {
        Method::Get => &CUSTOM[0],
        Method::Post => &CUSTOM[1],
        Method::Patch => &CUSTOM[2],
        Method::Delete => &CUSTOM[3],
    }
}

impl Operation {
    /// Whether this is a stand-in for an operation the catalogue lacks.
    pub fn is_custom(&self) -> bool {
        self.path.is_empty()
    }
}

impl std::str::FromStr for Method {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            "PATCH" => Ok(Method::Patch),
            "DELETE" => Ok(Method::Delete),
            _ => Err(crate::error::Error::invalid(format!(
                "unsupported method `{}`: expected GET, POST, PATCH or DELETE",
                crate::error::excerpt(s)
            ))),
        }
    }
}

/// Every operation: the base table followed by the 35 typed content operations.
pub fn operations() -> impl Iterator<Item = &'static Operation> + Clone {
    BASE.iter().chain(TYPED_CONTENT.iter())
}

/// Looks an operation up by its dotted name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    operations().find(|op| op.name == name)
}

/// The smallest scope set that allows every named operation.
///
/// Degreed asks that API keys hold only the scopes they need; this computes them from the
/// catalogue (`users.list` + `completions.create` → `completions:write,users:read`). Each
/// operation contributes the first of the scopes that allow it
/// ([`crate::catalog::Operation::scopes`]), unless the set already holds one of them; a
/// read scope is left out only where the write scope is documented to cover it (content,
/// xAPI). An unknown operation name is an [`Error::InvalidRequest`].
pub fn minimal_scopes<S: AsRef<str>>(operations: &[S]) -> Result<ScopeSet, Error> {
    let ops = operations
        .iter()
        .map(|name| {
            let name = name.as_ref();
            operation(name).ok_or_else(|| Error::invalid(format!("unknown operation `{name}`")))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let mut set: ScopeSet = ops.iter().filter_map(|op| op.scope()).collect();
    // An operation several scopes allow needs no scope of its own when the set already
    // holds another of them: take each such operation's first choice out again if it
    // is not needed by any other operation.
    for op in ops.iter().filter(|op| op.scopes.len() > 1) {
        let Some(first) = op.scope() else { continue };
        let mut without = set.clone();
        without.remove(&first);
        let still_fine = ops.iter().all(|o| without.covers_any(&o.any_of()));
        if still_fine {
            set = without;
        }
    }
    // `content:write` covers `content:read` (documented): keep only the wider one.
    Ok(set
        .iter()
        .filter(|s| !set.iter().any(|o| o != *s && o.covers(s)))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Access;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_dotted() {
        let mut seen = HashSet::new();
        for op in operations() {
            assert!(seen.insert(op.name), "duplicate {}", op.name);
            assert!(op.name.contains('.'), "{}", op.name);
            assert!(op.path.starts_with('/'), "{}", op.path);
        }
        assert!(seen.len() >= 85, "only {} operations", seen.len());
    }

    #[test]
    fn method_and_path_pairs_are_unique() {
        let mut seen = HashSet::new();
        for op in operations() {
            assert!(
                seen.insert((op.method, op.path)),
                "{} {}",
                op.method.as_str(),
                op.path
            );
        }
    }

    #[test]
    fn writes_need_write_scopes_and_every_scope_is_official() {
        for op in operations() {
            let expected = if op.method == Method::Get {
                Access::Read
            } else {
                Access::Write
            };
            assert_eq!(op.scope().unwrap().access(), expected, "{}", op.name);
            for s in op.any_of() {
                assert!(s.is_official(), "{}: {s}", op.name);
            }
            if let Some(r) = op.source.reference() {
                assert!(r.starts_with("https://") || r.contains('/'), "{}", op.name);
            }
            if op.windowed {
                assert!(op.filters.contains(&"start_date"), "{}", op.name);
            }
        }
        for m in [Method::Get, Method::Post, Method::Patch, Method::Delete] {
            assert!(custom(m).scopes.is_empty());
        }
    }

    #[test]
    fn filters_are_checked_with_a_hint() {
        let users = operation("users.list").unwrap();
        assert!(check_filter(users, "email").is_ok());
        let e = check_filter(users, "emial").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
        let msg = e.to_string();
        assert!(msg.contains("did you mean `email`"), "{msg}");
        assert!(msg.contains("`users.list` has no filter `emial`"), "{msg}");
        let e = check_filter(operation("groups.list").unwrap(), "name").unwrap_err();
        assert!(e.to_string().contains("it takes none"), "{e}");
        assert!(!e.to_string().contains("did you mean"), "{e}");
        assert!(check_filter(custom(Method::Get), "anything").is_ok());
        assert_eq!(edit_distance("start_dat", "start_date"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn lookup_and_params() {
        let op = operation("content.courses.update").unwrap();
        assert_eq!(op.method, Method::Patch);
        assert_eq!(op.path, "/api/v2/content/courses/{id}");
        assert_eq!(op.path_params().collect::<Vec<_>>(), ["id"]);
        assert_eq!(op.body, Body::Resource("content/courses"));
        assert!(operation("nope.list").is_none());
    }

    #[test]
    fn minimal_scopes_for_operations() {
        let set =
            minimal_scopes(&["users.list", "completions.create", "completions.list"]).unwrap();
        assert_eq!(
            set.to_wire(),
            "completions:read,completions:write,users:read"
        );
        // Content: write covers read (documented), so only the write scope is asked for.
        let set = minimal_scopes(&["content.list", "content.courses.create"]).unwrap();
        assert_eq!(set.to_wire(), "content:write");
        // A per-user list that several scopes allow needs nothing more than users:read ...
        let set = minimal_scopes(&["users.completions.list"]).unwrap();
        assert_eq!(set.to_wire(), "users:read");
        // ... and no users:read when completions:read is already there.
        let set = minimal_scopes(&["completions.list", "users.completions.list"]).unwrap();
        assert_eq!(set.to_wire(), "completions:read");
        let set = minimal_scopes(&["users.create", "users.get"]).unwrap();
        assert_eq!(set.to_wire(), "users:write");
        let err = minimal_scopes(&["users.frobnicate"]).unwrap_err();
        assert!(err.to_string().contains("users.frobnicate"));
    }
}
