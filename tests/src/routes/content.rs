//! Content: generic list/get, typed CRUD for the seven kinds, skills relationships.

use super::{relationship_items, Ctx};
use crate::clock::parse_datetime;
use crate::envelope::{resource, single, Resp};
use crate::paging::{self, Shape};
use crate::seed::{content_type_of, kind_of};
use crate::store::{coll, Record, Store};
use crate::util::Query;
use serde_json::{json, Map, Value};

/// A JSON object literal as a map.
pub fn obj_of(v: Value) -> Map<String, Value> {
    crate::seed::obj(v)
}

/// The generic view (`type: "content"`, `is-obsolete`).
pub fn generic_item(base: &str, rec: &Record) -> Value {
    let mut attrs = rec.attrs.to_map();
    if let Some(o) = attrs.remove("obsolete") {
        attrs.insert("is-obsolete".into(), o);
    }
    resource(
        "content",
        rec,
        attrs,
        format!("{base}/api/v2/content/{}", rec.id),
    )
}

/// The typed view (`type: "content/courses"`, `obsolete`).
pub fn typed_item(base: &str, kind: &str, rec: &Record) -> Value {
    let mut attrs = rec.attrs.to_map();
    attrs.remove("content-type");
    resource(
        &format!("content/{kind}"),
        rec,
        attrs,
        format!("{base}/api/v2/content/{kind}/{}", rec.id),
    )
}

fn kind_of_path(path: &str) -> &'static str {
    let seg = path.split('/').nth(4).unwrap_or("");
    crate::seed::KINDS
        .iter()
        .find(|k| k.0 == seg)
        .map(|k| k.0)
        .unwrap_or("courses")
}

fn rec_kind(rec: &Record) -> Option<&'static str> {
    rec.s("content-type").and_then(kind_of)
}

fn parse_bool(q: &Query, key: &str, default: bool) -> Result<bool, Resp> {
    match q.filter(key) {
        None | Some("") => Ok(default),
        Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Ok(false),
        Some(v) => Err(Resp::bad_request_src(
            format!("filter[{key}] must be true or false, got {v:?}"),
            v,
        )),
    }
}

fn parse_bound(q: &Query, key: &str, inclusive_end: bool) -> Result<Option<i64>, Resp> {
    match q.filter(key) {
        None | Some("") => Ok(None),
        Some(v) => match parse_datetime(v) {
            // A plain end date includes its whole day.
            Some(ms) if inclusive_end && v.len() == 10 => Ok(Some(ms + crate::clock::DAY_MS)),
            Some(ms) => Ok(Some(ms)),
            None => Err(Resp::bad_request_src(
                format!("filter[{key}] must be a date (yyyy-mm-dd), got {v:?}"),
                v,
            )),
        },
    }
}

/// Builds the content predicate from the documented filters.
fn content_filter(q: &Query, kind: Option<&'static str>) -> Result<impl Fn(&Record) -> bool, Resp> {
    let external_id = q.filter("external_id").map(str::to_string);
    let url = q.filter("url").map(str::to_string);
    let term = q.filter("term").map(str::to_lowercase);
    let internal_only = parse_bool(q, "internal_only", true)?;
    let include_restricted = parse_bool(q, "include_restricted", false)?;
    let modified_after = parse_bound(q, "modified_after", false)?;
    let modified_before = parse_bound(q, "modified_before", false)?;
    let created_after = match parse_bound(q, "created_after", false)? {
        Some(v) => Some(v),
        None => parse_bound(q, "start_date", false)?,
    };
    let created_before = match parse_bound(q, "created_before", false)? {
        Some(v) => Some(v),
        None => parse_bound(q, "end_date", true)?,
    };
    // An exact lookup (external id or URL) also finds obsolete items, so that the
    // 409-then-look-up-then-PATCH recovery works.
    let exact = external_id.is_some() || url.is_some();
    Ok(move |c: &Record| {
        let ts = |k: &str| c.s(k).and_then(parse_datetime);
        (exact || !c.b("obsolete"))
            && kind.is_none_or(|k| rec_kind(c) == Some(k))
            && external_id
                .as_deref()
                .is_none_or(|e| c.s("external-id") == Some(e))
            && url.as_deref().is_none_or(|u| c.s("url") == Some(u))
            && term
                .as_deref()
                .is_none_or(|t| c.s("title").is_some_and(|x| x.to_lowercase().contains(t)))
            && (!internal_only || c.b("is-internal"))
            && (include_restricted || c.s("visibility") != Some("Restricted"))
            && modified_after.is_none_or(|b| ts("modified-at").is_some_and(|m| m >= b))
            && modified_before.is_none_or(|b| ts("modified-at").is_some_and(|m| m < b))
            && created_after.is_none_or(|b| ts("created-at").is_some_and(|m| m >= b))
            && created_before.is_none_or(|b| ts("created-at").is_some_and(|m| m < b))
    })
}

