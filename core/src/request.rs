//! Building API requests: one generic builder that every typed call goes through.
//!
//! [`ApiRequest`] collects what the caller wants (operation, path parameters, query, body) and
//! [`ApiRequest::prepare`] checks it all against the catalogue and the configuration, so a
//! caller mistake becomes an [`Error::InvalidRequest`] before anything is sent. A [`Prepared`]
//! request then becomes an `http::Request` once a token is at hand.

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Map, Value};
use url::Url;

use crate::catalog::{self, Body, Operation};
use crate::config::Config;
use crate::error::Error;
use crate::models::KeyCase;
use crate::secret::AccessToken;
pub use crate::wire::kebab_case;

/// The header that targets a tenant organization (Extended Enterprise).
pub const ORGANIZATION_HEADER: &str = "x-degreed-organization-code";

/// Largest page size the API accepts.
pub const MAX_LIMIT: u32 = 1000;

/// A request for one operation, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    op: &'static Operation,
    path_params: Vec<String>,
    query: Vec<(String, String)>,
    body: Option<BodyInput>,
    url: Option<Url>,
    custom_path: Option<String>,
    names: KeyCase,
}

#[derive(Debug, Clone, PartialEq)]
enum BodyInput {
    Attributes {
        attributes: Value,
        relationships: Option<Value>,
    },
    Ids(Vec<String>),
    Raw(Value),
}

impl ApiRequest {
    /// A request for the operation named `name` (`users.list`).
    pub fn new(name: &str) -> Result<Self, Error> {
        catalog::operation(name)
            .map(Self::for_operation)
            .ok_or_else(|| Error::invalid(format!("unknown operation `{name}`")))
    }

    /// A request for a catalogue operation.
    pub fn for_operation(op: &'static Operation) -> Self {
        ApiRequest {
            op,
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
            url: None,
            custom_path: None,
            names: KeyCase::Snake,
        }
    }

    /// A request for an absolute URL returned by the server (a `links.next` page). The URL
    /// must be on the configured API origin; [`ApiRequest::prepare`] checks it.
    pub fn for_url(op: &'static Operation, url: Url) -> Self {
        ApiRequest {
            url: Some(url),
            ..Self::for_operation(op)
        }
    }

    /// A request for an endpoint the catalogue lacks: `method` and a `path` relative to the
    /// API base (`/api/v2/badges`), with segments as plain text (they are percent-encoded
    /// here). Query, raw body, paging, retries and tokens work as for catalogue operations;
    /// no scope is checked before sending, since the SDK does not know it.
    pub fn custom(method: catalog::Method, path: &str) -> Self {
        ApiRequest {
            custom_path: Some(path.to_owned()),
            ..Self::for_operation(catalog::custom(method))
        }
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// Appends the next path parameter (`{id}`), in template order.
    pub fn path_param(mut self, value: impl Into<String>) -> Self {
        self.path_params.push(value.into());
        self
    }

    /// Adds a query parameter as given.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds `filter[key]=value`. `key` may already be bracketed.
    pub fn filter(self, key: &str, value: impl Into<String>) -> Self {
        let key = if key.starts_with("filter[") {
            key.to_owned()
        } else {
            format!("filter[{key}]")
        };
        self.query(key, value)
    }

    /// Sets the page size (1..=1000, checked by [`ApiRequest::prepare`]).
    pub fn limit(self, limit: i64) -> Self {
        self.query("limit", limit.to_string())
    }

    /// The query parameters so far.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The value of query parameter `key`, in the query given or in the URL of a request made
    /// by [`ApiRequest::for_url`] (a page link, a resumed cursor).
    pub(crate) fn query_value(&self, key: &str) -> Option<String> {
        match &self.url {
            Some(url) => url
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned()),
            None => self
                .query
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
        }
    }

