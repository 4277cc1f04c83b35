//! Deterministic seed data: same options (and anchor date) → byte-identical data.
//!
//! Dates are relative to the *anchor day* (today, UTC, unless `--anchor-date` pins it):
//! completions, logins, required learning and recommendations fall in the 90 days before it,
//! so 7-day windows matter.

use crate::clock::{days_from_civil, fmt_date, fmt_ticks, parse_date, DAY_MS};
use crate::config::Options;
use crate::rng::SplitMix64;
use crate::store::{coll, Record, Rel, SeededStatement, Statement, StatementBody, Store};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const FIRST: &[&str] = &[
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Ngozi",
    "伟",
    "Amélie",
    "Björn",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "Günther",
    "Hana",
    "Ingrid",
    "Jürgen",
    "Kaito",
    "Lúcia",
    "María",
    "Mateus",
    "Nadia",
    "Oluwaseun",
    "Priya",
    "Raúl",
    "Siobhán",
    "Thandiwe",
    "Ümit",
    "Wojciech",
    "Xiùlán",
    "Yusuf",
    "Zoltán",
    "Aoife",
    "Bogdan",
    "Camille",
    "Dara",
    "Eun-ji",
    "François",
    "Grzegorz",
    "Hiroshi",
    "Inés",
    "Jamal",
    "Keanu",
    "Leilani",
    "Mónica",
];
const LAST: &[&str] = &[
    "García",
    "Müller",
    "Nowak",
    "Okafor",
    "Nakamura",
    "Johansson",
    "O'Brien",
    "Dubois",
    "Kowalski",
    "Rossi",
    "Silva",
    "Nguyễn",
    "Kim",
    "Andersen",
    "Fernández",
    "Papadopoulos",
    "Çelik",
    "李",
    "Smith",
    "Patel",
    "Ivanova",
    "Mbeki",
    "Haddad",
    "Łęcka",
    "Sørensen",
    "Jiménez",
    "Brontë",
    "Van der Berg",
    "Ó Súilleabháin",
    "Wójcik",
    "Schäfer",
    "Adeyemi",
];
const CITIES: &[&str] = &[
    "São Paulo",
    "Kraków",
    "København",
    "Lagos",
    "北京",
    "Zürich",
    "Montréal",
    "Salt Lake City",
    "Dublin",
    "Bengaluru",
    "Málaga",
    "Reykjavík",
    "Toronto",
    "Nairobi",
];
const JOB_ROLES: &[&str] = &[
    "Software Engineer",
    "Product Manager",
    "Data Analyst",
    "HR Business Partner",
    "Sales Representative",
    "Learning Designer",
    "Customer Success Manager",
    "Finance Controller",
    "Nurse Educator",
    "Barista Trainer",
];
const LANGS: &[&str] = &["en", "en", "en", "fr", "de", "pt", "es", "ja", "zh", "pl"];
const TOPICS: &[&str] = &[
    "Kubernetes",
    "Negotiation",
    "Data Storytelling",
    "Rust Programming",
    "Inclusive Leadership",
    "Café Operations",
    "Financial Modeling",
    "Design Thinking",
    "Machine Learning",
    "Public Speaking",
    "Cybersecurity Basics",
    "Product Discovery",
    "Coaching Conversations",
    "Supply Chain Resilience",
    "SQL",
    "Customer Empathy",
    "Time Management",
    "Cloud Cost Optimization",
    "Accessibility",
    "Résumé Writing",
];
/// Skill names (ids of `skills` relationships are names).
pub const SKILLS: &[&str] = &[
    "Best Practices",
    "Leadership",
    "Python",
    "Data Analysis",
    "Communication",
    "Project Management",
    "Kubernetes",
    "Negotiation",
    "Empathy",
    "Machine Learning",
    "SQL",
    "Public Speaking",
    "Design Thinking",
    "Cybersecurity",
    "Financial Planning",
    "Coaching",
];
const PROVIDERS: &[(&str, &str, &str)] = &[
    ("Acme Academy", "ACME", "https://academy.acme.example"),
    ("Nordlys Learning", "NORDLYS", "https://nordlys.example"),
    ("Kiosco Media", "KIOSCO", "https://kiosco.example"),
    ("Lumen Labs", "LUMEN", "https://lumenlabs.example"),
];
const SEARCH: &[&str] = &[
    "kubernetes",
    "leadership",
    "excel",
    "python",
    "negotiation",
    "onboarding",
    "sql",
    "coaching",
    "résumé",
    "data visualization",
    "public speaking",
    "time management",
    "security awareness",
    "agile",
    "design thinking",
    "customer service",
    "finance basics",
    "machine learning",
    "accessibility",
    "café",
];

