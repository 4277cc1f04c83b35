//! The model schema: every model's fields (wire keys and aliases, types, docs), every write
//! body's fields (with what a create requires), every enum, and what each catalogue operation
//! returns, as data.
//!
//! The Rust models and write bodies are declared once (the `model!`, `write_body!` and
//! `string_enum!` macros) and each declaration yields both the struct and its schema, so the
//! two cannot drift. [`schema`] gives the whole description as JSON
//! (`cargo run -p degreed --example schema`); the Python model classes and namespaces, the
//! TypeScript declarations and the parity tests of every host are generated from or checked
//! against it. Adding a model field is one line in the model's declaration plus regenerating
//! the host files (each host's drift test names the command).

use serde_json::{json, Map, Value};

use crate::catalog::{operations, Body, Method, Operation, Paging};

/// A description in the schema (`doc` of models, fields, enums): the text with the
/// `schema-docs` feature (on by default), empty without it. The wasm package reads the schema
/// only for field names and kinds and is built without the feature: the descriptions were
/// 38 KiB of it. The generators and the hosts' declarations take them from a native build.
pub const fn doc(text: &'static str) -> &'static str {
    if cfg!(feature = "schema-docs") {
        text
    } else {
        ""
    }
}

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// A whole number.
    Int,
    /// A number (sent as a number or as a numeric string; read as a float).
    Number,
    /// `true`/`false`.
    Bool,
    /// A date-time (UTC; .NET's minimum date reads as "none").
    Timestamp,
    /// A calendar day (`yyyy-mm-dd`).
    Date,
    /// One of a set of strings; unknown values are kept as sent.
    Enum(&'static EnumSchema),
    /// A list of strings (one string reads as a list of one).
    StringList,
    /// Any JSON, kept as sent.
    Json,
}

impl Kind {
    /// The name generators read: `string`, `int`, `number`, `bool`, `timestamp`, `date`,
    /// `enum`, `list` or `json`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Int => "int",
            Kind::Number => "number",
            Kind::Bool => "bool",
            Kind::Timestamp => "timestamp",
            Kind::Date => "date",
            Kind::Enum(_) => "enum",
            Kind::StringList => "list",
            Kind::Json => "json",
        }
    }

    fn to_json(self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), self.name().into());
        match self {
            Kind::Enum(e) => {
                m.insert("enum".into(), e.name.into());
            }
            Kind::StringList => {
                m.insert("items".into(), "string".into());
            }
            _ => {}
        }
        Value::Object(m)
    }
}

/// A Rust type a field can have, with its [`Kind`].
pub trait SchemaType {
    /// The field's kind.
    const KIND: Kind;
}

macro_rules! schema_types {
    ($($t:ty => $k:expr),* $(,)?) => {$(
        impl SchemaType for $t {
            const KIND: Kind = $k;
        }
    )*};
}

schema_types!(
    String => Kind::String,
    i64 => Kind::Int,
    f64 => Kind::Number,
    bool => Kind::Bool,
    crate::datetime::Timestamp => Kind::Timestamp,
    crate::datetime::Date => Kind::Date,
    Vec<String> => Kind::StringList,
    Value => Kind::Json,
);

/// An enumerated attribute type.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumSchema {
    /// `ContentType`, ...
    pub name: &'static str,
    /// Doc comment.
    pub doc: &'static str,
    /// The API's spelling of each known value.
    pub values: &'static [&'static str],
}

/// One attribute of a model or a write body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSchema {
    /// The field's name in `snake_case` (camelCase in JavaScript).
    pub name: &'static str,
    /// The wire keys: the first is the one written, the others are read as the same field.
    pub wire: &'static [&'static str],
    /// Its type.
    pub kind: Kind,
    /// Doc comment.
    pub doc: &'static str,
    /// Write bodies: whether the field must be given. Models: `false`.
    pub required: bool,
}

/// A relationship accessor of a model (`manager_id` reads the `manager` relationship).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelSchema {
    /// The accessor (`manager_id`).
    pub name: &'static str,
    /// The relationship (`manager`).
    pub relationship: &'static str,
    /// Doc comment.
    pub doc: &'static str,
}

