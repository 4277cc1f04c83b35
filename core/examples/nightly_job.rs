//! The nightly Degreed sync, as organizations run it (the Rust twin of
//! `examples/job/nightly.py`):
//!
//! 1. print the minimal scopes the job needs;
//! 2. import users from a CSV (create, or update by employee id);
//! 3. publish a catalogue of courses (create, or update on an existing external id);
//! 4. record completions from a CSV (skipping those already recorded);
//! 5. export the last 30 days of completions to JSONL;
//! 6. print a summary: created / updated / unchanged / failed with reasons, requests,
//!    retries, 429s and elapsed time.
//!
//! Credentials come from `DEGREED_CLIENT_ID` / `DEGREED_CLIENT_SECRET` /
//! `DEGREED_ENVIRONMENT` / `DEGREED_DATA_CENTER`, or `--base-url` with
//! `--client-id`/`--client-secret` (the sandbox):
//!
//! ```text
//! cargo run -p degreed --features ureq --example nightly_job -- \
//!     --base-url http://127.0.0.1:PORT --client-id sandbox --client-secret sandbox-secret \
//!     --data examples/job/data --out out
//! ```
//!
//! Writes are never repeated blindly: when a create fails in a way that may still have
//! reached Degreed (a 5xx, a dropped connection, an unreadable answer), the job looks for
//! the record before trying again.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use degreed::driver::blocking::Client;
use degreed::models::{
    decode_items, decode_list, decode_one, Completion, Content, ContentIdType, ContentType, Course,
    DurationType, User, UserIdentifierType,
};
use degreed::ops::completions::NewCompletion;
use degreed::ops::content::{ContentUpdate, NewCourse};
use degreed::ops::users::{NewUser, UserIdentifier, UserUpdate};
use degreed::{
    ops, Config, Credentials, DataCenter, Date, Environment, Error, ScopeSet, SessionOptions,
    Stats, Timestamp,
};

/// Every operation the job calls; the minimal scopes are computed from this list.
pub const JOB_OPERATIONS: [&str; 8] = [
    "users.get",
    "users.create",
    "users.update",
    "content.list",
    "content.courses.create",
    "content.courses.update",
    "completions.list",
    "completions.create",
];

/// The columns a new user must have.
const USER_REQUIRED: [&str; 3] = ["first_name", "last_name", "organization_email"];

/// The scopes the job needs, and no more.
pub fn minimal_scopes() -> ScopeSet {
    degreed::minimal_scopes(&JOB_OPERATIONS).expect("the job's operations are in the catalogue")
}

/// The session options of the job: only the minimal scopes are requested.
pub fn session_options() -> SessionOptions {
    SessionOptions {
        scopes: Some(minimal_scopes()),
        ..SessionOptions::default()
    }
}

// ---- Outcomes ----------------------------------------------------------------------------

/// Outcome counts of one section of the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// `users`, `courses` or `completions`.
    pub name: &'static str,
    /// Records created.
    pub created: usize,
    /// Records updated.
    pub updated: usize,
    /// Records already as wanted.
    pub unchanged: usize,
    /// `(key, reason)` of each row that failed.
    pub failed: Vec<(String, String)>,
}

impl Tally {
    fn new(name: &'static str) -> Self {
        Tally {
            name,
            created: 0,
            updated: 0,
            unchanged: 0,
            failed: Vec::new(),
        }
    }

    fn fail(&mut self, key: impl Into<String>, reason: impl fmt::Display) {
        self.failed.push((key.into(), reason.to_string()));
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// What one run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Users, courses, completions.
    pub tallies: Vec<Tally>,
    /// Completions written to the export.
    pub exported: usize,
    /// The JSONL file.
    pub export_path: PathBuf,
}

/// A failure that stops the whole job (a row's failure is only counted).
#[derive(Debug)]
pub enum JobError {
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
    /// A CSV file is malformed.
    Csv(PathBuf, String),
    /// An API call the whole job depends on failed.
    Api(Error),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Io(path, e) => write!(f, "{}: {e}", path.display()),
            JobError::Csv(path, e) => write!(f, "{}: {e}", path.display()),
            JobError::Api(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for JobError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobError::Io(_, e) => Some(e),
            JobError::Csv(..) => None,
            JobError::Api(e) => Some(e),
        }
    }
}