/// Typed content kinds: path segment, `content-type` value, external-id prefix.
pub const KINDS: &[(&str, &str, &str)] = &[
    ("courses", "Course", "COURSE"),
    ("articles", "Article", "ARTICLE"),
    ("videos", "Video", "VIDEO"),
    ("books", "Book", "BOOK"),
    ("podcasts", "Podcast", "PODCAST"),
    ("assessments", "Assessment", "ASSESSMENT"),
    ("events", "Event", "EVENT"),
];

/// `content-type` value of a path kind (`courses` → `Course`).
pub fn content_type_of(kind: &str) -> Option<&'static str> {
    KINDS.iter().find(|k| k.0 == kind).map(|k| k.1)
}

/// Path kind of a `content-type` value (`Course` → `courses`), case-insensitive.
pub fn kind_of(content_type: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|k| k.1.eq_ignore_ascii_case(content_type))
        .map(|k| k.0)
}

/// A JSON object literal as a map.
pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Lower-case ASCII transliteration for e-mail local parts (`Łukasz` → `lukasz`).
pub fn fold(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let r = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ễ' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ł' => "l",
            'ś' | 'š' | 'ş' => "s",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            'ğ' => "g",
            'ř' => "r",
            'đ' => "d",
            '-' => "-",
            _ => "",
        };
        out.push_str(r);
    }
    out
}

struct Gen {
    rng: SplitMix64,
    anchor_ms: i64,
}

impl Gen {
    /// A timestamp `days_ago` before the anchor plus a random time of day, with 0–7 fraction digits.
    fn ts_at(&mut self, ms: i64) -> String {
        let ticks = ms * 10_000 + self.rng.below(10_000) as i64;
        let digits = *self.rng.pick(&[0usize, 2, 3, 7, 7, 5]);
        crate::clock::fmt_ticks_trimmed(ticks, digits)
    }
    /// A timestamp `lo..=hi` units after `ms`.
    fn ts_after(&mut self, ms: i64, lo: i64, hi: i64, unit_ms: i64) -> String {
        let d = self.rng.range(lo, hi) * unit_ms;
        self.ts_at(ms + d)
    }
    fn ms_between(&mut self, lo_days: i64, hi_days: i64) -> i64 {
        // Uniform between anchor - hi_days and anchor - lo_days.
        let span = (hi_days - lo_days).max(1) * DAY_MS;
        self.anchor_ms - hi_days * DAY_MS + self.rng.below(span as u64) as i64
    }
}

