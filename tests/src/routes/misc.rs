//! Generic read handlers: lists and gets driven by the operation name. (Skill-rating,
//! user-skill and required-learning writes are not simulated: no source shows them.)

use super::{ser, window, Ctx};
use crate::envelope::{single, Resp};
use crate::paging::{self, Shape};
use crate::store::coll;

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
        "pathways.list" => ListCfg::top(coll::PATHWAYS, Some("modified-at"), true),
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
        "skill_ratings.list" => ListCfg::top(coll::SKILL_RATINGS, Some("rated-at"), true),
        "user_skills.list" => ListCfg::top(coll::USER_SKILLS, Some("followed-at"), true),
        "certifiable_skills.list" => {
            ListCfg::top(coll::CERTIFIABLE_SKILLS, Some("modified-at"), false)
        }
        "search_terms.list" => ListCfg::top(coll::SEARCH_TERMS, None, false),
        "user_followers.list" => ListCfg::top(coll::USER_FOLLOWERS, Some("followed-at"), true),
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
        let w = window(&ctx.query, cfg.windowed, ctx.st.cfg.window_end_inclusive)?;
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