    /// Replaces (or adds) a query parameter.
    pub fn set_query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.retain(|(k, _)| k != key);
        self.query(key, value)
    }

    /// Sets the resource attributes of a create or update body. Keys in `snake_case` or
    /// `camelCase` are turned into the API's `kebab-case`.
    pub fn attributes(mut self, attributes: Value) -> Self {
        let relationships = match self.body.take() {
            Some(BodyInput::Attributes { relationships, .. }) => relationships,
            _ => None,
        };
        self.body = Some(BodyInput::Attributes {
            attributes,
            relationships,
        });
        self
    }

    /// How errors name the caller's attributes (a create missing a required field):
    /// `snake_case` (the default) or `camelCase` (JavaScript).
    pub fn attribute_names(mut self, case: KeyCase) -> Self {
        self.names = case;
        self
    }

    /// Sets `data.relationships` of a create or update body, passed through as given
    /// (for example `[{"manager": {"data": {"type": "users", "id": "zk3jPZ"}}}]`).
    pub fn relationships(mut self, relationships: Value) -> Self {
        let attributes = match self.body.take() {
            Some(BodyInput::Attributes { attributes, .. }) => attributes,
            _ => Value::Object(Map::new()),
        };
        self.body = Some(BodyInput::Attributes {
            attributes,
            relationships: Some(relationships),
        });
        self
    }

    /// Sets the ids of a relationship body (`{"data": [{"type": ..., "id": ...}]}`).
    pub fn ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.body = Some(BodyInput::Ids(ids.into_iter().map(Into::into).collect()));
        self
    }

    /// Sends `body` unchanged (xAPI statements, or an escape hatch).
    pub fn raw_body(mut self, body: Value) -> Self {
        self.body = Some(BodyInput::Raw(body));
        self
    }

    /// Checks everything and builds the URL and body.
    pub fn prepare(&self, config: &Config) -> Result<Prepared, Error> {
        let op = self.op;
        let tenant = config.organization_code().map(str::to_owned);
        if tenant.is_some() && !op.tenant_header {
            return Err(Error::invalid(format!(
                "`{}` does not accept the organization code header; use a client without \
                 `organization_code` for it",
                op.name
            )));
        }
        let url = match &self.url {
            Some(url) => {
                if !config.is_api_origin(url) {
                    return Err(Error::invalid(format!(
                        "refusing to send the token to `{}`: not the API origin `{}`",
                        url.origin().ascii_serialization(),
                        config.base_url().origin().ascii_serialization()
                    )));
                }
                url.clone()
            }
            None => self.build_url(config)?,
        };
        let body = self.build_body()?;
        Ok(Prepared {
            op,
            url,
            body,
            tenant,
        })
    }

    fn build_url(&self, config: &Config) -> Result<Url, Error> {
        let op = self.op;
        let mut url = match &self.custom_path {
            Some(path) => custom_url(config, path)?,
            None => self.catalogue_url(config)?,
        };
        let mut query = String::new();
        for (key, value) in &self.query {
            check_query(key, value, op)?;
            if !query.is_empty() {
                query.push('&');
            }
            // Brackets stay literal so the wire shows `filter[start_date]` as documented.
            query.push_str(&encode(key).replace("%5B", "[").replace("%5D", "]"));
            query.push('=');
            query.push_str(&encode(value));
        }
        if !query.is_empty() {
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    fn catalogue_url(&self, config: &Config) -> Result<Url, Error> {
        let op = self.op;
        let expected = op.path_param_count();
        if self.path_params.len() != expected {
            return Err(Error::invalid(format!(
                "`{}` takes {expected} path parameter(s), got {}",
                op.name,
                self.path_params.len()
            )));
        }
        let mut url = config.base_url().clone();
        {
            let mut segs = url
                .path_segments_mut()
                .map_err(|()| Error::invalid("the base URL cannot take a path"))?;
            segs.pop_if_empty();
            let mut params = self.path_params.iter();
            for (seg, name) in op.path.split('/').skip(1).map(|s| (s, s.strip_prefix('{'))) {
                match name {
                    Some(name) => {
                        let value = params.next().expect("count checked above");
                        check_id(value, name.trim_end_matches('}'), op)?;
                        segs.push(value);
                    }
                    None => {
                        segs.push(seg);
                    }
                }
            }
        }
        Ok(url)
    }

    fn build_body(&self) -> Result<Option<Vec<u8>>, Error> {
        let op = self.op;
        let doc = match (&self.body, op.body) {
            (None, Body::None) => return Ok(None),
            (Some(BodyInput::Raw(v)), _) => v.clone(),
            (None, _) => {
                return Err(Error::invalid(format!(
                    "`{}` needs a request body",
                    op.name
                )));
            }
            (Some(_), Body::None) => {
                return Err(Error::invalid(format!(
                    "`{}` takes no request body",
                    op.name
                )));
            }
            (
                Some(BodyInput::Attributes {
                    attributes,
                    relationships,
                }),
                Body::Resource(ty),
            ) => {
                let Value::Object(attrs) = attributes else {
                    return Err(Error::invalid(format!(
                        "`{}`: attributes must be an object",
                        op.name
                    )));
                };
                let mut data = Map::new();
                data.insert("type".into(), Value::from(ty));
                if op.method == catalog::Method::Patch {
                    if let Some(id) = self.path_params.first() {
                        data.insert("id".into(), Value::from(id.as_str()));
                    }
                }
                check_times(attrs, op)?;
                let mut attrs = kebab_keys(attrs);
                if op.method == catalog::Method::Post {
                    // On create, `null` means "not given"; on update it clears a field.
                    attrs.retain(|_, v| !v.is_null());
                }
                if attrs.is_empty() && relationships.is_none() {
                    return Err(Error::invalid(format!(
                        "`{}`: no attributes to send (at least one attribute is needed)",
                        op.name
                    )));
                }
                if op.method == catalog::Method::Post {
                    // The fields the API docs mark required on create (the core's schema).
                    let missing =
                        crate::models::schema::missing_on_create(op.name, &attrs, self.names);
                    if !missing.is_empty() {
                        return Err(Error::invalid(format!(
                            "`{}`: missing required attribute{} {} (required on create)",
                            op.name,
                            if missing.len() == 1 { "" } else { "s" },
                            missing.join(", ")
                        )));
                    }
                }
                wire_times(&mut attrs);
                data.insert("attributes".into(), Value::Object(attrs));
                if let Some(rel) = relationships {
                    data.insert("relationships".into(), rel.clone());
                }
                serde_json::json!({ "data": data })
            }
            (Some(BodyInput::Ids(ids)), Body::Relationships(ty)) => {
                if ids.is_empty() {
                    return Err(Error::invalid(format!(
                        "`{}` needs at least one id",
                        op.name
                    )));
                }
                for id in ids {
                    if id.trim().is_empty() {
                        return Err(Error::invalid(format!("`{}`: an id is empty", op.name)));
                    }
                }
                let data: Vec<Value> = ids
                    .iter()
                    .map(|id| serde_json::json!({ "type": ty, "id": id }))
                    .collect();
                serde_json::json!({ "data": data })
            }
            (Some(_), _) => {
                return Err(Error::invalid(format!(
                    "`{}` takes a different kind of body",
                    op.name
                )));
            }
        };
        // `Display` writes the same compact JSON as `to_vec` (a `Value` cannot fail to
        // serialize); one serializer instead of two in the wasm package.
        Ok(Some(serde_json::to_vec(&doc).unwrap_or_default()))
    }
}

fn custom_url(config: &Config, path: &str) -> Result<Url, Error> {
    let path = path.trim();
    let bad = |why: &str| {
        Error::invalid(format!(
            "custom path `{}` {why}",
            crate::error::excerpt(path)
        ))
    };
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| bad("must start with `/`"))?;
    if path.contains(['?', '#', '\\']) || path.chars().any(char::is_control) {
        return Err(bad(
            "must not contain `?`, `#`, `\\` or control characters (use query parameters)",
        ));
    }
    let mut url = config.base_url().clone();
    {
        let mut segs = url
            .path_segments_mut()
            .map_err(|()| Error::invalid("the base URL cannot take a path"))?;
        segs.pop_if_empty();
        for seg in rest.split('/') {
            if seg.is_empty() || seg == "." || seg == ".." {
                return Err(bad("has an empty, `.` or `..` segment"));
            }
            segs.push(seg);
        }
    }
    Ok(url)
}