/// A resource model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSchema {
    /// `User`, `Course`, ...
    pub name: &'static str,
    /// The JSON:API `type` it is usually sent with.
    pub resource_type: &'static str,
    /// Doc comment.
    pub doc: &'static str,
    /// Its attributes.
    pub fields: &'static [FieldSchema],
    /// Its relationship accessors.
    pub relationships: &'static [RelSchema],
    /// Resources read from the item's `included` (`(field, model)`).
    pub included: &'static [(&'static str, &'static str)],
}

/// The body of a create or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputSchema {
    /// `NewUser`, `UserUpdate`, ...
    pub name: &'static str,
    /// Its attributes (required ones first).
    pub fields: &'static [FieldSchema],
    /// Its to-one relationships (`(field, relationship, type)`).
    pub relationships: &'static [(&'static str, &'static str, &'static str)],
}

/// The trimmed text of a doc comment collected by the declaring macros (one line each).
pub(crate) fn doc_text(raw: &str) -> String {
    raw.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned()
}

use super::{content, groups, learning, pathways, providers, reporting, skills, users, xapi};

/// Every model, in the order hosts declare them. A base model comes before the models that
/// extend it ([`base_of`]).
pub fn models() -> &'static [&'static ModelSchema] {
    &[
        &users::User::SCHEMA,
        &content::Content::SCHEMA,
        &content::Article::SCHEMA,
        &content::Book::SCHEMA,
        &content::Video::SCHEMA,
        &content::Course::SCHEMA,
        &content::Assessment::SCHEMA,
        &content::Podcast::SCHEMA,
        &content::Event::SCHEMA,
        &content::ContentSummary::SCHEMA,
        &content::ContentSkill::SCHEMA,
        &content::TodaysLearning::SCHEMA,
        &learning::Completion::SCHEMA,
        &learning::RequiredLearning::SCHEMA,
        &learning::Recommendation::SCHEMA,
        &pathways::Pathway::SCHEMA,
        &pathways::PathwayTag::SCHEMA,
        &pathways::PathwayCollaborator::SCHEMA,
        &pathways::PathwayFollower::SCHEMA,
        &pathways::SkillPlan::SCHEMA,
        &pathways::SkillPlanFollower::SCHEMA,
        &groups::Group::SCHEMA,
        &groups::GroupMembership::SCHEMA,
        &skills::SkillRating::SCHEMA,
        &skills::UserSkill::SCHEMA,
        &skills::CertifiableSkill::SCHEMA,
        &reporting::Login::SCHEMA,
        &reporting::View::SCHEMA,
        &reporting::SearchTerm::SCHEMA,
        &reporting::UserFollower::SCHEMA,
        &providers::Provider::SCHEMA,
        &providers::Licence::SCHEMA,
        &xapi::XapiStatement::SCHEMA,
    ]
}

/// The model a model extends in the hosts (every field of the base is one of its own):
/// the typed content kinds extend `Content`.
pub fn base_of(model: &str) -> Option<&'static str> {
    matches!(
        model,
        "Article" | "Book" | "Video" | "Course" | "Assessment" | "Podcast" | "Event"
    )
    .then_some("Content")
}

/// A model by name.
pub fn model(name: &str) -> Option<&'static ModelSchema> {
    models().iter().copied().find(|m| m.name == name)
}

/// Every write body.
pub fn inputs() -> &'static [&'static InputSchema] {
    use crate::ops::{completions as c, content as k, users as u};
    &[
        &u::NewUser::SCHEMA,
        &u::UserUpdate::SCHEMA,
        &k::NewArticle::SCHEMA,
        &k::NewBook::SCHEMA,
        &k::NewVideo::SCHEMA,
        &k::NewCourse::SCHEMA,
        &k::NewAssessment::SCHEMA,
        &k::NewPodcast::SCHEMA,
        &k::NewEvent::SCHEMA,
        &k::ContentUpdate::SCHEMA,
        &c::NewCompletion::SCHEMA,
        &c::CompletionUpdate::SCHEMA,
    ]
}

/// A write body by name.
pub fn input(name: &str) -> Option<&'static InputSchema> {
    inputs().iter().copied().find(|m| m.name == name)
}

/// Every enum the models and bodies use.
pub fn enums() -> &'static [&'static EnumSchema] {
    use super::enums::*;
    &[
        ContentType::SCHEMA,
        DurationType::SCHEMA,
        UserIdentifierType::SCHEMA,
        ContentIdType::SCHEMA,
        ProfileVisibility::SCHEMA,
        PermissionRole::SCHEMA,
        GroupPrivacy::SCHEMA,
        AssignmentStatus::SCHEMA,
    ]
}

