//! The two write patterns of a nightly sync, as a short recipe (the whole job, with users,
//! progress, an export and a summary, is `examples/job/nightly.py`, run by `scripts/job.sh`):
//!
//! * **create or update**: create a course; when its external id is taken (409), or the
//!   create may have been applied, look it up, then update what differs (or create it);
//! * **look before retrying**: when a completion's create may have been applied
//!   ([`Error::maybe_applied`]: no answer, a 5xx, an unreadable success), look for it and
//!   send it again only if it is not there.
//!
//! ```text
//! cargo run -p degreed --features ureq --example nightly_job -- \
//!     --base-url http://127.0.0.1:PORT --client-id sandbox --client-secret sandbox-secret
//! ```

use std::path::{Path, PathBuf};

use clap::Parser;
use degreed::driver::blocking::Client;
use degreed::models::{decode_items, decode_list, Completion, Content, ContentIdType};
use degreed::models::{ContentType, DurationType, UserIdentifierType};
use degreed::ops::{self, completions::NewCompletion, content::ContentUpdate, content::NewCourse};
use degreed::Timestamp;
use degreed::{Config, Credentials, DataCenter, Date, Environment, Error, SessionOptions};
use serde::Deserialize;

/// The columns of `courses.csv` this recipe publishes (the others are ignored).
#[derive(Debug, Deserialize)]
pub struct CourseRow {
    pub external_id: String,
    pub title: String,
    pub duration: f64,
    pub duration_type: String,
    pub url: Option<String>,
}

/// A row of `completions.csv`: `completed_at`, or `days_ago` and `time` (HH:MM).
#[derive(Debug, Deserialize)]
pub struct CompletionRow {
    pub employee_id: String,
    pub course_external_id: String,
    pub completed_at: Option<String>,
    pub days_ago: Option<i64>,
    pub time: Option<String>,
    pub percentile: Option<f64>,
}

/// What publishing a course did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

fn find_course(client: &Client, external_id: &str) -> Result<Option<Content>, Error> {
    let list = ops::content::list().external_id(external_id).limit(1);
    Ok(decode_list::<Content>(&client.execute(&list.build())?)?.pop())
}

/// Pattern 1: create the course, or update the one that already has its external id.
pub fn publish_course(client: &Client, row: &CourseRow) -> Result<Outcome, Error> {
    let create = ops::content::courses::create(NewCourse {
        external_id: row.external_id.clone(),
        title: row.title.clone(),
        duration: row.duration,
        duration_type: DurationType::parse(&row.duration_type),
        url: row.url.clone(),
        ..NewCourse::default()
    })?;
    match client.execute(&create) {
        Ok(_) => return Ok(Outcome::Created),
        Err(e) if !matches!(e, Error::Conflict(_)) && !e.maybe_applied() => return Err(e),
        Err(_) => {} // Taken, or perhaps created just now: look it up.
    }
    let Some(existing) = find_course(client, &row.external_id)? else {
        client.execute(&create)?;
        return Ok(Outcome::Created);
    };
    fn differs<T: PartialEq>(want: Option<T>, have: &Option<T>) -> Option<T> {
        want.filter(|w| have.as_ref() != Some(w))
    }
    let changes = ContentUpdate {
        title: differs(Some(row.title.clone()), &existing.title),
        duration: differs(Some(row.duration), &existing.duration),
        duration_type: differs(
            Some(DurationType::parse(&row.duration_type)),
            &existing.duration_type,
        ),
        url: differs(row.url.clone(), &existing.url),
        ..ContentUpdate::default()
    };
    if changes == ContentUpdate::default() {
        return Ok(Outcome::Unchanged);
    }
    let id = existing
        .id
        .ok_or_else(|| Error::invalid("a course came back without an id"))?;
    client.execute(&ops::content::courses::update(&id, changes)?)?;
    Ok(Outcome::Updated)
}

/// Pattern 2: record a completion; if the create may have been applied, look before retrying.
pub fn record_completion(client: &Client, row: &CompletionRow, today: Date) -> Result<(), Error> {
    let day = today.add_days(-row.days_ago.unwrap_or(0));
    let time = row.time.as_deref().unwrap_or("00:00");
    let at = Timestamp::parse(
        &row.completed_at
            .clone()
            .unwrap_or(format!("{day}T{time}:00")),
    )?;
    let mut completion = NewCompletion::new(
        &row.employee_id,
        UserIdentifierType::EmployeeId,
        &row.course_external_id,
        ContentIdType::ExternalId,
        ContentType::Course,
        at,
    );
    completion.percentile = row.percentile;
    let create = ops::completions::create(completion)?;
    match client.execute(&create) {
        Err(e) if e.maybe_applied() && !is_recorded(client, row, at.date())? => {
            client.execute(&create).map(drop)
        }
        Err(e) if e.maybe_applied() => Ok(()), // It was applied: nothing to do.
        other => other.map(drop),
    }
}

/// Whether the employee's completion of the course on `day` is recorded.
fn is_recorded(client: &Client, row: &CompletionRow, day: Date) -> Result<bool, Error> {
    let course = find_course(client, &row.course_external_id)?.and_then(|c| c.id);
    let list = ops::completions::list().limit(1000).build();
    for page in client.pages_between(list, day, day)? {
        for c in decode_items::<Completion>(&page?.items)? {
            let same_day = c.completed_at.map(Timestamp::date) == Some(day);
            if c.employee_id.as_deref() == Some(row.employee_id.as_str())
                && c.content_id() == course.as_deref()
                && same_day
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Publishes `courses.csv`, then records `completions.csv`: one result a row.
pub type Results = (Vec<Result<Outcome, Error>>, Vec<Result<(), Error>>);
pub fn sync(client: &Client, data: &Path, today: Date) -> Result<Results, csv::Error> {
    let (mut courses, mut completions) = (Vec::new(), Vec::new());
    for row in csv::Reader::from_path(data.join("courses.csv"))?.into_deserialize() {
        courses.push(publish_course(client, &row?));
    }
    for row in csv::Reader::from_path(data.join("completions.csv"))?.into_deserialize() {
        completions.push(record_completion(client, &row?, today));
    }
    Ok((courses, completions))
}

/// The command line; the secret is never printed (clap hides env values).
#[derive(Parser)]
#[command(about = "Publish courses and record completions from CSV files")]
pub struct Args {
    /// API and token host (the sandbox); default: Degreed's hosts
    #[arg(long, env = "DEGREED_BASE_URL")]
    pub base_url: Option<String>,
    #[arg(long, env = "DEGREED_CLIENT_ID")]
    pub client_id: String,
    #[arg(long, env = "DEGREED_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: String,
    #[arg(long, env = "DEGREED_ENVIRONMENT", default_value = "production")]
    pub environment: Environment,
    #[arg(long, env = "DEGREED_DATA_CENTER", default_value = "us")]
    pub data_center: DataCenter,
    /// Folder with courses.csv and completions.csv
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/job/data"))]
    pub data: PathBuf,
}

impl Args {
    pub fn client(&self) -> Result<Client, Error> {
        let config = match &self.base_url {
            Some(url) => Config::custom(url, url)?,
            None => Config::new(self.environment, self.data_center),
        };
        let credentials = Credentials::new(&self.client_id, self.client_secret.as_str());
        Ok(Client::new(config, credentials, SessionOptions::default()))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = args.client()?;
    let (courses, completions) = sync(&client, &args.data, degreed::driver::now().date())?;
    courses.iter().for_each(|r| println!("course: {r:?}"));
    completions
        .iter()
        .for_each(|r| println!("completion: {r:?}"));
    println!("{:?}", client.stats());
    Ok(())
}