/// A date-time attribute that does not read as one (`completed_at: "soon"`, an offset such as
/// `+99:99`) is refused before sending, naming the caller's own key.
fn check_times(attrs: &Map<String, Value>, op: &Operation) -> Result<(), Error> {
    for (key, value) in attrs {
        if let Value::String(s) = value {
            if !s.trim().is_empty()
                && crate::wire::is_time_field(&kebab_case(key))
                && crate::datetime::Timestamp::parse(s).is_err()
            {
                return Err(Error::invalid(format!(
                    "`{}`: `{key}` must be an ISO-8601 date-time, got `{}`",
                    op.name,
                    crate::error::excerpt(s)
                )));
            }
        }
    }
    Ok(())
}

/// Date-times in a body go out as Degreed writes them (`2024-05-01T09:30:00`, UTC, no
/// offset), whatever form the caller's language produced (`...T09:30:00.000Z`,
/// `...T11:30:00+02:00`). Bare dates and values that are not date-times are left alone.
fn wire_times(attrs: &mut Map<String, Value>) {
    for (key, value) in attrs.iter_mut() {
        if let Value::String(s) = value {
            if crate::wire::is_time_field(key) && s.trim().len() > 10 {
                if let Ok(t) = crate::datetime::Timestamp::parse(s) {
                    *value = Value::from(crate::wire::wire_datetime(t));
                }
            }
        }
    }
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn check_id(value: &str, name: &str, op: &Operation) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid(format!(
            "`{}`: the {name} must not be empty",
            op.name
        )));
    }
    if value.contains(['/', '?', '#', '\\'])
        || value.chars().any(char::is_control)
        || value == "."
        || value == ".."
    {
        return Err(Error::invalid(format!(
            "`{}`: the {name} `{}` contains `/`, `?`, `#` or a control character",
            op.name,
            crate::error::excerpt(value)
        )));
    }
    Ok(())
}

