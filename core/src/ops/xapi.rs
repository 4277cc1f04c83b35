//! `xapi.*`: the xAPI statements feed on the API host.

use serde_json::Value;

use super::list::StatementsList;
use super::req;
use crate::error::Error;
use crate::request::ApiRequest;

/// `xapi.statements.*`.
pub mod statements {
    use super::*;

    /// `xapi.statements.list`: `GET /xAPI/statements` (pages through `more`).
    pub fn list() -> StatementsList {
        StatementsList::new(req("xapi.statements.list"))
    }

    /// `xapi.statements.create`: `POST /xAPI/statements` with one statement (an object) or
    /// several (a list), sent unchanged. Each statement needs `actor`, `verb` and `object`.
    pub fn create(statements: Value) -> Result<ApiRequest, Error> {
        const NAME: &str = "xapi.statements.create";
        let check = |s: &Value, at: &str| -> Result<(), Error> {
            let Value::Object(m) = s else {
                return Err(Error::invalid(format!(
                    "`{NAME}`: {at} must be a JSON object"
                )));
            };
            for key in ["actor", "verb", "object"] {
                if m.get(key).is_none_or(Value::is_null) {
                    return Err(Error::invalid(format!("`{NAME}`: {at} has no `{key}`")));
                }
            }
            Ok(())
        };
        match &statements {
            Value::Array(list) if list.is_empty() => {
                return Err(Error::invalid(format!(
                    "`{NAME}`: the list of statements is empty"
                )))
            }
            Value::Array(list) => {
                for (i, s) in list.iter().enumerate() {
                    check(s, &format!("statement {i}"))?;
                }
            }
            one => check(one, "the statement")?,
        }
        Ok(req(NAME).raw_body(statements))
    }
}
