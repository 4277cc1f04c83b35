//! The API route table (mirrors the SDK's operation catalogue: same methods and paths) and the
//! helpers shared by the resource handlers.

pub mod completions;
pub mod content;
pub mod groups;
pub mod misc;
pub mod users;
pub mod xapi;

use crate::clock::{parse_date, parse_datetime, DAY_MS};
use crate::envelope::{resource, single, Resp};
use crate::paging::{self, Shape};
use crate::seed::KINDS;
use crate::state::State;
use crate::store::{coll, LogEntry, Record, Rel, Store};
use crate::util::Query;
use hyper::Method;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// Everything a handler sees.
pub struct Ctx<'a> {
    /// Locked state.
    pub st: &'a mut State,
    /// Sandbox-clock now (ms).
    pub now_ms: i64,
    /// `http://host:port` as seen by the client.
    pub base: &'a str,
    /// Operation name (`users.get`).
    pub op: &'static str,
    /// HTTP method.
    pub method: &'a Method,
    /// Request path.
    pub path: &'a str,
    /// Raw query string.
    pub raw_query: Option<&'a str>,
    /// Decoded query.
    pub query: Query,
    /// Values of the `{id}` placeholders, in order.
    pub params: Vec<String>,
    /// Request body.
    pub body: &'a [u8],
    /// Client id of the bearer token.
    pub client_id: &'a str,
}

impl Ctx<'_> {
    /// `base + path [+ ?query]`.
    pub fn self_url(&self) -> String {
        match self.raw_query {
            Some(q) if !q.is_empty() => format!("{}{}?{}", self.base, self.path, q),
            _ => format!("{}{}", self.base, self.path),
        }
    }

    /// First path parameter.
    pub fn id(&self) -> &str {
        self.params.first().map(String::as_str).unwrap_or("")
    }

    /// The body as JSON (400 when empty or invalid).
    pub fn json_body(&self) -> Result<Value, Resp> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(Resp::bad_request("A JSON request body is required."));
        }
        serde_json::from_slice(self.body)
            .map_err(|e| Resp::bad_request(format!("The request body is not valid JSON: {e}")))
    }

    /// `data.attributes` of a resource body (`data` must be an object; attributes may be absent).
    pub fn attributes(&self) -> Result<(Map<String, Value>, Value), Resp> {
        let body = self.json_body()?;
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        if !data.is_object() {
            return Err(Resp::bad_request_src(
                "The body must be {\"data\": {\"attributes\": {...}}}.",
                "/data",
            ));
        }
        let attrs = match data.get("attributes") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(_) => {
                return Err(Resp::bad_request_src(
                    "data.attributes must be an object.",
                    "/data/attributes",
                ))
            }
        };
        Ok((attrs, data))
    }

    /// Records an applied write in the log.
    pub fn log(&mut self, resource_type: &str, resource_id: &str) {
        let body = if self.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(self.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(self.body).into()))
        };
        let entry = LogEntry {
            seq: 0,
            method: self.method.as_str().to_string(),
            path: self.path.to_string(),
            client_id: self.client_id.to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
            body,
        };
        self.st.store.log_write(entry);
    }

    /// Sandbox-clock now as a Degreed timestamp (7 fraction digits, no offset).
    pub fn now_ts(&self) -> String {
        crate::clock::fmt_ticks_trimmed(self.now_ms * 10_000 + 1234, 7)
    }
}

/// A handler.
pub type Handler = fn(&mut Ctx) -> Resp;

/// One API route.
pub struct Route {
    /// Operation name, as in the SDK catalogue.
    pub name: &'static str,
    /// Method.
    pub method: Method,
    /// Path template with `{id}` placeholders.
    pub path: String,
    /// The scopes that allow the route, any one being enough (`users:read`).
    pub scopes: &'static [&'static str],
    /// A write (not a GET).
    pub write: bool,
    /// Handler.
    pub handler: Handler,
}

/// Scopes of routes whose requirement no page states (sources in tests/README.md):
/// per-user lists accept the user scope, the area's scope or `content:read` (a production
/// client reads them with `users:read,content:read`); the legacy docs accept either users
/// scope for reading users; certifiable skills and user followers have no scope of their
/// own in the official list, so the nearest official areas are accepted.
fn special_scopes(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "users.list" | "users.get" => &["users:read", "users:write"],
        "users.completions.list" => &["users:read", "completions:read", "content:read"],
        "users.required_learning.list" => &["users:read", "required_learning:read", "content:read"],
        "users.recommended_learning.list" => {
            &["users:read", "recommendations:read", "content:read"]
        }
        "users.skill_ratings.list" => &["users:read", "skill_ratings:read"],
        "users.user_skills.list" => &["users:read", "user_skills:read"],
        "users.skill_plans.list" => &["users:read", "skill_plans:read"],
        "users.todays_learning.list" => &["users:read", "todays_learning:read"],
        "certifiable_skills.list" | "certifiable_skills.get" => {
            &["skill:read", "user_skills:read", "skill_ratings:read"]
        }
        "user_followers.list" => &["users:read"],
        _ => return None,
    })
}