fn check_query(key: &str, value: &str, op: &Operation) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::invalid(format!(
            "`{}`: a query key is empty",
            op.name
        )));
    }
    if key == "limit" {
        match value.parse::<i64>() {
            Ok(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => {}
            _ => {
                return Err(Error::invalid(format!(
                    "`{}`: limit must be between 1 and {MAX_LIMIT}, got `{}`",
                    op.name,
                    crate::error::excerpt(value)
                )))
            }
        }
    }
    Ok(())
}

/// Attribute keys as the API spells them; a field a write body sends under another key
/// (`isbn13` → `i-s-b-n13`) gets that key, as the typed bodies send it.
fn kebab_keys(attrs: &Map<String, Value>) -> Map<String, Value> {
    // Inserted one by one (a later key wins, as with `collect`): `collect` into a map sorts
    // and bulk-builds, code the wasm package would carry for this alone.
    let mut out = Map::new();
    for (k, v) in attrs {
        let key = kebab_case(k);
        let key = crate::models::schema::written_key(&key).map_or(key, str::to_owned);
        out.insert(key, v.clone());
    }
    out
}

/// A checked request, ready to be sent once a token is at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    op: &'static Operation,
    url: Url,
    body: Option<Vec<u8>>,
    tenant: Option<String>,
}

impl Prepared {
    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The full URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The body bytes, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The `http::Request` with the bearer token.
    pub fn to_http(&self, token: &AccessToken) -> http::Request<Vec<u8>> {
        let mut b = http::Request::builder()
            .method(self.op.method.as_http())
            .uri(self.url.as_str())
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, format!("Bearer {}", token.expose_secret()));
        if self.body.is_some() {
            b = b.header(CONTENT_TYPE, "application/json");
        }
        if let Some(code) = &self.tenant {
            // A constant name: parsing one at run time brings `http`'s parser into the wasm.
            const ORGANIZATION: http::header::HeaderName =
                http::header::HeaderName::from_static(ORGANIZATION_HEADER);
            b = b.header(ORGANIZATION, code);
        }
        // Every part was validated: the URL by `url`, the header values by `Config`, and the
        // token by `Token::from_response`.
        b.body(self.body.clone().unwrap_or_default())
            .expect("validated request parts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::custom("https://auth.example", "https://api.example").unwrap()
    }

