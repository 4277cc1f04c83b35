//! Group membership writes (`/groups/{id}/relationships/members`).

use super::{relationship_items, Ctx};
use crate::envelope::Resp;
use crate::seed::member_attrs;
use crate::store::{coll, Record, Rel};
use serde_json::Value;

/// The group id of the path (404 when unknown) and the user ids of a body
/// `{"data":[{"type":"users","id":"..."}]}`; every id must exist (else 400, nothing applied).
fn member_change(ctx: &Ctx) -> Result<(String, Vec<String>), Resp> {
    let gid = ctx.id().to_string();
    if ctx.st.store.get(coll::GROUPS, &gid).is_none() {
        return Err(Resp::not_found("Group", &gid));
    }
    let items = relationship_items(ctx, r#"{"type": "users", "id": "<user id>"}"#)?;
    let mut ids = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some(id) = it.get("id").and_then(Value::as_str) else {
            return Err(Resp::bad_request_src(
                "Each member needs a user id.",
                &format!("/data/{i}/id"),
            ));
        };
        if ctx.st.store.get(coll::USERS, id).is_none() {
            return Err(Resp::bad_request_src(
                format!("Invalid user identifier: {id}"),
                id,
            ));
        }
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
        }
    }
    Ok((gid, ids))
}

/// `POST /api/v2/groups/{id}/relationships/members` → 204 (already-members are skipped).
pub fn members_add(ctx: &mut Ctx) -> Resp {
    let (gid, ids) = match member_change(ctx) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let now = ctx.now_ts();
    for uid in ids {
        let exists = ctx.st.store.all(coll::GROUP_USERS).iter().any(|m| {
            m.parent.as_deref() == Some(gid.as_str()) && m.rel_id("user") == Some(uid.as_str())
        });
        if exists {
            continue;
        }
        let u = ctx
            .st
            .store
            .get(coll::USERS, &uid)
            .expect("checked")
            .clone();
        let mut m = Record::new(
            ctx.st.store.new_id(),
            member_attrs(&u, "Member", now.clone()),
        );
        m.parent = Some(gid.clone());
        m.rels.push(Rel::to("user", "users", &uid));
        ctx.st.store.insert(coll::GROUP_USERS, m);
    }
    ctx.log("group-members", &gid);
    Resp::empty(204)
}

/// `DELETE /api/v2/groups/{id}/relationships/members` → 204 (non-members are ignored).
pub fn members_remove(ctx: &mut Ctx) -> Resp {
    let (gid, ids) = match member_change(ctx) {
        Ok(v) => v,
        Err(r) => return r,
    };
    ctx.st.store.all_mut(coll::GROUP_USERS).retain(|m| {
        m.parent.as_deref() != Some(gid.as_str())
            || !m.rel_id("user").is_some_and(|u| ids.iter().any(|x| x == u))
    });
    ctx.log("group-members", &gid);
    Resp::empty(204)
}
