//! xAPI statements (`/xAPI/statements`): plain xAPI JSON, not the JSON:API envelope.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::decode::{fail, field, join};
use super::schema::{FieldSchema, Kind, ModelSchema};
use super::stream::RawJson;
use super::Model;
use crate::datetime::Timestamp;
use crate::error::Error;

/// Who did it.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct XapiActor {
    /// `Agent` or `Group`.
    pub object_type: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `mailto:` address.
    pub mbox: Option<String>,
    /// Account object, as sent.
    pub account: Option<Value>,
}

/// What was done.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct XapiVerb {
    /// Verb IRI (`https://.../xAPI/verbs/completed`).
    pub id: Option<String>,
    /// Display names by language tag.
    pub display: BTreeMap<String, String>,
}

/// What it was done to.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct XapiObject {
    /// `Activity`, `Agent`, ...
    pub object_type: Option<String>,
    /// Activity IRI.
    pub id: Option<String>,
    /// The activity definition, as sent.
    pub definition: Option<Value>,
}

/// One xAPI statement.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct XapiStatement {
    /// Statement id (UUID).
    pub id: Option<String>,
    /// Actor.
    pub actor: Option<XapiActor>,
    /// Verb.
    pub verb: Option<XapiVerb>,
    /// Object.
    pub object: Option<XapiObject>,
    /// Result, as sent.
    pub result: Option<Value>,
    /// Context, as sent.
    pub context: Option<Value>,
    /// When it happened.
    pub timestamp: Option<Timestamp>,
    /// When it was stored.
    pub stored: Option<Timestamp>,
    /// Authority, as sent.
    pub authority: Option<Value>,
    /// xAPI version.
    pub version: Option<String>,
    /// Top-level members this model does not know.
    pub extra: Map<String, Value>,
    /// The statement's JSON text as received ([`Self::raw_json`], [`Self::raw`]).
    raw: RawJson,
}

/// `FieldSchema` of a statement member (its key is its name).
macro_rules! member {
    ($name:literal, $kind:ident, $doc:literal) => {
        FieldSchema {
            name: $name,
            wire: &[$name],
            kind: Kind::$kind,
            doc: super::schema::doc($doc),
            required: false,
        }
    };
}

impl XapiStatement {
    /// The statement's description in the [schema](mod@super::schema): its members, which are
    /// not JSON:API attributes (a test keeps it in step with the struct).
    pub const SCHEMA: ModelSchema = ModelSchema {
        name: "XapiStatement",
        resource_type: "statements",
        doc: super::schema::doc("One xAPI statement (plain xAPI JSON, not the JSON:API envelope)."),
        fields: &[
            member!(
                "actor",
                Json,
                "Who did it (`objectType`, `name`, `mbox`, `account`)."
            ),
            member!("verb", Json, "What was done (`id`, `display`)."),
            member!(
                "object",
                Json,
                "What it was done to (`objectType`, `id`, `definition`)."
            ),
            member!("result", Json, "Result, as sent."),
            member!("context", Json, "Context, as sent."),
            member!("timestamp", Timestamp, "When it happened."),
            member!("stored", Timestamp, "When it was stored."),
            member!("authority", Json, "Authority, as sent."),
            member!("version", String, "xAPI version."),
        ],
        relationships: &[],
        included: &[],
    };

    /// Reads one statement.
    pub fn from_item(item: &Value) -> Result<Self, Error> {
        <Self as Model>::from_item(item)
    }

    /// The statement's JSON text exactly as received (a statement read from a [`Value`]
    /// keeps that value's compact text).
    pub fn raw_json(&self) -> &str {
        self.raw.get()
    }

    /// The statement as received, parsed into a [`Value`] on each call.
    pub fn raw(&self) -> Value {
        self.raw.to_value()
    }

