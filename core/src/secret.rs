//! Secrets that must never reach a log line: the client secret and the access token.
//!
//! Both wrap a `String` and print as `[redacted]` through `Debug` and `Display`; the value is
//! reachable only through an explicit `expose_secret()` call, which is easy to grep for.

use std::fmt;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself. Call this only where the value goes on the wire.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

secret_type!(
    /// The OAuth client secret of an API key.
    ClientSecret
);
secret_type!(
    /// A bearer access token issued by the token endpoint.
    AccessToken
);

/// A client id and its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The client id (not secret: it identifies the key in logs and rate limits).
    pub client_id: String,
    /// The client secret.
    pub client_secret: ClientSecret,
}

impl Credentials {
    /// Pairs a client id with its secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<ClientSecret>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// [`Credentials::new`], refusing what cannot be a key: an empty or blank client id, one
    /// with control characters, or an empty secret.
    pub fn checked(client_id: &str, client_secret: &str) -> Result<Self, crate::error::Error> {
        let id = client_id.trim();
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(crate::error::Error::invalid(
                "the client id must be a non-empty string without control characters",
            ));
        }
        if client_secret.is_empty() {
            return Err(crate::error::Error::invalid(
                "the client secret must not be empty",
            ));
        }
        Ok(Self::new(id, client_secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let c = Credentials::new("id-1", "s3cr3t-value");
        let shown = format!(
            "{c:?} {} {:?}",
            c.client_secret,
            AccessToken::new("tok-123")
        );
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("id-1"));
        assert_eq!(c.client_secret.expose_secret(), "s3cr3t-value");
        assert!(Credentials::checked(" ", "x").is_err());
        assert!(Credentials::checked("i\u{7}d", "x").is_err());
        let e = Credentials::checked("id", "").unwrap_err();
        assert!(e.to_string().contains("secret"));
        assert_eq!(Credentials::checked(" id\n", "s").unwrap().client_id, "id");
    }
}