impl From<Error> for JobError {
    fn from(e: Error) -> Self {
        JobError::Api(e)
    }
}

// ---- CSV -----------------------------------------------------------------------------------

/// One CSV row: `(column, value)` pairs in header order, values trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row(Vec<(String, String)>);

impl Row {
    /// The value of a column (`""` when absent).
    pub fn get(&self, column: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == column)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every `(column, value)`.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Parses CSV text with a header line (RFC 4180: quoted fields may hold commas, newlines and
/// doubled quotes). Blank lines are skipped; short rows get empty values.
pub fn parse_csv(text: &str) -> Result<Vec<Row>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records.retain(|r| !(r.len() == 1 && r[0].is_empty()));
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Ok(Vec::new());
    };
    Ok(records
        .map(|values| {
            Row(header
                .iter()
                .enumerate()
                .map(|(i, column)| {
                    let value = values.get(i).map_or("", |v| v.trim());
                    (column.clone(), value.to_owned())
                })
                .collect())
        })
        .collect())
}

/// Reads a CSV file.
pub fn read_csv(path: &Path) -> Result<Vec<Row>, JobError> {
    let text = fs::read_to_string(path).map_err(|e| JobError::Io(path.to_owned(), e))?;
    parse_csv(&text).map_err(|e| JobError::Csv(path.to_owned(), e))
}

// ---- Progress ------------------------------------------------------------------------------

/// A one-line progress display on stderr (redrawn on a terminal, sparse otherwise).
struct Progress {
    tty: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            tty: io::stderr().is_terminal(),
        }
    }

    fn show(&self, label: &str, done: usize, total: Option<usize>) {
        let total = total.filter(|&t| t > 0);
        let text = match total {
            Some(t) => format!("{label}: {done}/{t}"),
            None => format!("{label}: {done}"),
        };
        if self.tty {
            eprint!("\r\x1b[K{text}");
        } else if total == Some(done) {
            eprintln!("{text}");
        }
    }

    fn end(&self) {
        if self.tty {
            eprintln!();
        }
    }
}

// ---- Users ---------------------------------------------------------------------------------

