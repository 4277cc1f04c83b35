//! Typed request builders: one function per catalogue operation, named after it.
//!
//! `users.list` is [`users::list`], `content.courses.create` is [`content::courses::create`],
//! `groups.members.add` is [`groups::members::add`]. Every builder produces an
//! [`ApiRequest`] through its public API, so a typed call and a generic one send the same
//! bytes:
//!
//! ```
//! use degreed::ops;
//! use degreed::ops::users::{NewUser, UserIdentifier};
//!
//! let page = ops::users::list().limit(1000).build();
//! let by_mail = ops::users::get(UserIdentifier::Email("ann@example.com"));
//! let create = ops::users::create(NewUser {
//!     employee_id: "E1".into(),
//!     first_name: "Ann".into(),
//!     last_name: "Lee".into(),
//!     organization_email: "ann@example.com".into(),
//!     ..Default::default()
//! })?;
//! # Ok::<(), degreed::Error>(())
//! ```
//!
//! Lists return a small builder with the filters the API documents for that list, spelled
//! as the API spells them (`filter[start_date]`, `filter[external_id]`, ...); `build()` (or
//! `ApiRequest::from`) gives the request and `pager()` walks its pages. Creates and updates
//! take a struct and check it first: a missing required field is an
//! [`Error::InvalidRequest`] naming the field, before any request exists. Identifiers are
//! checked (empty, `/`, `?`, `#`) when the request is prepared, still before sending.

use serde_json::{Map, Value};

use crate::datetime::{Date, Timestamp};
use crate::error::Error;
use crate::models::{
    AssignmentStatus, ContentIdType, ContentType, DurationType, PermissionRole, ProfileVisibility,
    UserIdentifierType,
};
use crate::request::ApiRequest;
use crate::wire::kebab_case;
pub use crate::wire::wire_datetime;

pub mod certifiable_skills;
pub mod completions;
pub mod content;
pub mod groups;
pub mod logins;
pub mod pathways;
pub mod providers;
pub mod recommendations;
pub mod required_learning;
pub mod search_terms;
pub mod skill_plans;
pub mod skill_ratings;
pub mod user_followers;
pub mod user_skills;
pub mod users;
pub mod views;
pub mod xapi;

mod list;

pub use list::{ContentList, DatedList, List, SkillRatingsList, StatementsList, UsersList};

/// A request for a catalogue operation this module names.
fn req(name: &'static str) -> ApiRequest {
    // Every name used in this module is in the catalogue (tests/requests.rs checks each).
    ApiRequest::new(name).expect("operation in the catalogue")
}

/// A request for `name` with one path parameter.
fn with_id(name: &'static str, id: &str) -> ApiRequest {
    req(name).path_param(id)
}

/// A typed value as a JSON attribute, with its sanity check.
pub(crate) trait Wire {
    fn wire(&self) -> Value;
    /// `Err(problem)` when the value cannot be sent; `required` says whether the field is.
    fn check(&self, _required: bool) -> Result<(), &'static str> {
        Ok(())
    }
}

impl Wire for String {
    fn wire(&self) -> Value {
        Value::from(self.as_str())
    }
    fn check(&self, required: bool) -> Result<(), &'static str> {
        if required && self.trim().is_empty() {
            return Err("is required");
        }
        Ok(())
    }
}

impl Wire for f64 {
    fn wire(&self) -> Value {
        // Whole numbers go out as integers (`80`, not `80.0`).
        if self.fract() == 0.0 && self.abs() < 9.0e15 {
            Value::from(*self as i64)
        } else {
            Value::from(*self)
        }
    }
    fn check(&self, required: bool) -> Result<(), &'static str> {
        if !self.is_finite() {
            return Err("must be a finite number");
        }
        if required && *self <= 0.0 {
            return Err("is required (a number greater than zero)");
        }
        Ok(())
    }
}

impl Wire for i64 {
    fn wire(&self) -> Value {
        Value::from(*self)
    }
    fn check(&self, required: bool) -> Result<(), &'static str> {
        if required && *self <= 0 {
            return Err("is required (a number greater than zero)");
        }
        Ok(())
    }
}

impl Wire for bool {
    fn wire(&self) -> Value {
        Value::from(*self)
    }
}

impl Wire for Timestamp {
    fn wire(&self) -> Value {
        Value::from(wire_datetime(*self))
    }
    fn check(&self, _required: bool) -> Result<(), &'static str> {
        if self.is_dotnet_min() || !(1..=9999).contains(&self.date().year()) {
            return Err("is not a usable date");
        }
        Ok(())
    }
}

impl Wire for Date {
    fn wire(&self) -> Value {
        Value::from(self.to_string())
    }
}

impl Wire for Vec<String> {
    fn wire(&self) -> Value {
        Value::from(self.clone())
    }
    fn check(&self, required: bool) -> Result<(), &'static str> {
        if required && self.is_empty() {
            return Err("is required (at least one value)");
        }
        if self.iter().any(|s| s.trim().is_empty()) {
            return Err("contains an empty value");
        }
        Ok(())
    }
}

impl Wire for Value {
    fn wire(&self) -> Value {
        self.clone()
    }
    fn check(&self, required: bool) -> Result<(), &'static str> {
        if required && self.is_null() {
            return Err("is required");
        }
        Ok(())
    }
}

macro_rules! wire_enum {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn wire(&self) -> Value {
                Value::from(self.as_str())
            }
            fn check(&self, required: bool) -> Result<(), &'static str> {
                if self.as_str().trim().is_empty() {
                    return Err(if required { "is required" } else { "must not be empty" });
                }
                Ok(())
            }
        }
    )*};
}

