//! Every catalogue operation, end to end: built with its typed builder in `degreed::ops`,
//! sent by the blocking driver to an in-process sandbox over loopback, and the reply decoded
//! with the matching typed model.
//!
//! This proves that what the builders send is accepted by the sandbox and that what the
//! sandbox returns decodes. The test keeps the set of operations it called and compares it
//! with `degreed::operations()`, so an operation added to the catalogue fails here until it is
//! covered.
//!
//! Run with `cargo test -p degreed --features ureq --test sandbox_e2e`.
#![cfg(feature = "ureq")]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use degreed::driver::blocking::Client;
use degreed::models::{
    decode_list, decode_one, Article, Assessment, Book, CertifiableSkill, Completion, Content,
    ContentIdType, ContentSkill, ContentType, Course, DurationType, Event, Group, GroupMembership,
    Licence, Login, Model, Pathway, PathwayCollaborator, PathwayFollower, PathwayTag,
    PermissionRole, Podcast, Provider, Recommendation, RequiredLearning, SearchTerm, SkillPlan,
    SkillPlanFollower, SkillRating, TodaysLearning, User, UserFollower, UserIdentifierType,
    UserSkill, Video, View, XapiStatement,
};
use degreed::ops::{self, users::UserIdentifier};
use degreed::{ApiRequest, Config, Credentials, ErrorKind, Reply, SessionOptions, Timestamp};
use degreed_sandbox::{Options, Sandbox, SandboxHandle};
use serde_json::json;

/// A blocking client that remembers which catalogue operations it ran successfully.
struct Run {
    client: Client,
    covered: BTreeSet<&'static str>,
}

impl Run {
    fn new(sb: &SandboxHandle) -> Self {
        let config = Config::custom(sb.base_url(), sb.base_url())
            .unwrap()
            .with_timeout(Duration::from_secs(10))
            .unwrap();
        let credentials = Credentials::new(
            degreed_sandbox::DEFAULT_CLIENT_ID,
            degreed_sandbox::DEFAULT_CLIENT_SECRET,
        );
        Run {
            client: Client::new(config, credentials, SessionOptions::default()),
            covered: BTreeSet::new(),
        }
    }

    /// Sends a request built by a typed builder; any error fails the test, naming the
    /// operation. The operation counts as covered once it succeeded.
    fn send(&mut self, request: impl Into<ApiRequest>) -> Reply {
        let request = request.into();
        let name = request.operation().name;
        let reply = self
            .client
            .execute(&request)
            .unwrap_or_else(|e| panic!("{name} failed: {e}"));
        assert!(
            (200..300).contains(&reply.status),
            "{name}: {}",
            reply.status
        );
        self.covered.insert(name);
        reply
    }

    /// A list operation, decoded as `M`.
    fn list<M: Model>(&mut self, request: impl Into<ApiRequest>) -> Vec<M> {
        let reply = self.send(request);
        decode_list(&reply)
            .unwrap_or_else(|e| panic!("{} does not decode: {e}", reply.operation.name))
    }

    /// A list operation that must return at least one item, decoded as `M`.
    fn some<M: Model>(&mut self, request: impl Into<ApiRequest>) -> Vec<M> {
        let request = request.into();
        let name = request.operation().name;
        let items = self.list(request);
        assert!(!items.is_empty(), "{name} returned no items");
        items
    }

    /// A single-resource operation (get, create, update), decoded as `M`, with its status.
    fn one<M: Model>(&mut self, request: impl Into<ApiRequest>, status: u16) -> M {
        let reply = self.send(request);
        let name = reply.operation.name;
        assert_eq!(reply.status, status, "{name}");
        decode_one(&reply).unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
    }

    /// An operation answered with no body (deletes, membership changes).
    fn empty(&mut self, request: impl Into<ApiRequest>) {
        let reply = self.send(request);
        assert_eq!(reply.status, 204, "{}", reply.operation.name);
        assert_eq!(reply.body, None, "{}", reply.operation.name);
    }