    #[test]
    fn kebab() {
        assert_eq!(kebab_case("employee_id"), "employee-id");
        assert_eq!(kebab_case("employeeId"), "employee-id");
        assert_eq!(kebab_case("organization-email"), "organization-email");
        assert_eq!(kebab_case("isbn13"), "isbn13");
        assert_eq!(kebab_case("i_s_b_n13"), "i-s-b-n13");
    }

    #[test]
    fn path_params_are_encoded_and_checked() {
        let r = ApiRequest::new("users.get")
            .unwrap()
            .path_param("a b")
            .prepare(&cfg())
            .unwrap();
        assert_eq!(r.url().as_str(), "https://api.example/api/v2/users/a%20b");
        for bad in ["", " ", "a/b", "a?b", "a#b", ".."] {
            let e = ApiRequest::new("users.get")
                .unwrap()
                .path_param(bad)
                .prepare(&cfg())
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest, "{bad}");
        }
        assert!(ApiRequest::new("users.get")
            .unwrap()
            .prepare(&cfg())
            .is_err());
    }

    #[test]
    fn query_and_limit() {
        let r = ApiRequest::new("completions.list")
            .unwrap()
            .filter("start_date", "2024-01-01")
            .limit(1000)
            .prepare(&cfg())
            .unwrap();
        assert_eq!(
            r.url().query(),
            Some("filter[start_date]=2024-01-01&limit=1000")
        );
        for bad in [0, 1001, -5] {
            assert!(ApiRequest::new("users.list")
                .unwrap()
                .limit(bad)
                .prepare(&cfg())
                .is_err());
        }
    }

    #[test]
    fn bodies() {
        let r = ApiRequest::new("users.update")
            .unwrap()
            .path_param("zk3jPZ")
            .attributes(serde_json::json!({"first_name": "Zoë", "lastName": "X"}))
            .prepare(&cfg())
            .unwrap();
        let body: Value = serde_json::from_slice(r.body().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"data": {"type": "users", "id": "zk3jPZ",
                "attributes": {"first-name": "Zoë", "last-name": "X"}}})
        );
        let r = ApiRequest::new("groups.members.add")
            .unwrap()
            .path_param("g1")
            .ids(["u1", "u2"]);
        let body: Value =
            serde_json::from_slice(r.prepare(&cfg()).unwrap().body().unwrap()).unwrap();
        assert_eq!(
            body["data"][1],
            serde_json::json!({"type": "users", "id": "u2"})
        );
        assert!(ApiRequest::new("users.create")
            .unwrap()
            .prepare(&cfg())
            .is_err());
        assert!(ApiRequest::new("users.list")
            .unwrap()
            .attributes(serde_json::json!({}))
            .prepare(&cfg())
            .is_err());
    }

    #[test]
    fn custom_requests() {
        let r = ApiRequest::custom(catalog::Method::Get, "/api/v2/badges/a b")
            .query("limit", "5")
            .prepare(&cfg())
            .unwrap();
        assert_eq!(
            r.url().as_str(),
            "https://api.example/api/v2/badges/a%20b?limit=5"
        );
        assert_eq!(r.operation().name, "custom.get");
        let r = ApiRequest::custom(catalog::Method::Post, "/api/v2/badges")
            .raw_body(serde_json::json!({"x": 1}))
            .prepare(&cfg())
            .unwrap();
        assert_eq!(r.body(), Some(&br#"{"x":1}"#[..]));
        for bad in ["api/v2", "/api//v2", "/api/../x", "/x?y=1", "/x#f"] {
            assert!(
                ApiRequest::custom(catalog::Method::Get, bad)
                    .prepare(&cfg())
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn body_times_and_empty_bodies() {
        let body = |mut attrs: Value| -> Value {
            let full = serde_json::json!({"user_id": "u1", "user_identifier_type": "UserId",
                "content_id": "c1", "content_id_type": "Id", "content_type": "Course"});
            for (k, v) in full.as_object().unwrap() {
                attrs[k] = v.clone();
            }
            let r = ApiRequest::new("completions.create")
                .unwrap()
                .attributes(attrs)
                .prepare(&cfg())
                .unwrap();
            serde_json::from_slice(r.body().unwrap()).unwrap()
        };
        let b = body(
            serde_json::json!({"completedAt": "2026-11-20T11:30:00.000+02:00", "publish_date": "2024-05-01", "title_at": ""}),
        );
        assert_eq!(
            b["data"]["attributes"]["completed-at"],
            "2026-11-20T09:30:00"
        );
        assert_eq!(b["data"]["attributes"]["publish-date"], "2024-05-01");
        assert_eq!(b["data"]["attributes"]["title-at"], "");
        for (key, bad) in [
            ("completedAt", "soon"),
            ("completed_at", "2026-11-20T11:30:00+99:99"),
            ("publish-date", "2024-02-30"),
        ] {
            let e = ApiRequest::new("completions.create")
                .unwrap()
                .attributes(serde_json::json!({ key: bad, "title": "x" }))
                .prepare(&cfg())
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
            assert!(e.to_string().contains(&format!("`{key}`")), "{e}");
        }
        let e = ApiRequest::new("users.update")
            .unwrap()
            .path_param("u1")
            .attributes(serde_json::json!({}))
            .prepare(&cfg())
            .unwrap_err();
        assert!(e.to_string().contains("no attributes"), "{e}");
        let e = ApiRequest::new("users.create")
            .unwrap()
            .attributes(serde_json::json!({"bio": null}))
            .prepare(&cfg())
            .unwrap_err();
        assert!(e.to_string().contains("no attributes"), "{e}");
    }

    #[test]
    fn creates_missing_required_attributes_are_refused() {
        let full = serde_json::json!({"userId": "u1", "user_identifier_type": "Email",
            "content-id": "C-1", "contentIdType": "ExternalId", "content_type": "Course",
            "completed_at": "2026-11-20T09:30:00"});
        let create = |attrs: &Value, case: KeyCase| {
            ApiRequest::new("completions.create")
                .unwrap()
                .attributes(attrs.clone())
                .attribute_names(case)
                .prepare(&cfg())
        };
        assert!(create(&full, KeyCase::Snake).is_ok());
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove("content-id");
        partial["completed_at"] = Value::Null; // null: not given, on a create
        let e = create(&partial, KeyCase::Snake).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
        assert_eq!(
            e.to_string(),
            "invalid request: `completions.create`: missing required attributes content_id, \
             completed_at (required on create)"
        );
        let e = create(&partial, KeyCase::Camel).unwrap_err();
        assert!(
            e.to_string().contains("attributes contentId, completedAt "),
            "{e}"
        );
        // Updates require nothing; creates whose required fields the docs do not give
        // (assessments) neither.
        let update = ApiRequest::new("completions.update")
            .unwrap()
            .path_param("c1")
            .attributes(serde_json::json!({"percentile": 80}))
            .prepare(&cfg());
        assert!(update.is_ok());
        let assessment = ApiRequest::new("content.assessments.create")
            .unwrap()
            .attributes(serde_json::json!({"summary": "s"}))
            .prepare(&cfg());
        assert!(assessment.is_ok());
        let e = ApiRequest::new("users.create")
            .unwrap()
            .attributes(serde_json::json!({"employee_id": "E1", "first_name": "Ada",
                "last-name": "Lovelace"}))
            .prepare(&cfg())
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("missing required attribute organization_email "),
            "{e}"
        );
    }

    #[test]
    fn headers_and_foreign_next_links() {
        let cfg = cfg().with_organization_code("TENANT1").unwrap();
        let req = ApiRequest::new("users.list")
            .unwrap()
            .prepare(&cfg)
            .unwrap();
        let http = req.to_http(&AccessToken::new("tok"));
        assert_eq!(http.headers()["authorization"], "Bearer tok");
        assert_eq!(http.headers()["accept"], "application/json");
        assert_eq!(http.headers()[ORGANIZATION_HEADER], "TENANT1");
        assert!(ApiRequest::new("groups.list")
            .unwrap()
            .prepare(&cfg)
            .is_err());
        let op = catalog::operation("users.list").unwrap();
        let foreign = Url::parse("https://evil.example/api/v2/users?next=x").unwrap();
        assert!(ApiRequest::for_url(op, foreign).prepare(&cfg).is_err());
    }
}