    /// The verb's last IRI segment (`completed`), a convenient short name.
    pub fn verb_name(&self) -> Option<&str> {
        let id = self.verb.as_ref()?.id.as_deref()?;
        id.trim_end_matches('/').rsplit('/').next()
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<Option<&'a Map<String, Value>>, Error> {
    match v {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        other => Err(fail(path.to_owned(), "expected an object", other)),
    }
}

fn string(m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>, Error> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => field::<String>(v, &join(path, key)),
    }
}

fn some_value(m: &Map<String, Value>, key: &str) -> Option<Value> {
    m.get(key).filter(|v| !v.is_null()).cloned()
}

impl Model for XapiStatement {
    const TYPE: &'static str = "statements";
    const LIST_KEY: &'static str = "statements";

    fn from_item_at(item: &Value, path: &str) -> Result<Self, Error> {
        let Some(m) = object(item, path)? else {
            return Err(fail(path.to_owned(), "expected an object", item));
        };
        let mut out = XapiStatement {
            raw: RawJson::of(item),
            ..Default::default()
        };
        for (key, value) in m {
            let at = join(path, key);
            match key.as_str() {
                "id" => out.id = field::<String>(value, &at)?,
                "actor" => {
                    out.actor = object(value, &at)?
                        .map(|a| -> Result<XapiActor, Error> {
                            Ok(XapiActor {
                                object_type: string(a, "objectType", &at)?,
                                name: string(a, "name", &at)?,
                                mbox: string(a, "mbox", &at)?,
                                account: some_value(a, "account"),
                            })
                        })
                        .transpose()?;
                }
                "verb" => {
                    out.verb = object(value, &at)?
                        .map(|v| -> Result<XapiVerb, Error> {
                            let mut display = BTreeMap::new();
                            if let Some(d) = v.get("display") {
                                let dpath = join(&at, "display");
                                if let Some(d) = object(d, &dpath)? {
                                    for (lang, text) in d {
                                        if let Some(t) = field::<String>(text, &join(&dpath, lang))?
                                        {
                                            display.insert(lang.clone(), t);
                                        }
                                    }
                                }
                            }
                            Ok(XapiVerb {
                                id: string(v, "id", &at)?,
                                display,
                            })
                        })
                        .transpose()?;
                }
                "object" => {
                    out.object = object(value, &at)?
                        .map(|o| -> Result<XapiObject, Error> {
                            Ok(XapiObject {
                                object_type: string(o, "objectType", &at)?,
                                id: string(o, "id", &at)?,
                                definition: some_value(o, "definition"),
                            })
                        })
                        .transpose()?;
                }
                "result" => out.result = (!value.is_null()).then(|| value.clone()),
                "context" => out.context = (!value.is_null()).then(|| value.clone()),
                "authority" => out.authority = (!value.is_null()).then(|| value.clone()),
                "timestamp" => out.timestamp = field::<Timestamp>(value, &at)?,
                "stored" => out.stored = field::<Timestamp>(value, &at)?,
                "version" => out.version = field::<String>(value, &at)?,
                _ => {
                    out.extra.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(out)
    }

    fn from_json_at(json: &str, path: &str) -> Result<Self, Error> {
        // Statements are read from a tree (their members are mostly kept as JSON anyway);
        // `raw` keeps the text as received.
        let item: Value = serde_json::from_str(json)
            .map_err(|e| fail(path.to_owned(), e.to_string(), &Value::Null))?;
        let mut out = Self::from_item_at(&item, path)?;
        out.raw = RawJson::new(json);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_names_every_member_of_the_struct() {
        // A field added to the struct fails to compile here until it is named, and then
        // this test until the schema has it.
        let XapiStatement {
            id: _,
            actor: _,
            verb: _,
            object: _,
            result: _,
            context: _,
            timestamp: _,
            stored: _,
            authority: _,
            version: _,
            extra: _,
            raw: _,
        } = XapiStatement::default();
        let names: Vec<&str> = XapiStatement::SCHEMA
            .fields
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(
            names,
            [
                "actor",
                "verb",
                "object",
                "result",
                "context",
                "timestamp",
                "stored",
                "authority",
                "version"
            ]
        );
    }
}
