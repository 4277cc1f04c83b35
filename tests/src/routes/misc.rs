//! Generic read handlers (lists and gets driven by the operation name) and the small write
//! endpoints of skill ratings and user skills.

use super::{ser, window, Ctx};
use crate::envelope::{single, Resp};
use crate::paging::{self, Shape};
use crate::routes::completions::resolve_user;
use crate::seed::SKILLS;
use crate::store::{coll, Record, Rel, Store};
use serde_json::{json, Map, Value};

struct ListCfg {
    c: &'static str,
    /// Parent collection and its display name, for nested lists (`/pathways/{id}/tags`).
    parent: Option<(&'static str, &'static str)>,
    /// Timestamp attribute filtered by `filter[start_date]` / `filter[end_date]`.
    date: Option<&'static str>,
    /// Whether the 7-day maximum applies.
    windowed: bool,
}

fn list_cfg(op: &str) -> ListCfg {
    let (c, parent, date, windowed) = match op {
        "completions.list" => (coll::COMPLETIONS, None, Some("completed-at"), true),
        "required_learning.list" => (coll::REQUIRED_LEARNING, None, Some("created-at"), true),
        "recommendations.list" => (coll::RECOMMENDATIONS, None, Some("recommended-at"), true),
        "logins.list" => (coll::LOGINS, None, Some("logged-in-at"), true),
        "views.list" => (coll::VIEWS, None, Some("viewed-at"), true),
        "pathways.list" => (coll::PATHWAYS, None, Some("modified-at"), false),
        "pathways.tags.list" => (
            coll::PATHWAY_TAGS,
            Some((coll::PATHWAYS, "Pathway")),
            None,
            false,
        ),
        "pathways.collaborators.list" => (
            coll::PATHWAY_COLLABORATORS,
            Some((coll::PATHWAYS, "Pathway")),
            None,
            false,
        ),
        "pathways.groups.list" => (
            coll::PATHWAY_GROUPS,
            Some((coll::PATHWAYS, "Pathway")),
            None,
            false,
        ),
        "pathways.followers.list" => (
            coll::PATHWAY_FOLLOWERS,
            Some((coll::PATHWAYS, "Pathway")),
            None,
            false,
        ),
        "skill_plans.list" => (coll::SKILL_PLANS, None, Some("created-at"), false),
        "skill_plans.followers.list" => (
            coll::SKILL_PLAN_FOLLOWERS,
            Some((coll::SKILL_PLANS, "Skill plan")),
            None,
            false,
        ),
        "groups.list" => (coll::GROUPS, None, Some("modified-at"), false),
        "groups.users.list" => (
            coll::GROUP_USERS,
            Some((coll::GROUPS, "Group")),
            None,
            false,
        ),
        "skill_ratings.list" => (coll::SKILL_RATINGS, None, Some("rated-at"), false),
        "user_skills.list" => (coll::USER_SKILLS, None, Some("followed-at"), false),
        "certifiable_skills.list" => (coll::CERTIFIABLE_SKILLS, None, Some("modified-at"), false),
        "search_terms.list" => (coll::SEARCH_TERMS, None, None, false),
        "user_followers.list" => (coll::USER_FOLLOWERS, None, Some("followed-at"), false),
        "providers.list" => (coll::PROVIDERS, None, None, false),
        "providers.licences.list" => (
            coll::PROVIDER_LICENCES,
            Some((coll::PROVIDERS, "Provider")),
            None,
            false,
        ),
        _ => (coll::SEARCH_TERMS, None, None, false),
    };
    ListCfg {
        c,
        parent,
        date,
        windowed,
    }
}