fn r(
    name: &'static str,
    method: Method,
    path: &str,
    scope: &'static str,
    handler: Handler,
) -> Route {
    let write = method != Method::GET;
    let scopes = special_scopes(name).unwrap_or_else(|| {
        let access = if write { "write" } else { "read" };
        Box::leak(vec![leak(format!("{scope}:{access}"))].into_boxed_slice())
    });
    Route {
        name,
        method,
        path: path.to_string(),
        scopes,
        write,
        handler,
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build() -> Vec<Route> {
    use Method as M;
    let mut v = vec![
        r("users.list", M::GET, "/api/v2/users", "users", users::list),
        r(
            "users.get",
            M::GET,
            "/api/v2/users/{id}",
            "users",
            users::get,
        ),
        r(
            "users.create",
            M::POST,
            "/api/v2/users",
            "users",
            users::create,
        ),
        r(
            "users.update",
            M::PATCH,
            "/api/v2/users/{id}",
            "users",
            users::update,
        ),
        r(
            "users.delete",
            M::DELETE,
            "/api/v2/users/{id}",
            "users",
            users::delete,
        ),
        r(
            "users.completions.list",
            M::GET,
            "/api/v2/users/{id}/completions",
            "completions",
            users::sub_list,
        ),
        r(
            "users.required_learning.list",
            M::GET,
            "/api/v2/users/{id}/required-learning",
            "required_learning",
            users::sub_list,
        ),
        r(
            "users.recommended_learning.list",
            M::GET,
            "/api/v2/users/{id}/recommended-learning",
            "recommendations",
            users::sub_list,
        ),
        r(
            "users.skill_ratings.list",
            M::GET,
            "/api/v2/users/{id}/skill-ratings",
            "skill_ratings",
            users::sub_list,
        ),
        r(
            "users.user_skills.list",
            M::GET,
            "/api/v2/users/{id}/user-skills",
            "user_skills",
            users::sub_list,
        ),
        r(
            "users.skill_plans.list",
            M::GET,
            "/api/v2/users/{id}/skill-plans",
            "skill_plans",
            users::sub_list,
        ),
        r(
            "users.todays_learning.list",
            M::GET,
            "/api/v2/users/{id}/todays-learning",
            "todays_learning",
            users::sub_list,
        ),
        r(
            "users.v3.create",
            M::POST,
            "/api/v3/users",
            "users",
            users::create,
        ),
        r(
            "content.list",
            M::GET,
            "/api/v2/content",
            "content",
            content::list,
        ),
        r(
            "content.get",
            M::GET,
            "/api/v2/content/{id}",
            "content",
            content::get,
        ),
        r(
            "content.skills.list",
            M::GET,
            "/api/v2/content/{id}/skills",
            "content",
            content::skills_list,
        ),
        r(
            "content.skills.add",
            M::PATCH,
            "/api/v2/content/{id}/relationships/skills",
            "content",
            content::skills_add,
        ),
        r(
            "content.skills.remove",
            M::DELETE,
            "/api/v2/content/{id}/relationships/skills",
            "content",
            content::skills_remove,
        ),
        r(
            "completions.list",
            M::GET,
            "/api/v2/completions",
            "completions",
            misc::list,
        ),
        r(
            "completions.get",
            M::GET,
            "/api/v2/completions/{id}",
            "completions",
            misc::get,
        ),
        r(
            "completions.create",
            M::POST,
            "/api/v2/completions",
            "completions",
            completions::create,
        ),
        r(
            "completions.update",
            M::PATCH,
            "/api/v2/completions/{id}",
            "completions",
            completions::update,
        ),
        r(
            "completions.delete",
            M::DELETE,
            "/api/v2/completions/{id}",
            "completions",
            completions::delete,
        ),
        r(
            "required_learning.list",
            M::GET,
            "/api/v2/required-learning",
            "required_learning",
            misc::list,
        ),
        r(
            "required_learning.get",
            M::GET,
            "/api/v2/required-learning/{id}",
            "required_learning",
            misc::get,
        ),
        r(
            "recommendations.list",
            M::GET,
            "/api/v2/recommendations",
            "recommendations",
            misc::list,
        ),
        r(
            "pathways.list",
            M::GET,
            "/api/v2/pathways",
            "pathways",
            misc::list,
        ),
        r(
            "pathways.get",
            M::GET,
            "/api/v2/pathways/{id}",
            "pathways",
            misc::get,
        ),
        r(
            "pathways.tags.list",
            M::GET,
            "/api/v2/pathways/{id}/tags",
            "pathways",
            misc::list,
        ),
        r(
            "pathways.collaborators.list",
            M::GET,
            "/api/v2/pathways/{id}/collaborators",
            "pathways",
            misc::list,
        ),
        r(
            "pathways.groups.list",
            M::GET,
            "/api/v2/pathways/{id}/groups",
            "pathways",
            misc::list,
        ),
        r(
            "pathways.followers.list",
            M::GET,
            "/api/v2/pathways/{id}/followers",
            "pathways",
            misc::list,
        ),
        r(
            "skill_plans.list",
            M::GET,
            "/api/v2/skill-plans",
            "skill_plans",
            misc::list,
        ),
        r(
            "skill_plans.get",
            M::GET,
            "/api/v2/skill-plans/{id}",
            "skill_plans",
            misc::get,
        ),
        r(
            "skill_plans.followers.list",
            M::GET,
            "/api/v2/skill-plans/{id}/followers",
            "skill_plans",
            misc::list,
        ),
        r(
            "groups.list",
            M::GET,
            "/api/v2/groups",
            "groups",
            misc::list,
        ),
        r(
            "groups.get",
            M::GET,
            "/api/v2/groups/{id}",
            "groups",
            misc::get,
        ),
        r(
            "groups.users.list",
            M::GET,
            "/api/v2/groups/{id}/users",
            "groups",
            misc::list,
        ),
        r(
            "groups.members.add",
            M::POST,
            "/api/v2/groups/{id}/relationships/members",
            "groups",
            groups::members_add,
        ),
        r(
            "groups.members.remove",
            M::DELETE,
            "/api/v2/groups/{id}/relationships/members",
            "groups",
            groups::members_remove,
        ),
        r(
            "skill_ratings.list",
            M::GET,
            "/api/v2/skill-ratings",
            "skill_ratings",
            misc::list,
        ),
        r(
            "user_skills.list",
            M::GET,
            "/api/v2/user-skills",
            "user_skills",
            misc::list,
        ),
        r(
            "certifiable_skills.list",
            M::GET,
            "/api/v2/certifiable-skills",
            "skill",
            misc::list,
        ),
        r(
            "certifiable_skills.get",
            M::GET,
            "/api/v2/certifiable-skills/{id}",
            "skill",
            misc::get,
        ),
        r(
            "logins.list",
            M::GET,
            "/api/v2/logins",
            "logins",
            misc::list,
        ),
        r("views.list", M::GET, "/api/v2/views", "views", misc::list),
        r(
            "search_terms.list",
            M::GET,
            "/api/v2/search-terms",
            "search_terms",
            misc::list,
        ),
        r(
            "user_followers.list",
            M::GET,
            "/api/v2/user-followers",
            "users",
            misc::list,
        ),
        r(
            "providers.list",
            M::GET,
            "/api/v2/providers",
            "providers",
            misc::list,
        ),
        r(
            "providers.get",
            M::GET,
            "/api/v2/providers/{id}",
            "providers",
            misc::get,
        ),
        r(
            "providers.licences.list",
            M::GET,
            "/api/v2/providers/{id}/licences",
            "providers",
            misc::list,
        ),
        r(
            "xapi.statements.list",
            M::GET,
            "/xAPI/statements",
            "xapi",
            xapi::list,
        ),
        r(
            "xapi.statements.create",
            M::POST,
            "/xAPI/statements",
            "xapi",
            xapi::create,
        ),
    ];
    for (kind, _, _) in KINDS {
        let base = format!("/api/v2/content/{kind}");
        let one = format!("{base}/{{id}}");
        v.push(r(
            leak(format!("content.{kind}.list")),
            M::GET,
            &base,
            "content",
            content::typed_list,
        ));
        v.push(r(
            leak(format!("content.{kind}.get")),
            M::GET,
            &one,
            "content",
            content::typed_get,
        ));
        v.push(r(
            leak(format!("content.{kind}.create")),
            M::POST,
            &base,
            "content",
            content::typed_create,
        ));
        v.push(r(
            leak(format!("content.{kind}.update")),
            M::PATCH,
            &one,
            "content",
            content::typed_update,
        ));
        v.push(r(
            leak(format!("content.{kind}.delete")),
            M::DELETE,
            &one,
            "content",
            content::typed_delete,
        ));
    }
    v
}

/// The route table (built once).
pub fn table() -> &'static [Route] {
    static TABLE: OnceLock<Vec<Route>> = OnceLock::new();
    TABLE.get_or_init(build)
}

/// Result of matching a request against the table.
pub enum Match {
    /// A route and its placeholder values.
    Found(&'static Route, Vec<String>),
    /// The path exists with other methods.
    WrongMethod(Vec<Method>),
    /// No such path.
    NotFound,
}

fn match_path(pattern: &str, path: &str) -> Option<(usize, Vec<String>)> {
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    if p.len() != s.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literals = 0;
    for (a, b) in p.iter().zip(&s) {
        if a.starts_with('{') {
            if b.is_empty() {
                return None;
            }
            params.push(crate::util::percent_decode(b, false));
        } else if a == b {
            literals += 1;
        } else {
            return None;
        }
    }
    Some((literals, params))
}

/// Whether a path is served by the API table (any method).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/xAPI/") || path == "/xAPI"
}

/// Finds the route for a request; the most literal pattern wins.
pub fn find(method: &Method, path: &str) -> Match {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let mut best: Option<(usize, &'static Route, Vec<String>)> = None;
    let mut methods = Vec::new();
    for route in table() {
        if let Some((score, params)) = match_path(&route.path, path) {
            if route.method == *method {
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, route, params));
                }
            } else if !methods.contains(&route.method) {
                methods.push(route.method.clone());
            }
        }
    }
    match best {
        Some((_, r, p)) => Match::Found(r, p),
        None if !methods.is_empty() => Match::WrongMethod(methods),
        None => Match::NotFound,
    }
}