fn slug(s: &str) -> String {
    let f = fold(&s.replace([' ', ':', ',', '.'], "-"));
    let mut out = String::new();
    for c in f.chars() {
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('-').to_string()
}

/// Builds the seeded store.
pub fn generate(opts: &Options, now_ms: i64) -> Result<Store, String> {
    let anchor_day = match &opts.anchor_date {
        Some(d) => {
            parse_date(d).ok_or_else(|| format!("bad anchor date {d:?} (want yyyy-mm-dd)"))?
        }
        None => now_ms.div_euclid(DAY_MS),
    };
    let mut st = Store::new(opts.seed);
    let mut g = Gen {
        rng: SplitMix64::derive(opts.seed, "data"),
        anchor_ms: anchor_day * DAY_MS,
    };
    let never = fmt_ticks(days_from_civil(1, 1, 1) * 864_000_000_000, 0);

    // Providers and licences come first (content refers to them).
    let mut provider_ids = Vec::new();
    for (name, _code, url) in PROVIDERS {
        let id = st.new_id();
        provider_ids.push(id.clone());
        st.insert(
            coll::PROVIDERS,
            Record::new(id, obj(json!({ "name": name, "url": url }))),
        );
    }

    // Users.
    // A set: with 100k users a list's `contains` made seeding quadratic (minutes).
    let mut emails: std::collections::HashSet<String> = std::collections::HashSet::new();
    let n_users = opts.users;
    for i in 0..n_users {
        let first = *g.rng.pick(FIRST);
        let last = *g.rng.pick(LAST);
        let emp = format!("E{}", 10001 + i);
        let (f, l) = (fold(first), fold(last));
        let local = if f.is_empty() || l.is_empty() {
            format!("user{}", 10001 + i)
        } else {
            format!("{f}.{l}")
        };
        let mut email = format!("{local}@example.com");
        if emails.contains(&email) {
            email = format!("{local}{}@example.com", i + 1);
        }
        emails.insert(email.clone());
        let created = g.ms_between(100, 5 * 365);
        let never_logged = i % 9 == 4;
        let first_login = if never_logged {
            never.clone()
        } else {
            g.ts_at(created + 2 * DAY_MS)
        };
        let last_login = if never_logged {
            never.clone()
        } else {
            let ms = g.ms_between(0, 90);
            g.ts_at(ms)
        };
        let role = match i {
            0 => "Admin",
            _ if i % 7 == 1 => "Manager",
            _ if i % 11 == 3 => "LearningProfessional",
            _ => "Member",
        };
        let personal = if g.rng.chance(0.4) {
            Value::String(format!(
                "{}{}@mail.example.net",
                if f.is_empty() {
                    "user".into()
                } else {
                    f.clone()
                },
                g.rng.range(1, 99)
            ))
        } else {
            Value::Null
        };
        let created_s = g.ts_at(created);
        let attrs = obj(json!({
            "employee-id": emp,
            "first-name": first,
            "last-name": last,
            "full-name": format!("{first} {last}"),
            "organization-email": email,
            "personal-email": personal,
            "profile-visibility": *g.rng.pick(&["Everyone", "Organization", "Private"]),
            "bio": if g.rng.chance(0.5) { Value::String(format!("{} who loves {}.", g.rng.pick(JOB_ROLES), g.rng.pick(TOPICS).to_lowercase())) } else { Value::Null },
            "location": *g.rng.pick(CITIES),
            "profile-image-url": if g.rng.chance(0.3) { Value::String(format!("https://images.example.com/u/{}.png", 10001 + i)) } else { Value::Null },
            "login-disabled": i % 17 == 16,
            "restricted": false,
            "is-active-learner": g.rng.chance(0.7),
            "permission-role": role,
            "job-role": *g.rng.pick(JOB_ROLES),
            "alias-uid": format!("AU{}", 50001 + i),
            "preferred-language": *g.rng.pick(LANGS),
            "real-time-email-notification": g.rng.chance(0.5),
            "daily-digest-email": g.rng.chance(0.3),
            "weekly-digest-email": g.rng.chance(0.6),
            "created-at": created_s,
            "first-login-at": first_login,
            "last-login-at": last_login,
            "total-points": g.rng.range(0, 4000),
            "daily-logins": if never_logged { 0 } else { g.rng.range(1, 300) },
        }));
        let id = st.new_id();
        let mut rec = Record::new(id, attrs);
        let manager = if i == 0 {
            Rel::null("manager")
        } else {
            let m = &st.all(coll::USERS)[g.rng.below(i.min(5) as u64) as usize];
            Rel::to("manager", "users", &m.id)
        };
        rec.rels.push(manager);
        st.insert(coll::USERS, rec);
    }
    // The users, content and groups are taken out of the store while the records that refer
    // to them are made (and put back at the end): copying them doubled the memory of 100k users.
    let users: Vec<Record> = take(&mut st, coll::USERS);
    let active: Vec<&Record> = users
        .iter()
        .filter(|u| u.s("last-login-at") != Some(never.as_str()))
        .collect();

    // Content.
    let mut counters = [0usize; 7];
    for i in 0..opts.content {
        let k = if i < KINDS.len() {
            i
        } else {
            // Weighted: courses 35, articles 20, videos 15, books 10, podcasts 8, assessments 6, events 6.
            let w = [35u64, 20, 15, 10, 8, 6, 6];
            let mut r = g.rng.below(100);
            let mut k = 0;
            while r >= w[k] {
                r -= w[k];
                k += 1;
            }
            k
        };
        counters[k] += 1;
        let (kind, ctype, prefix) = KINDS[k];
        let n = counters[k];
        let topic = *g.rng.pick(TOPICS);
        let title = match kind {
            "courses" => format!(
                "{} {topic}",
                g.rng
                    .pick(&["Introduction to", "Advanced", "Practical", "Mastering"])
            ),
            "articles" => format!(
                "{} {topic}",
                g.rng
                    .pick(&["Why It Matters:", "5 Lessons on", "Rethinking"])
            ),
            "videos" => format!("{topic} in {} Minutes", g.rng.range(3, 20)),
            "books" => format!("{topic}: A Field Guide"),
            "podcasts" => format!("The {topic} Podcast, Ep. {}", g.rng.range(1, 120)),
            "assessments" => format!("{topic} Skills Check"),
            _ => format!("{topic} Summit {}", 2020 + g.rng.range(0, 6)),
        };
        let ext = format!("{prefix}-{n:04}");
        let url = format!(
            "https://learning.example.com/{kind}/{}-{n:04}",
            slug(&title)
        );
        let created = g.ms_between(10, 3 * 365);
        let modified = (created + g.rng.range(0, 200) * DAY_MS).min(g.anchor_ms - DAY_MS);
        let internal = i < KINDS.len() || !g.rng.chance(0.2);
        let p = g.rng.below(PROVIDERS.len() as u64) as usize;
        let (provider, provider_code) = if internal {
            (Value::Null, Value::Null)
        } else {
            (json!(PROVIDERS[p].0), json!(PROVIDERS[p].1))
        };
        let (duration, dtype) = match kind {
            "courses" => (json!(g.rng.range(1, 40)), "Hours"),
            "videos" => (json!(g.rng.range(3, 59)), "Minutes"),
            "podcasts" => (json!(g.rng.range(15, 90)), "Minutes"),
            "articles" => (json!(g.rng.range(600, 4000)), "Words"),
            "events" => (json!(g.rng.range(1, 3)), "Days"),
            "assessments" => (json!(g.rng.range(10, 45)), "Minutes"),
            _ => (json!(g.rng.range(120, 600)), "Minutes"),
        };
        let minutes = g.rng.range(5, 2400) as f64 + g.rng.below(4) as f64 * 0.25;
        let created_s = g.ts_at(created);
        let modified_s = g.ts_at(modified);
        let mut attrs = obj(json!({
            "content-type": ctype,
            "external-id": ext,
            "title": title,
            "summary": format!("{title}: a {} for people who want to get better at {}.", ctype.to_lowercase(), topic.to_lowercase()),
            "url": url,
            "degreed-url": format!("https://degreed.com/{}/?d={}", ctype.to_lowercase(), i + 1000),
            "format": match kind { "courses" => *g.rng.pick(&["Online", "Classroom", "Blended"]), "events" => "Virtual", _ => ctype },
            "obsolete": i % 13 == 12,
            "image-url": format!("https://images.example.com/content/{}.jpg", slug(&title)),
            "language": *g.rng.pick(LANGS),
            "duration": duration,
            "duration-type": dtype,
            "provider": provider,
            "provider-code": provider_code,
            "is-internal": internal,
            "owner": Value::Null,
            "learning-minutes": minutes,
            "visibility": if i % 11 == 10 { "Restricted" } else { "Organization" },
            "created-at": created_s,
            "modified-at": modified_s,
            "publish-date": fmt_date(created - g.rng.range(0, 400) * DAY_MS),
        }));
        match kind {
            "courses" => {
                attrs.insert("cost-units".into(), json!(g.rng.range(0, 500)));
                attrs.insert("cost-unit-type".into(), json!("USD"));
                attrs.insert(
                    "difficulty".into(),
                    json!(*g.rng.pick(&["Beginner", "Intermediate", "Advanced"])),
                );
                attrs.insert("video-url".into(), Value::Null);
            }
            "articles" => {
                attrs.insert("num-words".into(), attrs["duration"].clone());
            }
            "books" => {
                attrs.insert(
                    "subtitle".into(),
                    json!(format!("Notes on {}", topic.to_lowercase())),
                );
                attrs.insert(
                    "authors".into(),
                    json!(format!("{} {}", g.rng.pick(FIRST), g.rng.pick(LAST))),
                );
                attrs.insert("pages".into(), json!(g.rng.range(90, 700)));
                attrs.insert(
                    "i-s-b-n13".into(),
                    json!(format!("978{:010}", g.rng.below(10_000_000_000))),
                );
            }
            _ => {}
        }
        let id = st.new_id();
        let mut skills: Vec<String> = Vec::new();
        for _ in 0..g.rng.range(1, 3) {
            let s = g.rng.pick(SKILLS).to_string();
            if !skills.contains(&s) {
                skills.push(s);
            }
        }
        st.content_skills.insert(id.clone(), skills);
        let mut rec = Record::new(id, attrs);
        rec.parent = None;
        st.insert(coll::CONTENT, rec);
    }
    let content: Vec<Record> = take(&mut st, coll::CONTENT);
    let provider_of = |c: &Record| -> Option<String> {
        let name = c.s("provider")?;
        let p = PROVIDERS.iter().position(|p| p.0 == name)?;
        Some(provider_ids[p].clone())
    };

    // Provider licences.
    for pid in &provider_ids {
        for u in &users {
            if !g.rng.chance(0.3) {
                continue;
            }
            let created = g.ms_between(30, 700);
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "is-enabled": g.rng.chance(0.85),
                "created-at": g.ts_at(created),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.parent = Some(pid.clone());
            r.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::PROVIDER_LICENCES, r);
        }
    }

    // Completions over the last 90 days, in completed-at order.
    if !users.is_empty() && !content.is_empty() {
        let mut planned: Vec<(i64, usize, usize)> = (0..opts.completions)
            .map(|_| {
                let ms = g.ms_between(0, 90);
                (
                    ms,
                    g.rng.below(users.len() as u64) as usize,
                    g.rng.below(content.len() as u64) as usize,
                )
            })
            .collect();
        planned.sort();
        for (ms, u, c) in planned {
            let (u, c) = (&users[u], &content[c]);
            let points = g.rng.range(1, 40) as f64 * 0.5;
            let completed = g.ts_at(ms);
            let added = g.ts_after(ms, 1, 3 * 3600, 1000);
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "completed-at": completed,
                "added-at": added,
                "points-earned": format!("{points}"),
                "is-verified": g.rng.chance(0.4),
                "rating": if g.rng.chance(0.3) { json!(g.rng.range(1, 5)) } else { Value::Null },
                "access-method": *g.rng.pick(&["Mac Web", "Windows Web", "iOS App", "Android App", "API"]),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("content", "content", &c.id));
            r.rels.push(match provider_of(c) {
                Some(p) => Rel::to("provider", "providers", &p),
                None => Rel::null("provider"),
            });
            r.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::COMPLETIONS, r);
        }
    }

    if !users.is_empty() && !content.is_empty() {
        // Required learning.
        let n = n_users + n_users / 4;
        let mut planned: Vec<(i64, usize, usize)> = (0..n)
            .map(|_| {
                (
                    g.ms_between(0, 90),
                    g.rng.below(users.len() as u64) as usize,
                    g.rng.below(content.len() as u64) as usize,
                )
            })
            .collect();
        planned.sort();
        for (ms, u, c) in planned {
            let (u, c) = (&users[u], &content[c]);
            let due = ms + g.rng.range(7, 60) * DAY_MS;
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "assignment-type": *g.rng.pick(&["Assigned", "Assigned", "Self-Assigned"]),
                "status": *g.rng.pick(&["Pending", "Pending", "InProgress", "Complete"]),
                "due-at": fmt_ticks(due.div_euclid(DAY_MS) * DAY_MS * 10_000, 0),
                "created-at": g.ts_at(ms),
                "modified-at": g.ts_after(ms, 0, 5, DAY_MS),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("user", "users", &u.id));
            r.rels.push(Rel::to("content", "content", &c.id));
            r.rels.push(match provider_of(c) {
                Some(p) => Rel::to("provider", "providers", &p),
                None => Rel::null("provider"),
            });
            st.insert(coll::REQUIRED_LEARNING, r);
        }
        // Recommendations.
        let mut planned: Vec<(i64, usize, usize, usize)> = (0..n)
            .map(|_| {
                (
                    g.ms_between(0, 90),
                    g.rng.below(users.len() as u64) as usize,
                    g.rng.below(users.len() as u64) as usize,
                    g.rng.below(content.len() as u64) as usize,
                )
            })
            .collect();
        planned.sort();
        for (ms, from, to, c) in planned {
            let (from, to, c) = (&users[from], &users[to], &content[c]);
            let attrs = obj(json!({
                "employee-id": from.s("employee-id"),
                "recipient-employee-id": to.s("employee-id"),
                "status": *g.rng.pick(&["Pending", "Accepted", "Dismissed", "Completed"]),
                "recommended-at": g.ts_at(ms),
                "modified-at": g.ts_after(ms, 0, 3, DAY_MS),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("user", "users", &to.id));
            r.rels.push(Rel::to("recommender", "users", &from.id));
            r.rels.push(Rel::to("content", "content", &c.id));
            st.insert(coll::RECOMMENDATIONS, r);
        }
    }

    // Groups and members.
    let n_groups = (n_users / 5).max(3);
    for gi in 0..n_groups {
        let created = g.ms_between(30, 900);
        let name = format!(
            "{} {}",
            g.rng.pick(&["Team", "Guild", "Circle", "Cohort"]),
            g.rng.pick(TOPICS)
        );
        let attrs = obj(json!({
            "name": name,
            "description": format!("People interested in {}.", name.to_lowercase()),
            "privacy": *g.rng.pick(&["Open", "Closed", "Private", "Administrative"]),
            "external-group-id": format!("GRP-{:03}", gi + 1),
            "created-at": g.ts_at(created),
            "modified-at": g.ts_after(created, 0, 20, DAY_MS),
        }));
        let gid = st.new_id();
        let mut r = Record::new(gid.clone(), attrs);
        if let Some(u) = users.first() {
            r.rels.push(Rel::to("created_by", "users", &u.id));
        }
        st.insert(coll::GROUPS, r);
        let mut members: Vec<usize> = Vec::new();
        for _ in 0..g.rng.range(3, 8) {
            if users.is_empty() {
                break;
            }
            let u = g.rng.below(users.len() as u64) as usize;
            if !members.contains(&u) {
                members.push(u);
            }
        }
        for (k, &u) in members.iter().enumerate() {
            let u = &users[u];
            let joined = g.ms_between(1, 300);
            let attrs = member_attrs(u, if k == 0 { "Leader" } else { "Member" }, g.ts_at(joined));
            let mut m = Record::new(st.new_id(), attrs);
            m.parent = Some(gid.clone());
            m.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::GROUP_USERS, m);
        }
    }
    let groups: Vec<Record> = take(&mut st, coll::GROUPS);

    // Pathways and their sub-lists.
    for _ in 0..(opts.content / 5).max(3) {
        let topic = *g.rng.pick(TOPICS);
        let created = g.ms_between(5, 600);
        let attrs = obj(json!({
            "title": format!("{topic} Pathway"),
            "summary": format!("A curated path through {}.", topic.to_lowercase()),
            "visibility": *g.rng.pick(&["Public", "Organization", "Private"]),
            "sections": g.rng.range(1, 6),
            "created-at": g.ts_at(created),
            "modified-at": g.ts_after(created, 0, 100, DAY_MS),
        }));
        let pid = st.new_id();
        st.insert(coll::PATHWAYS, Record::new(pid.clone(), attrs));
        for _ in 0..g.rng.range(1, 3) {
            let mut t = Record::new(st.new_id(), obj(json!({ "tag": g.rng.pick(SKILLS) })));
            t.parent = Some(pid.clone());
            st.insert(coll::PATHWAY_TAGS, t);
        }
        for (name, c, n) in [
            (coll::PATHWAY_COLLABORATORS, "created-at", g.rng.range(1, 2)),
            (coll::PATHWAY_FOLLOWERS, "created-at", g.rng.range(0, 5)),
        ] {
            for _ in 0..n {
                if users.is_empty() {
                    break;
                }
                let u = &users[g.rng.below(users.len() as u64) as usize];
                let ms = g.ms_between(1, 300);
                let mut r = Record::new(
                    st.new_id(),
                    obj(json!({ "employee-id": u.s("employee-id"), c: g.ts_at(ms) })),
                );
                r.parent = Some(pid.clone());
                r.rels.push(Rel::to("user", "users", &u.id));
                st.insert(name, r);
            }
        }
        for _ in 0..g.rng.range(0, 2) {
            let gr = &groups[g.rng.below(groups.len() as u64) as usize];
            let mut r = Record::new(
                st.new_id(),
                obj(json!({ "name": gr.s("name"), "privacy": gr.s("privacy") })),
            );
            r.parent = Some(pid.clone());
            r.rels.push(Rel::to("group", "groups", &gr.id));
            st.insert(coll::PATHWAY_GROUPS, r);
        }
    }

    // Skill plans.
    for _ in 0..4 {
        let skill = *g.rng.pick(SKILLS);
        let created = g.ms_between(5, 500);
        let attrs = obj(json!({
            "name": format!("{skill} Plan"),
            "description": format!("Grow your {} skills.", skill.to_lowercase()),
            "visibility": *g.rng.pick(&["Organization", "Private"]),
            "sections": g.rng.range(1, 5),
            "created-at": g.ts_at(created),
        }));
        let sid = st.new_id();
        st.insert(coll::SKILL_PLANS, Record::new(sid.clone(), attrs));
        let mut seen = Vec::new();
        for _ in 0..g.rng.range(1, 6) {
            if users.is_empty() {
                break;
            }
            let ui = g.rng.below(users.len() as u64) as usize;
            if seen.contains(&ui) {
                continue;
            }
            seen.push(ui);
            let u = &users[ui];
            let ms = g.ms_between(1, 200);
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "enrolled-at": g.ts_at(ms),
                "is-primary-plan": g.rng.chance(0.3),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.parent = Some(sid.clone());
            r.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::SKILL_PLAN_FOLLOWERS, r);
        }
    }

    // Certifiable skills.
    let mut cert_guids = Vec::new();
    for &name in SKILLS.iter().take(10) {
        let guid = st.new_uuid();
        cert_guids.push(guid.clone());
        let created = g.ms_between(100, 1000);
        let attrs = obj(json!({
            "name": name,
            "description": format!("Certify your {} level.", name.to_lowercase()),
            "skill-unique-identifier": guid,
            "is-featured": g.rng.chance(0.3),
            "visibility": "Organization",
            "cost": g.rng.range(0, 3) * 50,
            "created-at": g.ts_at(created),
            "modified-at": g.ts_at(created + 30 * DAY_MS),
        }));
        let id = st.new_id();
        st.insert(coll::CERTIFIABLE_SKILLS, Record::new(id, attrs));
    }

    // Skill ratings and user skills.
    for u in &users {
        for _ in 0..g.rng.range(1, 3) {
            let k = g.rng.below(SKILLS.len() as u64) as usize;
            let ms = g.ms_between(0, 365);
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "skill-name": SKILLS[k],
                "rating": g.rng.range(1, 8),
                "rating-type": *g.rng.pick(&["Self", "Manager", "Peer", "Evaluation"]),
                "certifiable-skill-guid": cert_guids.get(k).cloned(),
                "rated-at": g.ts_at(ms),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::SKILL_RATINGS, r);
        }
        let mut followed: Vec<usize> = Vec::new();
        for _ in 0..g.rng.range(1, 4) {
            let k = g.rng.below(SKILLS.len() as u64) as usize;
            if followed.contains(&k) {
                continue;
            }
            followed.push(k);
            let ms = g.ms_between(0, 500);
            let attrs = obj(json!({
                "employee-id": u.s("employee-id"),
                "skill-id": format!("S{:04}", k + 1),
                "skill-name": SKILLS[k],
                "certifiable-skill-guid": cert_guids.get(k).cloned(),
                "followed-at": g.ts_at(ms),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("user", "users", &u.id));
            st.insert(coll::USER_SKILLS, r);
        }
    }

    // Logins (users who ever logged in), in time order.
    let mut logins: Vec<(i64, usize)> = Vec::new();
    for (i, _) in active.iter().enumerate() {
        for _ in 0..g.rng.range(1, 6) {
            logins.push((g.ms_between(0, 90), i));
        }
    }
    logins.sort();
    for (ms, i) in logins {
        let u = active[i];
        let mut r = Record::new(
            st.new_id(),
            obj(json!({ "employee-id": u.s("employee-id"), "logged-in-at": g.ts_at(ms) })),
        );
        r.rels.push(Rel::to("user", "users", &u.id));
        st.insert(coll::LOGINS, r);
    }

    // Views: per content and day.
    if !content.is_empty() {
        let mut views: Vec<(i64, usize)> = (0..opts.content * 2)
            .map(|_| {
                (
                    g.ms_between(0, 90),
                    g.rng.below(content.len() as u64) as usize,
                )
            })
            .collect();
        views.sort();
        for (ms, c) in views {
            let c = &content[c];
            let attrs = obj(json!({
                "url": c.s("url"),
                "content-type": c.s("content-type"),
                "content-title": c.s("title"),
                "view-count": g.rng.range(1, 40),
                "viewed-at": g.ts_at(ms),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("content", "content", &c.id));
            st.insert(coll::VIEWS, r);
        }
    }

    // Search terms.
    for term in SEARCH {
        let attrs = obj(json!({ "search-term": term, "count": g.rng.range(1, 500) }));
        let id = st.new_id();
        st.insert(coll::SEARCH_TERMS, Record::new(id, attrs));
    }

    // User followers.
    if users.len() >= 2 {
        for _ in 0..(n_users + n_users / 4) {
            let a = g.rng.below(users.len() as u64) as usize;
            let mut b = g.rng.below(users.len() as u64) as usize;
            if a == b {
                b = (b + 1) % users.len();
            }
            let ms = g.ms_between(0, 400);
            let attrs = obj(json!({
                "follower-employee-id": users[a].s("employee-id"),
                "following-employee-id": users[b].s("employee-id"),
                "followed-at": g.ts_at(ms),
            }));
            let mut r = Record::new(st.new_id(), attrs);
            r.rels.push(Rel::to("follower", "users", &users[a].id));
            r.rels.push(Rel::to("following", "users", &users[b].id));
            st.insert(coll::USER_FOLLOWERS, r);
        }
    }

    // xAPI statements: completions, logins, follows. Users and content are found by id
    // through an index (a linear search per statement made 100k users take minutes).
    let mut stmts: Vec<Statement> = Vec::new();
    let user_at: HashMap<&str, usize> = users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let content_at: HashMap<&str, usize> = content
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let user_by_id = |id: &str| user_at.get(id).map(|&i| &users[i]);
    let completions = take(&mut st, coll::COMPLETIONS);
    for c in &completions {
        let (Some(u), Some(ct)) = (
            c.rel_id("user").and_then(user_by_id),
            c.rel_id("content")
                .and_then(|id| content_at.get(id))
                .map(|&i| &content[i]),
        ) else {
            continue;
        };
        let ts = c.s("completed-at").unwrap_or_default().to_string();
        let id = st.new_uuid();
        stmts.push(statement(
            id,
            u,
            "completed",
            &ct.id,
            ct.s("title").unwrap_or(""),
            ct.s("content-type").unwrap_or("Course"),
            ts,
        ));
    }
    put_back(&mut st, coll::COMPLETIONS, completions);
    let logins = take(&mut st, coll::LOGINS);
    for l in &logins {
        let Some(u) = l.rel_id("user").and_then(user_by_id) else {
            continue;
        };
        let ts = l.s("logged-in-at").unwrap_or_default().to_string();
        let id = st.new_uuid();
        stmts.push(statement(
            id,
            u,
            "loggedin",
            "degreed",
            "Degreed",
            "Application",
            ts,
        ));
    }
    put_back(&mut st, coll::LOGINS, logins);
    stmts.sort_by(|a, b| a.ts_ms.cmp(&b.ts_ms).then_with(|| a.id.cmp(&b.id)));
    st.statements = stmts;
    put_back(&mut st, coll::USERS, users);
    put_back(&mut st, coll::CONTENT, content);
    put_back(&mut st, coll::GROUPS, groups);
    for recs in st.colls.values_mut() {
        recs.shrink_to_fit();
    }
    Ok(st)
}

/// Takes a collection out of the store (empty if it has none).
fn take(st: &mut Store, c: &'static str) -> Vec<Record> {
    st.colls.remove(c).unwrap_or_default()
}

/// Puts back what [`take`] took (a collection that had no record stays absent).
fn put_back(st: &mut Store, c: &'static str, recs: Vec<Record>) {
    if !recs.is_empty() {
        st.colls.insert(c, recs);
    }
}

/// Attributes of a group membership record.
pub fn member_attrs(u: &Record, role: &str, joined: String) -> Map<String, Value> {
    obj(json!({
        "employee-id": u.s("employee-id"),
        "first-name": u.s("first-name"),
        "last-name": u.s("last-name"),
        "organization-email": u.s("organization-email"),
        "role": role,
        "added-at": joined,
    }))
}

fn statement(
    id: String,
    u: &Record,
    verb: &'static str,
    object: &str,
    name: &str,
    ctype: &str,
    ts: String,
) -> Statement {
    let ts_ms = crate::clock::parse_datetime(&ts).unwrap_or(0);
    Statement {
        id,
        ts_ms,
        verb: format!("{{base}}/xAPI/verbs/{verb}"),
        body: StatementBody::Seeded(Box::new(SeededStatement {
            email: u.s("organization-email").unwrap_or_default().into(),
            name: u.s("full-name").map(Into::into),
            employee_id: u.s("employee-id").map(Into::into),
            verb,
            object: object.into(),
            object_name: name.into(),
            object_type: ctype.to_lowercase().into(),
            ts: ts.into(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Søren"), "soren");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("李"), "");
        assert_eq!(
            slug("Why It Matters: Café Operations"),
            "why-it-matters-cafe-operations"
        );
    }

    #[test]
    fn deterministic_and_sized() {
        let o = Options::default().anchor_date("2024-06-01");
        let a = generate(&o, 0).unwrap();
        let b = generate(&o, 0).unwrap();
        assert_eq!(format!("{:?}", a.colls), format!("{:?}", b.colls));
        assert_eq!(a.all(coll::USERS).len(), 25);
        assert_eq!(a.all(coll::CONTENT).len(), 40);
        assert_eq!(a.all(coll::COMPLETIONS).len(), 60);
        for u in a.all(coll::USERS) {
            assert!((6..=7).contains(&u.id.len()));
            assert!(u.id.bytes().all(|b| b.is_ascii_alphanumeric()));
        }
        let emails: std::collections::HashSet<_> = a
            .all(coll::USERS)
            .iter()
            .map(|u| u.s("organization-email"))
            .collect();
        assert_eq!(emails.len(), 25);
        assert!(a
            .all(coll::USERS)
            .iter()
            .any(|u| u.s("last-login-at") == Some("0001-01-01T00:00:00")));
        let other = generate(&o.clone().seed(99), 0).unwrap();
        assert_ne!(format!("{:?}", a.colls), format!("{:?}", other.colls));
    }
}
