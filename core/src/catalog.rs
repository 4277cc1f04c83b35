//! The operation catalogue: one row for every Degreed API operation the SDK knows.
//!
//! The same table drives the request builders, the scope calculator, the bindings'
//! namespaces (`client.users.list`, ...) and the sandbox's routing, so nothing drifts.
//! Sources and confidence for each row are in `shared/degreed-api.md` §3.1.

use crate::scope::{Access, Scope};

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

/// One API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Stable dotted name: `users.list`, `content.courses.create`, ...
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the API base, with `{id}` placeholders.
    pub path: &'static str,
    /// Resource part of the required scope (`users` for `users:read`).
    pub scope_resource: &'static str,
    /// Access level of the required scope.
    pub access: Access,
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
    /// The scope a token needs to call this operation (`x:write` also covers `x:read`).
    pub fn scope(&self) -> Scope {
        Scope::new(self.scope_resource, self.access)
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

macro_rules! op {
    ($name:expr, $m:ident, $path:expr, $res:literal : $acc:ident $(, $k:ident = $v:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut o = Operation {
            name: $name,
            method: Method::$m,
            path: $path,
            scope_resource: $res,
            access: Access::$acc,
            paging: Paging::None,
            body: Body::None,
            tenant_header: false,
            windowed: false,
        };
        $( o.$k = $v; )*
        o
    }};
}

macro_rules! typed_content {
    ($($t:literal),*) => {
        [$(
            op!(concat!("content.", $t, ".list"), Get, concat!("/api/v2/content/", $t), "content": Read,
                paging = Paging::Cursor, tenant_header = true),
            op!(concat!("content.", $t, ".get"), Get, concat!("/api/v2/content/", $t, "/{id}"), "content": Read,
                tenant_header = true),
            op!(concat!("content.", $t, ".create"), Post, concat!("/api/v2/content/", $t), "content": Write,
                body = Body::Resource(concat!("content/", $t)), tenant_header = true),
            op!(concat!("content.", $t, ".update"), Patch, concat!("/api/v2/content/", $t, "/{id}"), "content": Write,
                body = Body::Resource(concat!("content/", $t))),
            op!(concat!("content.", $t, ".delete"), Delete, concat!("/api/v2/content/", $t, "/{id}"), "content": Write),
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

const BASE: &[Operation] = &[
    // Users
    op!("users.list", Get, "/api/v2/users", "users": Read, paging = Paging::Cursor, tenant_header = true),
    op!("users.get", Get, "/api/v2/users/{id}", "users": Read, tenant_header = true),
    op!("users.create", Post, "/api/v2/users", "users": Write, body = Body::Resource("users"), tenant_header = true),
    op!("users.update", Patch, "/api/v2/users/{id}", "users": Write, body = Body::Resource("users")),
    op!("users.delete", Delete, "/api/v2/users/{id}", "users": Write),
    op!("users.completions.list", Get, "/api/v2/users/{id}/completions", "completions": Read, paging = Paging::Cursor),
    op!("users.required_learning.list", Get, "/api/v2/users/{id}/required-learning", "required_learning": Read, paging = Paging::Cursor),
    op!("users.recommended_learning.list", Get, "/api/v2/users/{id}/recommended-learning", "recommendations": Read, paging = Paging::Cursor),
    op!("users.skill_ratings.list", Get, "/api/v2/users/{id}/skill-ratings", "skill_ratings": Read, paging = Paging::Cursor),
    op!("users.user_skills.list", Get, "/api/v2/users/{id}/user-skills", "user_skills": Read, paging = Paging::Cursor),
    op!("users.skill_plans.list", Get, "/api/v2/users/{id}/skill-plans", "skill_plans": Read, paging = Paging::Cursor),
    op!("users.todays_learning.list", Get, "/api/v2/users/{id}/todays-learning", "todays_learning": Read, paging = Paging::Cursor),
    op!("users.v3.create", Post, "/api/v3/users", "users": Write, body = Body::Resource("users"), tenant_header = true),
    // Content (generic)
    op!("content.list", Get, "/api/v2/content", "content": Read, paging = Paging::Cursor, tenant_header = true),
    op!("content.get", Get, "/api/v2/content/{id}", "content": Read, tenant_header = true),
    op!("content.skills.list", Get, "/api/v2/content/{id}/skills", "content": Read, paging = Paging::Cursor),
    op!("content.skills.add", Patch, "/api/v2/content/{id}/relationships/skills", "content": Write,
        body = Body::Relationships("skills")),
    op!("content.skills.remove", Delete, "/api/v2/content/{id}/relationships/skills", "content": Write,
        body = Body::Relationships("skills")),
    // Completions
    op!("completions.list", Get, "/api/v2/completions", "completions": Read, paging = Paging::Cursor,
        tenant_header = true, windowed = true),
    op!("completions.get", Get, "/api/v2/completions/{id}", "completions": Read, tenant_header = true),
    op!("completions.create", Post, "/api/v2/completions", "completions": Write,
        body = Body::Resource("completions"), tenant_header = true),
    op!("completions.update", Patch, "/api/v2/completions/{id}", "completions": Write,
        body = Body::Resource("completions"), tenant_header = true),
    op!("completions.delete", Delete, "/api/v2/completions/{id}", "completions": Write),
    // Required learning, recommendations
    op!("required_learning.list", Get, "/api/v2/required-learning", "required_learning": Read,
        paging = Paging::Cursor, windowed = true),
    op!("required_learning.get", Get, "/api/v2/required-learning/{id}", "required_learning": Read),
    op!("required_learning.create", Post, "/api/v2/required-learning", "required_learning": Write,
        body = Body::Resource("required-learning")),
    op!("required_learning.update", Patch, "/api/v2/required-learning/{id}", "required_learning": Write,
        body = Body::Resource("required-learning")),
    op!("required_learning.delete", Delete, "/api/v2/required-learning/{id}", "required_learning": Write),
    op!("recommendations.list", Get, "/api/v2/recommendations", "recommendations": Read,
        paging = Paging::Cursor, windowed = true),
    // Pathways
    op!("pathways.list", Get, "/api/v2/pathways", "pathways": Read, paging = Paging::Cursor),
    op!("pathways.get", Get, "/api/v2/pathways/{id}", "pathways": Read),
    op!("pathways.tags.list", Get, "/api/v2/pathways/{id}/tags", "pathways": Read, paging = Paging::Cursor),
    op!("pathways.collaborators.list", Get, "/api/v2/pathways/{id}/collaborators", "pathways": Read, paging = Paging::Cursor),
    op!("pathways.groups.list", Get, "/api/v2/pathways/{id}/groups", "pathways": Read, paging = Paging::Cursor),
    op!("pathways.followers.list", Get, "/api/v2/pathways/{id}/followers", "pathways": Read, paging = Paging::Cursor),
    // Skill plans
    op!("skill_plans.list", Get, "/api/v2/skill-plans", "skill_plans": Read, paging = Paging::Cursor),
    op!("skill_plans.get", Get, "/api/v2/skill-plans/{id}", "skill_plans": Read),
    op!("skill_plans.followers.list", Get, "/api/v2/skill-plans/{id}/followers", "skill_plans": Read, paging = Paging::Cursor),
    // Groups
    op!("groups.list", Get, "/api/v2/groups", "groups": Read, paging = Paging::Cursor),
    op!("groups.get", Get, "/api/v2/groups/{id}", "groups": Read),
    op!("groups.users.list", Get, "/api/v2/groups/{id}/users", "groups": Read, paging = Paging::Cursor),
    op!("groups.members.add", Post, "/api/v2/groups/{id}/relationships/members", "groups": Write,
        body = Body::Relationships("users")),
    op!("groups.members.remove", Delete, "/api/v2/groups/{id}/relationships/members", "groups": Write,
        body = Body::Relationships("users")),
    // Skills
    op!("skill_ratings.list", Get, "/api/v2/skill-ratings", "skill_ratings": Read, paging = Paging::Cursor),
    op!("skill_ratings.create", Post, "/api/v2/skill-ratings", "skill_ratings": Write,
        body = Body::Resource("skill-ratings")),
    op!("user_skills.list", Get, "/api/v2/user-skills", "user_skills": Read, paging = Paging::Cursor),
    op!("user_skills.create", Post, "/api/v2/user-skills", "user_skills": Write, body = Body::Resource("user-skills")),
    op!("user_skills.delete", Delete, "/api/v2/user-skills/{id}", "user_skills": Write),
    op!("certifiable_skills.list", Get, "/api/v2/certifiable-skills", "certifiable_skills": Read, paging = Paging::Cursor),
    op!("certifiable_skills.get", Get, "/api/v2/certifiable-skills/{id}", "certifiable_skills": Read),
    // Reporting feeds
    op!("logins.list", Get, "/api/v2/logins", "logins": Read, paging = Paging::Cursor, windowed = true),
    op!("views.list", Get, "/api/v2/views", "views": Read, paging = Paging::Cursor, windowed = true),
    op!("search_terms.list", Get, "/api/v2/search-terms", "search_terms": Read, paging = Paging::Cursor),
    op!("user_followers.list", Get, "/api/v2/user-followers", "user_followers": Read, paging = Paging::Cursor),
    // Providers
    op!("providers.list", Get, "/api/v2/providers", "providers": Read, paging = Paging::Cursor),
    op!("providers.get", Get, "/api/v2/providers/{id}", "providers": Read),
    op!("providers.licences.list", Get, "/api/v2/providers/{id}/licences", "providers": Read, paging = Paging::Cursor),
    // xAPI
    op!("xapi.statements.list", Get, "/xAPI/statements", "xapi": Read, paging = Paging::Xapi),
    op!("xapi.statements.create", Post, "/xAPI/statements", "xapi": Write, body = Body::Raw),
];

/// Stand-ins for operations the catalogue lacks (see [`crate::ApiRequest::custom`]): no
/// known scope (the server decides), cursor paging on GET, a raw body when one is given.
const CUSTOM: [Operation; 4] = [
    op!("custom.get", Get, "", "": Read, paging = Paging::Cursor, tenant_header = true),
    op!("custom.post", Post, "", "": Write, tenant_header = true),
    op!("custom.patch", Patch, "", "": Write, tenant_header = true),
    op!("custom.delete", Delete, "", "": Write, tenant_header = true),
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
                crate::datetime::excerpt(s)
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

#[cfg(test)]
mod tests {
    use super::*;
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
    fn writes_need_write_scopes_and_reads_read_scopes() {
        for op in operations() {
            let expected = if op.method == Method::Get {
                Access::Read
            } else {
                Access::Write
            };
            assert_eq!(op.access, expected, "{}", op.name);
        }
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
}