fn content_list(ctx: &mut Ctx, kind: Option<&'static str>) -> Resp {
    paging::list(ctx, Shape::Data, |ctx| {
        let keep = content_filter(&ctx.query, kind)?;
        let base = ctx.base;
        Ok(ctx
            .st
            .store
            .all(coll::CONTENT)
            .iter()
            .filter(|c| keep(c))
            .map(|c| match kind {
                Some(k) => typed_item(base, k, c),
                None => generic_item(base, c),
            })
            .collect())
    })
}

/// `GET /api/v2/content`.
pub fn list(ctx: &mut Ctx) -> Resp {
    content_list(ctx, None)
}

/// `GET /api/v2/content/{id}` (any kind, obsolete included).
pub fn get(ctx: &mut Ctx) -> Resp {
    match ctx.st.store.get(coll::CONTENT, ctx.id()) {
        Some(c) => Resp::json(200, &single(generic_item(ctx.base, c))),
        None => Resp::not_found("Content", ctx.id()),
    }
}

/// `GET /api/v2/content/{kind}`.
pub fn typed_list(ctx: &mut Ctx) -> Resp {
    let kind = kind_of_path(ctx.path);
    content_list(ctx, Some(kind))
}

fn typed_lookup<'s>(store: &'s Store, kind: &str, id: &str) -> Result<&'s Record, Resp> {
    store
        .get(coll::CONTENT, id)
        .filter(|c| rec_kind(c) == Some(kind))
        .ok_or_else(|| Resp::not_found(&format!("content/{kind}"), id))
}

/// `GET /api/v2/content/{kind}/{id}`.
pub fn typed_get(ctx: &mut Ctx) -> Resp {
    let kind = kind_of_path(ctx.path);
    match typed_lookup(&ctx.st.store, kind, ctx.id()) {
        Ok(c) => Resp::json(200, &single(typed_item(ctx.base, kind, c))),
        Err(r) => r,
    }
}

fn non_empty_str(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::String(s)) if !s.trim().is_empty())
}

fn check_conflicts(
    store: &Store,
    attrs: &Map<String, Value>,
    self_id: Option<&str>,
) -> Result<(), Resp> {
    let ext = attrs.get("external-id").and_then(Value::as_str);
    let url = attrs
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty());
    for c in store
        .all(coll::CONTENT)
        .iter()
        .filter(|c| Some(c.id.as_str()) != self_id)
    {
        if let Some(e) = ext {
            if c.s("external-id") == Some(e) {
                return Err(Resp::conflict(
                    format!("Content with external-id {e} already exists (id {}).", c.id),
                    e,
                ));
            }
        }
        if let Some(u) = url {
            if c.s("url") == Some(u) {
                return Err(Resp::conflict(
                    format!("Content with url {u} already exists (id {}).", c.id),
                    u,
                ));
            }
        }
    }
    Ok(())
}

