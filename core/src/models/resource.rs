//! The parts every resource shares: relationships and the generic [`Resource`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::decode::{fail, field, index, join, Head};
use super::{convert_key, KeyCase, Model};
use crate::error::Error;

/// A reference to another resource: `{"id": "zk3jPZ", "type": "users"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceId {
    /// The referenced id (skills are referenced by name).
    pub id: String,
    /// The referenced `type`, when sent.
    pub resource_type: Option<String>,
}

/// One relationship: to one resource (possibly none: `{"data": null}`) or to many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relationship {
    /// `{"data": {...}}` or `{"data": null}`.
    One(Option<ResourceId>),
    /// `{"data": [...]}`.
    Many(Vec<ResourceId>),
}

impl Relationship {
    /// The ids referenced (zero, one or many).
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Relationship::One(one) => one.iter().map(|r| r.id.as_str()).collect(),
            Relationship::Many(many) => many.iter().map(|r| r.id.as_str()).collect(),
        }
    }

    fn decode(value: &Value, path: &str) -> Result<Self, Error> {
        // `{"data": X}` or, from looser servers, X itself.
        let (data, path) = match value.get("data") {
            Some(d) => (d, join(path, "data")),
            None => (value, path.to_owned()),
        };
        match data {
            Value::Array(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (i, v) in list.iter().enumerate() {
                    if let Some(r) = resource_id(v, &index(&path, i))? {
                        out.push(r);
                    }
                }
                Ok(Relationship::Many(out))
            }
            other => Ok(Relationship::One(resource_id(other, &path)?)),
        }
    }
}

fn resource_id(v: &Value, path: &str) -> Result<Option<ResourceId>, Error> {
    match v {
        Value::Null => Ok(None),
        Value::String(_) | Value::Number(_) => Ok(field::<String>(v, path)?.map(|id| ResourceId {
            id,
            resource_type: None,
        })),
        Value::Object(m) => {
            let id = match m.get("id") {
                None => None,
                Some(id) => field::<String>(id, &join(path, "id"))?,
            };
            let resource_type = match m.get("type") {
                None => None,
                Some(t) => field::<String>(t, &join(path, "type"))?,
            };
            Ok(id.map(|id| ResourceId { id, resource_type }))
        }
        other => Err(fail(
            path.to_owned(),
            "expected a resource identifier",
            other,
        )),
    }
}

/// The relationships of an item, by snake_case name. Degreed sends them as an array of
/// single-key objects (`[{"user": {"data": {...}}}]`); an object map is read the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relationships(BTreeMap<String, Relationship>);

impl Relationships {
    pub(crate) fn decode(value: &Value, path: &str) -> Result<Self, Error> {
        let mut out = BTreeMap::new();
        let mut add = |name: &String, v: &Value, path: String| -> Result<(), Error> {
            out.insert(
                convert_key(name, KeyCase::Snake),
                Relationship::decode(v, &path)?,
            );
            Ok(())
        };
        match value {
            Value::Null => {}
            Value::Array(list) => {
                for (i, entry) in list.iter().enumerate() {
                    let at = index(path, i);
                    match entry {
                        Value::Object(m) => {
                            for (k, v) in m {
                                add(k, v, join(&at, k))?;
                            }
                        }
                        Value::Null => {}
                        other => return Err(fail(at, "expected a relationship object", other)),
                    }
                }
            }
            Value::Object(m) => {
                for (k, v) in m {
                    add(k, v, join(path, k))?;
                }
            }
            other => {
                return Err(fail(
                    path.to_owned(),
                    "expected a list or object of relationships",
                    other,
                ))
            }
        }
        Ok(Relationships(out))
    }

    /// A relationship by name (`created_by`, `createdBy` and `created-by` are the same).
    pub fn get(&self, name: &str) -> Option<&Relationship> {
        self.0.get(&convert_key(name, KeyCase::Snake))
    }

    /// The id of a to-one relationship (the first id of a to-many one).
    pub fn id(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Relationship::One(one) => one.as_ref().map(|r| r.id.as_str()),
            Relationship::Many(many) => many.first().map(|r| r.id.as_str()),
        }
    }

    /// Every relationship, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Relationship)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of relationships.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Any resource, untyped: for `included` items, unmodelled endpoints and escape hatches.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Resource {
    /// The id.
    pub id: Option<String>,
    /// The JSON:API `type`.
    pub resource_type: Option<String>,
    /// The attributes as sent (kebab-case keys).
    pub attributes: Map<String, Value>,
    /// Relationships by snake_case name.
    pub relationships: Relationships,
    /// The item's own `included` resources.
    pub included: Vec<Resource>,
    /// `links.self`.
    pub self_link: Option<String>,
    /// The item exactly as received.
    pub raw: Value,
}

impl Resource {
    pub(crate) fn decode_at(item: &Value, path: &str) -> Result<Self, Error> {
        let head = Head::read(item, path)?;
        Ok(Resource {
            id: head.id,
            resource_type: head.resource_type,
            attributes: head.attributes.cloned().unwrap_or_default(),
            relationships: head.relationships,
            included: head.included,
            self_link: head.self_link,
            raw: item.clone(),
        })
    }

    /// Reads one item.
    pub fn from_item(item: &Value) -> Result<Self, Error> {
        <Self as Model>::from_item(item)
    }

    /// An attribute by name, in any spelling (`employee_id` finds `employee-id`).
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        let want = crate::wire::kebab_case(name);
        self.attributes
            .iter()
            .find(|(k, _)| crate::wire::kebab_case(k) == want)
            .map(|(_, v)| v)
    }

    /// Decodes this resource as a typed model.
    pub fn to_model<M: Model>(&self) -> Result<M, Error> {
        M::from_item(&self.raw)
    }
}

impl Model for Resource {
    const TYPE: &'static str = "";

    fn from_item_at(item: &Value, path: &str) -> Result<Self, Error> {
        Resource::decode_at(item, path)
    }
}
