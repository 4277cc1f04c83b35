//! OAuth scopes (`users:read`, `completions:write`, ...) and scope sets.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Read or write access to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// `:read`
    Read,
    /// `:write` (also grants `:read` only where Degreed documents it: content and xAPI)
    Write,
    /// `:all` (seen only for `xapi:all`; grants read and write)
    All,
}

impl Access {
    fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::All => "all",
        }
    }

    /// Whether a grant of `self` satisfies a need for `need` on a resource where wider
    /// grants imply narrower ones (see [`Scope::covers`]).
    pub fn covers(self, need: Access) -> bool {
        match self {
            Access::All => true,
            Access::Write => need != Access::All,
            Access::Read => need == Access::Read,
        }
    }
}

/// Every scope name in Degreed's official list: the default `scope` value of "Create a New
/// Access Token" (<https://developer.degreed.com/reference/post_oauth-token-1>).
pub const OFFICIAL_SCOPES: &[&str] = &[
    "users:read",
    "users:write",
    "content:read",
    "content:write",
    "completions:read",
    "completions:write",
    "required_learning:read",
    "required_learning:write",
    "groups:read",
    "groups:write",
    "pathways:read",
    "pathways:write",
    "recommendations:read",
    "views:read",
    "search_terms:read",
    "logins:read",
    "providers:read",
    "todays_learning:read",
    "skill_plans:read",
    "skill_plans:write",
    "skill:read",
    "skill:write",
    "provider_users:read",
    "provider_users:write",
    "user_skills:read",
    "user_skills:write",
    "skill_ratings:read",
    "skill_ratings:write",
    "bundles:read",
    "bundles:write",
    "shared_items:read",
    "shared_items:write",
    "accomplishments:read",
    "accomplishments:write",
    "opportunity:read",
    "opportunity:write",
    "certificates:read",
    "certificates:write",
    "custom_attribute:read",
    "custom_attribute:write",
    "user_badges:read",
    "user_badges:write",
    "self_enrolled_learning:read",
    "self_enrolled_learning:write",
    "experiences:read",
    "experiences:write",
    "awards:read",
    "awards:write",
    "degrees:read",
    "degrees:write",
    "job_roles:read",
    "job_roles:write",
    "xapi:read",
    "xapi:write",
    "xapi:all",
];

/// Resources whose `write` (and, for xAPI, `all`) scope is documented to allow reads too:
/// the content reference pages list "content:read or content:write" for GETs, and the xAPI
/// guide accepts `xapi:write`/`xapi:all` for reading statements. Elsewhere a write scope
/// is not assumed to allow reading.
const WRITE_IMPLIES_READ: &[&str] = &["content", "xapi"];

/// One scope: a resource name and an access level. Names outside the official list
/// ([`OFFICIAL_SCOPES`]) still parse, so a scope Degreed adds later can be used before this
/// SDK knows it; [`Scope::is_official`] tells them apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    resource: String,
    access: Access,
}

impl Scope {
    /// A scope on `resource` with `access`.
    pub fn new(resource: impl Into<String>, access: Access) -> Self {
        Self {
            resource: resource.into(),
            access,
        }
    }

    /// The resource part (`users`).
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The access part.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Whether holding `self` allows an operation that needs `need`: the same scope, or a
    /// wider one on a resource where Degreed documents that it implies the narrower.
    pub fn covers(&self, need: &Scope) -> bool {
        self.resource == need.resource
            && (self.access == need.access
                || (WRITE_IMPLIES_READ.contains(&self.resource.as_str())
                    && self.access.covers(need.access)))
    }

    /// Whether the name is in Degreed's official list.
    pub fn is_official(&self) -> bool {
        OFFICIAL_SCOPES.contains(&self.to_string().as_str())
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.resource, self.access.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    /// Parses `resource:read|write|all`; the underscore spelling `users_read` of the 2019
    /// release notes is accepted too.
    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        let (resource, access) = match s.rsplit_once(':') {
            Some(pair) => pair,
            None => s.rsplit_once('_').ok_or_else(|| bad_scope(s))?,
        };
        let access = match access.to_ascii_lowercase().as_str() {
            "read" => Access::Read,
            "write" => Access::Write,
            "all" => Access::All,
            _ => return Err(bad_scope(s)),
        };
        let valid = !resource.is_empty()
            && resource
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(bad_scope(s));
        }
        Ok(Scope::new(resource.to_ascii_lowercase(), access))
    }
}

fn bad_scope(s: &str) -> Error {
    Error::invalid(format!(
        "`{s}` is not a scope: expected `resource:read`, `resource:write` or `resource:all`"
    ))
}

