//! The core's hand-written page reader (`paging::scan_into`, which the Python binding uses
//! instead of `json.loads`) against what a page's text says: random pages, written with random
//! spacing, member order and escapes, must come out exactly as they were made (numbers as
//! Python's `json` reads them: integers exact however long, other literals the nearest `f64`);
//! random damage to a page must never panic, and the reader must not accept text that
//! `serde_json` refuses (but for lone surrogates, which `json.loads` keeps and `serde_json`
//! refuses).

use degreed::catalog::Paging;
use degreed::paging::{scan_into, Sink, SinkError, Str};
use proptest::prelude::*;

/// A JSON value as the reader should report it.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Big(String),
    /// The bits, so that `-0.0` and `0.0` differ.
    Float(u64),
    Text(String),
    /// WTF-8 bytes (a lone surrogate as the three bytes UTF-8 would give its code point).
    Surrogates(Vec<u8>),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

struct Tree;

impl Sink for Tree {
    type Value = J;
    type Key = String;
    type Map = Vec<(String, J)>;
    fn null(&mut self) -> Result<J, SinkError> {
        Ok(J::Null)
    }
    fn bool(&mut self, v: bool) -> Result<J, SinkError> {
        Ok(J::Bool(v))
    }
    fn int(&mut self, v: i64) -> Result<J, SinkError> {
        Ok(J::Int(v))
    }
    fn big_int(&mut self, digits: &str) -> Result<J, SinkError> {
        Ok(J::Big(digits.to_owned()))
    }
    fn float(&mut self, v: f64) -> Result<J, SinkError> {
        Ok(J::Float(v.to_bits()))
    }
    fn str(&mut self, s: Str<'_>) -> Result<J, SinkError> {
        Ok(match s {
            Str::Text(t) => J::Text(t.to_owned()),
            Str::Surrogates(b) => J::Surrogates(b.to_vec()),
        })
    }
    fn key(&mut self, s: Str<'_>) -> Result<String, SinkError> {
        match s {
            Str::Text(t) => Ok(t.to_owned()),
            Str::Surrogates(_) => Err(SinkError("a member name with a lone surrogate".into())),
        }
    }
    fn map(&mut self) -> Result<Self::Map, SinkError> {
        Ok(Vec::new())
    }
    fn insert(&mut self, map: &mut Self::Map, k: String, v: J) -> Result<(), SinkError> {
        // The last of two members of the same name wins, in the first one's place (as a
        // Python dict does).
        match map.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => map.push((k, v)),
        }
        Ok(())
    }
    fn end_map(&mut self, map: Self::Map) -> Result<J, SinkError> {
        Ok(J::Obj(map))
    }
    fn list(&mut self, items: std::vec::Drain<'_, J>) -> Result<J, SinkError> {
        Ok(J::Arr(items.collect()))
    }
}

/// One piece of a string: a character, or a lone surrogate written as a `\u` escape.
#[derive(Debug, Clone)]
enum Piece {
    Char(char),
    Lone(u16),
}

/// A value to write, with the literal text of its numbers chosen here.
#[derive(Debug, Clone)]
enum Gen {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer literal outside `i64`: its digits.
    Big(String),
    /// A number literal with a fraction or an exponent.
    Float(String),
    Str(Vec<Piece>),
    Arr(Vec<Gen>),
    Obj(Vec<(String, Gen)>),
}

fn float_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:?}")),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        // Long mantissas and exponents near the edges: correct rounding matters here.
        (
            "-?",
            "[0-9]",
            "[0-9]{0,40}",
            "(e|E)[+-]?(30[0-7]|[0-2]?[0-9]{1,2})"
        )
            .prop_map(|(sign, lead, frac, exp)| format!("{sign}{lead}.{frac}0{exp}")),
        ("-?", "[1-9][0-9]{0,25}", "[0-9]{1,25}").prop_map(|(s, i, f)| format!("{s}{i}.{f}")),
    ]
}

fn piece(lone: bool) -> BoxedStrategy<Piece> {
    let c = any::<char>().prop_map(Piece::Char);
    if lone {
        prop_oneof![8 => c, 1 => (0xD800u16..=0xDFFF).prop_map(Piece::Lone)].boxed()
    } else {
        c.boxed()
    }
}