/// The user with this employee id, if there is one.
fn find_user(client: &Client, employee_id: &str) -> Result<Option<User>, Error> {
    match client.execute(&ops::users::get(UserIdentifier::EmployeeId(employee_id))) {
        Ok(reply) => decode_one(&reply).map(Some),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The update that sets these CSV columns; columns this job does not name are sent as they
/// are (`cost_center` goes out as `cost-center`).
fn user_update(columns: &[(&str, &str)]) -> UserUpdate {
    let mut update = UserUpdate::default();
    for &(column, value) in columns {
        let v = Some(value.to_owned());
        match column {
            "first_name" => update.first_name = v,
            "last_name" => update.last_name = v,
            "organization_email" => update.organization_email = v,
            "personal_email" => update.personal_email = v,
            "location" => update.location = v,
            "job_role" => update.job_role = v,
            "bio" => update.bio = v,
            "alias_uid" => update.alias_uid = v,
            "preferred_language" => update.preferred_language = v,
            "profile_image_url" => update.profile_image_url = v,
            _ => {
                update.extra.insert(column.to_owned(), value.into());
            }
        }
    }
    update
}

/// A new user from CSV columns.
fn new_user(employee_id: &str, columns: &[(&str, &str)]) -> NewUser {
    let u = user_update(columns);
    NewUser {
        employee_id: employee_id.to_owned(),
        first_name: u.first_name.unwrap_or_default(),
        last_name: u.last_name.unwrap_or_default(),
        organization_email: u.organization_email.unwrap_or_default(),
        personal_email: u.personal_email,
        location: u.location,
        job_role: u.job_role,
        bio: u.bio,
        alias_uid: u.alias_uid,
        preferred_language: u.preferred_language,
        profile_image_url: u.profile_image_url,
        extra: u.extra,
        ..NewUser::default()
    }
}

/// The current value of a CSV column on a user, as text.
fn user_value(user: &User, column: &str) -> Option<String> {
    let typed = match column {
        "first_name" => &user.first_name,
        "last_name" => &user.last_name,
        "organization_email" => &user.organization_email,
        "personal_email" => &user.personal_email,
        "location" => &user.location,
        "job_role" => &user.job_role,
        "bio" => &user.bio,
        "alias_uid" => &user.alias_uid,
        "preferred_language" => &user.preferred_language,
        "profile_image_url" => &user.profile_image_url,
        _ => {
            // Any other attribute, read from the item as received.
            let key = column.replace('_', "-");
            return match user.raw.get("attributes")?.get(key)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            };
        }
    };
    typed.clone()
}

fn sync_user(
    client: &Client,
    employee_id: &str,
    columns: &[(&str, &str)],
    tally: &mut Tally,
) -> Result<(), Error> {
    if employee_id.is_empty() {
        return Err(Error::invalid("a row has no employee_id"));
    }
    let Some(existing) = find_user(client, employee_id)? else {
        let missing: Vec<&str> = USER_REQUIRED
            .into_iter()
            .filter(|f| !columns.iter().any(|(k, _)| k == f))
            .collect();
        if !missing.is_empty() {
            tally.fail(
                employee_id,
                format!("new user lacks {}", missing.join(", ")),
            );
            return Ok(());
        }
        let create = ops::users::create(new_user(employee_id, columns))?;
        if let Err(e) = client.execute(&create) {
            // An ambiguous failure: look before trying again, so nothing is created twice.
            if !e.maybe_applied() {
                return Err(e);
            }
            if find_user(client, employee_id)?.is_none() {
                client.execute(&create)?;
            }
        }
        tally.count(Outcome::Created);
        return Ok(());
    };
    let changes: Vec<(&str, &str)> = columns
        .iter()
        .copied()
        .filter(|&(column, value)| user_value(&existing, column).as_deref() != Some(value))
        .collect();
    if changes.is_empty() {
        tally.count(Outcome::Unchanged);
        return Ok(());
    }
    let id = existing
        .id
        .as_deref()
        .ok_or_else(|| Error::invalid(format!("user {employee_id} came back without an id")))?;
    client.execute(&ops::users::update(id, user_update(&changes))?)?;
    tally.count(Outcome::Updated);
    Ok(())
}

/// Creates or updates every user of the CSV, keyed by employee id.
fn sync_users(client: &Client, rows: &[Row], progress: &Progress) -> Tally {
    let mut tally = Tally::new("users");
    for (n, row) in rows.iter().enumerate() {
        let n = n + 1;
        progress.show("users", n, Some(rows.len()));
        let employee_id = row.get("employee_id");
        let columns: Vec<(&str, &str)> = row
            .fields()
            .filter(|&(k, v)| !v.is_empty() && k != "employee_id")
            .collect();
        if let Err(e) = sync_user(client, employee_id, &columns, &mut tally) {
            let key = if employee_id.is_empty() {
                format!("row {n}")
            } else {
                employee_id.to_owned()
            };
            tally.fail(key, e);
        }
    }
    progress.end();
    tally
}

// ---- Courses -------------------------------------------------------------------------------

/// The course columns of a CSV row (absent when empty).
#[derive(Debug, Clone, Default, PartialEq)]
struct CourseFields {
    title: Option<String>,
    url: Option<String>,
    duration: Option<f64>,
    duration_type: Option<DurationType>,
    language: Option<String>,
    summary: Option<String>,
}

impl CourseFields {
    fn from_row(row: &Row) -> Result<Self, Error> {
        let text = |column: &str| Some(row.get(column).to_owned()).filter(|v| !v.is_empty());
        let duration = match text("duration") {
            None => None,
            Some(d) => Some(
                d.parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite())
                    .ok_or_else(|| Error::invalid(format!("duration `{d}` is not a number")))?,
            ),
        };
        Ok(CourseFields {
            title: text("title"),
            url: text("url"),
            duration,
            duration_type: text("duration_type").map(|t| DurationType::parse(&t)),
            language: text("language"),
            summary: text("summary"),
        })
    }

    fn new_course(&self, external_id: &str) -> NewCourse {
        NewCourse {
            external_id: external_id.to_owned(),
            title: self.title.clone().unwrap_or_default(),
            duration: self.duration.unwrap_or_default(),
            duration_type: self.duration_type.clone().unwrap_or_default(),
            url: self.url.clone(),
            language: self.language.clone(),
            summary: self.summary.clone(),
            ..NewCourse::default()
        }
    }

    /// The fields that differ from `existing` (`None` when nothing does).
    fn changes_from(&self, existing: &Content) -> Option<ContentUpdate> {
        fn differs<T: PartialEq + Clone>(want: &Option<T>, have: &Option<T>) -> Option<T> {
            want.as_ref().filter(|w| have.as_ref() != Some(*w)).cloned()
        }
        let update = ContentUpdate {
            title: differs(&self.title, &existing.title),
            url: differs(&self.url, &existing.url),
            duration: differs(&self.duration, &existing.duration),
            duration_type: differs(&self.duration_type, &existing.duration_type),
            language: differs(&self.language, &existing.language),
            summary: differs(&self.summary, &existing.summary),
            ..ContentUpdate::default()
        };
        (update != ContentUpdate::default()).then_some(update)
    }
}