/// A set of scopes, kept sorted so its wire form is stable.
///
/// A sorted `Vec` rather than a `BTreeSet`: a set holds a handful of scopes, and the
/// B-tree's code for this one element type was 10 KiB of the wasm package.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(Vec<Scope>);

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Set<'a>(&'a [Scope]);
        impl fmt::Debug for Set<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_set().entries(self.0).finish()
            }
        }
        f.debug_tuple("ScopeSet").field(&Set(&self.0)).finish()
    }
}

impl ScopeSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a comma- or space-separated list (`users:read,completions:write`).
    pub fn parse(list: &str) -> Result<Self, Error> {
        list.split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect()
    }

    /// Removes a scope; whether it was there.
    pub fn remove(&mut self, scope: &Scope) -> bool {
        let at = self.0.binary_search(scope);
        if let Ok(at) = at {
            self.0.remove(at);
        }
        at.is_ok()
    }

    /// Adds a scope. Nothing is dropped: a requested `x:read` stays next to `x:write`,
    /// since a write scope does not allow reading on most resources.
    pub fn insert(&mut self, scope: Scope) {
        if let Err(at) = self.0.binary_search(&scope) {
            self.0.insert(at, scope);
        }
    }

    /// Whether some scope in the set allows any of `alternatives` (`true` when there are
    /// none: the SDK does not know the requirement and lets the server decide).
    pub fn covers_any(&self, alternatives: &[Scope]) -> bool {
        alternatives.is_empty() || alternatives.iter().any(|need| self.covers(need))
    }

    /// Every scope of `self` and `other`.
    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        let mut set = self.clone();
        for s in &other.0 {
            set.insert(s.clone());
        }
        set
    }

    /// Whether some scope in the set allows `need`.
    pub fn covers(&self, need: &Scope) -> bool {
        self.0.iter().any(|held| held.covers(need))
    }

    /// The scopes, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.0.iter()
    }

    /// Number of scopes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The comma-joined wire form used by the token request.
    pub fn to_wire(&self) -> String {
        self.0
            .iter()
            .map(Scope::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        let mut set = ScopeSet::new();
        for s in iter {
            set.insert(s);
        }
        set
    }
}

impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_wire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_forms() {
        assert_eq!(
            "users:read".parse::<Scope>().unwrap(),
            Scope::new("users", Access::Read)
        );
        assert_eq!(
            "required_learning_write".parse::<Scope>().unwrap(),
            Scope::new("required_learning", Access::Write)
        );
        assert_eq!("xapi:all".parse::<Scope>().unwrap().access(), Access::All);
        assert!("users".parse::<Scope>().is_err());
        assert!("users:admin".parse::<Scope>().is_err());
        assert!(":read".parse::<Scope>().is_err());
        let set = ScopeSet::parse("users:read, groups:write content:read").unwrap();
        assert_eq!(set.to_wire(), "content:read,groups:write,users:read");
    }

    #[test]
    fn write_covers_read_only_where_documented_and_nothing_is_dropped() {
        let set = ScopeSet::parse("users:read,users:write").unwrap();
        assert_eq!(set.to_wire(), "users:read,users:write");
        let write = ScopeSet::parse("users:write,content:write").unwrap();
        assert!(!write.covers(&Scope::new("users", Access::Read)));
        assert!(write.covers(&Scope::new("content", Access::Read)));
        assert!(set.covers(&Scope::new("users", Access::Read)));
        assert!(!set.covers(&Scope::new("groups", Access::Read)));
        assert!(ScopeSet::parse("xapi:write")
            .unwrap()
            .covers(&Scope::new("xapi", Access::Read)));
        assert!(set.covers_any(&[]));
        assert!(set.covers_any(&[
            Scope::new("completions", Access::Read),
            Scope::new("users", Access::Read)
        ]));
        assert!(!set.covers_any(&[Scope::new("completions", Access::Read)]));
        let all = ScopeSet::parse("xapi:all").unwrap();
        assert!(all.covers(&Scope::new("xapi", Access::Write)));
        assert!(!ScopeSet::parse("xapi:write")
            .unwrap()
            .covers(&Scope::new("xapi", Access::All)));
    }

    #[test]
    fn every_official_scope_parses_and_removed_names_are_not_official() {
        for name in OFFICIAL_SCOPES {
            let s: Scope = name.parse().unwrap();
            assert_eq!(s.to_string(), *name);
            assert!(s.is_official());
        }
        assert_eq!(OFFICIAL_SCOPES.len(), 55);
        assert!(!"opportunities:read".parse::<Scope>().unwrap().is_official());
        assert!(!"views:write".parse::<Scope>().unwrap().is_official());
    }
}