/// Every list served from a collection: date window, `filter[employee_id]`,
/// `filter[skill_name]`, parent scoping.
pub fn list(ctx: &mut Ctx) -> Resp {
    let cfg = list_cfg(ctx.op);
    let parent = ctx.id().to_string();
    if let Some((pc, what)) = cfg.parent {
        if ctx.st.store.get(pc, &parent).is_none() {
            return Resp::not_found(what, &parent);
        }
    }
    paging::list(ctx, Shape::Data, |ctx| {
        let w = window(&ctx.query, cfg.windowed)?;
        // Resources without a date accept and ignore the window.
        let emp = ctx.query.filter("employee_id");
        let skill = ctx.query.filter("skill_name").map(str::to_lowercase);
        let store = &ctx.st.store;
        Ok(store
            .all(cfg.c)
            .iter()
            .filter(|r| cfg.parent.is_none() || r.parent.as_deref() == Some(parent.as_str()))
            .filter(|r| cfg.date.is_none_or(|d| w.contains(r.s(d))))
            .filter(|r| emp.is_none_or(|e| r.s("employee-id") == Some(e)))
            .filter(|r| {
                skill
                    .as_deref()
                    .is_none_or(|s| r.s("skill-name").is_some_and(|x| x.to_lowercase() == s))
            })
            .map(|r| ser(store, ctx.base, cfg.c, r))
            .collect())
    })
}

/// Every single-record get served from a collection.
pub fn get(ctx: &mut Ctx) -> Resp {
    let (c, what) = match ctx.op {
        "completions.get" => (coll::COMPLETIONS, "Completion"),
        "required_learning.get" => (coll::REQUIRED_LEARNING, "Required learning"),
        "pathways.get" => (coll::PATHWAYS, "Pathway"),
        "skill_plans.get" => (coll::SKILL_PLANS, "Skill plan"),
        "groups.get" => (coll::GROUPS, "Group"),
        "certifiable_skills.get" => (coll::CERTIFIABLE_SKILLS, "Certifiable skill"),
        _ => (coll::PROVIDERS, "Provider"),
    };
    let store = &ctx.st.store;
    match store.get(c, ctx.id()) {
        Some(r) => Resp::json(200, &single(ser(store, ctx.base, c, r))),
        None => Resp::not_found(what, ctx.id()),
    }
}

/// The user of a skill write: `user-id` (+ `user-identifier-type`, default UserId) or `employee-id`.
fn skill_user(store: &Store, attrs: &Map<String, Value>) -> Result<Record, Resp> {
    let (value, kind) = match (
        attrs.get("user-id").and_then(Value::as_str),
        attrs.get("employee-id").and_then(Value::as_str),
    ) {
        (Some(v), _) => (
            v,
            attrs
                .get("user-identifier-type")
                .and_then(Value::as_str)
                .unwrap_or("UserId"),
        ),
        (None, Some(e)) => (e, "EmployeeId"),
        (None, None) => {
            return Err(Resp::bad_request_src(
                "user-id or employee-id is required.",
                "/data/attributes/user-id",
            ))
        }
    };
    match resolve_user(store, value, kind)? {
        Some(u) => Ok(u.clone()),
        None => Err(Resp::bad_request_src(
            format!("Invalid user identifier: {value}"),
            value,
        )),
    }
}

fn skill_name(attrs: &Map<String, Value>) -> Result<String, Resp> {
    match attrs
        .get("skill-name")
        .and_then(Value::as_str)
        .map(str::trim)
    {
        Some(s) if !s.is_empty() => Ok(s.to_string()),
        _ => Err(Resp::bad_request_src(
            "skill-name is required.",
            "/data/attributes/skill-name",
        )),
    }
}

fn cert_guid(store: &Store, skill: &str) -> Value {
    store
        .all(coll::CERTIFIABLE_SKILLS)
        .iter()
        .find(|c| c.s("name").is_some_and(|n| n.eq_ignore_ascii_case(skill)))
        .and_then(|c| c.attrs.get("skill-unique-identifier").cloned())
        .unwrap_or(Value::Null)
}