fn check_types(attrs: &Map<String, Value>) -> Result<(), Resp> {
    for key in [
        "title",
        "external-id",
        "url",
        "duration-type",
        "summary",
        "language",
        "image-url",
    ] {
        match attrs.get(key) {
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(_) => {
                return Err(Resp::bad_request_src(
                    format!("{key} must be a string."),
                    &format!("/data/attributes/{key}"),
                ))
            }
        }
    }
    if let Some(d) = attrs.get("duration") {
        let ok =
            d.is_null() || d.is_number() || d.as_str().is_some_and(|s| s.parse::<f64>().is_ok());
        if !ok {
            return Err(Resp::bad_request_src(
                "duration must be a number.",
                "/data/attributes/duration",
            ));
        }
    }
    for key in ["obsolete", "is-obsolete"] {
        if let Some(v) = attrs.get(key) {
            if !v.is_boolean() {
                return Err(Resp::bad_request_src(
                    format!("{key} must be true or false."),
                    &format!("/data/attributes/{key}"),
                ));
            }
        }
    }
    Ok(())
}

const READ_ONLY: &[&str] = &[
    "id",
    "content-type",
    "degreed-url",
    "created-at",
    "modified-at",
    "is-internal",
];

/// `POST /api/v2/content/{kind}`.
pub fn typed_create(ctx: &mut Ctx) -> Resp {
    let kind = kind_of_path(ctx.path);
    let (attrs, _data) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut required = vec!["title", "external-id"];
    match kind {
        "courses" | "videos" => required.extend(["duration", "duration-type"]),
        "articles" => required.push("url"),
        _ => {}
    }
    for key in required {
        let present = match key {
            "duration" => attrs.get(key).is_some_and(|v| !v.is_null()),
            _ => non_empty_str(attrs.get(key)),
        };
        if !present {
            return Resp::bad_request_src(
                format!("{key} is required for content/{kind}."),
                &format!("/data/attributes/{key}"),
            );
        }
    }
    if let Err(r) = check_types(&attrs).and_then(|_| check_conflicts(&ctx.st.store, &attrs, None)) {
        return r;
    }
    let id = ctx.st.store.new_id();
    let now = ctx.now_ts();
    let ctype = content_type_of(kind).unwrap_or("Course");
    let mut rec = obj_of(json!({
        "content-type": ctype, "external-id": null, "title": null, "summary": null, "url": null,
        "degreed-url": format!("https://degreed.com/{}/?d={id}", ctype.to_lowercase()),
        "format": ctype, "obsolete": false, "image-url": null, "language": null, "duration": null,
        "duration-type": null, "provider": null, "provider-code": null, "owner": null,
        "visibility": "Organization", "created-at": now, "modified-at": now, "publish-date": null,
    }));
    for (k, v) in attrs {
        if READ_ONLY.contains(&k.as_str()) {
            continue;
        }
        let k = if k == "is-obsolete" {
            "obsolete".to_string()
        } else {
            k
        };
        rec.insert(k, v);
    }
    let internal = rec.get("provider-code").is_none_or(Value::is_null);
    rec.insert("is-internal".into(), Value::Bool(internal));
    ctx.st
        .store
        .insert(coll::CONTENT, Record::new(id.clone(), rec));
    ctx.st.store.content_skills.insert(id.clone(), Vec::new());
    ctx.log("content", &id);
    let c = ctx.st.store.get(coll::CONTENT, &id).expect("just inserted");
    Resp::json(201, &single(typed_item(ctx.base, kind, c))).with_header(
        "location",
        format!("{}/api/v2/content/{kind}/{id}", ctx.base),
    )
}

/// `PATCH /api/v2/content/{kind}/{id}` (partial; `obsolete: true` hides it from lists).
pub fn typed_update(ctx: &mut Ctx) -> Resp {
    let kind = kind_of_path(ctx.path);
    let id = ctx.id().to_string();
    if let Err(r) = typed_lookup(&ctx.st.store, kind, &id) {
        return r;
    }
    let (attrs, data) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(body_id) = data.get("id").and_then(Value::as_str) {
        if body_id != id {
            return Resp::bad_request_src(
                format!("data.id {body_id} does not match the URL id {id}."),
                body_id,
            );
        }
    }
    for key in ["title", "external-id"] {
        if attrs.contains_key(key) && !non_empty_str(attrs.get(key)) {
            return Resp::bad_request_src(
                format!("{key} cannot be empty."),
                &format!("/data/attributes/{key}"),
            );
        }
    }
    if let Err(r) =
        check_types(&attrs).and_then(|_| check_conflicts(&ctx.st.store, &attrs, Some(&id)))
    {
        return r;
    }
    let now = ctx.now_ts();
    let rec = ctx.st.store.get_mut(coll::CONTENT, &id).expect("checked");
    for (k, v) in attrs {
        if READ_ONLY.contains(&k.as_str()) {
            continue;
        }
        let k = if k == "is-obsolete" {
            "obsolete".to_string()
        } else {
            k
        };
        rec.attrs.insert(k, v);
    }
    let internal = rec.attrs.get("provider-code").is_none_or(Value::is_null);
    rec.attrs.insert("is-internal", Value::Bool(internal));
    rec.attrs.insert("modified-at", Value::String(now));
    ctx.log("content", &id);
    let c = ctx.st.store.get(coll::CONTENT, &id).expect("checked");
    Resp::json(200, &single(typed_item(ctx.base, kind, c)))
}

