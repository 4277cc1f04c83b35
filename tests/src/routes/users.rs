//! Users: CRUD, identifier lookups, per-user sub-lists.

use super::{ser, window, Ctx};
use crate::envelope::{single, Resp};
use crate::paging::{self, Shape};
use crate::store::{coll, Record, Rel, Store};
use serde_json::{json, Map, Value};

/// Attributes a client may not set.
const READ_ONLY: &[&str] = &[
    "id",
    "full-name",
    "created-at",
    "first-login-at",
    "last-login-at",
    "total-points",
    "daily-logins",
];
/// Attributes required on create.
const REQUIRED: &[&str] = &[
    "employee-id",
    "first-name",
    "last-name",
    "organization-email",
];

/// Loose e-mail check: one `@`, non-empty local part, a dot in the domain, no spaces.
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Finds a user by `key`, interpreted per the `identifier` query parameter
/// (absent/`id` = Degreed id, `email`, `employee-id`, `alias-uid`).
pub fn find_user<'s>(
    store: &'s Store,
    key: &str,
    identifier: Option<&str>,
) -> Result<Option<&'s Record>, Resp> {
    let users = store.all(coll::USERS);
    let kind = identifier
        .unwrap_or("id")
        .to_ascii_lowercase()
        .replace('_', "-");
    Ok(match kind.as_str() {
        "" | "id" | "userid" | "user-id" => users.iter().find(|u| u.id == key),
        "email" | "organization-email" => users.iter().find(|u| {
            u.s("organization-email")
                .is_some_and(|e| e.eq_ignore_ascii_case(key))
                || u.s("personal-email")
                    .is_some_and(|e| e.eq_ignore_ascii_case(key))
        }),
        "employee-id" | "employeeid" => users.iter().find(|u| u.s("employee-id") == Some(key)),
        "alias-uid" | "aliasuid" => users.iter().find(|u| u.s("alias-uid") == Some(key)),
        other => {
            return Err(Resp::bad_request_src(
                format!("Unknown identifier {other:?}; use email, employee-id or alias-uid."),
                other,
            ))
        }
    })
}

fn user_by_param(ctx: &Ctx) -> Result<String, Resp> {
    let key = ctx.id().to_string();
    match find_user(&ctx.st.store, &key, ctx.query.get("identifier"))? {
        Some(u) => Ok(u.id.clone()),
        None => Err(Resp::not_found("User", &key)),
    }
}

fn one(ctx: &Ctx, id: &str, status: u16) -> Resp {
    let store = &ctx.st.store;
    match store.get(coll::USERS, id) {
        Some(u) => Resp::json(status, &single(ser(store, ctx.base, coll::USERS, u))),
        None => Resp::not_found("User", id),
    }
}

/// `GET /api/v2/users` (`filter[email]`, `filter[employee_id]`).
pub fn list(ctx: &mut Ctx) -> Resp {
    let email = ctx.query.filter("email").map(str::to_string);
    let emp = ctx.query.filter("employee_id").map(str::to_string);
    super::list_records(ctx, coll::USERS, move |u| {
        email.as_deref().is_none_or(|e| {
            u.s("organization-email")
                .is_some_and(|x| x.eq_ignore_ascii_case(e))
        }) && emp.as_deref().is_none_or(|e| u.s("employee-id") == Some(e))
    })
}

/// `GET /api/v2/users/{id}[?identifier=email|employee-id]`.
pub fn get(ctx: &mut Ctx) -> Resp {
    match user_by_param(ctx) {
        Ok(id) => one(ctx, &id, 200),
        Err(r) => r,
    }
}

fn check_attrs(
    store: &Store,
    attrs: &Map<String, Value>,
    self_id: Option<&str>,
) -> Result<(), Resp> {
    for key in ["organization-email", "personal-email"] {
        match attrs.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if valid_email(s) => {}
            Some(v) => {
                let shown = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                return Err(Resp::bad_request_src(
                    format!("{key} is not a valid e-mail address: {shown}"),
                    &format!("/data/attributes/{key}"),
                ));
            }
        }
    }
    for key in ["employee-id", "first-name", "last-name"] {
        if let Some(v) = attrs.get(key) {
            if !v.is_string() || v.as_str() == Some("") {
                return Err(Resp::bad_request_src(
                    format!("{key} must be a non-empty string."),
                    &format!("/data/attributes/{key}"),
                ));
            }
        }
    }
    if let Some(p) = attrs.get("password") {
        let p = p.as_str().unwrap_or("");
        if p.chars().count() < 8
            || !p.chars().any(|c| c.is_ascii_digit())
            || !p.chars().any(char::is_uppercase)
        {
            return Err(Resp::bad_request_src(
                "password must have at least 8 characters, a digit and a capital letter.",
                "/data/attributes/password",
            ));
        }
    }
    let others = store
        .all(coll::USERS)
        .iter()
        .filter(|u| Some(u.id.as_str()) != self_id);
    for u in others {
        if let Some(e) = attrs.get("employee-id").and_then(Value::as_str) {
            if u.s("employee-id") == Some(e) {
                return Err(Resp::conflict(
                    format!("A user with employee-id {e} already exists."),
                    e,
                ));
            }
        }
        if let Some(e) = attrs.get("organization-email").and_then(Value::as_str) {
            if u.s("organization-email")
                .is_some_and(|x| x.eq_ignore_ascii_case(e))
            {
                return Err(Resp::conflict(
                    format!("A user with organization-email {e} already exists."),
                    e,
                ));
            }
        }
    }
    Ok(())
}