    /// The error kind of a request that must fail (not counted as covered).
    fn error(&self, request: impl Into<ApiRequest>) -> ErrorKind {
        let request = request.into();
        match self.client.execute(&request) {
            Ok(reply) => panic!(
                "{} unexpectedly succeeded: {:?}",
                request.operation().name,
                reply.body
            ),
            Err(e) => e.kind(),
        }
    }
}

fn id_of(id: &Option<String>) -> String {
    id.clone().expect("the resource has an id")
}

/// Create, get, update, list by external id and delete one content kind through its typed
/// builders, decoding with its typed model.
macro_rules! content_kind {
    ($run:expr, $kind:ident, $model:ty, $new:expr) => {{
        let run: &mut Run = $run;
        let kind = stringify!($kind);
        let created: $model = run.one(ops::content::$kind::create($new).unwrap(), 201);
        let id = id_of(&created.id);
        let resource_type = format!("content/{kind}");
        assert_eq!(
            created.resource_type.as_deref(),
            Some(resource_type.as_str())
        );
        let external_id = created.external_id.clone().expect("an external id");
        let got: $model = run.one(ops::content::$kind::get(&id), 200);
        assert_eq!(got.title, created.title, "{kind}");
        let renamed = format!("{} (2nd édition)", created.title.as_deref().unwrap());
        let updated: $model = run.one(
            ops::content::$kind::update(
                &id,
                ops::content::ContentUpdate {
                    title: Some(renamed.clone()),
                    ..Default::default()
                },
            )
            .unwrap(),
            200,
        );
        assert_eq!(updated.title.as_deref(), Some(renamed.as_str()), "{kind}");
        let found: Vec<$model> = run.some(
            ops::content::$kind::list()
                .external_id(&external_id)
                .limit(5),
        );
        assert_eq!(found.len(), 1, "{kind}");
        assert_eq!(found[0].id.as_deref(), Some(id.as_str()), "{kind}");
        run.empty(ops::content::$kind::delete(&id));
        assert_eq!(
            run.error(ops::content::$kind::get(&id)),
            ErrorKind::NotFound,
            "{kind}"
        );
    }};
}

