//! One pass over a list page's bytes: the core's page checks ([`super::scan`]) and, for a host
//! that wants them, the items built as host values by a [`Sink`] while the bytes are read
//! (the Python binding builds its dicts and lists here instead of calling `json.loads`).
//!
//! The grammar is JSON's (RFC 8259), as strictly as `serde_json` reads it: at most 127
//! nested arrays and objects, no `NaN`, no trailing commas, no control characters in
//! strings, UTF-8 only. Numbers and strings come out as Python's `json` makes them: an
//! integer literal is an integer however long (as long as a `f64` could hold its size), a
//! literal with a fraction or exponent is the nearest `f64` (`1e400` is refused as out of
//! range, as `serde_json` does), and a `\u` escape of a lone surrogate is kept
//! ([`Str::Surrogates`]) except where the core reads the text itself (member names of the
//! page, its items and their attributes, timestamps, the next link), where it is an error.
//! Duplicate member names: the last one wins, as in `json.loads`.

use std::borrow::Cow;

use super::{Items, NextAt, NextLink};

/// A string as read from the page.
#[derive(Debug, Clone, Copy)]
pub enum Str<'a> {
    /// Valid Unicode.
    Text(&'a str),
    /// Text with lone surrogates (from `\u` escapes) in generalized UTF-8 (WTF-8): each
    /// surrogate as the three bytes UTF-8 would give its code point. Python decodes it with
    /// the `surrogatepass` error handler, which is what `json.loads` makes of the escapes.
    Surrogates(&'a [u8]),
}

/// A host value could not be made (out of memory, for one); the page is then refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError(pub String);

/// Builds host values from what [`super::scan_into`] reads. Only the items member of a page
/// is built (the rest is checked and skipped). Every method may fail; the walk then stops
/// with an [`crate::Error::Decode`] carrying the message.
pub trait Sink {
    /// A finished value.
    type Value;
    /// A member name.
    type Key;
    /// An object being filled.
    type Map;
    /// `null`.
    fn null(&mut self) -> Result<Self::Value, SinkError>;
    /// `true` or `false`.
    fn bool(&mut self, v: bool) -> Result<Self::Value, SinkError>;
    /// An integer that fits in `i64`.
    fn int(&mut self, v: i64) -> Result<Self::Value, SinkError>;
    /// An integer outside `i64`, as its decimal digits (with a leading `-` if negative).
    fn big_int(&mut self, digits: &str) -> Result<Self::Value, SinkError>;
    /// A number with a fraction or an exponent.
    fn float(&mut self, v: f64) -> Result<Self::Value, SinkError>;
    /// A string value.
    fn str(&mut self, s: Str<'_>) -> Result<Self::Value, SinkError>;
    /// A member name.
    fn key(&mut self, s: Str<'_>) -> Result<Self::Key, SinkError>;
    /// A new, empty object.
    fn map(&mut self) -> Result<Self::Map, SinkError>;
    /// Sets a member (a later member of the same name replaces an earlier one).
    fn insert(
        &mut self,
        map: &mut Self::Map,
        key: Self::Key,
        value: Self::Value,
    ) -> Result<(), SinkError>;
    /// The object, finished.
    fn end_map(&mut self, map: Self::Map) -> Result<Self::Value, SinkError>;
    /// An array of these values, in order.
    fn list(&mut self, items: std::vec::Drain<'_, Self::Value>) -> Result<Self::Value, SinkError>;
}

/// The sink that builds nothing: the check alone ([`super::scan`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Skip;

impl Sink for Skip {
    type Value = ();
    type Key = ();
    type Map = ();
    fn null(&mut self) -> Result<(), SinkError> {
        Ok(())
    }
    fn bool(&mut self, _: bool) -> Result<(), SinkError> {
        Ok(())
    }
    fn int(&mut self, _: i64) -> Result<(), SinkError> {
        Ok(())
    }
    fn big_int(&mut self, _: &str) -> Result<(), SinkError> {
        Ok(())
    }
    fn float(&mut self, _: f64) -> Result<(), SinkError> {
        Ok(())
    }
    fn str(&mut self, _: Str<'_>) -> Result<(), SinkError> {
        Ok(())
    }
    fn key(&mut self, _: Str<'_>) -> Result<(), SinkError> {
        Ok(())
    }
    fn map(&mut self) -> Result<(), SinkError> {
        Ok(())
    }
    fn insert(&mut self, _: &mut (), _: (), _: ()) -> Result<(), SinkError> {
        Ok(())
    }
    fn end_map(&mut self, _: ()) -> Result<(), SinkError> {
        Ok(())
    }
    fn list(&mut self, items: std::vec::Drain<'_, ()>) -> Result<(), SinkError> {
        drop(items);
        Ok(())
    }
}

/// Where the walk broke: a message as `serde_json` words it, and the byte it broke at.
#[derive(Debug)]
pub(super) struct Broken {
    message: Cow<'static, str>,
    at: usize,
}

impl Broken {
    /// `message at line L column C`, as `serde_json` reports a position.
    pub(super) fn describe(&self, body: &[u8]) -> String {
        let at = self.at.min(body.len());
        let before = &body[..at];
        let line = 1 + before.iter().filter(|c| **c == b'\n').count();
        let start = before
            .iter()
            .rposition(|c| *c == b'\n')
            .map_or(0, |p| p + 1);
        // serde_json's column counts bytes and points just past the offending one.
        let column = at - start + usize::from(at < body.len());
        format!("{} at line {line} column {column}", self.message)
    }
}

/// What the walk found.
pub(super) struct Found<V> {
    pub(super) items: Items,
    pub(super) next: NextLink,
    /// The items member (the last one, if the page repeats it), built.
    pub(super) built: Option<V>,
}

/// Walks a page (a JSON document with no leading or trailing junk).
pub(super) fn walk<S: Sink>(
    body: &[u8],
    items_key: &'static str,
    next_at: NextAt,
    sink: &mut S,
) -> Result<Found<S::Value>, Box<Broken>> {
    let mut w = Walker {
        b: body,
        i: 0,
        depth: 128,
        sink,
        scratch: Vec::new(),
        stack: Vec::new(),
        items_key,
        next_at,
        built: None,
    };
    let (_, verdict) = w.value(Ctx::Top, &At::Top)?;
    if w.peek().is_some() {
        w.i += 1;
        return Err(w.fail("trailing characters"));
    }
    let (items, next) = match verdict {
        Verdict::Top(found) => *found,
        _ => (Items::Missing, NextLink::None),
    };
    Ok(Found {
        items,
        next,
        built: w.built,
    })
}

/// What a value is, for the page's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// The document.
    Top,
    /// The items member.
    Items,
    /// An item (`strict`: of the page's list, which must be an object; else an included one).
    Item { strict: bool },
    /// An item's `attributes`: each timestamp is checked.
    Fields,
    /// An item's `included`: a list of items, or one.
    Included,
    /// A member that holds a timestamp.
    Time,
    /// `links`: an object whose `next` is the next link.
    Links,
    /// The next link.
    Next,
    /// Anything else; built when `true`.
    Any(bool),
}

impl Ctx {
    fn builds(self) -> bool {
        match self {
            Ctx::Top | Ctx::Links | Ctx::Next => false,
            Ctx::Any(build) => build,
            Ctx::Items | Ctx::Item { .. } | Ctx::Fields | Ctx::Included | Ctx::Time => true,
        }
    }

    /// Whether the core reads this value's member names (and strings) as text.
    fn reads_text(self) -> bool {
        !matches!(self, Ctx::Any(_))
    }
}

/// What the rules found in a value.
enum Verdict {
    /// Nothing to report.
    Fine,
    /// The first problem in an item.
    Bad(Box<Items>),
    /// The items member.
    Items(Box<Items>),
    /// A next link.
    Next(Box<NextLink>),
    /// The document.
    Top(Box<(Items, NextLink)>),
}

impl Verdict {
    fn bad(self) -> Option<Items> {
        match self {
            Verdict::Bad(b) => Some(*b),
            _ => None,
        }
    }
}

/// Where a value is in the page. Its JSON path (`$.data[3].attributes.created-at`) is
/// written only when a problem is reported.
enum At<'a> {
    /// The document, or a value whose path is never reported.
    Top,
    /// `$.{items_key}[n]`
    Item(&'static str, usize),
    /// A member of a value.
    Key(&'a At<'a>, &'a str),
    /// An element of a list.
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn path(&self) -> String {
        match self {
            At::Top => "$".to_owned(),
            At::Item(key, n) => format!("$.{key}[{n}]"),
            At::Key(parent, key) => crate::models::decode::join(&parent.path(), key),
            At::Index(parent, i) => format!("{}[{i}]", parent.path()),
        }
    }
}

/// Whether a member name may hold a timestamp, as [`crate::wire::is_time_field`] decides,
/// with a cheap test first (most names are not).
fn is_time_key(k: &str) -> bool {
    let b = k.as_bytes();
    let ends = |suffix: &[u8]| {
        b.len() >= suffix.len() && b[b.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    if !(ends(b"at") || ends(b"date") || ends(b"timestamp") || ends(b"stored")) {
        return false;
    }
    // A name already in kebab-case (as Degreed sends them) is its own kebab-case.
    let kebab = !k.starts_with('-')
        && !k.contains("--")
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    if kebab {
        crate::wire::is_time_field(k)
    } else {
        crate::wire::is_time_field(&crate::wire::kebab_case(k))
    }
}

/// A string as found: in the body, or decoded into the scratch buffer (it had escapes).
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// In `scratch`, not in the body.
    decoded: bool,
    /// It holds lone surrogates (then it is WTF-8, not UTF-8).
    surrogates: bool,
}

/// A scalar, for the rules' excerpts.
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Big(usize, usize),
    Float(f64),
    Str(Span),
}

/// Bytes that end a run of plain string content: `"`, `\`, control characters, non-ASCII.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = c < 0x20 || c == b'"' as usize || c == b'\\' as usize || c >= 0x80;
        c += 1;
    }
    t
};

/// The first byte at or after `i` that ends a run of plain string content (see
/// [`SPECIAL`]), or the end: eight bytes at a time, then one by one (the last seven).
#[inline]
fn plain_until(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        // A byte below 0x20, a quote, a backslash, or non-ASCII. A borrow can only mark a
        // byte above one that is special, so the lowest marked byte is the first special one.
        let zero = |x: u64| x.wrapping_sub(ONES) & !x;
        let special = ((w.wrapping_sub(ONES * 0x20) & !w)
            | zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            | w)
            & HIGH;
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !SPECIAL[b[i] as usize] {
        i += 1;
    }
    i
}

struct Walker<'b, 's, S: Sink> {
    b: &'b [u8],
    i: usize,
    /// Containers that may still be opened (`serde_json`'s recursion limit, 128).
    depth: u32,
    sink: &'s mut S,
    scratch: Vec<u8>,
    /// Elements of the arrays being read, innermost last.
    stack: Vec<S::Value>,
    items_key: &'static str,
    next_at: NextAt,
    built: Option<S::Value>,
}

type R<T> = Result<T, Box<Broken>>;

impl<S: Sink> Walker<'_, '_, S> {
    fn fail(&self, message: &'static str) -> Box<Broken> {
        Box::new(Broken {
            message: Cow::Borrowed(message),
            at: self.i,
        })
    }

    fn sink_failed(&self, e: SinkError) -> Box<Broken> {
        Box::new(Broken {
            message: Cow::Owned(e.0),
            at: self.i,
        })
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                self.i += 1;
            } else {
                return Some(c);
            }
        }
        None
    }

    fn value(&mut self, ctx: Ctx, at: &At<'_>) -> R<(Option<S::Value>, Verdict)> {
        let Some(c) = self.peek() else {
            return Err(self.fail("EOF while parsing a value"));
        };
        match c {
            b'{' => self.object(ctx, at),
            b'[' => self.array(ctx, at),
            _ => {
                let scalar = self.scalar(c, ctx.reads_text())?;
                let built = if ctx.builds() {
                    Some(self.build(&scalar)?)
                } else {
                    None
                };
                let verdict = self.judge(ctx, at, &scalar);
                Ok((built, verdict))
            }
        }
    }

    fn build(&mut self, scalar: &Scalar) -> R<S::Value> {
        let built = match *scalar {
            Scalar::Null => self.sink.null(),
            Scalar::Bool(v) => self.sink.bool(v),
            Scalar::Int(v) => self.sink.int(v),
            Scalar::Float(v) => self.sink.float(v),
            Scalar::Big(start, end) => {
                let digits = std::str::from_utf8(&self.b[start..end]).unwrap_or("0");
                self.sink.big_int(digits)
            }
            Scalar::Str(span) => {
                let text = if span.decoded {
                    &self.scratch[span.start..span.end]
                } else {
                    &self.b[span.start..span.end]
                };
                self.sink.str(as_str(text, span.surrogates))
            }
        };
        built.map_err(|e| self.sink_failed(e))
    }

    /// The text of a string just read (lone surrogates shown as U+FFFD).
    fn text(&self, span: Span) -> Cow<'_, str> {
        let bytes = if span.decoded {
            &self.scratch[span.start..span.end]
        } else {
            &self.b[span.start..span.end]
        };
        if span.surrogates {
            String::from_utf8_lossy(bytes)
        } else {
            Cow::Borrowed(checked(bytes))
        }
    }

    /// How a scalar is shown in an error (as `serde_json` prints it).
    fn shown(&self, scalar: &Scalar) -> String {
        match *scalar {
            Scalar::Null => "null".to_owned(),
            Scalar::Bool(v) => v.to_string(),
            Scalar::Int(v) => v.to_string(),
            Scalar::Big(start, end) => {
                let digits = String::from_utf8_lossy(&self.b[start..end]);
                crate::wire::json_text(
                    &crate::number::parse_finite(&digits)
                        .unwrap_or(f64::NAN)
                        .into(),
                )
            }
            Scalar::Float(v) => crate::wire::json_text(&v.into()),
            Scalar::Str(span) => crate::wire::json_text(&self.text(span).into_owned().into()),
        }
    }

    /// The rules for a scalar.
    fn judge(&self, ctx: Ctx, at: &At<'_>, scalar: &Scalar) -> Verdict {
        match ctx {
            Ctx::Top => Verdict::Top(Box::new((Items::Missing, NextLink::None))),
            Ctx::Items => Verdict::Items(Box::new(match scalar {
                Scalar::Null => Items::None,
                other => Items::Invalid(self.shown(other)),
            })),
            Ctx::Item { strict: true } => Verdict::Bad(Box::new(Items::Bad {
                path: at.path(),
                message: "expected an object",
                excerpt: crate::error::excerpt(&self.shown(scalar)),
            })),
            Ctx::Time => match scalar {
                Scalar::Str(span) if !span.surrogates => {
                    let v = self.text(*span);
                    // Whether `read_time` reads it, without formatting the normalized text
                    // (`normalize_time`) or telling .NET's minimum date ("never") apart.
                    let readable =
                        v.trim().is_empty() || crate::datetime::Timestamp::parse(&v).is_ok();
                    if readable {
                        Verdict::Fine
                    } else {
                        Verdict::Bad(Box::new(Items::Bad {
                            path: at.path(),
                            message: "expected an ISO-8601 date-time",
                            excerpt: crate::error::excerpt(&crate::wire::json_text(
                                &v.as_ref().into(),
                            )),
                        }))
                    }
                }
                _ => Verdict::Fine,
            },
            Ctx::Links => Verdict::Next(Box::new(NextLink::None)),
            Ctx::Next => Verdict::Next(Box::new(match scalar {
                Scalar::Null => NextLink::None,
                Scalar::Str(span) => NextLink::Text(self.text(*span).into_owned()),
                _ => NextLink::Invalid,
            })),
            Ctx::Item { strict: false } | Ctx::Fields | Ctx::Included | Ctx::Any(_) => {
                Verdict::Fine
            }
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth -= 1;
        if self.depth == 0 {
            self.i += 1;
            return Err(self.fail("recursion limit exceeded"));
        }
        self.i += 1;
        Ok(())
    }

    fn object(&mut self, ctx: Ctx, at: &At<'_>) -> R<(Option<S::Value>, Verdict)> {
        self.enter()?;
        let build = ctx.builds();
        let mut map = if build {
            Some(self.sink.map().map_err(|e| self.sink_failed(e))?)
        } else {
            None
        };
        // An object where the rules expect one kind of value or another.
        let (mut items, mut next) = (Items::Missing, NextLink::None);
        let mut bad: Option<Items> = None;
        let mut first = true;
        loop {
            match self.peek() {
                Some(b'}') if first => {
                    self.i += 1;
                    break;
                }
                Some(b'"') => {}
                Some(b'}') => return Err(self.fail("trailing comma")),
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("key must be a string")),
            }
            first = false;
            let span = self.string(ctx.reads_text())?;
            let key_obj = if build {
                let text = if span.decoded {
                    &self.scratch[span.start..span.end]
                } else {
                    &self.b[span.start..span.end]
                };
                Some(
                    self.sink
                        .key(as_str(text, span.surrogates))
                        .map_err(|e| self.sink_failed(e))?,
                )
            } else {
                None
            };
            // The name, where the rules read it (it outlives the scratch buffer).
            let name: Cow<'_, str> = if ctx.reads_text() {
                if span.decoded {
                    Cow::Owned(self.text(span).into_owned())
                } else {
                    let b = self.b;
                    Cow::Borrowed(checked(&b[span.start..span.end]))
                }
            } else {
                Cow::Borrowed("")
            };
            match self.peek() {
                Some(b':') => self.i += 1,
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("expected `:`")),
            }
            let child = self.member(ctx, &name);
            let item_at;
            let parent = if ctx == Ctx::Items {
                // The one item where a list was expected.
                item_at = At::Item(self.items_key, 0);
                &item_at
            } else {
                at
            };
            let (value, verdict) = self.value(child, &At::Key(parent, &name))?;
            if child == Ctx::Items {
                // The page's items (the last member of that name, as in `json.loads`).
                self.built = value;
            } else if let (Some(map), Some(key), Some(value)) = (&mut map, key_obj, value) {
                self.sink
                    .insert(map, key, value)
                    .map_err(|e| self.sink_failed(e))?;
            }
            match verdict {
                Verdict::Items(found) => items = *found,
                Verdict::Next(found) => next = *found,
                Verdict::Bad(found) => bad = bad.or(Some(*found)),
                Verdict::Fine | Verdict::Top(..) => {}
            }
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                None => return Err(self.fail("EOF while parsing an object")),
                Some(_) => return Err(self.fail("expected `,` or `}`")),
            }
        }
        self.depth += 1;
        let built = match map {
            Some(map) => Some(self.sink.end_map(map).map_err(|e| self.sink_failed(e))?),
            None => None,
        };
        let verdict = match ctx {
            Ctx::Top => Verdict::Top(Box::new((items, next))),
            Ctx::Items => Verdict::Items(Box::new(bad.unwrap_or(Items::One))),
            Ctx::Item { .. } | Ctx::Included | Ctx::Fields => {
                bad.map_or(Verdict::Fine, |b| Verdict::Bad(Box::new(b)))
            }
            Ctx::Links => Verdict::Next(Box::new(next)),
            Ctx::Next => Verdict::Next(Box::new(NextLink::Invalid)),
            Ctx::Time | Ctx::Any(_) => Verdict::Fine,
        };
        Ok((built, verdict))
    }

    /// What a member of an object read as `ctx` is.
    fn member(&mut self, ctx: Ctx, name: &str) -> Ctx {
        match ctx {
            Ctx::Top => {
                if name == self.items_key {
                    Ctx::Items
                } else if name == "links" && self.next_at == NextAt::LinksNext {
                    Ctx::Links
                } else if name == "more" && self.next_at == NextAt::More {
                    Ctx::Next
                } else {
                    Ctx::Any(false)
                }
            }
            // An item (or the one item where a list was expected, or one included item).
            Ctx::Items | Ctx::Item { .. } | Ctx::Included => {
                if name == "attributes" {
                    Ctx::Fields
                } else if name == "included" {
                    Ctx::Included
                } else if is_time_key(name) {
                    Ctx::Time
                } else {
                    Ctx::Any(true)
                }
            }
            Ctx::Fields => {
                if is_time_key(name) {
                    Ctx::Time
                } else {
                    Ctx::Any(true)
                }
            }
            Ctx::Links => {
                if name == "next" {
                    Ctx::Next
                } else {
                    Ctx::Any(false)
                }
            }
            Ctx::Next => Ctx::Any(false),
            Ctx::Time => Ctx::Any(true),
            Ctx::Any(build) => Ctx::Any(build),
        }
    }

    fn array(&mut self, ctx: Ctx, at: &At<'_>) -> R<(Option<S::Value>, Verdict)> {
        self.enter()?;
        let build = ctx.builds();
        let base = self.stack.len();
        let mut bad: Option<Items> = None;
        let mut n = 0;
        let element = match ctx {
            Ctx::Items => Ctx::Item { strict: true },
            Ctx::Included => Ctx::Item { strict: false },
            Ctx::Top | Ctx::Links | Ctx::Next => Ctx::Any(false),
            _ => Ctx::Any(build),
        };
        loop {
            match self.peek() {
                Some(b']') if n == 0 => {
                    self.i += 1;
                    break;
                }
                Some(b']') => return Err(self.fail("trailing comma")),
                None => return Err(self.fail("EOF while parsing a list")),
                Some(_) => {}
            }
            let item_at;
            let child_at: &At<'_> = match ctx {
                Ctx::Items => {
                    item_at = At::Item(self.items_key, n);
                    &item_at
                }
                Ctx::Included => {
                    item_at = At::Index(at, n);
                    &item_at
                }
                _ => &At::Top,
            };
            let (value, verdict) = self.value(element, child_at)?;
            if let Some(value) = value {
                self.stack.push(value);
            }
            if bad.is_none() {
                bad = verdict.bad();
            }
            n += 1;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                None => return Err(self.fail("EOF while parsing a list")),
                Some(_) => return Err(self.fail("expected `,` or `]`")),
            }
        }
        self.depth += 1;
        let built = if build {
            let drained = self.stack.drain(base..);
            let at = self.i;
            Some(self.sink.list(drained).map_err(|e| {
                Box::new(Broken {
                    message: Cow::Owned(e.0),
                    at,
                })
            })?)
        } else {
            self.stack.truncate(base);
            None
        };
        let verdict = match ctx {
            Ctx::Top => Verdict::Top(Box::new((Items::Missing, NextLink::None))),
            Ctx::Items => Verdict::Items(Box::new(bad.unwrap_or(Items::List(n)))),
            Ctx::Included => bad.map_or(Verdict::Fine, |b| Verdict::Bad(Box::new(b))),
            Ctx::Item { strict: true } => Verdict::Bad(Box::new(Items::Bad {
                path: at.path(),
                message: "expected an object",
                excerpt: crate::error::excerpt("[…]"),
            })),
            Ctx::Links => Verdict::Next(Box::new(NextLink::None)),
            Ctx::Next => Verdict::Next(Box::new(NextLink::Invalid)),
            Ctx::Item { strict: false } | Ctx::Fields | Ctx::Time | Ctx::Any(_) => Verdict::Fine,
        };
        Ok((built, verdict))
    }

    fn scalar(&mut self, c: u8, strict: bool) -> R<Scalar> {
        match c {
            b'"' => Ok(Scalar::Str(self.string(strict)?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.ident(b"true", Scalar::Bool(true)),
            b'f' => self.ident(b"false", Scalar::Bool(false)),
            b'n' => self.ident(b"null", Scalar::Null),
            _ => {
                self.i += 1;
                Err(self.fail("expected value"))
            }
        }
    }

    fn ident(&mut self, word: &[u8], scalar: Scalar) -> R<Scalar> {
        for expected in word {
            match self.b.get(self.i) {
                Some(c) if c == expected => self.i += 1,
                Some(_) => {
                    self.i += 1;
                    return Err(self.fail("expected ident"));
                }
                None => return Err(self.fail("EOF while parsing a value")),
            }
        }
        Ok(scalar)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> R<Scalar> {
        let start = self.i;
        let negative = self.b[self.i] == b'-';
        if negative {
            self.i += 1;
        }
        let int_start = self.i;
        match self.b.get(self.i) {
            Some(b'0') => {
                self.i += 1;
                if self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    return Err(self.fail("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => {
                self.i += 1;
                return Err(self.fail("invalid number"));
            }
            None => return Err(self.fail("EOF while parsing a value")),
        }
        let int_end = self.i;
        let mut float = false;
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            float = true;
            if self.digits() == 0 {
                if self.i < self.b.len() {
                    self.i += 1;
                }
                return Err(self.fail("invalid number"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            float = true;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                if self.i < self.b.len() {
                    self.i += 1;
                }
                return Err(self.fail("invalid number"));
            }
        }
        let text = &self.b[start..self.i];
        if !float {
            // At most 18 digits always fit.
            let digits = &self.b[int_start..int_end];
            if digits.len() <= 18 {
                let mut v: i64 = 0;
                for d in digits {
                    v = v * 10 + i64::from(d - b'0');
                }
                return Ok(Scalar::Int(if negative { -v } else { v }));
            }
            let s = std::str::from_utf8(text).unwrap_or("0");
            if let Ok(v) = s.parse::<i64>() {
                return Ok(Scalar::Int(v));
            }
            // As `serde_json` does, an integer too large for a `f64` is refused.
            // `str::parse::<f64>`'s rounding without its tables (`crate::number`).
            if crate::number::parse_finite(s).is_some() {
                return Ok(Scalar::Big(start, self.i));
            }
            return Err(self.fail("number out of range"));
        }
        let s = std::str::from_utf8(text).unwrap_or("0");
        match crate::number::parse_finite(s) {
            Some(v) => Ok(Scalar::Float(v)),
            None => Err(self.fail("number out of range")),
        }
    }

    /// Reads a string (at its opening quote). `strict`: the core reads it as text, so a
    /// lone surrogate is an error.
    fn string(&mut self, strict: bool) -> R<Span> {
        self.i += 1;
        let start = self.i;
        let b = self.b;
        let mut ascii = true;
        loop {
            self.i = plain_until(b, self.i);
            let Some(&c) = b.get(self.i) else {
                return Err(self.fail("EOF while parsing a string"));
            };
            match c {
                b'"' => {
                    let end = self.i;
                    self.i += 1;
                    if !ascii && std::str::from_utf8(&b[start..end]).is_err() {
                        return Err(self.invalid_utf8(start, end));
                    }
                    return Ok(Span {
                        start,
                        end,
                        decoded: false,
                        surrogates: false,
                    });
                }
                b'\\' => return self.escaped(start, strict),
                c if c < 0x20 => {
                    self.i += 1;
                    return Err(self
                        .fail("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                _ => {
                    ascii = false;
                    self.i += 1;
                }
            }
        }
    }

    fn invalid_utf8(&mut self, start: usize, end: usize) -> Box<Broken> {
        let valid = match std::str::from_utf8(&self.b[start..end]) {
            Ok(_) => end - start,
            Err(e) => e.valid_up_to(),
        };
        self.i = start + valid + 1;
        self.fail("invalid unicode code point")
    }

    /// The rest of a string that has escapes, decoded into `scratch`.
    fn escaped(&mut self, start: usize, strict: bool) -> R<Span> {
        let b = self.b;
        self.scratch.clear();
        let mut run = start;
        let mut surrogates = false;
        loop {
            self.i = plain_until(b, self.i);
            let Some(&c) = b.get(self.i) else {
                return Err(self.fail("EOF while parsing a string"));
            };
            match c {
                b'"' | b'\\' => {
                    let raw = &b[run..self.i];
                    if !raw.is_ascii() && std::str::from_utf8(raw).is_err() {
                        return Err(self.invalid_utf8(run, self.i));
                    }
                    self.scratch.extend_from_slice(raw);
                    self.i += 1;
                    if c == b'"' {
                        return Ok(Span {
                            start: 0,
                            end: self.scratch.len(),
                            decoded: true,
                            surrogates,
                        });
                    }
                    surrogates |= self.escape(strict)?;
                    run = self.i;
                }
                c if c < 0x20 => {
                    self.i += 1;
                    return Err(self
                        .fail("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                _ => self.i += 1,
            }
        }
    }

    /// One escape (after its backslash) into `scratch`; whether it was a lone surrogate.
    fn escape(&mut self, strict: bool) -> R<bool> {
        let Some(&c) = self.b.get(self.i) else {
            return Err(self.fail("EOF while parsing a string"));
        };
        self.i += 1;
        let byte = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(strict),
            _ => return Err(self.fail("invalid escape")),
        };
        self.scratch.push(byte);
        Ok(false)
    }

    fn hex4(&mut self) -> R<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.fail("EOF while parsing a string"));
            };
            self.i += 1;
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(self.fail("invalid escape")),
            };
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    fn unicode_escape(&mut self, strict: bool) -> R<bool> {
        let n = self.hex4()?;
        let code = match n {
            0xD800..=0xDBFF => {
                // A pair when a low surrogate's escape follows; else a lone one.
                let b = self.b;
                let low = (b.get(self.i) == Some(&b'\\') && b.get(self.i + 1) == Some(&b'u'))
                    .then(|| {
                        let save = self.i;
                        self.i += 2;
                        match self.hex4() {
                            Ok(m @ 0xDC00..=0xDFFF) => Some(m),
                            _ => {
                                self.i = save;
                                None
                            }
                        }
                    })
                    .flatten();
                match low {
                    Some(m) => 0x10000 + ((n - 0xD800) << 10) + (m - 0xDC00),
                    None => return self.lone(n, strict),
                }
            }
            0xDC00..=0xDFFF => return self.lone(n, strict),
            n => n,
        };
        let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut buf = [0; 4];
        self.scratch
            .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(false)
    }

    fn lone(&mut self, n: u32, strict: bool) -> R<bool> {
        if strict {
            return Err(self.fail("lone surrogate in hex escape"));
        }
        // Generalized UTF-8 of the surrogate's code point.
        self.scratch.extend_from_slice(&[
            0xE0 | (n >> 12) as u8,
            0x80 | ((n >> 6) & 0x3F) as u8,
            0x80 | (n & 0x3F) as u8,
        ]);
        Ok(true)
    }
}

fn as_str(bytes: &[u8], surrogates: bool) -> Str<'_> {
    if surrogates {
        Str::Surrogates(bytes)
    } else {
        Str::Text(checked(bytes))
    }
}

/// The text of a string [`Walker::string`] read without lone surrogates: ASCII, or checked
/// as UTF-8 there (a run of raw bytes at a time, and escapes decoded to UTF-8).
#[inline]
fn checked(bytes: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(bytes).is_ok());
    // SAFETY: every such span was checked when it was read (see above); checking it again
    // for each string was a twentieth of the time a page takes.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::catalog::Paging;
    use crate::paging::scan_into;

    #[test]
    fn plain_until_finds_the_first_special_byte() {
        // Every byte value at every place of a word, after plain bytes and with any byte
        // (special or not) after it, from every start: the answer of a byte-by-byte scan.
        let naive = |b: &[u8], i: usize| {
            (i..b.len())
                .find(|&j| SPECIAL[b[j] as usize])
                .unwrap_or(b.len())
        };
        for v in 0..=255u8 {
            for after in [b'a', 0x00, 0x1f, 0x20, 0x21, b'"', b'\\', 0x7f, 0x80, 0xff] {
                for at in 0..20 {
                    let mut b = vec![b'a'; 24];
                    b[at] = v;
                    if at + 1 < b.len() {
                        b[at + 1] = after;
                    }
                    for start in 0..=at {
                        assert_eq!(
                            plain_until(&b, start),
                            naive(&b, start),
                            "{v:#x} at {at} from {start}"
                        );
                    }
                }
            }
        }
    }

    /// Builds `serde_json` values; big integers as strings, lone surrogates as `"<S:…>"`.
    struct Tree;

    impl Sink for Tree {
        type Value = Value;
        type Key = String;
        type Map = serde_json::Map<String, Value>;
        fn null(&mut self) -> Result<Value, SinkError> {
            Ok(Value::Null)
        }
        fn bool(&mut self, v: bool) -> Result<Value, SinkError> {
            Ok(Value::Bool(v))
        }
        fn int(&mut self, v: i64) -> Result<Value, SinkError> {
            Ok(Value::from(v))
        }
        fn big_int(&mut self, digits: &str) -> Result<Value, SinkError> {
            Ok(Value::String(format!("big:{digits}")))
        }
        fn float(&mut self, v: f64) -> Result<Value, SinkError> {
            Ok(Value::from(v))
        }
        fn str(&mut self, s: Str<'_>) -> Result<Value, SinkError> {
            Ok(Value::String(match s {
                Str::Text(t) => t.to_owned(),
                Str::Surrogates(b) => format!("<S:{b:02x?}>"),
            }))
        }
        fn key(&mut self, s: Str<'_>) -> Result<String, SinkError> {
            self.str(s)
                .map(|v| v.as_str().unwrap_or_default().to_owned())
        }
        fn map(&mut self) -> Result<Self::Map, SinkError> {
            Ok(serde_json::Map::new())
        }
        fn insert(&mut self, map: &mut Self::Map, k: String, v: Value) -> Result<(), SinkError> {
            map.insert(k, v);
            Ok(())
        }
        fn end_map(&mut self, map: Self::Map) -> Result<Value, SinkError> {
            Ok(Value::Object(map))
        }
        fn list(&mut self, items: std::vec::Drain<'_, Value>) -> Result<Value, SinkError> {
            Ok(Value::Array(items.collect()))
        }
    }

    fn built(body: &str) -> Result<Option<Value>, String> {
        scan_into(Paging::Cursor, body.as_bytes().to_vec(), &mut Tree)
            .map(|(_, v)| v)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn items_come_out_as_serde_json_reads_them() {
        let items = json!([
            {"id": "1", "type": "users", "attributes": {"first-name": "Zoë \"Z\" \\ / \u{1F600}",
             "created-at": "2024-01-02T03:04:05.1234567", "n": 12, "neg": -7, "f": 1.5,
             "e": 1e-7, "big": 1.0e300, "t": true, "no": false, "nil": null,
             "list": [1, [2, [3, {}]], []], "tab": "a\tb\nc\u{0001}"}},
            {"id": "2", "relationships": [{"manager": {"data": {"id": "1"}}}], "x": {}}
        ]);
        let page = json!({"data": items, "links": {"next": null}, "meta": {"n": 2}});
        for text in [
            page.to_string(),
            serde_json::to_string_pretty(&page).unwrap(),
        ] {
            assert_eq!(built(&text).unwrap(), Some(items.clone()));
        }
        // Escapes of every kind, and a surrogate pair.
        let text = r#"{"data": [{"s": "\"\\\/\b\f\n\r\t\u00e9\u4e2d\ud83d\ude00 end"}]}"#;
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(built(text).unwrap().as_ref(), expected.get("data"));
    }

    #[test]
    fn numbers_are_what_python_json_makes_of_them() {
        let n = |n: &str| {
            built(&format!(r#"{{"data": [{{"n": {n}}}]}}"#)).map(|v| v.unwrap()[0]["n"].clone())
        };
        assert_eq!(n("0"), Ok(json!(0)));
        assert_eq!(n("-0"), Ok(json!(0)));
        assert_eq!(
            n("-0.0").unwrap().as_f64().map(f64::is_sign_negative),
            Some(true)
        );
        assert_eq!(n("9223372036854775807"), Ok(json!(i64::MAX)));
        assert_eq!(n("-9223372036854775808"), Ok(json!(i64::MIN)));
        assert_eq!(
            n("9223372036854775808"),
            Ok(json!("big:9223372036854775808"))
        );
        let long = format!("-{}", "9".repeat(300));
        assert_eq!(n(&long), Ok(json!(format!("big:{long}"))));
        // The nearest double, as Python's float() reads it.
        assert_eq!(n("0.1"), Ok(json!(0.1)));
        assert_eq!(
            n("2.2250738585072011e-308"),
            Ok(json!(2.225_073_858_507_201e-308))
        );
        assert_eq!(n("1E2"), Ok(json!(100.0)));
        assert_eq!(n("1e-400"), Ok(json!(0.0)));
        // Too large for a double: refused, as serde_json refuses it.
        for huge in ["1e400", "-1.5e309", &"9".repeat(400)] {
            let e = n(huge).unwrap_err();
            assert!(e.contains("number out of range"), "{huge}: {e}");
        }
        for bad in [
            "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "0x10", "1.e5",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn broken_json_is_refused_as_serde_json_refuses_it() {
        for text in [
            "{",
            r#"{"data": [1, 2"#,
            r#"{"data": [1,]}"#,
            r#"{"data": {"a": 1,}}"#,
            r#"{"data" []}"#,
            r#"{"data": [] "x": 1}"#,
            r#"{data: []}"#,
            r#"{"data": []} x"#,
            r#"{"data": "a"#,
            r#"{"data": "\x"}"#,
            r#"{"data": "\u12"}"#,
            r#"{"data": "\u12G4"}"#,
            "{\"data\": \"a\u{1}b\"}",
            r#"{"data": tru}"#,
            r#"{"data": nul}"#,
            "[",
            "]",
            "\u{feff}{}",
        ] {
            let ours = built(text).unwrap_err();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            let head = |s: &str| s.split(" at line").next().unwrap_or_default().to_owned();
            assert!(
                ours.contains(&head(&theirs)),
                "{text:?}: {ours} vs {theirs}"
            );
            assert!(ours.contains(" at line 1 column "), "{ours}");
        }
        // Invalid UTF-8, in a value and in a name.
        for bytes in [
            &b"{\"data\": [{\"a\": \"\xff\"}]}"[..],
            b"{\"data\": [{\"\xc3\": 1}]}",
        ] {
            let e = scan_into(Paging::Cursor, bytes.to_vec(), &mut Tree).unwrap_err();
            assert!(e.to_string().contains("invalid unicode code point"), "{e}");
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        let nested = |n: usize| {
            format!(
                r#"{{"data": [{{"x": {}{}}}]}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        // The page, its list and its item are three levels.
        assert!(built(&nested(124)).is_ok());
        assert!(serde_json::from_str::<Value>(&nested(124)).is_ok());
        let e = built(&nested(125)).unwrap_err();
        assert!(e.contains("recursion limit exceeded"), "{e}");
        assert!(serde_json::from_str::<Value>(&nested(125)).is_err());
        assert!(built(&nested(100_000)).is_err());
    }

    #[test]
    fn duplicate_names_keep_the_last_value() {
        let v = built(r#"{"data": [{"a": 1, "a": 2}], "data": [{"b": 3, "b": {"c": 4}}]}"#);
        assert_eq!(v.unwrap(), Some(json!([{"b": {"c": 4}}])));
    }

    #[test]
    fn lone_surrogates_are_kept_where_the_core_does_not_read_the_text() {
        let v = built(r#"{"data": [{"attributes": {"bio": "a\ud800b\udc00\ud83d"}}]}"#).unwrap();
        assert_eq!(
            v.unwrap()[0]["attributes"]["bio"],
            json!("<S:[61, ed, a0, 80, 62, ed, b0, 80, ed, a0, bd]>")
        );
        // Where the core reads the text: member names of items and attributes, timestamps.
        for text in [
            r#"{"data": [{"\ud800": 1}]}"#,
            r#"{"data": [{"attributes": {"x\udc00": 1}}]}"#,
            r#"{"data": [{"attributes": {"created-at": "\ud800"}}]}"#,
            r#"{"data": [], "links": {"next": "\ud800"}}"#,
        ] {
            let e = built(text).unwrap_err();
            assert!(e.contains("lone surrogate"), "{text}: {e}");
        }
    }

    #[test]
    fn a_sink_that_fails_stops_the_walk() {
        struct Fails;
        impl Sink for Fails {
            type Value = ();
            type Key = ();
            type Map = ();
            fn null(&mut self) -> Result<(), SinkError> {
                Ok(())
            }
            fn bool(&mut self, _: bool) -> Result<(), SinkError> {
                Ok(())
            }
            fn int(&mut self, _: i64) -> Result<(), SinkError> {
                Ok(())
            }
            fn big_int(&mut self, _: &str) -> Result<(), SinkError> {
                Err(SinkError("no big numbers here".into()))
            }
            fn float(&mut self, _: f64) -> Result<(), SinkError> {
                Ok(())
            }
            fn str(&mut self, _: Str<'_>) -> Result<(), SinkError> {
                Ok(())
            }
            fn key(&mut self, _: Str<'_>) -> Result<(), SinkError> {
                Ok(())
            }
            fn map(&mut self) -> Result<(), SinkError> {
                Ok(())
            }
            fn insert(&mut self, _: &mut (), _: (), _: ()) -> Result<(), SinkError> {
                Ok(())
            }
            fn end_map(&mut self, _: ()) -> Result<(), SinkError> {
                Ok(())
            }
            fn list(&mut self, _: std::vec::Drain<'_, ()>) -> Result<(), SinkError> {
                Ok(())
            }
        }
        let body = br#"{"data": [{"n": 123456789012345678901234567890}]}"#.to_vec();
        let e = scan_into(Paging::Cursor, body, &mut Fails).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Decode);
        assert!(e.to_string().contains("no big numbers here"), "{e}");
    }
}