/// The content item with this external id, if there is one (obsolete ones included).
fn find_content(client: &Client, external_id: &str) -> Result<Option<Content>, Error> {
    let reply = client.execute(
        &ops::content::list()
            .external_id(external_id)
            .limit(1)
            .build(),
    )?;
    Ok(decode_list::<Content>(&reply)?.into_iter().next())
}

fn id_of(id: Option<String>, what: &str) -> Result<String, Error> {
    id.ok_or_else(|| Error::invalid(format!("{what} came back without an id")))
}

/// Creates a course, or updates the one that already has its external id.
fn publish_course(
    client: &Client,
    row: &Row,
    external_id: &str,
) -> Result<(Outcome, String), Error> {
    let fields = CourseFields::from_row(row)?;
    let create = ops::content::courses::create(fields.new_course(external_id))?;
    let created = || -> Result<String, Error> {
        let course: Course = decode_one(&client.execute(&create)?)?;
        id_of(course.id, "the new course")
    };
    match created() {
        Ok(id) => return Ok((Outcome::Created, id)),
        // The external id (or URL) exists: update it in place below.
        Err(Error::Conflict(_)) => {}
        // It may have been created: look before trying again.
        Err(e) if e.maybe_applied() => {}
        Err(e) => return Err(e),
    }
    let Some(existing) = find_content(client, external_id)? else {
        return Ok((Outcome::Created, created()?));
    };
    let id = id_of(existing.id.clone(), "a content item")?;
    match fields.changes_from(&existing) {
        None => Ok((Outcome::Unchanged, id)),
        Some(changes) => {
            client.execute(&ops::content::courses::update(&id, changes)?)?;
            Ok((Outcome::Updated, id))
        }
    }
}

/// Publishes every course of the CSV; returns the Degreed id of each external id.
fn publish_courses(
    client: &Client,
    rows: &[Row],
    progress: &Progress,
) -> (Tally, HashMap<String, String>) {
    let mut tally = Tally::new("courses");
    let mut ids = HashMap::new();
    for (n, row) in rows.iter().enumerate() {
        let n = n + 1;
        progress.show("courses", n, Some(rows.len()));
        let external_id = row.get("external_id");
        match publish_course(client, row, external_id) {
            Ok((outcome, id)) => {
                ids.insert(external_id.to_owned(), id);
                tally.count(outcome);
            }
            Err(e) if external_id.is_empty() => tally.fail(format!("row {n}"), e),
            Err(e) => tally.fail(external_id, e),
        }
    }
    progress.end();
    (tally, ids)
}

// ---- Completions ---------------------------------------------------------------------------