/// `DELETE /api/v2/content/{kind}/{id}` → 204.
pub fn typed_delete(ctx: &mut Ctx) -> Resp {
    let kind = kind_of_path(ctx.path);
    let id = ctx.id().to_string();
    if let Err(r) = typed_lookup(&ctx.st.store, kind, &id) {
        return r;
    }
    ctx.st.store.remove(coll::CONTENT, &id);
    ctx.st.store.content_skills.remove(&id);
    ctx.log("content", &id);
    Resp::empty(204)
}

/// `GET /api/v2/content/{id}/skills` → `{"data":[{"type":"skills","id":"<name>"}]}`.
pub fn skills_list(ctx: &mut Ctx) -> Resp {
    let id = ctx.id().to_string();
    if ctx.st.store.get(coll::CONTENT, &id).is_none() {
        return Resp::not_found("Content", &id);
    }
    paging::list(ctx, Shape::Data, |ctx| {
        Ok(ctx
            .st
            .store
            .content_skills
            .get(&id)
            .map(|v| {
                v.iter()
                    .map(|s| json!({ "type": "skills", "id": s }))
                    .collect()
            })
            .unwrap_or_default())
    })
}

/// The content id of the path (404 when unknown) and the skill names of a relationship body
/// `{"data":[{"type":"skills","id":"X"}]}`.
fn skill_change(ctx: &Ctx) -> Result<(String, Vec<String>), Resp> {
    let id = ctx.id().to_string();
    if ctx.st.store.get(coll::CONTENT, &id).is_none() {
        return Err(Resp::not_found("Content", &id));
    }
    let items = relationship_items(ctx, r#"{"type": "skills", "id": "<name>"}"#)?;
    let mut names = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match it.get("id").and_then(Value::as_str).map(str::trim) {
            Some(s) if !s.is_empty() => names.push(s.to_string()),
            _ => {
                return Err(Resp::bad_request_src(
                    "Each skill needs a non-empty id (its name).",
                    &format!("/data/{i}/id"),
                ))
            }
        }
    }
    Ok((id, names))
}

/// `PATCH /api/v2/content/{id}/relationships/skills` adds skills → 201 with the full list.
pub fn skills_add(ctx: &mut Ctx) -> Resp {
    let (id, names) = match skill_change(ctx) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = ctx.st.store.content_skills.entry(id.clone()).or_default();
    for n in names {
        if !list.iter().any(|s| s.eq_ignore_ascii_case(&n)) {
            list.push(n);
        }
    }
    let data: Vec<Value> = list
        .iter()
        .map(|s| json!({ "type": "skills", "id": s }))
        .collect();
    ctx.log("content-skills", &id);
    Resp::json(
        201,
        &json!({ "data": data, "links": { "self": format!("{}/api/v2/content/{id}/skills", ctx.base) } }),
    )
}

/// `DELETE /api/v2/content/{id}/relationships/skills` removes skills → 204.
pub fn skills_remove(ctx: &mut Ctx) -> Resp {
    let (id, names) = match skill_change(ctx) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = ctx.st.store.content_skills.entry(id.clone()).or_default();
    list.retain(|s| !names.iter().any(|n| n.eq_ignore_ascii_case(s)));
    ctx.log("content-skills", &id);
    Resp::empty(204)
}