/// A value anywhere below an item's own members, where the reader does not read text itself.
fn free_value() -> impl Strategy<Value = Gen> {
    let leaf = prop_oneof![
        Just(Gen::Null),
        any::<bool>().prop_map(Gen::Bool),
        any::<i64>().prop_map(Gen::Int),
        ("-?", "[1-9][0-9]{19,60}").prop_map(|(s, d)| Gen::Big(format!("{s}{d}"))),
        float_literal().prop_map(Gen::Float),
        prop::collection::vec(piece(true), 0..12).prop_map(Gen::Str),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Gen::Arr),
            prop::collection::vec(("\\PC{0,8}", inner), 0..6).prop_map(Gen::Obj),
        ]
    })
}

/// Member names the core reads (no timestamps among them: those are checked, not kept).
fn plain_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,10}x"
}

fn item() -> impl Strategy<Value = Gen> {
    (
        prop::collection::vec((plain_name(), free_value()), 0..5),
        prop::option::of(prop::collection::vec((plain_name(), free_value()), 0..6)),
    )
        .prop_map(|(mut members, attributes)| {
            if let Some(a) = attributes {
                members.push(("attributes".to_owned(), Gen::Obj(a)));
            }
            Gen::Obj(members)
        })
}

/// A small deterministic source of the writer's choices.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
    fn space(&mut self, out: &mut String) {
        for _ in 0..self.next(3) {
            out.push([' ', '\t', '\n', '\r'][self.next(4) as usize]);
        }
    }
}

fn write_str(pieces: &[Piece], c: &mut Choices, out: &mut String) {
    out.push('"');
    for p in pieces {
        match *p {
            Piece::Lone(u) => out.push_str(&format!("\\u{u:04x}")),
            Piece::Char(ch) => {
                let short = match ch {
                    '"' => Some("\\\""),
                    '\\' => Some("\\\\"),
                    '\n' => Some("\\n"),
                    '\t' => Some("\\t"),
                    '\r' => Some("\\r"),
                    '\u{8}' => Some("\\b"),
                    '\u{c}' => Some("\\f"),
                    '/' if c.next(2) == 0 => Some("\\/"),
                    _ => None,
                };
                if let Some(s) = short {
                    out.push_str(s);
                } else if (ch as u32) < 0x20 || c.next(4) == 0 {
                    let mut units = [0u16; 2];
                    for u in ch.encode_utf16(&mut units) {
                        if c.next(2) == 0 {
                            out.push_str(&format!("\\u{u:04X}"));
                        } else {
                            out.push_str(&format!("\\u{u:04x}"));
                        }
                    }
                } else {
                    out.push(ch);
                }
            }
        }
    }
    out.push('"');
}

fn write(g: &Gen, c: &mut Choices, out: &mut String) {
    c.space(out);
    match g {
        Gen::Null => out.push_str("null"),
        Gen::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Gen::Int(i) => out.push_str(&i.to_string()),
        Gen::Big(d) | Gen::Float(d) => out.push_str(d),
        Gen::Str(p) => write_str(p, c, out),
        Gen::Arr(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, c, out);
            }
            c.space(out);
            out.push(']');
        }
        Gen::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                c.space(out);
                let pieces: Vec<Piece> = k.chars().map(Piece::Char).collect();
                write_str(&pieces, c, out);
                c.space(out);
                out.push(':');
                write(v, c, out);
            }
            c.space(out);
            out.push('}');
        }
    }
    c.space(out);
}