wire_enum!(
    ContentType,
    DurationType,
    UserIdentifierType,
    ContentIdType,
    ProfileVisibility,
    PermissionRole,
    AssignmentStatus
);

/// The error for a field that cannot be sent.
fn bad_field(op: &str, key: &str, problem: &str) -> Error {
    Error::invalid(format!("`{op}`: `{key}` {problem}"))
}

/// Adds caller-supplied extra attributes without overriding the typed ones.
fn merge_extra(attrs: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (k, v) in extra {
        attrs.entry(kebab_case(k)).or_insert_with(|| v.clone());
    }
}

/// Builds a create or update request from checked attributes.
fn resource_request(
    mut request: ApiRequest,
    attributes: Map<String, Value>,
    relationships: Option<Value>,
    is_update: bool,
) -> Result<ApiRequest, Error> {
    if is_update && attributes.is_empty() && relationships.is_none() {
        return Err(Error::invalid(format!(
            "`{}`: nothing to update (set at least one field)",
            request.operation().name
        )));
    }
    request = request.attributes(Value::Object(attributes));
    if let Some(rel) = relationships {
        request = request.relationships(rel);
    }
    Ok(request)
}

/// Checks the ids of a relationship body (`field` names them in errors).
fn checked_ids<I, S>(op: &str, field: &str, ids: I) -> Result<Vec<String>, Error>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
    if ids.is_empty() {
        return Err(bad_field(op, field, "is required (at least one id)"));
    }
    if let Some(i) = ids.iter().position(|id| id.trim().is_empty()) {
        return Err(Error::invalid(format!("`{op}`: `{field}[{i}]` is empty")));
    }
    Ok(ids)
}

/// Declares the body struct of a create or update: required fields typed as given, optional
/// ones as `Option`, an `extra` map for attributes this SDK does not name, and optional
/// to-one relationships.
macro_rules! write_body {
    (
        $(#[$meta:meta])*
        $name:ident {
            required { $( $(#[doc = $rdoc:literal])* $rf:ident : $rty:ty = $rkey:literal ),* $(,)? }
            optional { $( $(#[doc = $odoc:literal])* $of:ident : $oty:ty = $okey:literal ),* $(,)? }
            $( rels { $( $(#[$lmeta:meta])* $lf:ident = $lname:literal : $ltype:literal ),* $(,)? } )?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[doc = $rdoc])* pub $rf: $rty, )*
            $( $(#[doc = $odoc])* pub $of: Option<$oty>, )*
            $( $( $(#[$lmeta])* pub $lf: Option<String>, )* )?
            /// Further attributes, sent as given (keys turned into kebab-case); the typed
            /// fields win over an entry with the same name.
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The body's description in the [schema](mod@crate::models::schema), declared by
            /// the same lines as the struct.
            pub const SCHEMA: $crate::models::schema::InputSchema =
                $crate::models::schema::InputSchema {
                    name: stringify!($name),
                    fields: &[
                        $( $crate::models::schema::FieldSchema {
                            name: stringify!($rf),
                            wire: &[$rkey],
                            kind: <$rty as $crate::models::schema::SchemaType>::KIND,
                            doc: $crate::models::schema::doc(concat!($($rdoc, "\n"),*)),
                            required: true,
                        }, )*
                        $( $crate::models::schema::FieldSchema {
                            name: stringify!($of),
                            wire: &[$okey],
                            kind: <$oty as $crate::models::schema::SchemaType>::KIND,
                            doc: $crate::models::schema::doc(concat!($($odoc, "\n"),*)),
                            required: false,
                        }, )*
                    ],
                    relationships: &[$( $( (stringify!($lf), $lname, $ltype), )* )?],
                };

            /// The `data.attributes` of the body, after checking every field.
            pub(crate) fn to_attributes(
                &self,
                op: &str,
            ) -> Result<serde_json::Map<String, serde_json::Value>, $crate::error::Error> {
                #[allow(unused_imports)]
                use $crate::ops::Wire;
                #[allow(unused_mut)]
                let mut m = serde_json::Map::new();
                $(
                    self.$rf.check(true).map_err(|p| $crate::ops::bad_field(op, $rkey, p))?;
                    m.insert($rkey.to_owned(), self.$rf.wire());
                )*
                $(
                    if let Some(v) = &self.$of {
                        v.check(false).map_err(|p| $crate::ops::bad_field(op, $okey, p))?;
                        m.insert($okey.to_owned(), v.wire());
                    }
                )*
                $crate::ops::merge_extra(&mut m, &self.extra);
                Ok(m)
            }

            /// The `data.relationships` of the body (`None` when no relationship is set).
            #[allow(unused_variables, dead_code)]
            pub(crate) fn to_relationships(
                &self,
                op: &str,
            ) -> Result<Option<serde_json::Value>, $crate::error::Error> {
                #[allow(unused_mut)]
                let mut rels: Vec<serde_json::Value> = Vec::new();
                $( $(
                    if let Some(id) = &self.$lf {
                        if id.trim().is_empty() {
                            return Err($crate::ops::bad_field(op, stringify!($lf), "is empty"));
                        }
                        let mut data = serde_json::Map::new();
                        data.insert("type".into(), $ltype.into());
                        data.insert("id".into(), id.as_str().into());
                        let mut entry = serde_json::Map::new();
                        entry.insert($lname.into(), serde_json::json!({ "data": data }));
                        rels.push(serde_json::Value::Object(entry));
                    }
                )* )?
                Ok((!rels.is_empty()).then(|| serde_json::Value::Array(rels)))
            }
        }
    };
}

pub(crate) use write_body;