/// The manager relationship of a write body: `None` when absent, `Some(None)` to clear.
fn manager_of(data: &Value) -> Result<Option<Option<String>>, Resp> {
    let rels = match data.get("relationships") {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v,
    };
    let entry = match rels {
        Value::Array(items) => items.iter().find_map(|i| i.get("manager")),
        Value::Object(m) => m.get("manager"),
        _ => None,
    };
    let Some(entry) = entry else { return Ok(None) };
    match entry.get("data") {
        None | Some(Value::Null) => Ok(Some(None)),
        Some(d) => match d.get("id").and_then(Value::as_str) {
            Some(id) => Ok(Some(Some(id.to_string()))),
            None => Err(Resp::bad_request_src(
                "relationships.manager.data.id must be a user id.",
                "/data/relationships/manager",
            )),
        },
    }
}

/// `POST /api/v2/users` and `POST /api/v3/users`.
pub fn create(ctx: &mut Ctx) -> Resp {
    let (attrs, data) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    for key in REQUIRED {
        match attrs.get(*key) {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            _ => {
                return Resp::bad_request_src(
                    format!("{key} is required."),
                    &format!("/data/attributes/{key}"),
                )
            }
        }
    }
    if let Err(r) = check_attrs(&ctx.st.store, &attrs, None) {
        return r;
    }
    let manager = match manager_of(&data) {
        Ok(m) => m.flatten(),
        Err(r) => return r,
    };
    if let Some(m) = &manager {
        if ctx.st.store.get(coll::USERS, m).is_none() {
            return Resp::bad_request_src(format!("Invalid manager: {m}"), m);
        }
    }
    let never = "0001-01-01T00:00:00";
    let now = ctx.now_ts();
    let mut rec_attrs = super::content::obj_of(json!({
        "employee-id": null, "first-name": null, "last-name": null, "full-name": null,
        "organization-email": null, "personal-email": null, "profile-visibility": "Organization",
        "bio": null, "location": null, "profile-image-url": null, "login-disabled": false,
        "restricted": false, "is-active-learner": false, "permission-role": "Member", "job-role": null,
        "alias-uid": null, "preferred-language": "en", "real-time-email-notification": true,
        "daily-digest-email": false, "weekly-digest-email": true, "created-at": now,
        "first-login-at": never, "last-login-at": never, "total-points": 0, "daily-logins": 0,
    }));
    for (k, v) in attrs {
        if !READ_ONLY.contains(&k.as_str()) && k != "password" {
            rec_attrs.insert(k, v);
        }
    }
    let full = format!(
        "{} {}",
        rec_attrs
            .get("first-name")
            .and_then(Value::as_str)
            .unwrap_or(""),
        rec_attrs
            .get("last-name")
            .and_then(Value::as_str)
            .unwrap_or("")
    );
    rec_attrs.insert("full-name".into(), Value::String(full));
    let id = ctx.st.store.new_id();
    let mut rec = Record::new(id.clone(), rec_attrs);
    rec.rels.push(match &manager {
        Some(m) => Rel::to("manager", "users", m),
        None => Rel::null("manager"),
    });
    ctx.st.store.insert(coll::USERS, rec);
    ctx.log("users", &id);
    one(ctx, &id, 201).with_header("location", format!("{}/api/v2/users/{id}", ctx.base))
}

