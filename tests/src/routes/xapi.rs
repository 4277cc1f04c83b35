//! xAPI statements: `GET /xAPI/statements` (`more` paging) and `POST /xAPI/statements`.

use super::Ctx;
use crate::clock::{fmt_ticks, parse_datetime};
use crate::envelope::Resp;
use crate::paging::{self, Shape};
use crate::store::{Statement, StatementBody};
use serde_json::{json, Value};

fn with_base(v: Value, base: &str) -> Value {
    match v {
        Value::String(s) if s.contains("{base}") => Value::String(s.replace("{base}", base)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| with_base(x, base)).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| (k, with_base(x, base)))
                .collect(),
        ),
        other => other,
    }
}

fn time_param(ctx: &Ctx, key: &str) -> Result<Option<i64>, Resp> {
    match ctx.query.get(key) {
        None | Some("") => Ok(None),
        Some(v) => parse_datetime(v).map(Some).ok_or_else(|| {
            Resp::bad_request_src(format!("{key} must be an ISO-8601 date-time, got {v:?}"), v)
        }),
    }
}

/// `GET /xAPI/statements?limit&since&until&ascending&verb` → `{"statements":[...],"more"?}`.
pub fn list(ctx: &mut Ctx) -> Resp {
    paging::list(ctx, Shape::Xapi, |ctx| {
        let since = time_param(ctx, "since")?;
        let until = time_param(ctx, "until")?;
        let ascending = match ctx.query.get("ascending") {
            None | Some("") => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(v) => {
                return Err(Resp::bad_request_src(
                    format!("ascending must be true or false, got {v:?}"),
                    v,
                ))
            }
        };
        let verb = ctx
            .query
            .get("verb")
            .filter(|v| !v.is_empty())
            .map(str::to_string);
        let base = ctx.base;
        let mut items: Vec<&Statement> = ctx
            .st
            .store
            .statements
            .iter()
            .filter(|s| since.is_none_or(|t| s.ts_ms > t) && until.is_none_or(|t| s.ts_ms <= t))
            .filter(|s| {
                verb.as_deref().is_none_or(|v| {
                    let id = s.verb.replace("{base}", base);
                    id == v
                        || id
                            .rsplit('/')
                            .next()
                            .is_some_and(|last| last.eq_ignore_ascii_case(v))
                })
            })
            .collect();
        items.sort_by_key(|s| s.ts_ms);
        if !ascending {
            items.reverse();
        }
        Ok(items
            .into_iter()
            .map(|s| with_base(s.json(), base))
            .collect())
    })
}

/// `POST /xAPI/statements`: one statement or an array → 200 with the array of ids.
pub fn create(ctx: &mut Ctx) -> Resp {
    let body = match ctx.json_body() {
        Ok(b) => b,
        Err(r) => return r,
    };
    let items = match body {
        Value::Array(a) if !a.is_empty() => a,
        o @ Value::Object(_) => vec![o],
        _ => {
            return Resp::bad_request(
                "The body must be a statement object or a non-empty array of statements.",
            )
        }
    };
    for (i, st) in items.iter().enumerate() {
        for key in ["actor", "verb", "object"] {
            if !st.get(key).is_some_and(Value::is_object) {
                return Resp::bad_request_src(
                    format!("Statement {i} needs an object {key:?}."),
                    &format!("/{i}/{key}"),
                );
            }
        }
        if !st.pointer("/verb/id").is_some_and(Value::is_string) {
            return Resp::bad_request_src(
                format!("Statement {i} needs verb.id."),
                &format!("/{i}/verb/id"),
            );
        }
        if let Some(ts) = st.get("timestamp") {
            if ts.as_str().and_then(parse_datetime).is_none() {
                return Resp::bad_request_src(
                    format!("Statement {i} has an invalid timestamp."),
                    &format!("/{i}/timestamp"),
                );
            }
        }
        if let Some(id) = st.get("id") {
            let Some(id) = id.as_str() else {
                return Resp::bad_request_src(
                    format!("Statement {i} has a non-string id."),
                    &format!("/{i}/id"),
                );
            };
            if ctx.st.store.statements.iter().any(|s| s.id == id) {
                return Resp::error_src(
                    409,
                    "conflict",
                    format!("A statement with id {id} already exists."),
                    Some(id),
                );
            }
        }
    }
    let now = fmt_ticks(ctx.now_ms * 10_000, 7);
    let mut ids = Vec::new();
    for mut st in items {
        let id = match st.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => ctx.st.store.new_uuid(),
        };
        st["id"] = json!(id);
        if st.get("timestamp").is_none() {
            st["timestamp"] = json!(now);
        }
        st["stored"] = json!(now);
        let ts_ms = st["timestamp"]
            .as_str()
            .and_then(parse_datetime)
            .unwrap_or(ctx.now_ms);
        let verb = st
            .pointer("/verb/id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        ctx.st.store.statements.push(Statement {
            id: id.clone(),
            ts_ms,
            verb,
            body: StatementBody::Json(st),
        });
        ids.push(id);
    }
    for id in &ids {
        ctx.log("xapi-statements", id);
    }
    Resp::json(200, &json!(ids))
}