// ---------------------------------------------------------------------------------------------
// Serialisation shared by the handlers.

/// Path of a record's own URL.
pub fn self_path(c: &str, rec: &Record) -> String {
    let p = rec.parent.as_deref().unwrap_or("");
    match c {
        coll::PATHWAY_TAGS => format!("/api/v2/pathways/{p}/tags/{}", rec.id),
        coll::PATHWAY_COLLABORATORS => format!("/api/v2/pathways/{p}/collaborators/{}", rec.id),
        coll::PATHWAY_GROUPS => format!("/api/v2/pathways/{p}/groups/{}", rec.id),
        coll::PATHWAY_FOLLOWERS => format!("/api/v2/pathways/{p}/followers/{}", rec.id),
        coll::SKILL_PLAN_FOLLOWERS => format!("/api/v2/skill-plans/{p}/followers/{}", rec.id),
        coll::GROUP_USERS => format!("/api/v2/groups/{p}/users/{}", rec.id),
        coll::PROVIDER_LICENCES => format!("/api/v2/providers/{p}/licences/{}", rec.id),
        c => format!("/api/v2/{c}/{}", rec.id),
    }
}

/// The content summary placed in `included` of completions and required learning.
pub fn content_summary(store: &Store, base: &str, content_id: &str) -> Option<Value> {
    let c = store.get(coll::CONTENT, content_id)?;
    Some(json!({
        "type": "content",
        "id": c.id,
        "attributes": {
            "content-type": c.attrs.get("content-type"),
            "url": c.attrs.get("url"),
            "title": c.attrs.get("title"),
            "provider": c.attrs.get("provider"),
            "content-duration": c.attrs.get("duration"),
            "content-duration-type": c.attrs.get("duration-type"),
            "is-internal": c.attrs.get("is-internal"),
        },
        "links": { "self": format!("{base}/api/v2/content/{}", c.id) },
    }))
}

