//! In-memory data: generic records grouped in named collections, plus the write log.

use crate::rng::SplitMix64;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// A relationship entry (`{"<name>": {"data": {"id","type"}}}`); `target` is `(type, id)`.
/// Names and types are the sandbox's own literals (no allocation per relationship: 100k
/// seeded users have 2M of them).
#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    /// Relationship name (`user`, `content`, `manager`, `created_by`, ...).
    pub name: &'static str,
    /// `(type, id)`, or `None` for `"data": null`.
    pub target: Option<(&'static str, String)>,
}

impl Rel {
    /// A relationship to `(rtype, id)`.
    pub fn to(name: &'static str, rtype: &'static str, id: &str) -> Self {
        Rel {
            name,
            target: Some((rtype, id.into())),
        }
    }
    /// A relationship with `"data": null`.
    pub fn null(name: &'static str) -> Self {
        Rel { name, target: None }
    }
}

/// A record's attributes: `(key, value)` pairs sorted by key (the order a JSON object is
/// written in), keys shared between records through [`Store::insert`].
///
/// A `Map` is a B-tree whose every node is about 640 bytes, however few keys it holds: 100k
/// seeded users make 1.5M records of 2 to 6 attributes, and their maps were most of the
/// sandbox's 2.4 GiB.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attrs(Vec<(Arc<str>, Value)>);