/// `completed_at` as given, or `days_ago` + `time` (so the sample data stays recent).
fn completion_time(row: &Row, today: Date) -> Result<Timestamp, String> {
    let given = row.get("completed_at");
    if !given.is_empty() {
        return Timestamp::parse(given).map_err(|e| e.to_string());
    }
    let days_ago: i64 = row
        .get("days_ago")
        .parse()
        .map_err(|_| format!("days_ago `{}` is not a whole number", row.get("days_ago")))?;
    let time = Some(row.get("time"))
        .filter(|t| !t.is_empty())
        .unwrap_or("00:00");
    let (hh, mm) = time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)))
        .ok_or_else(|| format!("time `{time}` is not HH:MM"))?;
    let day = today.add_days(-days_ago);
    Timestamp::parse(&format!("{day}T{hh:02}:{mm:02}:00")).map_err(|e| e.to_string())
}

/// What identifies a completion for this job: employee id, content id, day.
type CompletionKey = (String, String, Option<Date>);

fn completion_key(c: &Completion) -> CompletionKey {
    (
        c.employee_id.clone().unwrap_or_default(),
        c.content_id().unwrap_or_default().to_owned(),
        c.completed_at.map(Timestamp::date),
    )
}

/// The keys of the completions recorded from `first` to `last` (inclusive).
fn recorded_between(
    client: &Client,
    first: Date,
    last: Date,
) -> Result<HashSet<CompletionKey>, Error> {
    let mut keys = HashSet::new();
    for page in client.pages_between(ops::completions::list().limit(1000).build(), first, last)? {
        for completion in decode_items::<Completion>(&page?.items)? {
            keys.insert(completion_key(&completion));
        }
    }
    Ok(keys)
}

fn record_completion(
    client: &Client,
    row: &Row,
    completed_at: Timestamp,
    content_ids: &mut HashMap<String, String>,
    recorded: &mut HashSet<CompletionKey>,
) -> Result<Result<Outcome, String>, Error> {
    let employee_id = row.get("employee_id");
    let external_id = row.get("course_external_id");
    let content_id = match content_ids.get(external_id) {
        Some(id) => id.clone(),
        None => match find_content(client, external_id)? {
            None => return Ok(Err(format!("no content with external id {external_id}"))),
            Some(found) => {
                let id = id_of(found.id, "a content item")?;
                content_ids.insert(external_id.to_owned(), id.clone());
                id
            }
        },
    };
    let key = (
        employee_id.to_owned(),
        content_id,
        Some(completed_at.date()),
    );
    if recorded.contains(&key) {
        return Ok(Ok(Outcome::Unchanged));
    }
    let mut completion = NewCompletion::new(
        employee_id,
        UserIdentifierType::EmployeeId,
        external_id,
        ContentIdType::ExternalId,
        ContentType::Course,
        completed_at,
    );
    let percentile = row.get("percentile");
    if !percentile.is_empty() {
        match percentile.parse::<f64>() {
            Ok(p) => completion.percentile = Some(p),
            Err(_) => return Ok(Err(format!("percentile `{percentile}` is not a number"))),
        }
    }
    let create = ops::completions::create(completion)?;
    if let Err(e) = client.execute(&create) {
        if !e.maybe_applied() {
            return Err(e);
        }
        // No answer, or a 5xx: the completion may exist. Look, then try again only if not.
        let day = completed_at.date();
        if !recorded_between(client, day, day)?.contains(&key) {
            client.execute(&create)?;
        }
    }
    recorded.insert(key);
    Ok(Ok(Outcome::Created))
}