/// Serialises a record of collection `c` as served by generic endpoints.
pub fn ser(store: &Store, base: &str, c: &str, rec: &Record) -> Value {
    let url = format!("{base}{}", self_path(c, rec));
    match c {
        coll::CONTENT => content::generic_item(base, rec),
        coll::COMPLETIONS | coll::REQUIRED_LEARNING | coll::RECOMMENDATIONS => {
            let mut v = resource(c, rec, rec.attrs.to_map(), url);
            let included: Vec<Value> = rec
                .rel_id("content")
                .and_then(|id| content_summary(store, base, id))
                .into_iter()
                .collect();
            v["included"] = Value::Array(included);
            v
        }
        _ => resource(c, rec, rec.attrs.to_map(), url),
    }
}

/// Parsed `filter[start_date]` / `filter[end_date]`: `[start, end)` in ms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// Inclusive lower bound.
    pub start: Option<i64>,
    /// Exclusive upper bound: the day after `end_date` when the end is read inclusively,
    /// the start of `end_date` otherwise.
    pub end: Option<i64>,
}

impl Window {
    /// Whether a timestamp attribute value lies in the window (missing values match only an
    /// open window).
    pub fn contains(&self, ts: Option<&str>) -> bool {
        if self.start.is_none() && self.end.is_none() {
            return true;
        }
        let Some(ms) = ts.and_then(parse_datetime) else {
            return false;
        };
        self.start.is_none_or(|s| ms >= s) && self.end.is_none_or(|e| ms < e)
    }
}