impl Attrs {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key`, giving its previous value.
    pub fn insert(&mut self, key: impl AsRef<str>, value: Value) -> Option<Value> {
        let key = key.as_ref();
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (Arc::from(key), value));
                None
            }
        }
    }

    /// Removes `key`, giving its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Sets every pair of `pairs`.
    pub fn extend(&mut self, pairs: impl IntoIterator<Item = (String, Value)>) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }

    /// The pairs, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// A copy as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    }
}

impl From<Map<String, Value>> for Attrs {
    fn from(map: Map<String, Value>) -> Self {
        // A Map iterates by key: the pairs come sorted.
        Attrs(map.into_iter().map(|(k, v)| (Arc::from(k), v)).collect())
    }
}

impl serde::Serialize for Attrs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// One stored resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Hashid-like id.
    pub id: String,
    /// Kebab-case attributes as served.
    pub attrs: Attrs,
    /// Relationships in serialisation order.
    pub rels: Vec<Rel>,
    /// Owner id for nested collections (pathway tags, group members, ...).
    pub parent: Option<String>,
}

impl Record {
    /// A record with the given id and attributes.
    pub fn new(id: String, attrs: Map<String, Value>) -> Self {
        Record {
            id,
            attrs: attrs.into(),
            rels: Vec::new(),
            parent: None,
        }
    }

    /// String attribute.
    pub fn s(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Value::as_str)
    }

    /// Boolean attribute (absent = false).
    pub fn b(&self, key: &str) -> bool {
        self.attrs
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// Id of the target of relationship `name`.
    pub fn rel_id(&self, name: &str) -> Option<&str> {
        self.rels
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.target.as_ref())
            .map(|(_, id)| id.as_str())
    }

    /// Sets (or adds) relationship `name`.
    pub fn set_rel(&mut self, rel: Rel) {
        if let Some(r) = self.rels.iter_mut().find(|r| r.name == rel.name) {
            *r = rel;
        } else {
            self.rels.push(rel);
        }
    }
}

/// An xAPI statement plus its timestamp for filtering and ordering.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Statement id (UUID).
    pub id: String,
    /// Milliseconds since the epoch (`timestamp`, or `stored` when absent).
    pub ts_ms: i64,
    /// Verb id.
    pub verb: String,
    /// The statement. `{base}` in strings is replaced by the request's base URL on output.
    pub body: StatementBody,
}

impl Statement {
    /// The statement as JSON (`{base}` not yet replaced).
    pub fn json(&self) -> Value {
        match &self.body {
            StatementBody::Json(v) => v.clone(),
            StatementBody::Seeded(s) => s.json(&self.id, &self.verb),
        }
    }
}

/// What a statement holds: the JSON a client posted, or the few fields of a seeded one (its
/// JSON is made when it is listed: a `Value` tree is about 6 KB, and 100k seeded users have
/// 300k statements).
#[derive(Debug, Clone)]
pub enum StatementBody {
    /// Posted: kept as sent (with `id`, `timestamp` and `stored` set).
    Json(Value),
    /// Seeded.
    Seeded(Box<SeededStatement>),
}

/// A seeded statement: a user did `verb` to an activity.
#[derive(Debug, Clone)]
pub struct SeededStatement {
    /// The user's organization e-mail (`actor.mbox` without `mailto:`).
    pub email: Box<str>,
    /// The user's full name.
    pub name: Option<Box<str>>,
    /// The user's employee id.
    pub employee_id: Option<Box<str>>,
    /// `completed`, `loggedin`.
    pub verb: &'static str,
    /// The activity id's last segment.
    pub object: Box<str>,
    /// The activity's English name.
    pub object_name: Box<str>,
    /// The activity type's last segment, lower-case (`course`, `application`).
    pub object_type: Box<str>,
    /// `timestamp` and `stored`.
    pub ts: Box<str>,
}

impl SeededStatement {
    fn json(&self, id: &str, verb_id: &str) -> Value {
        serde_json::json!({
            "id": id,
            "actor": {
                "objectType": "Agent",
                "mbox": format!("mailto:{}", self.email),
                "name": self.name,
            },
            "verb": { "id": verb_id, "display": { "en-US": self.verb } },
            "object": {
                "objectType": "Activity",
                "id": format!("{{base}}/xAPI/activities/{}", self.object),
                "definition": {
                    "name": { "en-US": self.object_name },
                    "type": format!("https://api.degreed.com/xAPI/activities/types/{}", self.object_type),
                },
            },
            "context": { "platform": "Degreed", "extensions": { "employee-id": self.employee_id } },
            "timestamp": self.ts,
            "stored": self.ts,
        })
    }
}

/// One entry of the applied-write log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// 1-based sequence number.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Client id of the token.
    pub client_id: String,
    /// Collection written (`users`, `content`, `completions`, `group-members`, ...).
    pub resource_type: String,
    /// Id of the record written.
    pub resource_id: String,
    /// The request body (JSON, or null).
    pub body: Value,
}

/// Collection names.
pub mod coll {
    #![allow(missing_docs)]
    pub const USERS: &str = "users";
    pub const CONTENT: &str = "content";
    pub const COMPLETIONS: &str = "completions";
    pub const REQUIRED_LEARNING: &str = "required-learning";
    pub const RECOMMENDATIONS: &str = "recommendations";
    pub const PATHWAYS: &str = "pathways";
    pub const PATHWAY_TAGS: &str = "pathway-tags";
    pub const PATHWAY_COLLABORATORS: &str = "pathway-collaborators";
    pub const PATHWAY_GROUPS: &str = "pathway-groups";
    pub const PATHWAY_FOLLOWERS: &str = "pathway-followers";
    pub const SKILL_PLANS: &str = "skill-plans";
    pub const SKILL_PLAN_FOLLOWERS: &str = "skill-plan-followers";
    pub const GROUPS: &str = "groups";
    pub const GROUP_USERS: &str = "group-users";
    pub const SKILL_RATINGS: &str = "skill-ratings";
    pub const USER_SKILLS: &str = "user-skills";
    pub const CERTIFIABLE_SKILLS: &str = "certifiable-skills";
    pub const LOGINS: &str = "logins";
    pub const VIEWS: &str = "views";
    pub const SEARCH_TERMS: &str = "search-terms";
    pub const USER_FOLLOWERS: &str = "user-followers";
    pub const PROVIDERS: &str = "providers";
    pub const PROVIDER_LICENCES: &str = "provider-licences";
}

/// All data of one sandbox.
#[derive(Debug)]
pub struct Store {
    /// Named collections in insertion order.
    pub colls: BTreeMap<&'static str, Vec<Record>>,
    /// Skills attached to content, by content id.
    pub content_skills: BTreeMap<String, Vec<String>>,
    /// xAPI statements in insertion order.
    pub statements: Vec<Statement>,
    /// Applied writes.
    pub log: Vec<LogEntry>,
    ids: HashSet<String>,
    keys: HashSet<Arc<str>>,
    rng: SplitMix64,
}

impl Store {
    /// An empty store whose ids come from `seed`.
    pub fn new(seed: u64) -> Self {
        Store {
            colls: BTreeMap::new(),
            content_skills: BTreeMap::new(),
            statements: Vec::new(),
            log: Vec::new(),
            ids: HashSet::new(),
            keys: HashSet::new(),
            rng: SplitMix64::derive(seed, "ids"),
        }
    }

    /// A fresh unique Hashid-like id (6 or 7 characters of `[A-Za-z0-9]`).
    pub fn new_id(&mut self) -> String {
        loop {
            let len = 6 + self.rng.below(2) as usize;
            let id = self.rng.alnum(len);
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// A fresh UUID from the id stream.
    pub fn new_uuid(&mut self) -> String {
        self.rng.uuid()
    }

    /// The records of a collection.
    pub fn all(&self, c: &str) -> &[Record] {
        self.colls.get(c).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Mutable records of a collection (created on demand).
    pub fn all_mut(&mut self, c: &'static str) -> &mut Vec<Record> {
        self.colls.entry(c).or_default()
    }

    /// Appends a record.
    pub fn insert(&mut self, c: &'static str, mut rec: Record) {
        // A relationship list grows to 4 on its first push: 100k seeded users have 1.5M
        // records, most with one or two relationships.
        rec.rels.shrink_to_fit();
        for (k, _) in &mut rec.attrs.0 {
            match self.keys.get(k) {
                Some(shared) => *k = shared.clone(),
                None => {
                    self.keys.insert(k.clone());
                }
            }
        }
        self.all_mut(c).push(rec);
    }

    /// Finds a record by id (case-sensitive, as Hashids are).
    pub fn get(&self, c: &str, id: &str) -> Option<&Record> {
        self.all(c).iter().find(|r| r.id == id)
    }

    /// Finds a record by id, mutably.
    pub fn get_mut(&mut self, c: &'static str, id: &str) -> Option<&mut Record> {
        self.all_mut(c).iter_mut().find(|r| r.id == id)
    }

    /// Removes a record by id.
    pub fn remove(&mut self, c: &'static str, id: &str) -> Option<Record> {
        let v = self.all_mut(c);
        let pos = v.iter().position(|r| r.id == id)?;
        Some(v.remove(pos))
    }

    /// Appends to the write log.
    pub fn log_write(&mut self, mut entry: LogEntry) {
        entry.seq = self.log.len() as u64 + 1;
        self.log.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attrs_behave_as_a_sorted_map() {
        let map = crate::seed::obj(json!({ "title": "T", "a-b": 1, "z": null }));
        let mut attrs = Attrs::from(map.clone());
        assert_eq!(
            serde_json::to_string(&attrs).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(attrs.insert("m", json!(true)), None);
        assert_eq!(attrs.insert("title", json!("U")), Some(json!("T")));
        assert_eq!(attrs.remove("z"), Some(Value::Null));
        assert!(!attrs.contains_key("z") && attrs.contains_key("a-b"));
        let keys: Vec<&str> = attrs.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a-b", "m", "title"]);
        assert_eq!(
            attrs.to_map(),
            crate::seed::obj(json!({ "a-b": 1, "m": true, "title": "U" }))
        );
    }

    #[test]
    fn stored_records_share_attribute_keys() {
        let mut st = Store::new(1);
        for _ in 0..2 {
            let id = st.new_id();
            st.insert(
                coll::LOGINS,
                Record::new(id, crate::seed::obj(json!({ "logged-in-at": "x" }))),
            );
        }
        let [a, b] = st.all(coll::LOGINS) else {
            panic!("two records")
        };
        assert!(Arc::ptr_eq(&a.attrs.0[0].0, &b.attrs.0[0].0));
    }
}
