//! Completions and required learning writes (reads go through the generic lists in `misc`).

use super::{delete_logged, insert_logged, stored, Ctx};
use crate::clock::{fmt_secs, parse_datetime};
use crate::envelope::Resp;
use crate::seed::kind_of;
use crate::store::{coll, Record, Rel, Store};
use serde_json::{json, Map, Value};

/// A string-ish attribute (`"x"` or a number rendered as text).
fn text(attrs: &Map<String, Value>, key: &str) -> Option<String> {
    match attrs.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Resolves a user by value and `user-identifier-type` (UserId, Email, EmployeeId, AliasUid,
/// AliasEmail; case-insensitive).
pub fn resolve_user<'s>(
    store: &'s Store,
    value: &str,
    kind: &str,
) -> Result<Option<&'s Record>, Resp> {
    let users = store.all(coll::USERS);
    let eq = |a: Option<&str>| a.is_some_and(|x| x.eq_ignore_ascii_case(value));
    Ok(match kind.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "userid" | "id" => users.iter().find(|u| u.id == value),
        "email" => users.iter().find(|u| eq(u.s("organization-email")) || eq(u.s("personal-email"))),
        "employeeid" => users.iter().find(|u| u.s("employee-id") == Some(value)),
        "aliasuid" => users.iter().find(|u| u.s("alias-uid") == Some(value)),
        "aliasemail" => users.iter().find(|u| eq(u.s("personal-email")) || eq(u.s("organization-email"))),
        _ => {
            return Err(Resp::bad_request_src(
                format!("Invalid user identifier type: {kind} (use UserId, Email, EmployeeId, AliasUid or AliasEmail)"),
                kind,
            ))
        }
    })
}

/// Resolves content by value and `content-id-type` (Id, ExternalId, ContentUrl; case-insensitive).
pub fn resolve_content<'s>(
    store: &'s Store,
    value: &str,
    kind: &str,
) -> Result<Option<&'s Record>, Resp> {
    let content = store.all(coll::CONTENT);
    Ok(
        match kind.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "id" | "contentid" => content.iter().find(|c| c.id == value),
            "externalid" => content.iter().find(|c| c.s("external-id") == Some(value)),
            "contenturl" | "url" => content.iter().find(|c| c.s("url") == Some(value)),
            _ => {
                return Err(Resp::bad_request_src(
                    format!(
                    "Invalid content identifier type: {kind} (use Id, ExternalId or ContentUrl)"
                ),
                    kind,
                ))
            }
        },
    )
}

struct Target {
    user_id: String,
    employee_id: Value,
    content_id: String,
    provider: Option<String>,
    learning_minutes: f64,
}

impl Target {
    /// The `provider` relationship (`"data": null` for internal content).
    fn provider_rel(&self) -> Rel {
        match &self.provider {
            Some(p) => Rel::to("provider", "providers", p),
            None => Rel::null("provider"),
        }
    }
}

/// Resolves `user-id`/`user-identifier-type` and `content-id`/`content-id-type`.
fn target(store: &Store, attrs: &Map<String, Value>) -> Result<Target, Resp> {
    let Some(user) = text(attrs, "user-id") else {
        return Err(Resp::bad_request_src(
            "user-id is required.",
            "/data/attributes/user-id",
        ));
    };
    let ukind = text(attrs, "user-identifier-type").unwrap_or_else(|| "UserId".into());
    let Some(u) = resolve_user(store, &user, &ukind)? else {
        return Err(Resp::bad_request_src(
            format!("Invalid user identifier: {user}"),
            &user,
        ));
    };
    let Some(content) = text(attrs, "content-id") else {
        return Err(Resp::bad_request_src(
            "content-id is required.",
            "/data/attributes/content-id",
        ));
    };
    let ckind = text(attrs, "content-id-type").unwrap_or_else(|| "Id".into());
    let Some(c) = resolve_content(store, &content, &ckind)? else {
        return Err(Resp::bad_request_src(
            format!("Invalid content identifier: {content}"),
            &content,
        ));
    };
    let provider = c.s("provider").and_then(|name| {
        store
            .all(coll::PROVIDERS)
            .iter()
            .find(|p| p.s("name") == Some(name))
            .map(|p| p.id.clone())
    });
    Ok(Target {
        user_id: u.id.clone(),
        employee_id: u.attrs.get("employee-id").cloned().unwrap_or(Value::Null),
        content_id: c.id.clone(),
        provider,
        learning_minutes: c
            .attrs
            .get("learning-minutes")
            .and_then(Value::as_f64)
            .unwrap_or(30.0),
    })
}