/// What the reader should make of a generated value.
fn expected(g: &Gen) -> J {
    match g {
        Gen::Null => J::Null,
        Gen::Bool(b) => J::Bool(*b),
        Gen::Int(i) => J::Int(*i),
        Gen::Big(d) => J::Big(d.clone()),
        Gen::Float(text) => J::Float(text.parse::<f64>().expect("a float literal").to_bits()),
        Gen::Str(pieces) => {
            let mut bytes = Vec::new();
            let mut lone = 0usize;
            // A high then a low surrogate escaped one after the other make one character.
            let mut high: Option<u16> = None;
            for p in pieces {
                match *p {
                    Piece::Char(ch) => {
                        high = None;
                        bytes.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                    Piece::Lone(u) => {
                        if let (Some(h), true) = (high, (0xDC00..0xE000).contains(&u)) {
                            let c =
                                0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                            bytes.truncate(bytes.len() - 3);
                            lone -= 1;
                            let ch = char::from_u32(c).expect("a paired surrogate");
                            bytes.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                            high = None;
                            continue;
                        }
                        lone += 1;
                        high = (0xD800..0xDC00).contains(&u).then_some(u);
                        let u = u32::from(u);
                        bytes.extend_from_slice(&[
                            0xE0 | (u >> 12) as u8,
                            0x80 | ((u >> 6) & 0x3F) as u8,
                            0x80 | (u & 0x3F) as u8,
                        ]);
                    }
                }
            }
            match String::from_utf8(bytes.clone()) {
                Ok(s) if lone == 0 => J::Text(s),
                _ => J::Surrogates(bytes),
            }
        }
        Gen::Arr(items) => J::Arr(items.iter().map(expected).collect()),
        Gen::Obj(members) => {
            let mut map: Vec<(String, J)> = Vec::new();
            for (k, v) in members {
                let v = expected(v);
                match map.iter_mut().find(|(name, _)| name == k) {
                    Some(slot) => slot.1 = v,
                    None => map.push((k.clone(), v)),
                }
            }
            J::Obj(map)
        }
    }
}

fn page(items: &[Gen], next: Option<&str>, meta: &Gen, order: u64, c: &mut Choices) -> String {
    let mut parts = [
        {
            let mut s = String::from("\"data\":");
            write(&Gen::Arr(items.to_vec()), c, &mut s);
            s
        },
        format!(
            "\"links\":{{\"next\":{}}}",
            next.map_or("null".to_owned(), |n| format!("\"{n}\""))
        ),
        {
            let mut s = String::from("\"meta\":");
            write(meta, c, &mut s);
            s
        },
    ];
    parts.rotate_left((order % 3) as usize);
    format!("{{{}}}", parts.join(","))
}

fn read(text: &[u8]) -> Result<Option<J>, String> {
    scan_into(Paging::Cursor, text.to_vec(), &mut Tree)
        .map(|(_, v)| v)
        .map_err(|e| e.to_string())
}

proptest! {
    // 256 cases in the suite; PROPTEST_CASES=100000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn pages_come_out_as_they_were_written(
        items in prop::collection::vec(item(), 0..8),
        next in prop::option::of("https://api\\.example/api/v2/users\\?next=[a-z0-9]{1,12}"),
        meta in free_value(),
        seed in 1u64..,
        order in 0u64..3,
    ) {
        let mut c = Choices(seed);
        let text = page(&items, next.as_deref(), &meta, order, &mut c);
        let want = J::Arr(items.iter().map(expected).collect());
        prop_assert_eq!(read(text.as_bytes()), Ok(Some(want)), "page: {}", text);
    }

    #[test]
    fn damaged_pages_never_panic_nor_pass_what_serde_json_refuses(
        items in prop::collection::vec(item(), 1..5),
        seed in 1u64..,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..4),
    ) {
        let mut c = Choices(seed);
        let mut bytes = page(&items, None, &Gen::Null, 0, &mut c).into_bytes();
        for (at, kind, byte) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {}
            }
        }
        let ours = read(&bytes);
        let theirs = serde_json::from_slice::<serde_json::Value>(&bytes);
        if ours.is_ok() && theirs.is_err() {
            let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
            let lone = ["\\ud8", "\\ud9", "\\uda", "\\udb", "\\udc", "\\udd", "\\ude", "\\udf"]
                .iter()
                .any(|p| text.contains(p));
            prop_assert!(lone, "accepted what serde_json refuses ({:?}): {:?}", theirs, text);
        }
    }
}

/// A few damaged pages written out, so that a change of the rules shows here by name.
#[test]
fn hand_picked_damage_is_refused() {
    for text in [
        r#"{"data":[{"a":1,}]}"#,
        r#"{"data":[{"a":01}]}"#,
        r#"{"data":[{"a":1.}]}"#,
        r#"{"data":[{"a":.5}]}"#,
        r#"{"data":[{"a":"\x"}]}"#,
        r#"{"data":[{"a":"\u12"}]}"#,
        "{\"data\":[{\"a\":\"\u{1}\"}]}",
        r#"{"data":[{"a":tru}]}"#,
        r#"{"data":[{"a":NaN}]}"#,
        r#"{"data":[{"a":1e400}]}"#,
        r#"{"data":[{"a":1}]} x"#,
        r#"{"data":[{"a":1}]"#,
        r#"{"data":[{"a":-}]}"#,
        r#"{"data":[{"a":1e}]}"#,
    ] {
        assert!(read(text.as_bytes()).is_err(), "accepted {text}");
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "{text}"
        );
    }
    assert!(read(b"{\"data\":[{\"a\":\"\xff\"}]}").is_err());
}