/// The longest window, in days, on windowed feeds.
pub const MAX_WINDOW_DAYS: i64 = 7;

/// Parses the date window of a list; `windowed` enforces the 7-day maximum (7 days covered:
/// `end - start` at most 6 when the end day is included, 7 when it is not).
/// `end_inclusive` is the sandbox's `--window-end` reading.
pub fn window(q: &Query, windowed: bool, end_inclusive: bool) -> Result<Window, Resp> {
    let day = |key: &str| -> Result<Option<i64>, Resp> {
        match q.filter(key) {
            None | Some("") => Ok(None),
            Some(v) => parse_date(v).map(Some).ok_or_else(|| {
                Resp::bad_request_src(
                    format!("filter[{key}] must be a date formatted yyyy-mm-dd, got {v:?}"),
                    v,
                )
            }),
        }
    };
    let start = day("start_date")?;
    let end = day("end_date")?;
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            return Err(Resp::bad_request(
                "filter[end_date] must not be before filter[start_date].",
            ));
        }
        let span = e - s + i64::from(end_inclusive);
        if windowed && span > MAX_WINDOW_DAYS {
            return Err(Resp::bad_request(format!(
                "The date range cannot exceed {MAX_WINDOW_DAYS} days (filter[start_date] to filter[end_date])."
            )));
        }
    }
    Ok(Window {
        start: start.map(|d| d * DAY_MS),
        end: end.map(|d| (d + i64::from(end_inclusive)) * DAY_MS),
    })
}

/// Lists collection `c` (records passing `keep`) with paging.
pub fn list_records(ctx: &mut Ctx, c: &'static str, keep: impl Fn(&Record) -> bool) -> Resp {
    paging::list(ctx, Shape::Data, |ctx| {
        let store = &ctx.st.store;
        Ok(store
            .all(c)
            .iter()
            .filter(|r| keep(r))
            .map(|r| ser(store, ctx.base, c, r))
            .collect())
    })
}

/// 404 unless `id` exists in `c`.
pub fn require(store: &Store, c: &str, id: &str, what: &str) -> Result<(), Resp> {
    store
        .get(c, id)
        .map(|_| ())
        .ok_or_else(|| Resp::not_found(what, id))
}

// Write helpers shared by the handlers.

/// Stores a new record of `c` with `attrs` and `rels` (in serialisation order), logs the
/// write and gives the new id.
pub fn insert_logged(
    ctx: &mut Ctx,
    c: &'static str,
    attrs: Map<String, Value>,
    rels: Vec<Rel>,
) -> String {
    let id = ctx.st.store.new_id();
    let mut r = Record::new(id.clone(), attrs);
    r.rels = rels;
    ctx.st.store.insert(c, r);
    ctx.log(c, &id);
    id
}

/// `status` with the stored record `id` of `c` as a single resource (the caller knows it is
/// there).
pub fn stored(ctx: &Ctx, status: u16, c: &str, id: &str) -> Resp {
    let store = &ctx.st.store;
    let rec = store.get(c, id).expect("stored record");
    Resp::json(status, &single(ser(store, ctx.base, c, rec)))
}

/// Deletes the record of `c` named by the path and logs it → 204 (404 naming `what`).
pub fn delete_logged(ctx: &mut Ctx, c: &'static str, what: &str) -> Resp {
    let id = ctx.id().to_string();
    if ctx.st.store.remove(c, &id).is_none() {
        return Resp::not_found(what, &id);
    }
    ctx.log(c, &id);
    Resp::empty(204)
}

/// The items of a relationship body `{"data": [...]}` (one object is taken as a list of
/// one); `item` shows an item in the 400 for any other shape.
pub fn relationship_items(ctx: &Ctx, item: &str) -> Result<Vec<Value>, Resp> {
    let body = ctx.json_body()?;
    match body.get("data") {
        Some(Value::Array(a)) => Ok(a.clone()),
        Some(o @ Value::Object(_)) => Ok(vec![o.clone()]),
        _ => Err(Resp::bad_request_src(
            format!("The body must be {{\"data\": [{item}]}}."),
            "/data",
        )),
    }
}