/// The model of what an operation returns (its items for a list), by namespace: the longest
/// dotted prefix of the operation's name that has one. `None` for operations that return no
/// resource (deletes, relationship writes) or raw JSON (xAPI writes).
pub fn operation_model(op: &Operation) -> Option<&'static str> {
    if op.is_custom() || matches!(op.body, Body::Relationships(_) | Body::Raw) {
        return None;
    }
    if op.method == Method::Delete {
        return None;
    }
    // Namespaces and the model of their items.
    const BY_NAMESPACE: &[(&str, &str)] = &[
        ("users", "User"),
        ("users.completions", "Completion"),
        ("users.required_learning", "RequiredLearning"),
        ("users.recommended_learning", "Recommendation"),
        ("users.skill_ratings", "SkillRating"),
        ("users.user_skills", "UserSkill"),
        ("users.skill_plans", "SkillPlan"),
        ("users.todays_learning", "TodaysLearning"),
        ("content", "Content"),
        ("content.skills", "ContentSkill"),
        ("content.articles", "Article"),
        ("content.books", "Book"),
        ("content.videos", "Video"),
        ("content.courses", "Course"),
        ("content.assessments", "Assessment"),
        ("content.podcasts", "Podcast"),
        ("content.events", "Event"),
        ("completions", "Completion"),
        ("required_learning", "RequiredLearning"),
        ("recommendations", "Recommendation"),
        ("pathways", "Pathway"),
        ("pathways.tags", "PathwayTag"),
        ("pathways.collaborators", "PathwayCollaborator"),
        ("pathways.groups", "Group"),
        ("pathways.followers", "PathwayFollower"),
        ("skill_plans", "SkillPlan"),
        ("skill_plans.followers", "SkillPlanFollower"),
        ("groups", "Group"),
        ("groups.users", "GroupMembership"),
        ("skill_ratings", "SkillRating"),
        ("user_skills", "UserSkill"),
        ("certifiable_skills", "CertifiableSkill"),
        ("logins", "Login"),
        ("views", "View"),
        ("search_terms", "SearchTerm"),
        ("user_followers", "UserFollower"),
        ("providers", "Provider"),
        ("providers.licences", "Licence"),
        ("xapi.statements", "XapiStatement"),
    ];
    let mut ns = op.name.rsplit_once('.').map_or(op.name, |(ns, _)| ns);
    loop {
        if let Some((_, m)) = BY_NAMESPACE.iter().find(|(n, _)| *n == ns) {
            return Some(m);
        }
        ns = ns.rsplit_once('.')?.0;
    }
}

/// The write body an operation takes (`users.create` → `NewUser`); `None` for operations
/// without a typed body.
pub fn operation_input(op: &Operation) -> Option<&'static str> {
    let Body::Resource(_) = op.body else {
        return None;
    };
    let update = op.method == Method::Patch;
    Some(match op.name.split('.').collect::<Vec<_>>().as_slice() {
        ["users", ..] if update => "UserUpdate",
        ["users", ..] => "NewUser",
        ["completions", _] if update => "CompletionUpdate",
        ["completions", _] => "NewCompletion",
        ["content", _, _] if update => "ContentUpdate",
        ["content", "articles", _] => "NewArticle",
        ["content", "books", _] => "NewBook",
        ["content", "videos", _] => "NewVideo",
        ["content", "courses", _] => "NewCourse",
        ["content", "assessments", _] => "NewAssessment",
        ["content", "podcasts", _] => "NewPodcast",
        ["content", "events", _] => "NewEvent",
        _ => return None,
    })
}

/// What a finished call of `op` gives the caller, the same in every host:
///
/// - `list`: the items, as models of [`operation_model`];
/// - `model`: one model; for a create or update answered without a body (204) nothing is
///   known of the record, so the result is `None` / `None` / `null` (Rust
///   [`super::decode_written`], Python, JavaScript) — never a model with invented fields;
/// - `raw`: the answer's JSON as sent (xAPI writes);
/// - `nothing`: deletes and relationship writes.
pub fn operation_result(op: &Operation) -> &'static str {
    if op.paging != Paging::None {
        "list"
    } else if matches!(op.body, Body::Raw) {
        "raw"
    } else if operation_model(op).is_some() {
        "model"
    } else {
        "nothing"
    }
}