/// `PATCH /api/v2/users/{id}`: partial attributes and/or the manager relationship.
pub fn update(ctx: &mut Ctx) -> Resp {
    let id = match user_by_param(ctx) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let (attrs, data) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(body_id) = data.get("id").and_then(Value::as_str) {
        if body_id != id && body_id != ctx.id() {
            return Resp::bad_request_src(
                format!("data.id {body_id} does not match the URL id {id}."),
                body_id,
            );
        }
    }
    if let Err(r) = check_attrs(&ctx.st.store, &attrs, Some(&id)) {
        return r;
    }
    let manager = match manager_of(&data) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Some(Some(m)) = &manager {
        if *m == id || ctx.st.store.get(coll::USERS, m).is_none() {
            return Resp::bad_request_src(format!("Invalid manager: {m}"), m);
        }
    }
    let rec = ctx.st.store.get_mut(coll::USERS, &id).expect("user exists");
    for (k, v) in attrs {
        if !READ_ONLY.contains(&k.as_str()) && k != "password" {
            rec.attrs.insert(k, v);
        }
    }
    let full = format!(
        "{} {}",
        rec.s("first-name").unwrap_or(""),
        rec.s("last-name").unwrap_or("")
    );
    rec.attrs.insert("full-name", Value::String(full));
    match manager {
        Some(Some(m)) => rec.set_rel(Rel::to("manager", "users", &m)),
        Some(None) => rec.set_rel(Rel::null("manager")),
        None => {}
    }
    ctx.log("users", &id);
    one(ctx, &id, 200)
}

/// `DELETE /api/v2/users/{id}` → 204 (group memberships go too).
pub fn delete(ctx: &mut Ctx) -> Resp {
    let id = match user_by_param(ctx) {
        Ok(id) => id,
        Err(r) => return r,
    };
    ctx.st.store.remove(coll::USERS, &id);
    ctx.st
        .store
        .all_mut(coll::GROUP_USERS)
        .retain(|m| m.rel_id("user") != Some(id.as_str()));
    ctx.log("users", &id);
    Resp::empty(204)
}

/// The `/users/{id}/...` lists.
pub fn sub_list(ctx: &mut Ctx) -> Resp {
    let op = ctx.op;
    let uid_result = user_by_param(ctx);
    paging::list(ctx, Shape::Data, move |ctx| {
        let uid = uid_result?;
        let store = &ctx.st.store;
        let base = ctx.base;
        let by_user = |c: &'static str, date_attr: &'static str| -> Result<Vec<Value>, Resp> {
            let w = window(&ctx.query, false, ctx.st.cfg.window_end_inclusive)?;
            Ok(store
                .all(c)
                .iter()
                .filter(|r| r.rel_id("user") == Some(uid.as_str()) && w.contains(r.s(date_attr)))
                .map(|r| ser(store, base, c, r))
                .collect())
        };
        match op {
            "users.completions.list" => by_user(coll::COMPLETIONS, "completed-at"),
            "users.required_learning.list" => by_user(coll::REQUIRED_LEARNING, "created-at"),
            "users.recommended_learning.list" => by_user(coll::RECOMMENDATIONS, "recommended-at"),
            "users.skill_ratings.list" => by_user(coll::SKILL_RATINGS, "rated-at"),
            "users.user_skills.list" => by_user(coll::USER_SKILLS, "followed-at"),
            "users.skill_plans.list" => {
                let plans: Vec<&str> = store
                    .all(coll::SKILL_PLAN_FOLLOWERS)
                    .iter()
                    .filter(|f| f.rel_id("user") == Some(uid.as_str()))
                    .filter_map(|f| f.parent.as_deref())
                    .collect();
                Ok(store
                    .all(coll::SKILL_PLANS)
                    .iter()
                    .filter(|p| plans.contains(&p.id.as_str()))
                    .map(|p| ser(store, base, coll::SKILL_PLANS, p))
                    .collect())
            }
            _ => Ok(todays_learning(store, base, &uid)),
        }
    })
}

/// Today's learning: three visible content items picked from the user id (stable per user).
fn todays_learning(store: &Store, base: &str, uid: &str) -> Vec<Value> {
    let visible: Vec<&Record> = store
        .all(coll::CONTENT)
        .iter()
        .filter(|c| !c.b("obsolete"))
        .collect();
    if visible.is_empty() {
        return Vec::new();
    }
    let mut h: u64 = 1469598103934665603;
    for b in uid.bytes() {
        h = (h ^ b as u64).wrapping_mul(1099511628211);
    }
    let mut out = Vec::new();
    for k in 0..3.min(visible.len()) {
        let c = visible[(h as usize).wrapping_add(k * 7) % visible.len()];
        let reason = [
            "Trending in your organization",
            "Based on your skills",
            "Popular with your team",
        ][k % 3];
        out.push(json!({
            "type": "todays-learning",
            "id": c.id,
            "attributes": {
                "title": c.attrs.get("title"),
                "content-type": c.attrs.get("content-type"),
                "url": c.attrs.get("url"),
                "image-url": c.attrs.get("image-url"),
                "reason": reason,
            },
            "links": { "self": format!("{base}/api/v2/content/{}", c.id) },
            "relationships": [ { "user": { "data": { "id": uid, "type": "users" } } },
                               { "content": { "data": { "id": c.id, "type": "content" } } } ],
        }));
    }
    out.dedup_by(|a, b| a["id"] == b["id"]);
    out
}
