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

/// What replaces a secret found in what the server sent.
pub const REDACTED: &str = "[redacted]";

/// Removes the client secret and the access token from what a server sent back, before any
/// of it reaches an error, an excerpt or a log: a token endpoint or proxy that quotes the
/// request body, an error page that quotes the `Authorization` header. The secret is also
/// looked for in its form-encoded and JSON-escaped spellings (how it went on the wire).
#[derive(Default)]
pub(crate) struct Redactor(Vec<Vec<u8>>);

impl Redactor {
    /// A redactor for these secret values. Values shorter than 4 bytes are not looked for:
    /// replacing every `a` would garble the message and protect nothing.
    pub(crate) fn new(secrets: &[&str]) -> Self {
        let mut needles: Vec<Vec<u8>> = Vec::new();
        for s in secrets {
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            let json = crate::wire::json_text(&(*s).into());
            let json = json.trim_matches('"');
            for v in [*s, form.as_str(), json] {
                if v.len() >= 4 && !needles.iter().any(|n| n == v.as_bytes()) {
                    // Longest first, so a secret is replaced whole before a shorter one
                    // inside it (equal lengths in the order given).
                    let at = needles
                        .iter()
                        .position(|n| n.len() < v.len())
                        .unwrap_or(needles.len());
                    needles.insert(at, v.as_bytes().to_vec());
                }
            }
        }
        Redactor(needles)
    }

    /// Replaces every secret in `bytes`.
    pub(crate) fn bytes(&self, bytes: &mut Vec<u8>) {
        for needle in &self.0 {
            let Some(mut at) = find(bytes, needle) else {
                continue;
            };
            let mut out = Vec::with_capacity(bytes.len());
            let mut last = 0;
            loop {
                out.extend_from_slice(&bytes[last..at]);
                out.extend_from_slice(REDACTED.as_bytes());
                last = at + needle.len();
                match find(&bytes[last..], needle) {
                    Some(next) => at = last + next,
                    None => break,
                }
            }
            out.extend_from_slice(&bytes[last..]);
            *bytes = out;
        }
    }

    /// Replaces every secret in header values (a request id that quotes the token).
    pub(crate) fn headers(&self, headers: &mut http::HeaderMap) {
        if self.0.is_empty() {
            return;
        }
        for value in headers.values_mut() {
            let found = self.0.iter().any(|n| find(value.as_bytes(), n).is_some());
            if found {
                let mut bytes = value.as_bytes().to_vec();
                self.bytes(&mut bytes);
                if let Ok(v) = http::HeaderValue::from_bytes(&bytes) {
                    *value = v;
                }
            }
        }
    }

    /// Replaces every secret in `text`.
    pub(crate) fn text(&self, text: &mut String) {
        for needle in &self.0 {
            if let Ok(n) = std::str::from_utf8(needle) {
                if text.contains(n) {
                    *text = text.replace(n, REDACTED);
                }
            }
        }
    }
}

/// Where `needle` (not empty) first occurs in `hay`: `memchr`'s searcher where it is fast
/// (SIMD); a plain scan in the wasm package, which has no SIMD there and where `memchr`'s
/// searchers were 2 KiB of the gzipped file. The same answers (a test compares them).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    #[cfg(not(target_arch = "wasm32"))]
    return memchr::memmem::find(hay, needle);
    #[cfg(target_arch = "wasm32")]
    return plain_find(hay, needle);
}

#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
fn plain_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(p) = hay.get(from..)?.iter().position(|&b| b == first) {
        let at = from + p;
        if hay.get(at + 1..at + needle.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_search_finds_what_memchr_finds() {
        let hays: [&[u8]; 6] = [
            b"",
            b"a",
            b"secret secret",
            b"sssecrecretsecret",
            b"\"s3cr\\et\" and s3cr%5Cet and s3cr\\et",
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy",
        ];
        let needles: [&[u8]; 7] = [b"", b"s", b"secret", b"cret", b"s3cr\\et", b"xxy", b"yy"];
        for hay in hays {
            for needle in needles {
                for from in 0..=hay.len() {
                    assert_eq!(
                        plain_find(&hay[from..], needle),
                        memchr::memmem::find(&hay[from..], needle),
                        "{:?} in {:?}",
                        String::from_utf8_lossy(needle),
                        String::from_utf8_lossy(&hay[from..])
                    );
                }
            }
        }
    }

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

    #[test]
    fn redactor_finds_every_spelling() {
        let r = Redactor::new(&["s3cr+t/é\"q", "tok-123", "ab"]);
        let mut body = r#"{"d":"client_secret=s3cr%2Bt%2F%C3%A9%22q, \"s3cr+t/é\"q\" (Bearer tok-123tok-123) ab"}"#.as_bytes().to_vec();
        r.bytes(&mut body);
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"d":"client_secret=[redacted], \"[redacted]\" (Bearer [redacted][redacted]) ab"}"#
        );
        let mut s = "secret s3cr+t/é\"q and tok-123, ab".to_owned();
        r.text(&mut s);
        assert_eq!(s, "secret [redacted] and [redacted], ab");
    }
}