/// Records every completion of the CSV that is not recorded yet.
fn record_completions(
    client: &Client,
    rows: &[Row],
    content_ids: &mut HashMap<String, String>,
    today: Date,
    progress: &Progress,
) -> Result<Tally, Error> {
    let mut tally = Tally::new("completions");
    let mut planned = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        match completion_time(row, today) {
            Ok(at) => planned.push((row, at)),
            Err(e) => {
                let key = Some(row.get("employee_id").to_owned())
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| format!("row {}", n + 1));
                tally.fail(key, format!("bad date: {e}"));
            }
        }
    }
    let days = planned.iter().map(|(_, at)| at.date());
    let (Some(first), Some(last)) = (days.clone().min(), days.max()) else {
        return Ok(tally);
    };
    // What is already recorded, so a re-run does not record anything twice.
    let mut recorded = recorded_between(client, first, last)?;
    for (n, (row, completed_at)) in planned.iter().enumerate() {
        progress.show("completions", n + 1, Some(planned.len()));
        let employee_id = row.get("employee_id");
        match record_completion(client, row, *completed_at, content_ids, &mut recorded) {
            Ok(Ok(outcome)) => tally.count(outcome),
            Ok(Err(reason)) => tally.fail(employee_id, reason),
            Err(e) => tally.fail(employee_id, e),
        }
    }
    progress.end();
    Ok(tally)
}

// ---- Export --------------------------------------------------------------------------------

/// Writes the completions of the last 30 days to `path`, one JSON object a line, as
/// received (object keys come out in sorted order).
fn export_completions(
    client: &Client,
    path: &Path,
    today: Date,
    progress: &Progress,
) -> Result<usize, JobError> {
    let io_error = |e: io::Error| JobError::Io(path.to_owned(), e);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut out = BufWriter::new(File::create(path).map_err(io_error)?);
    let mut count = 0;
    let request = ops::completions::list().limit(1000).build();
    for page in client.pages_between(request, today.add_days(-30), today)? {
        for completion in decode_items::<Completion>(&page?.items)? {
            serde_json::to_writer(&mut out, &completion.raw)
                .map_err(io::Error::from)
                .map_err(io_error)?;
            out.write_all(b"\n").map_err(io_error)?;
            count += 1;
            if count % 25 == 0 {
                progress.show("export", count, None);
            }
        }
    }
    out.flush().map_err(io_error)?;
    progress.end();
    Ok(count)
}

// ---- The job -------------------------------------------------------------------------------

/// Runs the four steps of the job with `client`, reading the CSVs from `data` and writing
/// the export to `out`. `today` is the UTC day the job runs for.
pub fn run_job(client: &Client, data: &Path, out: &Path, today: Date) -> Result<Report, JobError> {
    let progress = Progress::new();
    let users = sync_users(client, &read_csv(&data.join("users.csv"))?, &progress);
    let (courses, mut content_ids) =
        publish_courses(client, &read_csv(&data.join("courses.csv"))?, &progress);
    let completions = record_completions(
        client,
        &read_csv(&data.join("completions.csv"))?,
        &mut content_ids,
        today,
        &progress,
    )?;
    let export_path = out.join(format!("completions-{today}.jsonl"));
    let exported = export_completions(client, &export_path, today, &progress)?;
    Ok(Report {
        tallies: vec![users, courses, completions],
        exported,
        export_path,
    })
}

/// Writes the summary table, the counters and the failures.
pub fn write_summary(
    out: &mut impl Write,
    report: &Report,
    stats: &Stats,
    elapsed: Duration,
) -> io::Result<()> {
    writeln!(out, "\nSummary")?;
    writeln!(
        out,
        "  {:<12}{:>9}{:>9}{:>11}{:>8}",
        "", "created", "updated", "unchanged", "failed"
    )?;
    for t in &report.tallies {
        writeln!(
            out,
            "  {:<12}{:>9}{:>9}{:>11}{:>8}",
            t.name,
            t.created,
            t.updated,
            t.unchanged,
            t.failed.len()
        )?;
    }
    writeln!(
        out,
        "  exported {} completions of the last 30 days to {}",
        report.exported,
        report.export_path.display()
    )?;
    writeln!(
        out,
        "  requests {}, retries {}, 429s {}, token requests {}, elapsed {:.1}s",
        stats.requests,
        stats.retries,
        stats.rate_limited,
        stats.token_requests,
        elapsed.as_secs_f64()
    )?;
    if report.tallies.iter().any(|t| !t.failed.is_empty()) {
        writeln!(out, "Failures")?;
        for t in &report.tallies {
            for (key, reason) in &t.failed {
                writeln!(out, "  {} {key}: {reason}", t.name)?;
            }
        }
    }
    Ok(())
}