fn field_json(f: &FieldSchema, required_on_create: Option<bool>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), f.name.into());
    m.insert("wire".into(), f.wire[0].into());
    m.insert("aliases".into(), json!(f.wire[1..]));
    if let Value::Object(k) = f.kind.to_json() {
        m.extend(k);
    }
    m.insert("doc".into(), doc_text(f.doc).into());
    match required_on_create {
        Some(r) => m.insert("required_on_create".into(), r.into()),
        None => m.insert("required".into(), f.required.into()),
    };
    Value::Object(m)
}

/// The fields a create of `model` requires (by name), from the body of its create.
fn required_on_create(model: &str) -> Vec<&'static str> {
    operations()
        .filter(|op| op.method == Method::Post && operation_model(op) == Some(model))
        .filter_map(|op| input(operation_input(op)?))
        .flat_map(|i| i.fields.iter().filter(|f| f.required).map(|f| f.name))
        .collect()
}

/// The whole description as JSON: `{"version", "enums", "models", "inputs", "operations"}`.
///
/// - `enums[]`: `{name, doc, values}`;
/// - `models[]`: `{name, type, doc, extends, list_key, fields[], relationships[], included[]}`
///   with each field `{name, wire, aliases, type, enum?, items?, doc, required_on_create}`;
/// - `inputs[]`: `{name, fields[], relationships[]}`, each field with `required`;
/// - `operations[]`: `{name, method, path, path_params, scopes, paging, body, body_type,
///   filters, windowed, tenant_header, source, source_ref, model, input, result, result_204}`
///   (the catalogue's rows with what they return), where `result` is `list`,
///   `model`, `raw` or `nothing` ([`operation_result`]) and `result_204` what a write answered
///   without a body gives: `null` (a create or update, and a raw write's empty answer) or
///   `nothing` (deletes and relationship writes).
pub fn schema() -> Value {
    let enums: Vec<Value> = enums()
        .iter()
        .map(|e| json!({"name": e.name, "doc": doc_text(e.doc), "values": e.values}))
        .collect();
    let models: Vec<Value> = models()
        .iter()
        .map(|m| {
            let required = required_on_create(m.name);
            json!({
                "name": m.name,
                "type": m.resource_type,
                "doc": doc_text(m.doc),
                "extends": base_of(m.name),
                "list_key": if m.name == "XapiStatement" { "statements" } else { "data" },
                "fields": m.fields.iter()
                    .map(|f| field_json(f, Some(required.contains(&f.name))))
                    .collect::<Vec<_>>(),
                "relationships": m.relationships.iter()
                    .map(|r| json!({"name": r.name, "relationship": r.relationship, "doc": doc_text(r.doc)}))
                    .collect::<Vec<_>>(),
                "included": m.included.iter()
                    .map(|(name, model)| json!({"name": name, "model": model}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let inputs: Vec<Value> = inputs()
        .iter()
        .map(|i| {
            json!({
                "name": i.name,
                "fields": i.fields.iter().map(|f| field_json(f, None)).collect::<Vec<_>>(),
                "relationships": i.relationships.iter()
                    .map(|(name, rel, ty)| json!({"name": name, "relationship": rel, "type": ty}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let ops: Vec<Value> = operations()
        .map(|op| {
            let (body, body_type) = match op.body {
                Body::None => ("none", None),
                Body::Resource(t) => ("resource", Some(t)),
                Body::Relationships(t) => ("relationships", Some(t)),
                Body::Raw => ("raw", None),
            };
            let result = operation_result(op);
            json!({
                "name": op.name,
                "method": op.method.as_str(),
                "path": op.path,
                "path_params": op.path_params().collect::<Vec<_>>(),
                "scopes": op.scopes,
                "paging": match op.paging { Paging::None => "none", Paging::Cursor => "cursor", Paging::Xapi => "xapi" },
                "body": body,
                "body_type": body_type,
                "filters": op.filters,
                "windowed": op.windowed,
                "tenant_header": op.tenant_header,
                "source": op.source.kind(),
                "source_ref": op.source.reference(),
                "model": operation_model(op),
                "input": operation_input(op),
                "result": result,
                "result_204": if result == "raw" || (result == "model" && op.method != Method::Get) { "null" } else { "nothing" },
            })
        })
        .collect();
    json!({
        "version": 1,
        "enums": enums,
        "models": models,
        "inputs": inputs,
        "operations": ops,
    })
}

// What the hosts read from the schema for each attribute, as small sorted tables generated
// from it (`wire_tables.rs`, written by `scripts/generate.sh` from [`wire_tables_rs`]; a test
// checks it is up to date). The lookups below read only these tables, so a build that never
// prints the schema (the wasm package) does not link every model's field table: they were
// about 30 KiB (gzipped) of the wasm, pointers that compress badly.
#[rustfmt::skip]
#[path = "wire_tables.rs"]
mod wire_tables;

fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

/// The name a host gives an attribute sent as `kebab` (already in kebab-case) when a model
/// declares it under another name: `i-s-b-n13` (and `isbn`) → `isbn13`, `author` →
/// `authors`. `None` when the key's mechanical spelling is the field's name.
pub(crate) fn renamed(kebab: &str) -> Option<&'static str> {
    lookup(wire_tables::RENAMED, kebab)
}

/// How a string value of the field a (kebab-case) wire key names in the models is read:
/// `number`, `int`, `bool` or `list` (of strings) for fields of those kinds, `None` for any
/// other key (text, timestamps, dates, enums, JSON, unknown keys). Every model that declares
/// the key gives it the same kind (a test checks it).
pub(crate) fn converted_kind(kebab: &str) -> Option<&'static str> {
    lookup(wire_tables::CONVERTED, kebab)
}

/// The key a write sends for an attribute given as `kebab` when a write body declares the
/// field under another wire key (`isbn13` → `i-s-b-n13`); `None` otherwise.
pub(crate) fn written_key(kebab: &str) -> Option<&'static str> {
    lookup(wire_tables::WRITTEN, kebab)
}

/// The attributes a create (`op`, a POST with a typed body) must be given, as their wire
/// keys separated by spaces (`"user-id user-identifier-type ..."`; each is its field's name
/// in kebab-case, which a test checks); empty for other operations. Only the fields the API
/// docs mark required on create are there: a body whose required fields are inferred
/// (assessments, podcasts, events) requires nothing.
pub fn required_on_create_of(op: &str) -> &'static str {
    lookup(wire_tables::REQUIRED_ON_CREATE, op).unwrap_or("")
}

/// The required fields (names, in `case`) a create body lacks: `attrs` are its attributes
/// with the API's keys (kebab-case, a `null` counting as absent). The check the Rust typed
/// builders make by construction, for the bodies the hosts and raw requests send.
pub fn missing_on_create(
    op: &str,
    attrs: &Map<String, Value>,
    case: super::KeyCase,
) -> Vec<String> {
    required_on_create_of(op)
        .split(' ')
        .filter(|w| !w.is_empty() && attrs.get(*w).is_none_or(Value::is_null))
        .map(|w| super::convert_key(w, case))
        .collect()
}

/// The name [`converted_kind`] gives a field's kind, if a string value of it is converted.
fn converted_name(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Number => Some("number"),
        Kind::Int => Some("int"),
        Kind::Bool => Some("bool"),
        Kind::StringList => Some("list"),
        _ => None,
    }
}

/// The three tables the attribute lookups read, computed from [`models`] and [`inputs`]:
/// `(renamed, converted, written)`, each sorted by key, the first declaration of a key
/// winning (a test checks that all declarations agree).
#[allow(clippy::type_complexity)]
fn wire_table_rows() -> [Vec<(String, &'static str)>; 3] {
    use std::collections::BTreeMap;
    let mut renamed: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut kinds: BTreeMap<String, Kind> = BTreeMap::new();
    for m in models() {
        for f in m.fields {
            for w in f.wire {
                let k = crate::wire::kebab_case(w);
                if k.replace('-', "_") != f.name {
                    renamed.entry(k.clone()).or_insert(f.name);
                }
                kinds.entry(k).or_insert(f.kind);
            }
        }
    }
    let mut written: BTreeMap<String, &'static str> = BTreeMap::new();
    for f in inputs().iter().flat_map(|i| i.fields) {
        let k = f.name.replace('_', "-");
        if f.wire[0] != k {
            written.entry(k).or_insert(f.wire[0]);
        }
    }
    let converted = kinds
        .into_iter()
        .filter_map(|(k, kind)| Some((k, converted_name(kind)?)))
        .collect();
    [
        renamed.into_iter().collect(),
        converted,
        written.into_iter().collect(),
    ]
}

/// The required fields of every create with a typed body: `(operation, wire keys separated
/// by spaces)`, sorted by operation. A required field must be written under its name in
/// kebab-case, with no other key read as it (the table keeps one key per field).
fn required_rows() -> Vec<(&'static str, String)> {
    let mut rows: Vec<(&'static str, String)> = operations()
        .filter(|op| op.method == Method::Post)
        .filter_map(|op| {
            let keys: Vec<&str> = input(operation_input(op)?)?
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| {
                    assert!(
                        f.wire.len() == 1 && f.wire[0] == f.name.replace('_', "-"),
                        "{}: the required field {} is written as {:?}",
                        op.name,
                        f.name,
                        f.wire
                    );
                    f.wire[0]
                })
                .collect();
            (!keys.is_empty()).then(|| (op.name, keys.join(" ")))
        })
        .collect();
    rows.sort();
    rows
}

/// The text of `core/src/models/wire_tables.rs`, which `scripts/generate.sh` writes
/// (`cargo run -p degreed --example schema -- --wire-tables`).
#[doc(hidden)]
pub fn wire_tables_rs() -> String {
    use std::fmt::Write;
    let [renamed, converted, written] = wire_table_rows();
    let mut out = String::from(
        "// @generated by scripts/generate.sh from the model schema (core/src/models/schema.rs,\n\
         // `wire_tables_rs`): do not edit. A test in schema.rs fails when it is out of date.\n\
         //! What the hosts read from the model schema for each attribute, sorted by wire key\n\
         //! (kebab-case), for binary search.\n",
    );
    let tables = [
        (
            "RENAMED",
            "Keys a model declares under another field name: (key, field name).",
            renamed,
        ),
        (
            "CONVERTED",
            "Keys whose string values are read as another type: (key, `number`, `int`, `bool` or `list`).",
            converted,
        ),
        (
            "WRITTEN",
            "Fields a write body sends under another wire key: (field name in kebab-case, wire key).",
            written,
        ),
    ];
    for (name, doc, rows) in tables {
        let _ = write!(
            out,
            "\n/// {doc}\npub(super) const {name}: &[(&str, &str)] = &[\n"
        );
        for (k, v) in rows {
            let _ = writeln!(out, "    ({k:?}, {v:?}),");
        }
        out.push_str("];\n");
    }
    let _ = write!(
        out,
        "\n/// The attributes a create must be given: (operation, wire keys separated by spaces).\n\
         pub(super) const REQUIRED_ON_CREATE: &[(&str, &str)] = &[\n"
    );
    for (op, keys) in required_rows() {
        let _ = writeln!(out, "    ({op:?}, {keys:?}),");
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};

    #[test]
    fn every_operation_has_its_model_and_body() {
        for op in operations() {
            let result = operation_result(op);
            if result == "list" || result == "model" {
                let m = operation_model(op).unwrap_or_else(|| {
                    panic!(
                        "{}: no model (add its namespace to BY_NAMESPACE in operation_model)",
                        op.name
                    )
                });
                assert!(model(m).is_some(), "{}: unknown model {m}", op.name);
            }
            if let Body::Resource(_) = op.body {
                let i = operation_input(op).unwrap_or_else(|| {
                    panic!("{}: no write body (add it to operation_input)", op.name)
                });
                assert!(input(i).is_some(), "{}: unknown input {i}", op.name);
            }
        }
    }

    #[test]
    fn names_are_unique_and_wire_keys_mean_one_field() {
        let mut seen = HashSet::new();
        for m in models() {
            assert!(seen.insert(m.name), "{}", m.name);
            let mut names = HashSet::new();
            for f in m.fields {
                assert!(names.insert(f.name), "{}.{}", m.name, f.name);
                assert!(
                    !f.wire.is_empty() && !doc_text(f.doc).is_empty(),
                    "{}.{}",
                    m.name,
                    f.name
                );
                assert!(!f.required, "{}.{}", m.name, f.name);
            }
            if let Some(base) = base_of(m.name) {
                for f in model(base).unwrap().fields {
                    assert!(m.fields.contains(f), "{}.{} not in {base}", m.name, f.name);
                }
            }
        }
        // A wire key names the same field, of the same kind, in every model (hosts rename and
        // read keys globally).
        let mut by_key: BTreeMap<String, (&str, &str)> = BTreeMap::new();
        for m in models() {
            for f in m.fields {
                for w in f.wire {
                    // Enums are strings to every host.
                    let kind = match f.kind {
                        Kind::Enum(_) => "string",
                        k => k.name(),
                    };
                    let prev = by_key.insert(crate::wire::kebab_case(w), (f.name, kind));
                    assert!(
                        prev.is_none_or(|p| p == (f.name, kind)),
                        "{w}: {prev:?} and {} {kind}",
                        f.name
                    );
                }
            }
        }
        assert_eq!(renamed("i-s-b-n13"), Some("isbn13"));
        assert_eq!(renamed("isbn"), Some("isbn13"));
        assert_eq!(renamed("author"), Some("authors"));
        assert_eq!(renamed("employee-id"), None);
        assert_eq!(written_key("isbn13"), Some("i-s-b-n13"));
        assert_eq!(written_key("employee-id"), None);
    }

    #[test]
    fn wire_tables_are_up_to_date() {
        assert!(
            include_str!("wire_tables.rs") == wire_tables_rs(),
            "core/src/models/wire_tables.rs is out of date: run `bash scripts/generate.sh`"
        );
        // The lookups read them.
        assert_eq!(converted_kind("points-earned"), Some("number"));
        assert_eq!(converted_kind("daily-logins"), Some("int"));
        assert_eq!(converted_kind("author"), Some("list"));
        assert_eq!(converted_kind("content-type"), None);
        assert_eq!(converted_kind("no-such-key"), None);
    }

    #[test]
    fn a_write_answered_204_gives_the_schema_result_in_rust() {
        use crate::models::{decode_written, Resource};
        let s = schema();
        for op in operations().filter(|op| op.method != Method::Get) {
            let entry = s["operations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == op.name)
                .unwrap();
            let reply = |body: Option<Value>| crate::response::Reply {
                operation: op,
                status: if body.is_some() { 200 } else { 204 },
                request_id: None,
                rate_limit: None,
                body,
            };
            if entry["result_204"] == "null" && entry["result"] == "model" {
                assert_eq!(
                    decode_written::<Resource>(&reply(None)).unwrap(),
                    None,
                    "{}",
                    op.name
                );
                let body = json!({"data": {"id": "x1", "type": "t", "attributes": {}}});
                let written = decode_written::<Resource>(&reply(Some(body))).unwrap();
                assert_eq!(written.unwrap().id.as_deref(), Some("x1"), "{}", op.name);
            }
        }
    }

    #[test]
    fn schema_json_describes_the_issue_fields() {
        let s = schema();
        let model = |name: &str| {
            s["models"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"] == name)
                .unwrap()
                .clone()
        };
        let field = |m: &Value, name: &str| {
            m["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == name)
                .unwrap_or_else(|| panic!("no {name}"))
                .clone()
        };
        let user = model("User");
        assert_eq!(user["fields"].as_array().unwrap().len(), 25);
        assert_eq!(field(&user, "employee_id")["required_on_create"], true);
        assert_eq!(field(&user, "bio")["required_on_create"], false);
        assert_eq!(field(&user, "daily_logins")["type"], "int");
        let book = model("Book");
        assert_eq!(book["extends"], "Content");
        let isbn = field(&book, "isbn13");
        assert_eq!(isbn["wire"], "i-s-b-n13");
        assert_eq!(isbn["aliases"], json!(["isbn13", "isbn"]));
        assert_eq!(field(&model("Content"), "visibility")["type"], "string");
        assert_eq!(
            field(&model("Content"), "groups_with_access_ids")["items"],
            "string"
        );
        assert_eq!(
            field(&model("Completion"), "points_earned")["type"],
            "number"
        );
        let ct = field(&model("Content"), "content_type");
        assert_eq!(
            (ct["type"].clone(), ct["enum"].clone()),
            (json!("enum"), json!("ContentType"))
        );
        let op = |name: &str| {
            s["operations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == name)
                .unwrap()
                .clone()
        };
        assert_eq!(op("users.update")["result_204"], "null");
        assert_eq!(op("users.update")["input"], "UserUpdate");
        assert_eq!(op("users.delete")["result"], "nothing");
        assert_eq!(op("xapi.statements.create")["result"], "raw");
        assert_eq!(op("groups.users.list")["model"], "GroupMembership");
        assert_eq!(
            s["operations"].as_array().unwrap().len(),
            operations().count()
        );
    }
}