/// `POST /api/v2/skill-ratings`: user, `skill-name`, `rating` (1–8), optional `rating-type`.
pub fn skill_rating_create(ctx: &mut Ctx) -> Resp {
    let (attrs, _) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (u, skill) =
        match skill_user(&ctx.st.store, &attrs).and_then(|u| Ok((u, skill_name(&attrs)?))) {
            Ok(v) => v,
            Err(r) => return r,
        };
    let rating = match attrs.get("rating").and_then(Value::as_i64) {
        Some(r) if (1..=8).contains(&r) => r,
        _ => {
            return Resp::bad_request_src(
                "rating must be an integer from 1 to 8.",
                "/data/attributes/rating",
            )
        }
    };
    let rec = crate::seed::obj(json!({
        "employee-id": u.s("employee-id"),
        "skill-name": skill,
        "rating": rating,
        "rating-type": attrs.get("rating-type").and_then(Value::as_str).unwrap_or("Self"),
        "certifiable-skill-guid": cert_guid(&ctx.st.store, &skill),
        "rated-at": ctx.now_ts(),
    }));
    let id = ctx.st.store.new_id();
    let mut r = Record::new(id.clone(), rec);
    r.rels.push(Rel::to("user", "users", &u.id));
    ctx.st.store.insert(coll::SKILL_RATINGS, r);
    ctx.log(coll::SKILL_RATINGS, &id);
    let store = &ctx.st.store;
    Resp::json(
        201,
        &single(ser(
            store,
            ctx.base,
            coll::SKILL_RATINGS,
            store.get(coll::SKILL_RATINGS, &id).expect("inserted"),
        )),
    )
}

/// `POST /api/v2/user-skills`: user + `skill-name`; 409 if the user already follows the skill.
pub fn user_skill_create(ctx: &mut Ctx) -> Resp {
    let (attrs, _) = match ctx.attributes() {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (u, skill) =
        match skill_user(&ctx.st.store, &attrs).and_then(|u| Ok((u, skill_name(&attrs)?))) {
            Ok(v) => v,
            Err(r) => return r,
        };
    let dup = ctx.st.store.all(coll::USER_SKILLS).iter().any(|r| {
        r.rel_id("user") == Some(u.id.as_str())
            && r.s("skill-name")
                .is_some_and(|s| s.eq_ignore_ascii_case(&skill))
    });
    if dup {
        return Resp::conflict(format!("The user already has the skill {skill}."), &skill);
    }
    let skill_id = match SKILLS.iter().position(|s| s.eq_ignore_ascii_case(&skill)) {
        Some(i) => format!("S{:04}", i + 1),
        None => format!("S{}", 9000 + ctx.st.store.all(coll::USER_SKILLS).len()),
    };
    let rec = crate::seed::obj(json!({
        "employee-id": u.s("employee-id"),
        "skill-id": skill_id,
        "skill-name": skill,
        "certifiable-skill-guid": cert_guid(&ctx.st.store, &skill),
        "followed-at": ctx.now_ts(),
    }));
    let id = ctx.st.store.new_id();
    let mut r = Record::new(id.clone(), rec);
    r.rels.push(Rel::to("user", "users", &u.id));
    ctx.st.store.insert(coll::USER_SKILLS, r);
    ctx.log(coll::USER_SKILLS, &id);
    let store = &ctx.st.store;
    Resp::json(
        201,
        &single(ser(
            store,
            ctx.base,
            coll::USER_SKILLS,
            store.get(coll::USER_SKILLS, &id).expect("inserted"),
        )),
    )
}

/// `DELETE /api/v2/user-skills/{id}` → 204.
pub fn user_skill_delete(ctx: &mut Ctx) -> Resp {
    let id = ctx.id().to_string();
    if ctx.st.store.remove(coll::USER_SKILLS, &id).is_none() {
        return Resp::not_found("User skill", &id);
    }
    ctx.log(coll::USER_SKILLS, &id);
    Resp::empty(204)
}
