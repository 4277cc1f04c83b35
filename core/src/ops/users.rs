//! `users.*`: users and the per-user lists.

use std::fmt;

use serde_json::Value;

use super::list::{DatedList, List, UsersList};
use super::{req, resource_request, with_id, write_body, Wire};
use crate::error::Error;
use crate::models::{PermissionRole, ProfileVisibility};
use crate::request::ApiRequest;

/// How the `{id}` of a user path names the user. Anything but [`UserIdentifier::Id`] adds
/// the `identifier` query parameter (`?identifier=email`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserIdentifier<'a> {
    /// The Degreed id (case-sensitive Hashid).
    Id(&'a str),
    /// The e-mail address (`identifier=email`).
    Email(&'a str),
    /// The customer's employee id (`identifier=employee-id`).
    EmployeeId(&'a str),
    /// The alias UID (`identifier=alias-uid`; not in the official reference).
    AliasUid(&'a str),
}

impl<'a> UserIdentifier<'a> {
    /// The value that goes in the path.
    pub fn value(&self) -> &'a str {
        match *self {
            UserIdentifier::Id(v)
            | UserIdentifier::Email(v)
            | UserIdentifier::EmployeeId(v)
            | UserIdentifier::AliasUid(v) => v,
        }
    }

    /// The `identifier` query value (`None` for a Degreed id).
    pub fn query_value(&self) -> Option<&'static str> {
        match self {
            UserIdentifier::Id(_) => None,
            UserIdentifier::Email(_) => Some("email"),
            UserIdentifier::EmployeeId(_) => Some("employee-id"),
            UserIdentifier::AliasUid(_) => Some("alias-uid"),
        }
    }

    fn apply(self, request: ApiRequest) -> ApiRequest {
        let request = request.path_param(self.value());
        match self.query_value() {
            Some(kind) => request.query("identifier", kind),
            None => request,
        }
    }
}

impl<'a> From<&'a str> for UserIdentifier<'a> {
    fn from(id: &'a str) -> Self {
        UserIdentifier::Id(id)
    }
}

impl<'a> From<&'a String> for UserIdentifier<'a> {
    fn from(id: &'a String) -> Self {
        UserIdentifier::Id(id)
    }
}

/// A password for a new user; printed as `[redacted]`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    pub fn new(value: impl Into<String>) -> Self {
        Password(value.into())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl From<&str> for Password {
    fn from(v: &str) -> Self {
        Password(v.to_owned())
    }
}

impl From<String> for Password {
    fn from(v: String) -> Self {
        Password(v)
    }
}

impl crate::models::schema::SchemaType for Password {
    const KIND: crate::models::schema::Kind = crate::models::schema::Kind::String;
}

impl Wire for Password {
    fn wire(&self) -> Value {
        Value::from(self.0.as_str())
    }
    fn check(&self, _required: bool) -> Result<(), &'static str> {
        if self.0.is_empty() {
            return Err("must not be empty");
        }
        Ok(())
    }
}

