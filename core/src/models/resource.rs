//! The parts every resource shares: relationships and the generic [`Resource`].

use std::collections::BTreeMap;

use serde::de::MapAccess;
use serde_json::{Map, Value};

use super::stream::{self, Cx, Envelope, Path, RawJson, Typed};
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
}

/// The relationships of an item, by snake_case name. Degreed sends them as an array of
/// single-key objects (`[{"user": {"data": {...}}}]`); an object map is read the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relationships(BTreeMap<String, Relationship>);

impl Relationships {
    pub(crate) fn insert(&mut self, name: String, relationship: Relationship) {
        self.0.insert(name, relationship);
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
    /// The item's JSON text as received ([`Resource::raw_json`], [`Resource::raw`]).
    pub(crate) raw: RawJson,
}

impl Resource {
    /// Reads one item.
    pub fn from_item(item: &Value) -> Result<Self, Error> {
        <Self as Model>::from_item(item)
    }

    /// The item's JSON text exactly as received (an item read from a [`Value`] keeps that
    /// value's compact text).
    pub fn raw_json(&self) -> &str {
        self.raw.get()
    }

    /// The item as received, parsed into a [`Value`] on each call.
    pub fn raw(&self) -> Value {
        self.raw.to_value()
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
        M::from_json_at(self.raw.get(), "$")
    }
}

impl Model for Resource {
    const TYPE: &'static str = "";

    fn from_item_at(item: &Value, path: &str) -> Result<Self, Error> {
        stream::read_value(item, Path::Root(path))
    }

    fn from_json_at(json: &str, path: &str) -> Result<Self, Error> {
        stream::read_json(json, Path::Root(path))
    }

    fn decode_page_body(body: &[u8]) -> Result<Option<Vec<Self>>, Error> {
        stream::read_page_spans(body)
    }
}

impl Typed for Resource {
    fn attribute<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _cx: &Cx,
        _at: &Path<'_>,
    ) -> Result<(), A::Error> {
        self.attributes.insert(key.to_owned(), map.next_value()?);
        Ok(())
    }

    fn envelope(&mut self, e: Envelope) {
        self.id = e.id;
        self.resource_type = e.resource_type;
        self.self_link = e.self_link;
        self.relationships = e.relationships;
        self.included = e.included;
    }

    fn set_raw(&mut self, raw: RawJson) {
        self.raw = raw;
    }

    fn included_mut(&mut self) -> &mut Vec<Resource> {
        &mut self.included
    }
}
