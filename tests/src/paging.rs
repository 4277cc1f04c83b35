//! Cursor pagination (facts §4): snapshot at the first request, a new single-use opaque token
//! per page, expiry 120 s after the last use (sandbox clock), no `next` on the last page.

use crate::envelope::Resp;
use crate::rng::SplitMix64;
use crate::routes::Ctx;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Default page size.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page size.
pub const MAX_LIMIT: usize = 1000;
/// Idle time after which a cursor expires.
pub const CURSOR_TTL_MS: i64 = 120_000;

/// How a page is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"data": [...], "links": {"self", "next"?}}`.
    Data,
    /// `{"statements": [...], "more"?: url}` (xAPI).
    Xapi,
}

#[derive(Debug)]
struct Cursor {
    path: String,
    items: Arc<Vec<Value>>,
    pos: usize,
    limit: usize,
    last_used_ms: i64,
}

/// Live cursors.
#[derive(Debug)]
pub struct Cursors {
    map: HashMap<String, Cursor>,
    rng: SplitMix64,
}

impl Cursors {
    /// No cursors; tokens drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Cursors {
            map: HashMap::new(),
            rng: SplitMix64::derive(seed, "cursors"),
        }
    }

    /// Number of live (not yet expired or used) cursors.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no cursor is live.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn fresh_token(&mut self) -> String {
        loop {
            let t = self.rng.alnum(6);
            if !self.map.contains_key(&t) {
                return t;
            }
        }
    }
}

/// Parses `limit`: absent → `None`; otherwise an integer in `1..=1000` or a 400.
pub fn parse_limit(raw: Option<&str>) -> Result<Option<usize>, Resp> {
    let Some(raw) = raw else { return Ok(None) };
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT as i64).contains(&n) => Ok(Some(n as usize)),
        _ => Err(Resp::error_src(
            400,
            "bad-request",
            format!("limit must be an integer between 1 and {MAX_LIMIT}, got {raw:?}"),
            Some(raw),
        )),
    }
}

/// Serves one page of a list. `compute` builds the full, filtered, serialised result set and
/// is only called for a first request (no `next`).
pub fn list(
    ctx: &mut Ctx,
    shape: Shape,
    compute: impl FnOnce(&Ctx) -> Result<Vec<Value>, Resp>,
) -> Resp {
    let limit = match parse_limit(ctx.query.get("limit")) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let now = ctx.now_ms;
    let next = ctx
        .query
        .get("next")
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let (items, pos, limit) = match next {
        Some(tok) => {
            let cursors = &mut ctx.st.cursors;
            let Some(cur) = cursors.map.remove(&tok) else {
                return invalid_cursor(&tok, "unknown or already used");
            };
            if now - cur.last_used_ms > CURSOR_TTL_MS {
                return invalid_cursor(&tok, "expired (no request for 120 seconds)");
            }
            if cur.path != ctx.path {
                return invalid_cursor(&tok, "issued for another resource");
            }
            (cur.items, cur.pos, limit.unwrap_or(cur.limit))
        }
        None => match compute(ctx) {
            Ok(items) => (Arc::new(items), 0, limit.unwrap_or(DEFAULT_LIMIT)),
            Err(r) => return r,
        },
    };
    // Drop cursors that expired meanwhile.
    ctx.st
        .cursors
        .map
        .retain(|_, c| now - c.last_used_ms <= CURSOR_TTL_MS);

    let end = (pos + limit).min(items.len());
    let page: Vec<Value> = items[pos.min(end)..end].to_vec();
    let next_url = if end < items.len() {
        let tok = ctx.st.cursors.fresh_token();
        let url = format!("{}{}?limit={}&next={}", ctx.base, ctx.path, limit, tok);
        ctx.st.cursors.map.insert(
            tok,
            Cursor {
                path: ctx.path.to_string(),
                items: items.clone(),
                pos: end,
                limit,
                last_used_ms: now,
            },
        );
        Some(url)
    } else {
        None
    };
    match shape {
        Shape::Data => {
            let mut links = Map::new();
            links.insert("self".into(), Value::String(ctx.self_url()));
            if let Some(n) = next_url {
                links.insert("next".into(), Value::String(n));
            }
            Resp::json(200, &json!({ "data": page, "links": links }))
        }
        Shape::Xapi => {
            let mut m = Map::new();
            m.insert("statements".into(), Value::Array(page));
            if let Some(n) = next_url {
                m.insert("more".into(), Value::String(n));
            }
            Resp::json(200, &Value::Object(m))
        }
    }
}

fn invalid_cursor(tok: &str, why: &str) -> Resp {
    Resp::error_src(
        400,
        "invalid-cursor",
        format!("The next token is invalid: {why}"),
        Some(tok),
    )
}