/// Declares a user write body: the given fields, then the optional fields a create and an
/// update share, then the `manager` relationship.
macro_rules! user_body {
    (
        $(#[$meta:meta])*
        $name:ident {
            required { $($req:tt)* }
            optional { $($opt:tt)* }
        }
    ) => {
        write_body! {
            $(#[$meta])*
            #[derive(Default)]
            $name {
                required { $($req)* }
                optional {
                    $($opt)*
                    /// Personal e-mail.
                    personal_email: String = "personal-email",
                    /// Password (Degreed asks for 8+ characters, a digit and a capital).
                    password: Password = "password",
                    /// Who can see the profile.
                    profile_visibility: ProfileVisibility = "profile-visibility",
                    /// Biography (up to 2000 characters).
                    bio: String = "bio",
                    /// Location.
                    location: String = "location",
                    /// Profile image URL.
                    profile_image_url: String = "profile-image-url",
                    /// Disable login.
                    login_disabled: bool = "login-disabled",
                    /// Restricted user.
                    restricted: bool = "restricted",
                    /// Permission role.
                    permission_role: PermissionRole = "permission-role",
                    /// Job role (only when the organization setting is on).
                    job_role: String = "job-role",
                    /// Alias UID.
                    alias_uid: String = "alias-uid",
                    /// Preferred language.
                    preferred_language: String = "preferred-language",
                    /// Real-time e-mail notifications.
                    real_time_email_notification: bool = "real-time-email-notification",
                    /// Daily digest e-mail.
                    daily_digest_email: bool = "daily-digest-email",
                    /// Weekly digest e-mail.
                    weekly_digest_email: bool = "weekly-digest-email",
                }
                rels {
                    /// The manager's Degreed id (`manager` relationship).
                    manager_id = "manager": "users",
                }
            }
        }
    };
}

user_body! {
    /// The body of `users.create` (and `users.v3.create`). The four required fields are the
    /// minimum Degreed accepts; a manager must already have an employee id.
    NewUser {
        required {
            /// The customer's own key.
            employee_id: String = "employee-id",
            /// First name.
            first_name: String = "first-name",
            /// Last name.
            last_name: String = "last-name",
            /// Organization e-mail.
            organization_email: String = "organization-email",
        }
        optional {}
    }
}

user_body! {
    /// The body of `users.update`: only the fields set are sent.
    UserUpdate {
        required {}
        optional {
            /// The customer's own key.
            employee_id: String = "employee-id",
            /// First name.
            first_name: String = "first-name",
            /// Last name.
            last_name: String = "last-name",
            /// Organization e-mail.
            organization_email: String = "organization-email",
        }
    }
}

/// Checks the two e-mail fields of a user body (`None` where a field is not set).
fn check_emails(
    op: &str,
    organization: Option<&String>,
    personal: Option<&String>,
) -> Result<(), Error> {
    for (key, value) in [
        ("organization-email", organization),
        ("personal-email", personal),
    ] {
        if let Some(v) = value {
            if !v.contains('@') || v.trim() != v {
                return Err(super::bad_field(op, key, "is not an e-mail address"));
            }
        }
    }
    Ok(())
}

fn create_as(name: &'static str, user: &NewUser) -> Result<ApiRequest, Error> {
    let attrs = user.to_attributes(name)?;
    check_emails(
        name,
        Some(&user.organization_email),
        user.personal_email.as_ref(),
    )?;
    let rels = user.to_relationships(name)?;
    resource_request(req(name), attrs, rels, false)
}

/// `users.list`: `GET /api/v2/users`.
pub fn list() -> UsersList {
    UsersList::new(req("users.list"))
}

/// `users.get`: `GET /api/v2/users/{id}`, by Degreed id or, with a [`UserIdentifier`], by
/// e-mail or employee id. Anonymized users answer 404.
pub fn get<'a>(user: impl Into<UserIdentifier<'a>>) -> ApiRequest {
    user.into().apply(req("users.get"))
}

/// `users.get` by any identifier (the same as [`get`]).
pub fn get_by(user: UserIdentifier<'_>) -> ApiRequest {
    get(user)
}

/// `users.create`: `POST /api/v2/users`.
pub fn create(user: NewUser) -> Result<ApiRequest, Error> {
    create_as("users.create", &user)
}

/// `users.update`: `PATCH /api/v2/users/{id}` with the fields set in `changes`.
pub fn update(id: &str, changes: UserUpdate) -> Result<ApiRequest, Error> {
    const NAME: &str = "users.update";
    let attrs = changes.to_attributes(NAME)?;
    check_emails(
        NAME,
        changes.organization_email.as_ref(),
        changes.personal_email.as_ref(),
    )?;
    let rels = changes.to_relationships(NAME)?;
    resource_request(with_id(NAME, id), attrs, rels, true)
}

/// `users.delete`: `DELETE /api/v2/users/{id}`.
pub fn delete(id: &str) -> ApiRequest {
    with_id("users.delete", id)
}

macro_rules! user_list {
    ($(#[$m:meta])* $module:ident, $name:literal) => {
        $(#[$m])*
        pub mod $module {
            use super::*;

            /// The list for one user, by Degreed id or any [`UserIdentifier`].
            pub fn list<'a>(user: impl Into<UserIdentifier<'a>>) -> DatedList {
                DatedList::new(user.into().apply(req($name)))
            }
        }
    };
}

user_list!(
    /// `users.completions.list`: `GET /api/v2/users/{id}/completions`.
    completions,
    "users.completions.list"
);
user_list!(
    /// `users.required_learning.list`: `GET /api/v2/users/{id}/required-learning`.
    required_learning,
    "users.required_learning.list"
);
user_list!(
    /// `users.recommended_learning.list`: `GET /api/v2/users/{id}/recommended-learning`.
    recommended_learning,
    "users.recommended_learning.list"
);
user_list!(
    /// `users.skill_ratings.list`: `GET /api/v2/users/{id}/skill-ratings`.
    skill_ratings,
    "users.skill_ratings.list"
);
user_list!(
    /// `users.user_skills.list`: `GET /api/v2/users/{id}/user-skills`.
    user_skills,
    "users.user_skills.list"
);

/// `users.skill_plans.list`: `GET /api/v2/users/{id}/skill-plans`.
pub mod skill_plans {
    use super::*;

    /// The skill plans one user follows.
    pub fn list<'a>(user: impl Into<UserIdentifier<'a>>) -> List {
        List::new(user.into().apply(req("users.skill_plans.list")))
    }
}

/// `users.todays_learning.list`: `GET /api/v2/users/{id}/todays-learning`.
pub mod todays_learning {
    use super::*;

    /// Today's suggestions for one user.
    pub fn list<'a>(user: impl Into<UserIdentifier<'a>>) -> List {
        List::new(user.into().apply(req("users.todays_learning.list")))
    }
}

/// `users.v3.create`: `POST /api/v3/users`.
pub mod v3 {
    use super::*;

    /// Creates a user through the v3 endpoint (same body as v2).
    pub fn create(user: NewUser) -> Result<ApiRequest, Error> {
        create_as("users.v3.create", &user)
    }
}