fn timestamp(
    attrs: &Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Option<String>, Resp> {
    match attrs.get(key) {
        None | Some(Value::Null) if !required => Ok(None),
        Some(Value::String(s)) => match parse_datetime(s) {
            Some(ms) => Ok(Some(fmt_secs(ms))),
            None => Err(Resp::bad_request_src(
                format!("{key} must be a date-time like 2024-05-01T00:00:00, got {s:?}"),
                s,
            )),
        },
        _ => Err(Resp::bad_request_src(
            format!("{key} is required (yyyy-mm-ddTHH:MM:SS)."),
            &format!("/data/attributes/{key}"),
        )),
    }
}

/// Validates the optional completion attributes and copies them into `out`.
fn optional_completion_attrs(
    attrs: &Map<String, Value>,
    out: &mut Map<String, Value>,
) -> Result<(), Resp> {
    if let Some(v) = attrs.get("is-verified") {
        if !v.is_boolean() {
            return Err(Resp::bad_request_src(
                "is-verified must be true or false.",
                "/data/attributes/is-verified",
            ));
        }
        out.insert("is-verified".into(), v.clone());
    }
    if let Some(v) = attrs.get("percentile") {
        match v.as_f64() {
            Some(p) if (0.0..=100.0).contains(&p) => {
                out.insert("percentile".into(), v.clone());
            }
            _ if v.is_null() => {}
            _ => {
                return Err(Resp::bad_request_src(
                    "percentile must be a number between 0 and 100.",
                    "/data/attributes/percentile",
                ))
            }
        }
    }
    for key in ["questions-correct", "duration", "rating"] {
        if let Some(v) = attrs.get(key) {
            if !(v.is_number() || v.is_null()) {
                return Err(Resp::bad_request_src(
                    format!("{key} must be a number."),
                    &format!("/data/attributes/{key}"),
                ));
            }
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(v) = attrs.get("involvement-level") {
        out.insert("involvement-level".into(), v.clone());
    }
    Ok(())
}

/// `POST /api/v2/completions`: every call creates a new record (no merge of duplicates).
pub fn create(ctx: &mut Ctx) -> Resp {
    let (attrs, _) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t = match target(&ctx.st.store, &attrs) {
        Ok(t) => t,
        Err(r) => return r,
    };
    if let Some(ct) = text(&attrs, "content-type") {
        if kind_of(&ct).is_none() {
            return Resp::bad_request_src(format!("Invalid content-type: {ct}"), &ct);
        }
    }
    let completed = match timestamp(&attrs, "completed-at", true) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let points = ((t.learning_minutes / 30.0).round() / 2.0).max(0.5);
    let mut rec = crate::seed::obj(json!({
        "employee-id": t.employee_id,
        "completed-at": completed,
        "added-at": ctx.now_ts(),
        "points-earned": format!("{points}"),
        "is-verified": false,
        "rating": null,
        "access-method": "API",
    }));
    if let Err(r) = optional_completion_attrs(&attrs, &mut rec) {
        return r;
    }
    let rels = vec![
        Rel::to("content", "content", &t.content_id),
        t.provider_rel(),
        Rel::to("user", "users", &t.user_id),
    ];
    let id = insert_logged(ctx, coll::COMPLETIONS, rec, rels);
    stored(ctx, 201, coll::COMPLETIONS, &id)
        .with_header("location", format!("{}/api/v2/completions/{id}", ctx.base))
}

/// `PATCH /api/v2/completions/{id}`: completed-at, is-verified, percentile, questions-correct,
/// duration, rating.
pub fn update(ctx: &mut Ctx) -> Resp {
    let id = ctx.id().to_string();
    if ctx.st.store.get(coll::COMPLETIONS, &id).is_none() {
        return Resp::not_found("Completion", &id);
    }
    let (attrs, _) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut changes = Map::new();
    match timestamp(&attrs, "completed-at", false) {
        Ok(Some(c)) => {
            changes.insert("completed-at".into(), Value::String(c));
        }
        Ok(None) => {}
        Err(r) => return r,
    }
    if let Err(r) = optional_completion_attrs(&attrs, &mut changes) {
        return r;
    }
    let rec = ctx
        .st
        .store
        .get_mut(coll::COMPLETIONS, &id)
        .expect("checked");
    rec.attrs.extend(changes);
    ctx.log(coll::COMPLETIONS, &id);
    stored(ctx, 200, coll::COMPLETIONS, &id)
}

/// `DELETE /api/v2/completions/{id}` → 204.
pub fn delete(ctx: &mut Ctx) -> Resp {
    delete_logged(ctx, coll::COMPLETIONS, "Completion")
}
