//! Generic read handlers (lists and gets driven by the operation name) and the small write
//! endpoints of skill ratings and user skills.

use super::{delete_logged, insert_logged, ser, stored, window, Ctx};
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

impl ListCfg {
    /// A top-level list, filtered on `date` when it has one.
    fn top(c: &'static str, date: Option<&'static str>, windowed: bool) -> Self {
        ListCfg {
            c,
            parent: None,
            date,
            windowed,
        }
    }

    /// A list nested under one item of `parent` (`what` names it in a 404); no date filter.
    fn nested(c: &'static str, parent: &'static str, what: &'static str) -> Self {
        ListCfg {
            c,
            parent: Some((parent, what)),
            date: None,
            windowed: false,
        }
    }
}

fn list_cfg(op: &str) -> ListCfg {
    match op {
        "completions.list" => ListCfg::top(coll::COMPLETIONS, Some("completed-at"), true),
        "required_learning.list" => ListCfg::top(coll::REQUIRED_LEARNING, Some("created-at"), true),
        "recommendations.list" => ListCfg::top(coll::RECOMMENDATIONS, Some("recommended-at"), true),
        "logins.list" => ListCfg::top(coll::LOGINS, Some("logged-in-at"), true),
        "views.list" => ListCfg::top(coll::VIEWS, Some("viewed-at"), true),
        "pathways.list" => ListCfg::top(coll::PATHWAYS, Some("modified-at"), false),
        "pathways.tags.list" => ListCfg::nested(coll::PATHWAY_TAGS, coll::PATHWAYS, "Pathway"),
        "pathways.collaborators.list" => {
            ListCfg::nested(coll::PATHWAY_COLLABORATORS, coll::PATHWAYS, "Pathway")
        }
        "pathways.groups.list" => ListCfg::nested(coll::PATHWAY_GROUPS, coll::PATHWAYS, "Pathway"),
        "pathways.followers.list" => {
            ListCfg::nested(coll::PATHWAY_FOLLOWERS, coll::PATHWAYS, "Pathway")
        }
        "skill_plans.list" => ListCfg::top(coll::SKILL_PLANS, Some("created-at"), false),
        "skill_plans.followers.list" => {
            ListCfg::nested(coll::SKILL_PLAN_FOLLOWERS, coll::SKILL_PLANS, "Skill plan")
        }
        "groups.list" => ListCfg::top(coll::GROUPS, Some("modified-at"), false),
        "groups.users.list" => ListCfg::nested(coll::GROUP_USERS, coll::GROUPS, "Group"),
        "skill_ratings.list" => ListCfg::top(coll::SKILL_RATINGS, Some("rated-at"), false),
        "user_skills.list" => ListCfg::top(coll::USER_SKILLS, Some("followed-at"), false),
        "certifiable_skills.list" => {
            ListCfg::top(coll::CERTIFIABLE_SKILLS, Some("modified-at"), false)
        }
        "search_terms.list" => ListCfg::top(coll::SEARCH_TERMS, None, false),
        "user_followers.list" => ListCfg::top(coll::USER_FOLLOWERS, Some("followed-at"), false),
        "providers.list" => ListCfg::top(coll::PROVIDERS, None, false),
        "providers.licences.list" => {
            ListCfg::nested(coll::PROVIDER_LICENCES, coll::PROVIDERS, "Provider")
        }
        _ => ListCfg::top(coll::SEARCH_TERMS, None, false),
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

/// The attributes of a skill write, with its user and `skill-name`.
fn skill_write(ctx: &Ctx) -> Result<(Map<String, Value>, Record, String), Resp> {
    let (attrs, _) = ctx.attributes()?;
    let user = skill_user(&ctx.st.store, &attrs)?;
    let skill = skill_name(&attrs)?;
    Ok((attrs, user, skill))
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
    let (attrs, u, skill) = match skill_write(ctx) {
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
    let rels = vec![Rel::to("user", "users", &u.id)];
    let id = insert_logged(ctx, coll::SKILL_RATINGS, rec, rels);
    stored(ctx, 201, coll::SKILL_RATINGS, &id)
}

/// `POST /api/v2/user-skills`: user + `skill-name`; 409 if the user already follows the skill.
pub fn user_skill_create(ctx: &mut Ctx) -> Resp {
    let (_, u, skill) = match skill_write(ctx) {
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
    let rels = vec![Rel::to("user", "users", &u.id)];
    let id = insert_logged(ctx, coll::USER_SKILLS, rec, rels);
    stored(ctx, 201, coll::USER_SKILLS, &id)
}

/// `DELETE /api/v2/user-skills/{id}` → 204.
pub fn user_skill_delete(ctx: &mut Ctx) -> Resp {
    delete_logged(ctx, coll::USER_SKILLS, "User skill")
}