#[test]
fn every_catalogue_operation_through_its_typed_builder() {
    let started = Instant::now();
    let sb = Sandbox::start(Options::default().quiet(true).rate_limit(0)).expect("sandbox");
    let mut run = Run::new(&sb);
    let today = degreed::driver::now().date();
    let week_ago = today.add_days(-6);

    // ---- Users -------------------------------------------------------------------------
    let users: Vec<User> = run.some(ops::users::list().limit(3));
    assert_eq!(users.len(), 3);
    let manager = users[0].clone();
    let me: User = run.one(
        ops::users::create(ops::users::NewUser {
            employee_id: "E2E-0001".into(),
            first_name: "Zoë-Amélie".into(),
            last_name: "Ñúñez 李".into(),
            organization_email: "zoe.nunez@example.com".into(),
            location: Some("Kraków".into()),
            permission_role: Some(PermissionRole::Member),
            manager_id: manager.id.clone(),
            ..Default::default()
        })
        .unwrap(),
        201,
    );
    let my_id = id_of(&me.id);
    assert_eq!(me.first_name.as_deref(), Some("Zoë-Amélie"));
    assert_eq!(me.last_name.as_deref(), Some("Ñúñez 李"));
    assert_eq!(me.manager_id(), manager.id.as_deref());
    let by_employee_id: User =
        run.one(ops::users::get(UserIdentifier::EmployeeId("E2E-0001")), 200);
    assert_eq!(by_employee_id.id.as_deref(), Some(my_id.as_str()));
    assert_eq!(by_employee_id.location.as_deref(), Some("Kraków"));
    let updated: User = run.one(
        ops::users::update(
            &my_id,
            ops::users::UserUpdate {
                job_role: Some("Ingénieure".into()),
                location: Some("Łódź".into()),
                ..Default::default()
            },
        )
        .unwrap(),
        200,
    );
    assert_eq!(updated.job_role.as_deref(), Some("Ingénieure"));
    let by_email: User = run.one(
        ops::users::get(UserIdentifier::Email("ZOE.NUNEZ@example.com")),
        200,
    );
    assert_eq!(by_email.location.as_deref(), Some("Łódź"));
    assert_eq!(by_email.first_name.as_deref(), Some("Zoë-Amélie"));

    let v3: User = run.one(
        ops::users::v3::create(ops::users::NewUser {
            employee_id: "E2E-0002".into(),
            first_name: "Søren".into(),
            last_name: "Kierkegaard".into(),
            organization_email: "soren@example.com".into(),
            ..Default::default()
        })
        .unwrap(),
        201,
    );
    let v3_id = id_of(&v3.id);
    assert_eq!(v3.first_name.as_deref(), Some("Søren"));

    // ---- Content (generic, skills, the seven typed kinds) ------------------------------
    let course: Course = run.one(
        ops::content::courses::create(ops::content::NewCourse {
            title: "Rust für Einsteiger".into(),
            external_id: "E2E-COURSE-1".into(),
            duration: 90.0,
            duration_type: DurationType::Minutes,
            url: Some("https://learn.example.com/e2e/rust".into()),
            language: Some("de".into()),
            summary: Some("Ownership, borrowing — und mehr.".into()),
            ..Default::default()
        })
        .unwrap(),
        201,
    );
    let course_id = id_of(&course.id);
    assert_eq!(course.duration, Some(90.0));
    assert_eq!(course.duration_type, Some(DurationType::Minutes));
    let listed: Vec<Content> = run.some(ops::content::list().external_id("E2E-COURSE-1"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id.as_deref(), Some(course_id.as_str()));
    assert_eq!(listed[0].content_type, Some(ContentType::Course));
    let generic: Content = run.one(ops::content::get(&course_id), 200);
    assert_eq!(generic.title.as_deref(), Some("Rust für Einsteiger"));
    assert_eq!(
        generic.summary.as_deref(),
        Some("Ownership, borrowing — und mehr.")
    );
    let skills: Vec<ContentSkill> =
        run.some(ops::content::skills::add(&course_id, ["Rust", "Café culture"]).unwrap());
    let names: Vec<_> = skills.iter().filter_map(ContentSkill::skill_name).collect();
    assert_eq!(names, ["Rust", "Café culture"]);
    run.empty(ops::content::skills::remove(&course_id, ["Rust"]).unwrap());
    let skills: Vec<ContentSkill> = run.some(ops::content::skills::list(&course_id));
    let names: Vec<_> = skills.iter().filter_map(ContentSkill::skill_name).collect();
    assert_eq!(names, ["Café culture"]);
    let courses: Vec<Course> = run.some(ops::content::courses::list().limit(5));
    // The typed views name their kind in `type` (`content/courses`).
    assert!(courses
        .iter()
        .all(|c| c.resource_type.as_deref() == Some("content/courses")));

    content_kind!(
        &mut run,
        articles,
        Article,
        ops::content::NewArticle {
            external_id: "E2E-ARTICLE-1".into(),
            title: "Écrire du Rust idiomatique".into(),
            url: "https://learn.example.com/e2e/article".into(),
            num_words: 1800,
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        books,
        Book,
        ops::content::NewBook {
            external_id: "E2E-BOOK-1".into(),
            title: "The Rust Programming Language".into(),
            author: Some("Steve Klabnik".into()),
            pages: Some(560),
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        videos,
        Video,
        ops::content::NewVideo {
            external_id: "E2E-VIDEO-1".into(),
            title: "Lifetimes in 10 Minutes".into(),
            duration: 10.0,
            duration_type: DurationType::Minutes,
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        courses,
        Course,
        ops::content::NewCourse {
            external_id: "E2E-COURSE-2".into(),
            title: "Async Rust".into(),
            duration: 2.0,
            duration_type: DurationType::Hours,
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        assessments,
        Assessment,
        ops::content::NewAssessment {
            external_id: Some("E2E-ASSESSMENT-1".into()),
            title: Some("Borrow Checker Quiz".into()),
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        podcasts,
        Podcast,
        ops::content::NewPodcast {
            external_id: Some("E2E-PODCAST-1".into()),
            title: Some("Rustacean Station".into()),
            duration: Some(45.0),
            duration_type: Some(DurationType::Minutes),
            ..Default::default()
        }
    );
    content_kind!(
        &mut run,
        events,
        Event,
        ops::content::NewEvent {
            external_id: Some("E2E-EVENT-1".into()),
            title: Some("RustConf".into()),
            ..Default::default()
        }
    );

    // ---- Completions -------------------------------------------------------------------
    let completed_at = Timestamp::parse(&format!("{}T10:15:30", today.add_days(-1))).unwrap();
    let mut new_completion = ops::completions::NewCompletion::new(
        "E2E-0001",
        UserIdentifierType::EmployeeId,
        "E2E-COURSE-1",
        ContentIdType::ExternalId,
        ContentType::Course,
        completed_at,
    );
    new_completion.percentile = Some(87.0);
    let completion: Completion = run.one(ops::completions::create(new_completion).unwrap(), 201);
    let completion_id = id_of(&completion.id);
    assert_eq!(completion.completed_at, Some(completed_at));
    assert_eq!(completion.employee_id.as_deref(), Some("E2E-0001"));
    assert_eq!(completion.user_id(), Some(my_id.as_str()));
    assert_eq!(completion.content_id(), Some(course_id.as_str()));
    assert_eq!(completion.percentile, Some(87.0));
    let got: Completion = run.one(ops::completions::get(&completion_id), 200);
    assert_eq!(got.completed_at, Some(completed_at));
    assert_eq!(
        got.content.as_ref().and_then(|c| c.title.as_deref()),
        Some("Rust für Einsteiger")
    );
    let later = completed_at.add(Duration::from_secs(3600));
    let changed: Completion = run.one(
        ops::completions::update(
            &completion_id,
            ops::completions::CompletionUpdate {
                completed_at: Some(later),
                percentile: Some(93.5),
                ..Default::default()
            },
        )
        .unwrap(),
        200,
    );
    assert_eq!(changed.completed_at, Some(later));
    assert_eq!(changed.percentile, Some(93.5));
    let recent: Vec<Completion> = run.some(
        ops::completions::list()
            .start_date(week_ago)
            .end_date(today)
            .limit(1000),
    );
    assert!(recent
        .iter()
        .any(|c| c.id.as_deref() == Some(completion_id.as_str())));
    let mine: Vec<Completion> = run.some(ops::users::completions::list(&my_id));
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].completed_at, Some(later));

    // ---- Required learning, recommendations ---------------------------------------------
    // Required-learning writes are not in the typed surface (no source shows their bodies):
    // read the seeded assignments.
    let assignments: Vec<RequiredLearning> = run.some(ops::required_learning::list().limit(1000));
    let assignment_id = id_of(&assignments[0].id);
    let got: RequiredLearning = run.one(ops::required_learning::get(&assignment_id), 200);
    assert_eq!(got.id, assignments[0].id);
    let assignee = assignments[0]
        .user_id()
        .expect("an assignment with an assignee")
        .to_owned();
    let theirs: Vec<RequiredLearning> =
        run.some(ops::users::required_learning::list(assignee.as_str()));
    assert!(theirs
        .iter()
        .all(|a| a.user_id() == Some(assignee.as_str())));

    let recommendations: Vec<Recommendation> = run.some(ops::recommendations::list().limit(1000));
    let recipient = recommendations
        .iter()
        .find_map(Recommendation::user_id)
        .expect("a recommendation with a recipient")
        .to_owned();
    let theirs: Vec<Recommendation> =
        run.some(ops::users::recommended_learning::list(recipient.as_str()));
    assert!(theirs
        .iter()
        .all(|r| r.user_id() == Some(recipient.as_str())));

    // ---- Skills ------------------------------------------------------------------------
    // Skill-rating and user-skill writes are not in the typed surface (no source): read the
    // seeded records.
    let ratings: Vec<SkillRating> = run.some(ops::skill_ratings::list().limit(1000));
    let rated = ratings[0].clone();
    let named: Vec<SkillRating> = run.some(
        ops::skill_ratings::list().skill_name(rated.skill_name.clone().expect("a skill name")),
    );
    assert!(named.iter().any(|r| r.id == rated.id));
    let rated_user = rated.user_id().expect("a rated user").to_owned();
    let their_ratings: Vec<SkillRating> =
        run.some(ops::users::skill_ratings::list(rated_user.as_str()));
    assert!(their_ratings.iter().any(|r| r.id == rated.id));

    let user_skills: Vec<UserSkill> = run.some(ops::user_skills::list().limit(1000));
    let follower = user_skills[0].user_id().expect("a follower").to_owned();
    let their_skills: Vec<UserSkill> = run.some(ops::users::user_skills::list(follower.as_str()));
    assert!(their_skills.iter().any(|s| s.id == user_skills[0].id));

    let certifiable: Vec<CertifiableSkill> = run.some(ops::certifiable_skills::list());
    let cert_id = id_of(&certifiable[0].id);
    let cert: CertifiableSkill = run.one(ops::certifiable_skills::get(&cert_id), 200);
    assert_eq!(cert.name, certifiable[0].name);

    // ---- Groups ------------------------------------------------------------------------
    let groups: Vec<Group> = run.some(ops::groups::list());
    let group_id = id_of(&groups[0].id);
    let group: Group = run.one(ops::groups::get(&group_id), 200);
    assert_eq!(group.name, groups[0].name);
    run.empty(ops::groups::members::add(&group_id, [my_id.as_str()]).unwrap());
    let members: Vec<GroupMembership> = run.some(ops::groups::users::list(&group_id).limit(1000));
    let member = members
        .iter()
        .find(|m| m.user_id() == Some(my_id.as_str()))
        .expect("the new member is listed");
    assert_eq!(member.first_name.as_deref(), Some("Zoë-Amélie"));
    run.empty(ops::groups::members::remove(&group_id, [my_id.as_str()]).unwrap());
    let members: Vec<GroupMembership> = run.list(ops::groups::users::list(&group_id).limit(1000));
    assert!(members.iter().all(|m| m.user_id() != Some(my_id.as_str())));

    // ---- Pathways and skill plans ------------------------------------------------------
    let pathways: Vec<Pathway> = run.some(ops::pathways::list());
    let pathway_id = id_of(&pathways[0].id);
    let pathway: Pathway = run.one(ops::pathways::get(&pathway_id), 200);
    assert_eq!(pathway.title, pathways[0].title);
    let _: Vec<PathwayTag> = run.list(ops::pathways::tags::list(&pathway_id));
    let _: Vec<PathwayCollaborator> = run.list(ops::pathways::collaborators::list(&pathway_id));
    let _: Vec<Group> = run.list(ops::pathways::groups::list(&pathway_id));
    let _: Vec<PathwayFollower> = run.list(ops::pathways::followers::list(&pathway_id));
    // Every pathway sub-list decodes something somewhere in the seed.
    let mut seen = [false; 4];
    for p in &pathways {
        let id = id_of(&p.id);
        seen[0] |= !run
            .list::<PathwayTag>(ops::pathways::tags::list(&id))
            .is_empty();
        seen[1] |= !run
            .list::<PathwayCollaborator>(ops::pathways::collaborators::list(&id))
            .is_empty();
        seen[2] |= !run
            .list::<Group>(ops::pathways::groups::list(&id))
            .is_empty();
        seen[3] |= !run
            .list::<PathwayFollower>(ops::pathways::followers::list(&id))
            .is_empty();
    }
    assert_eq!(seen, [true; 4], "tags, collaborators, groups, followers");

    let plans: Vec<SkillPlan> = run.some(ops::skill_plans::list());
    let mut follower_id = None;
    for plan in &plans {
        let plan_id = id_of(&plan.id);
        let got: SkillPlan = run.one(ops::skill_plans::get(&plan_id), 200);
        assert_eq!(got.name, plan.name);
        let followers: Vec<SkillPlanFollower> =
            run.list(ops::skill_plans::followers::list(&plan_id));
        if let Some(f) = followers.iter().find_map(SkillPlanFollower::user_id) {
            follower_id = Some(f.to_owned());
            break;
        }
    }
    let follower_id = follower_id.expect("a skill plan with a follower");
    let _: Vec<SkillPlan> = run.some(ops::users::skill_plans::list(follower_id.as_str()));

    let todays: Vec<TodaysLearning> = run.some(ops::users::todays_learning::list(&my_id));
    assert_eq!(todays.len(), 3);

    // ---- Reporting feeds ---------------------------------------------------------------
    let _: Vec<Login> = run.list(
        ops::logins::list()
            .start_date(week_ago)
            .end_date(today)
            .limit(1000),
    );
    let logins: Vec<Login> = run.some(ops::logins::list().limit(1000));
    assert!(logins.iter().all(|l| l.logged_in_at.is_some()));
    let _: Vec<View> = run.some(ops::views::list().limit(1000));
    let terms: Vec<SearchTerm> = run.some(ops::search_terms::list());
    assert!(terms.iter().all(|t| t.search_term.is_some()));
    let _: Vec<UserFollower> = run.some(ops::user_followers::list());

    // ---- Providers ---------------------------------------------------------------------
    let providers: Vec<Provider> = run.some(ops::providers::list());
    let mut licences = 0;
    for p in &providers {
        let id = id_of(&p.id);
        let got: Provider = run.one(ops::providers::get(&id), 200);
        assert_eq!(got.name, p.name);
        licences += run
            .list::<Licence>(ops::providers::licences::list(&id))
            .len();
    }
    assert!(licences > 0, "no provider has a licence");

    // ---- xAPI --------------------------------------------------------------------------
    let statement_id = "6f1d2c1e-0a7b-4c55-9a55-3e2f7d1b9c01";
    let stored = run.send(
        ops::xapi::statements::create(json!({
            "id": statement_id,
            "actor": {"objectType": "Agent", "name": "Zoë-Amélie Ñúñez", "mbox": "mailto:zoe.nunez@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": "https://learn.example.com/e2e/rust",
                       "definition": {"name": {"de": "Rust für Einsteiger"}}},
            "timestamp": format!("{}T10:15:30Z", today.add_days(-1)),
        }))
        .unwrap(),
    );
    assert_eq!(stored.body, Some(json!([statement_id])));
    let statements: Vec<XapiStatement> = run.some(
        ops::xapi::statements::list()
            .verb("completed")
            .since(Timestamp::from_unix(completed_at.unix_secs() - 1, 0))
            .until(completed_at)
            .ascending(true)
            .limit(1000),
    );
    let mine = statements
        .iter()
        .find(|s| s.id.as_deref() == Some(statement_id))
        .expect("the statement is listed");
    assert_eq!(mine.verb_name(), Some("completed"));
    assert_eq!(
        mine.actor.as_ref().and_then(|a| a.name.as_deref()),
        Some("Zoë-Amélie Ñúñez")
    );
    assert_eq!(mine.timestamp, Some(completed_at));

    // ---- Deletes -----------------------------------------------------------------------
    run.empty(ops::completions::delete(&completion_id));
    assert_eq!(
        run.error(ops::completions::get(&completion_id)),
        ErrorKind::NotFound
    );
    run.empty(ops::users::delete(&v3_id));
    assert_eq!(
        run.error(ops::users::get(v3_id.as_str())),
        ErrorKind::NotFound
    );

    // ---- Every operation of the catalogue was exercised --------------------------------
    let catalogue: BTreeSet<&'static str> = degreed::operations().map(|op| op.name).collect();
    let missing: Vec<_> = catalogue.difference(&run.covered).collect();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
    assert_eq!(run.covered, catalogue);
    let stats = run.client.stats();
    // No scopes were given: each token asked for what the calls so far needed, a new one
    // whenever a call needed a scope the last did not carry (one per scope area at most).
    let areas: BTreeSet<String> = degreed::operations()
        .filter_map(|op| op.scope())
        .map(|s| s.resource().to_owned())
        .collect();
    assert!(
        (2..=areas.len() as u64 * 2).contains(&stats.token_requests),
        "{} token requests",
        stats.token_requests
    );
    assert_eq!(stats.retries, 0);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}
