//! Wire naming and timestamps: how the API spells attribute keys (`kebab-case`), which
//! attributes hold timestamps, and how timestamps are written and read. A leaf module: the
//! request builders, the models, the pager's scanner and the bindings all use these rules.

use serde_json::Value;

use crate::datetime::Timestamp;

/// A JSON value as compact text, as `Value::to_string` writes it. Not through `Display`:
/// that brings serde_json's pretty printer and an `io::Error` made from a string, whose
/// `Debug` carries the standard library's tables of printable characters, into the wasm
/// package (about 4 KiB gzipped). Every value the core and the bindings print goes here.
pub fn json_text(v: &Value) -> String {
    // A `Value` always serializes.
    serde_json::to_string(v).unwrap_or_default()
}

/// `employee_id` / `employeeId` / `employee-id` → `employee-id`.
pub fn kebab_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c == '_' || c == '-' || c == ' ' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            prev_lower = false;
        } else if c.is_ascii_uppercase() {
            if prev_lower && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// Whether an attribute name holds a timestamp (`created-at`, `publish-date`, `timestamp`).
pub fn is_time_field(kebab_key: &str) -> bool {
    kebab_key.ends_with("-at")
        || kebab_key.ends_with("-date")
        || kebab_key == "timestamp"
        || kebab_key == "stored"
}

/// A timestamp attribute's value as the models read it: `None` when it is not a timestamp,
/// `Some(None)` for .NET's minimum date, which Degreed uses for "never".
pub fn read_time(s: &str) -> Option<Option<Timestamp>> {
    let t = Timestamp::parse(s).ok()?;
    Some((!t.is_dotnet_min()).then_some(t))
}

/// A timestamp as the bindings read it: RFC 3339 with `+00:00` and either no fraction or
/// exactly six digits (what Python 3.9's `datetime.fromisoformat` and JavaScript's `Date`
/// both accept); `None` for .NET's minimum date, which Degreed uses for "never".
pub fn normalize_time(s: &str) -> Option<Option<String>> {
    let Some(t) = read_time(s)? else {
        return Some(None);
    };
    let whole = Timestamp::from_unix(t.unix_secs(), 0).to_string();
    let base = whole.trim_end_matches('Z');
    let micros = t.subsec_nanos() / 1000;
    Some(Some(if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }))
}

/// `2024-05-01T13:45:10`: whole seconds, no offset (UTC), as Degreed reads date-times.
pub fn wire_datetime(t: Timestamp) -> String {
    let whole = Timestamp::from_unix(t.unix_secs(), 0).to_string();
    whole.trim_end_matches('Z').to_owned()
}
