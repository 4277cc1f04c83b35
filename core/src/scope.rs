//! OAuth scopes (`users:read`, `completions:write`, ...) and scope sets.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use crate::catalog;
use crate::error::Error;

/// Read or write access to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// `:read`
    Read,
    /// `:write` (also grants `:read` on the same resource)
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

    /// Whether a grant of `self` satisfies a need for `need`.
    pub fn covers(self, need: Access) -> bool {
        match self {
            Access::All => true,
            Access::Write => need != Access::All,
            Access::Read => need == Access::Read,
        }
    }
}

/// One scope: a resource name and an access level. Unknown resource names are kept as they are.
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

    /// Whether holding `self` allows an operation that needs `need`.
    pub fn covers(&self, need: &Scope) -> bool {
        self.resource == need.resource && self.access.covers(need.access)
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(BTreeSet<Scope>);

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

    /// Adds a scope; a write scope absorbs the read scope on the same resource.
    pub fn insert(&mut self, scope: Scope) {
        if self.covers(&scope) {
            return;
        }
        self.0.retain(|held| !scope.covers(held));
        self.0.insert(scope);
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

/// The smallest scope set that allows every named operation.
///
/// Degreed asks that API keys hold only the scopes they need; this computes them from the
/// catalogue (`users.list` + `completions.create` → `completions:write,users:read`).
/// An unknown operation name is an [`Error::InvalidRequest`].
pub fn minimal_scopes<S: AsRef<str>>(operations: &[S]) -> Result<ScopeSet, Error> {
    operations
        .iter()
        .map(|name| {
            let name = name.as_ref();
            catalog::operation(name)
                .map(|op| op.scope())
                .ok_or_else(|| Error::invalid(format!("unknown operation `{name}`")))
        })
        .collect()
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
    fn write_covers_read_and_absorbs_it() {
        let set = ScopeSet::parse("users:read,users:write").unwrap();
        assert_eq!(set.to_wire(), "users:write");
        assert!(set.covers(&Scope::new("users", Access::Read)));
        assert!(!set.covers(&Scope::new("groups", Access::Read)));
        let all = ScopeSet::parse("xapi:all").unwrap();
        assert!(all.covers(&Scope::new("xapi", Access::Write)));
        assert!(!ScopeSet::parse("xapi:write")
            .unwrap()
            .covers(&Scope::new("xapi", Access::All)));
    }

    #[test]
    fn minimal_scopes_for_operations() {
        let set =
            minimal_scopes(&["users.list", "completions.create", "completions.list"]).unwrap();
        assert_eq!(set.to_wire(), "completions:write,users:read");
        let err = minimal_scopes(&["users.frobnicate"]).unwrap_err();
        assert!(err.to_string().contains("users.frobnicate"));
    }
}