// ---- Command line --------------------------------------------------------------------------

/// The command line. Its `Debug` never shows the client secret.
#[derive(Clone)]
pub struct Args {
    /// API and token host (the sandbox); default: Degreed's hosts.
    pub base_url: Option<String>,
    /// Client id (default: `DEGREED_CLIENT_ID`).
    pub client_id: Option<String>,
    /// Client secret (default: `DEGREED_CLIENT_SECRET`).
    pub client_secret: Option<String>,
    /// Folder with the CSV files.
    pub data: PathBuf,
    /// Folder for the JSONL export.
    pub out: PathBuf,
}

impl fmt::Debug for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Args")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("data", &self.data)
            .field("out", &self.out)
            .finish()
    }
}

const USAGE: &str = "\
usage: nightly_job [--base-url URL] [--client-id ID] [--client-secret SECRET] [--data DIR] [--out DIR]

The nightly Degreed sync: users, courses, completions, and a 30-day completions export.

  --base-url URL         API and token host (the sandbox); default: Degreed's hosts
  --client-id ID         default: $DEGREED_CLIENT_ID
  --client-secret SECRET default: $DEGREED_CLIENT_SECRET
  --data DIR             folder with users.csv, courses.csv, completions.csv
                         (default: examples/job/data)
  --out DIR              folder for the JSONL export (default: out)

Without --base-url, DEGREED_ENVIRONMENT (production, betatest) and DEGREED_DATA_CENTER
(us, eu, ca) choose the hosts.";

impl Default for Args {
    fn default() -> Self {
        Args {
            base_url: None,
            client_id: None,
            client_secret: None,
            data: Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/job/data"),
            out: PathBuf::from("out"),
        }
    }
}

impl Args {
    /// Parses `--flag value` and `--flag=value`; `Ok(None)` for `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "-h" || arg == "--help" {
                return Ok(None);
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--base-url" => parsed.base_url = Some(value()?),
                "--client-id" => parsed.client_id = Some(value()?),
                "--client-secret" => parsed.client_secret = Some(value()?),
                "--data" => parsed.data = PathBuf::from(value()?),
                "--out" => parsed.out = PathBuf::from(value()?),
                _ => return Err(format!("unknown argument `{flag}`")),
            }
        }
        Ok(Some(parsed))
    }
}

/// The client: `--base-url` (the sandbox) or the environment's Degreed hosts.
pub fn make_client(args: &Args, options: SessionOptions) -> Result<Client, String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let client_id = args.client_id.clone().or_else(|| env("DEGREED_CLIENT_ID"));
    let client_secret = args
        .client_secret
        .clone()
        .or_else(|| env("DEGREED_CLIENT_SECRET"));
    let (Some(client_id), Some(client_secret)) = (client_id, client_secret) else {
        return Err(
            "set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET, or pass --base-url for the sandbox"
                .into(),
        );
    };
    let config = match &args.base_url {
        Some(url) => Config::custom(url, url).map_err(|e| e.to_string())?,
        None => {
            let environment: Environment = env("DEGREED_ENVIRONMENT")
                .as_deref()
                .unwrap_or("production")
                .parse()
                .map_err(|e: Error| e.to_string())?;
            let data_center: DataCenter = env("DEGREED_DATA_CENTER")
                .as_deref()
                .unwrap_or("us")
                .parse()
                .map_err(|e: Error| e.to_string())?;
            Config::new(environment, data_center)
        }
    };
    Ok(Client::new(
        config,
        Credentials::new(client_id, client_secret),
        options,
    ))
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    println!("Minimal scopes for this job: {}", minimal_scopes());
    let client = match make_client(&args, session_options()) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let today = degreed::driver::now().date();
    let report = match run_job(&client, &args.data, &args.out, today) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("the job stopped: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match write_summary(&mut out, &report, &client.stats(), started.elapsed()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
