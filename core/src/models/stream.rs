//! Models read straight from JSON text, by serde visitors generated from the model
//! declarations (`model!`), with no [`Value`] tree in between.
//!
//! A list page is read in one pass: each item straight into its model, which keeps the
//! item's text as its `raw` ([`RawJson`]: parsed only when asked for), cut from the page
//! afterwards by the positions of the items ([`read_page_spans`]); its `included` resources
//! are read in place and cut the same way. The rules
//! are those of the [`Value`] path, which goes through the same visitors (a `&Value` is a
//! serde deserializer too): a field's value is read by its type's [`Lenient`] rules, and a
//! refused value is an [`Error::Decode`] naming its JSON path, made only when something is
//! refused.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};

use super::decode::{canonical_key, fail, index, join, Lenient, Scalar};
use super::{Model, Relationship, Relationships, Resource, ResourceId};
use crate::error::Error;

/// An item's JSON text as received. Equal when the texts are, or when they mean the same JSON.
#[derive(Clone, Default)]
pub(crate) struct RawJson(Option<Box<str>>);

impl RawJson {
    pub(crate) fn new(text: &str) -> Self {
        RawJson(Some(text.into()))
    }

    /// The compact text of a value.
    pub(crate) fn of(value: &Value) -> Self {
        RawJson(
            serde_json::to_string(value)
                .ok()
                .map(String::into_boxed_str),
        )
    }

    /// The text (`null` when there is none).
    pub(crate) fn get(&self) -> &str {
        self.0.as_deref().unwrap_or("null")
    }

    /// The text, parsed.
    pub(crate) fn to_value(&self) -> Value {
        serde_json::from_str(self.get()).unwrap_or(Value::Null)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || self.to_value() == other.to_value()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

/// What one read shares: the first refused value, which ends it.
#[derive(Default)]
pub(crate) struct Cx {
    refused: Cell<Option<Error>>,
}

impl Cx {
    /// Refuses `value` at `path`: the read stops, and [`Cx::error`] gives this error.
    fn refuse<E: de::Error>(&self, path: &Path<'_>, message: &str, value: &Value) -> E {
        self.reject(fail(path.render(), message, value))
    }

    fn reject<E: de::Error>(&self, e: Error) -> E {
        self.refused.set(Some(e));
        E::custom("a value was refused")
    }

    /// The error a failed read ends with: the refused value's, or the parser's (text that
    /// is not JSON) at `path`.
    fn error(&self, e: serde_json::Error, path: &Path<'_>) -> Error {
        self.refused.take().unwrap_or_else(|| {
            let mut out = fail(path.render(), e.to_string(), &Value::Null);
            if let Error::Decode { excerpt, .. } = &mut out {
                excerpt.clear();
            }
            out
        })
    }
}

/// A JSON path, written out only for an error.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// `$.data[3]`.
    Root(&'a str),
    /// `<parent>.key`.
    Key(&'a Path<'a>, &'a str),
    /// `<parent>[i]`.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub(crate) fn render(&self) -> String {
        match *self {
            Path::Root(p) => p.to_owned(),
            Path::Key(parent, key) => join(&parent.render(), key),
            Path::Index(parent, i) => index(&parent.render(), i),
        }
    }
}

/// The parts every resource has besides its attributes.
#[derive(Default)]
pub(crate) struct Envelope {
    pub(crate) id: Option<String>,
    pub(crate) resource_type: Option<String>,
    pub(crate) self_link: Option<String>,
    pub(crate) relationships: Relationships,
    pub(crate) included: Vec<Resource>,
}

/// A resource model as the visitors fill it (implemented by `model!` and by [`Resource`]).
pub(crate) trait Typed: Default {
    /// Reads the attribute `key` (the value is `map`'s next); `at` is the attributes' path.
    fn attribute<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        cx: &Cx,
        at: &Path<'_>,
    ) -> Result<(), A::Error>;

    /// Takes the envelope.
    fn envelope(&mut self, e: Envelope);

    /// Sees each `included` resource, in order, at `at`.
    fn included_item(&mut self, _item: &Resource, _at: &Path<'_>) -> Result<(), Error> {
        Ok(())
    }

    /// Keeps the item's text.
    fn set_raw(&mut self, raw: RawJson);

    /// The item's `included` resources.
    fn included_mut(&mut self) -> &mut Vec<Resource>;
}

/// Reads a model from an item's JSON text, which it keeps as its `raw`.
pub(crate) fn read_json<M: Typed>(json: &str, path: Path<'_>) -> Result<M, Error> {
    let cx = Cx::default();
    let mut out = M::default();
    let mut de = serde_json::Deserializer::from_str(json);
    ItemSeed {
        cx: &cx,
        path,
        out: &mut out,
        anchor: None,
        marks: None,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .map_err(|e| cx.error(e, &path))?;
    out.set_raw(RawJson::new(json));
    Ok(out)
}

/// [`read_value`] of a value the read may take apart (an `included` item read in place).
fn read_owned<M: Typed>(item: Value, path: Path<'_>) -> Result<M, Error> {
    let raw = RawJson::of(&item);
    let cx = Cx::default();
    let mut out = M::default();
    ItemSeed {
        cx: &cx,
        path,
        out: &mut out,
        anchor: None,
        marks: None,
    }
    .deserialize(item)
    .map_err(|e| cx.error(e, &path))?;
    out.set_raw(raw);
    Ok(out)
}

/// Reads a model from a parsed item; its `raw` is the item's compact text.
pub(crate) fn read_value<M: Typed>(item: &Value, path: Path<'_>) -> Result<M, Error> {
    let cx = Cx::default();
    let mut out = M::default();
    ItemSeed {
        cx: &cx,
        path,
        out: &mut out,
        anchor: None,
        marks: None,
    }
    .deserialize(item)
    .map_err(|e| cx.error(e, &path))?;
    out.set_raw(RawJson::of(item));
    Ok(out)
}

/// Reads a typed model from a resource already read (an `included` item), at `at`.
pub(crate) fn from_resource<M: Typed>(r: &Resource, at: &Path<'_>) -> Result<M, Error> {
    let cx = Cx::default();
    let mut out = M::default();
    let attributes = Path::Key(at, "attributes");
    AttrsSeed {
        cx: &cx,
        path: attributes,
        out: &mut out,
    }
    .deserialize(&r.attributes)
    .map_err(|e| cx.error(e, &attributes))?;
    out.envelope(Envelope {
        id: r.id.clone(),
        resource_type: r.resource_type.clone(),
        self_link: r.self_link.clone(),
        relationships: r.relationships.clone(),
        included: r.included.clone(),
    });
    let included = Path::Key(at, "included");
    for (i, item) in r.included.iter().enumerate() {
        out.included_item(item, &Path::Index(&included, i))?;
    }
    out.set_raw(r.raw.clone());
    Ok(out)
}

/// Whether an `included` resource is of `type_name` (or of a subtype: `content/course`).
pub(crate) fn type_matches(item: &Resource, type_name: &str) -> bool {
    item.resource_type.as_deref().is_some_and(|t| {
        t.eq_ignore_ascii_case(type_name)
            || (t.len() > type_name.len()
                && t.as_bytes()[type_name.len()] == b'/'
                && t.is_char_boundary(type_name.len())
                && t[..type_name.len()].eq_ignore_ascii_case(type_name))
    })
}

/// A list page's items read in one pass over the page, for the SDK's models: each item is
/// read while the page is parsed, and its text is then cut from the page, from its `{`
/// (found from the position of its first member name) to its `}` (found from the next
/// item's `{`, or what follows the list), the JSON punctuation between them checked byte by
/// byte. `None` for a shape left to the [`Value`] path: no list, one object, a repeated
/// list member, or a page where a position is not known (an item without members, a member
/// name with escapes) or that is not UTF-8.
pub(crate) fn read_page_spans<M: Typed + Model>(body: &[u8]) -> Result<Option<Vec<M>>, Error> {
    // Checked as UTF-8 once, not string by string (a page that is not is refused by the
    // Value path, as by any JSON parser).
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(None);
    };
    let cx = Cx::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let found = SpanPage::<M> {
        cx: &cx,
        _m: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|found| de.end().map(|()| found));
    let found = match found {
        Ok(found) => found,
        Err(e) => {
            return Err(cx
                .refused
                .take()
                .unwrap_or_else(|| crate::response::json_error(200, None, &e, body)))
        }
    };
    let Some((mut items, marks, after)) = found else {
        return Ok(None);
    };
    if marks.iter().any(|m| m.odd.get()) {
        return Ok(None);
    }
    let anchors: Vec<usize> = marks.iter().map(|m| m.first.get()).collect();
    let Some(spans) = cut(body, &anchors, after) else {
        return Ok(None);
    };
    // `{` and `}` are one byte each: every span is on character boundaries.
    let raw = |(start, end): (usize, usize)| text.get(start..=end).map(|t| RawJson(Some(t.into())));
    let base = format!("$.{}", M::LIST_KEY);
    let root = Path::Root(&base);
    for (i, ((item, span), m)) in items.iter_mut().zip(spans).zip(marks).enumerate() {
        let Some(text) = raw(span) else {
            return Ok(None);
        };
        item.set_raw(text);
        let anchors = m.included.into_inner();
        if anchors.is_empty() {
            continue;
        }
        // The item's `included` resources, read in place: their text, then the typed fields
        // they fill (as the Value path offers them, in order).
        let mut included = std::mem::take(item.included_mut());
        let Some(spans) = cut_included(body, &anchors, m.after_included.get(), span) else {
            return Ok(None);
        };
        if spans.len() != included.len() {
            return Ok(None);
        }
        for (r, span) in included.iter_mut().zip(spans) {
            let Some(text) = raw(span) else {
                return Ok(None);
            };
            r.set_raw(text);
        }
        let item_path = Path::Index(&root, i);
        let at = Path::Key(&item_path, "included");
        for (j, r) in included.iter().enumerate() {
            item.included_item(r, &Path::Index(&at, j))?;
        }
        *item.included_mut() = included;
    }
    Ok(Some(items))
}

/// What follows a page's list: the address of the next member name, the end of the page, or
/// something unknown (a name with escapes).
#[derive(Clone, Copy)]
enum After {
    Key(usize),
    End,
    Unknown,
}

/// What follows a member whose value was just read, from the next member's name.
// The `Cow` itself, not the `str`: only a name borrowed from the page gives its position.
#[allow(clippy::ptr_arg)]
fn after(key: &Cow<'_, str>) -> After {
    match key {
        Cow::Borrowed(k) => After::Key(k.as_ptr() as usize),
        Cow::Owned(_) => After::Unknown,
    }
}

/// What the one-pass read notes about a list item, to cut its text and its `included`
/// resources' from the page.
#[derive(Default)]
struct Marks {
    /// The address of the item's first member name (0: not known).
    first: Cell<usize>,
    /// The addresses of each `included` resource's first member name.
    included: std::cell::RefCell<Vec<usize>>,
    /// What follows the `included` list in the item, once it was read.
    after_included: Cell<Option<After>>,
    /// A shape the cut leaves to the [`Value`] path (one `included` object, two lists).
    odd: Cell<bool>,
}

/// The first and last byte of each `included` resource of an item that spans
/// `item.0..=item.1`, from their first member names' addresses and what follows the list.
fn cut_included(
    body: &[u8],
    anchors: &[usize],
    after: Option<After>,
    item: (usize, usize),
) -> Option<Vec<(usize, usize)>> {
    let starts = anchors
        .iter()
        .map(|&a| back(body, quote(body, a)?, b'{'))
        .collect::<Option<Vec<_>>>()?;
    let mut spans = Vec::with_capacity(starts.len());
    for (j, &start) in starts.iter().enumerate() {
        let close = match starts.get(j + 1) {
            Some(&next) => back(body, back(body, next, b',')?, b'}')?,
            None => {
                let list_end = match after? {
                    After::Key(addr) => back(body, back(body, quote(body, addr)?, b',')?, b']')?,
                    After::End => back(body, item.1, b']')?,
                    After::Unknown => return None,
                };
                back(body, list_end, b'}')?
            }
        };
        if start <= item.0 || close <= start || close >= item.1 {
            return None;
        }
        spans.push((start, close));
    }
    Some(spans)
}

fn json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The index of the last byte before `i` that is not JSON whitespace, if it is `want`.
fn back(body: &[u8], mut i: usize, want: u8) -> Option<usize> {
    while i > 0 && json_space(body[i - 1]) {
        i -= 1;
    }
    (i > 0 && body[i - 1] == want).then(|| i - 1)
}

/// The index of the `"` before a member name at address `addr`, when it is in `body`.
fn quote(body: &[u8], addr: usize) -> Option<usize> {
    let k = addr.checked_sub(body.as_ptr() as usize)?;
    (k >= 1 && k <= body.len() && body[k - 1] == b'"').then(|| k - 1)
}

/// Each item's first and last byte in `body`, from the addresses of the items' first member
/// names (`anchors`) and what follows the list.
fn cut(body: &[u8], anchors: &[usize], after: After) -> Option<Vec<(usize, usize)>> {
    let starts = anchors
        .iter()
        .map(|&a| back(body, quote(body, a)?, b'{'))
        .collect::<Option<Vec<_>>>()?;
    let mut spans = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let close = match starts.get(i + 1) {
            Some(&next) => back(body, back(body, next, b',')?, b'}')?,
            None => {
                let list_end = match after {
                    After::Key(addr) => back(body, back(body, quote(body, addr)?, b',')?, b']')?,
                    After::End => back(body, back(body, body.len(), b'}')?, b']')?,
                    After::Unknown => return None,
                };
                back(body, list_end, b'}')?
            }
        };
        if close <= start {
            return None;
        }
        spans.push((start, close));
    }
    Some(spans)
}

// ---------------------------------------------------------------------------------------
// Visitors

/// Makes each scalar `visit_*` of a visitor call `self.other(value)`.
macro_rules! scalars_to_other {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            self.other(Value::Bool(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.other(Value::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.other(Value::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            self.other(Value::from(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            self.other(Value::from(v))
        }
    };
}

/// `DeserializeSeed` for a seed that is its own [`Visitor`] of any JSON value:
/// `seed_by_visitor!([generics] Type<'_, ...>);`.
macro_rules! seed_by_visitor {
    ([$($g:tt)*] $ty:ty) => {
        impl<'de, $($g)*> DeserializeSeed<'de> for $ty {
            type Value = <Self as Visitor<'de>>::Value;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
    };
}

fn seq_value<'de, A: SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Value::deserialize(SeqAccessDeserializer::new(seq))
}

fn map_value<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Value::deserialize(MapAccessDeserializer::new(map))
}

/// A member name, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// One field's value, read by its type's [`Lenient`] rules.
pub(crate) struct FieldSeed<'a, T> {
    cx: &'a Cx,
    path: Path<'a>,
    _t: PhantomData<fn() -> T>,
}

impl<'a, T> FieldSeed<'a, T> {
    pub(crate) fn new(cx: &'a Cx, path: Path<'a>) -> Self {
        FieldSeed {
            cx,
            path,
            _t: PhantomData,
        }
    }
}

impl<T: Lenient> FieldSeed<'_, T> {
    fn scalar<E: de::Error>(self, s: Scalar<'_>) -> Result<Option<T>, E> {
        T::scalar(s).map_err(|m| self.cx.refuse(&self.path, m, &s.to_value()))
    }

    fn whole<E: de::Error>(self, v: Value) -> Result<Option<T>, E> {
        T::decode(&v).map_err(|m| self.cx.refuse(&self.path, m, &v))
    }
}

seed_by_visitor!([T: Lenient] FieldSeed<'_, T>);

impl<'de, T: Lenient> Visitor<'de> for FieldSeed<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(Scalar::Number(&v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(Scalar::Number(&v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match Number::from_f64(v) {
            Some(n) => self.scalar(Scalar::Number(&n)),
            None => self.scalar(Scalar::Null),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(Scalar::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = seq_value(seq)?;
        self.whole(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v = map_value(map)?;
        self.whole(v)
    }
}

/// One resource (a list item, an `included` item): its envelope and its attributes.
struct ItemSeed<'a, M> {
    cx: &'a Cx,
    path: Path<'a>,
    out: &'a mut M,
    /// Where to note the address of the item's first member name, when it is borrowed from
    /// the text being read (see [`read_page_spans`]).
    anchor: Option<&'a Cell<usize>>,
    /// A list item of [`read_page_spans`]: its `included` resources are read in place, and
    /// what is needed to cut their text from the page noted here.
    marks: Option<&'a Marks>,
}

impl<M: Typed> ItemSeed<'_, M> {
    fn other<E: de::Error>(self, v: Value) -> Result<(), E> {
        Err(self.cx.refuse(&self.path, "expected an object", &v))
    }
}

seed_by_visitor!([M: Typed] ItemSeed<'_, M>);

impl<'de, M: Typed> Visitor<'de> for ItemSeed<'_, M> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a resource object")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.other(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = seq_value(seq)?;
        self.other(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ItemSeed {
            cx,
            path,
            out,
            mut anchor,
            marks,
        } = self;
        let mut env = Envelope::default();
        let mut after_included = false;
        while let Some(key) = map.next_key_seed(Key)? {
            if let Some(at) = anchor.take() {
                if let Cow::Borrowed(k) = key {
                    at.set(k.as_ptr() as usize);
                }
            }
            if let (true, Some(m)) = (after_included, marks) {
                after_included = false;
                m.after_included.set(Some(after(&key)));
            }
            match &*key {
                "id" => {
                    env.id =
                        map.next_value_seed(FieldSeed::<String>::new(cx, Path::Key(&path, "id")))?;
                }
                "type" => {
                    env.resource_type = map
                        .next_value_seed(FieldSeed::<String>::new(cx, Path::Key(&path, "type")))?;
                }
                "links" => env.self_link = map.next_value_seed(SelfLink)?,
                "attributes" => map.next_value_seed(AttrsSeed {
                    cx,
                    path: Path::Key(&path, "attributes"),
                    out: &mut *out,
                })?,
                "relationships" => {
                    env.relationships = map.next_value_seed(RelsSeed {
                        cx,
                        path: Path::Key(&path, "relationships"),
                    })?;
                }
                "included" => {
                    if let Some(m) = marks {
                        // A repeated `included`: the cut is not sure which list it saw.
                        m.odd.set(m.odd.get() || m.after_included.get().is_some());
                        after_included = true;
                    }
                    env.included = map.next_value_seed(IncludedSeed {
                        cx,
                        path: Path::Key(&path, "included"),
                        out: &mut *out,
                        marks,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let (true, Some(m)) = (after_included, marks) {
            m.after_included.set(Some(After::End));
        }
        out.envelope(env);
        Ok(())
    }
}

/// `links.self` when it is a string; anything else is no link.
struct SelfLink;

seed_by_visitor!([] SelfLink);

impl SelfLink {
    fn other<E>(self, _: Value) -> Result<Option<String>, E> {
        Ok(None)
    }
}

impl<'de> Visitor<'de> for SelfLink {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("links")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut link = None;
        while let Some(key) = map.next_key_seed(Key)? {
            if key == "self" {
                link = match map.next_value::<Value>()? {
                    Value::String(s) => Some(s),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(link)
    }
}

/// `attributes`: an object (each member read by the model), or `null`.
struct AttrsSeed<'a, M> {
    cx: &'a Cx,
    path: Path<'a>,
    out: &'a mut M,
}

impl<M> AttrsSeed<'_, M> {
    fn other<E: de::Error>(self, v: Value) -> Result<(), E> {
        Err(self.cx.refuse(&self.path, "expected an object", &v))
    }
}

seed_by_visitor!([M: Typed] AttrsSeed<'_, M>);

impl<'de, M: Typed> Visitor<'de> for AttrsSeed<'_, M> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("attributes")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = seq_value(seq)?;
        self.other(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Key)? {
            self.out.attribute(&key, &mut map, self.cx, &self.path)?;
        }
        Ok(())
    }
}

/// `included`: a list of resources, one resource, or `null`. Each is offered to the model's
/// typed `included` fields. Outside a one-pass page read, each is read into a [`Value`]
/// first (its `raw` is that value's compact text).
struct IncludedSeed<'a, M> {
    cx: &'a Cx,
    path: Path<'a>,
    out: &'a mut M,
    /// Read in place instead (a list item of [`read_page_spans`]): the resources' text is cut
    /// from the page afterwards, and only then offered to the typed fields.
    marks: Option<&'a Marks>,
}

impl<M> IncludedSeed<'_, M> {
    fn other<E: de::Error>(self, v: Value) -> Result<Vec<Resource>, E> {
        Err(self
            .cx
            .refuse(&self.path, "expected a list of resources", &v))
    }
}

seed_by_visitor!([M: Typed] IncludedSeed<'_, M>);

impl<'de, M: Typed> Visitor<'de> for IncludedSeed<'_, M> {
    type Value = Vec<Resource>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("included resources")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = Vec::new();
        if let Some(m) = self.marks {
            loop {
                let anchor = Cell::new(0);
                let mut item = Resource::default();
                let read = seq.next_element_seed(ItemSeed {
                    cx: self.cx,
                    path: Path::Index(&self.path, list.len()),
                    out: &mut item,
                    anchor: Some(&anchor),
                    marks: None,
                })?;
                if read.is_none() {
                    return Ok(list);
                }
                m.included.borrow_mut().push(anchor.get());
                list.push(item);
            }
        }
        while let Some(v) = seq.next_element::<Value>()? {
            let at = Path::Index(&self.path, list.len());
            let item = read_owned::<Resource>(v, at)
                .and_then(|item| self.out.included_item(&item, &at).map(|()| item))
                .map_err(|e| self.cx.reject::<A::Error>(e))?;
            list.push(item);
        }
        Ok(list)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // One object where a list was expected.
        if let Some(m) = self.marks {
            m.odd.set(true);
        }
        let v = map_value(map)?;
        let item = read_owned::<Resource>(v, self.path)
            .and_then(|item| self.out.included_item(&item, &self.path).map(|()| item))
            .map_err(|e| self.cx.reject::<A::Error>(e))?;
        Ok(vec![item])
    }
}

/// A relationship's name as the models key it (`created-by` → `created_by`).
fn snake(name: &str) -> String {
    let mut bytes = canonical_key(name).into_owned().into_bytes();
    for b in &mut bytes {
        if *b == b'-' {
            *b = b'_';
        }
    }
    // One ASCII byte for another: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// `relationships`: Degreed's list of one-member objects, an object, or `null`.
struct RelsSeed<'a> {
    cx: &'a Cx,
    path: Path<'a>,
}

impl RelsSeed<'_> {
    fn other<E: de::Error>(self, v: Value) -> Result<Relationships, E> {
        Err(self
            .cx
            .refuse(&self.path, "expected a list or object of relationships", &v))
    }
}

seed_by_visitor!([] RelsSeed<'_>);

impl<'de> Visitor<'de> for RelsSeed<'_> {
    type Value = Relationships;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("relationships")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Relationships::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Relationships::default();
        let mut i = 0;
        while seq
            .next_element_seed(RelEntrySeed {
                cx: self.cx,
                path: Path::Index(&self.path, i),
                out: &mut out,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Relationships::default();
        while let Some(key) = map.next_key_seed(Key)? {
            let rel = map.next_value_seed(RelSeed {
                cx: self.cx,
                path: Path::Key(&self.path, &key),
            })?;
            out.insert(snake(&key), rel);
        }
        Ok(out)
    }
}

/// One element of Degreed's relationship list: `{"user": {"data": ...}}`, or `null`.
struct RelEntrySeed<'a> {
    cx: &'a Cx,
    path: Path<'a>,
    out: &'a mut Relationships,
}

impl RelEntrySeed<'_> {
    fn other<E: de::Error>(self, v: Value) -> Result<(), E> {
        Err(self
            .cx
            .refuse(&self.path, "expected a relationship object", &v))
    }
}

seed_by_visitor!([] RelEntrySeed<'_>);

impl<'de> Visitor<'de> for RelEntrySeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a relationship object")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = seq_value(seq)?;
        self.other(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Key)? {
            let rel = map.next_value_seed(RelSeed {
                cx: self.cx,
                path: Path::Key(&self.path, &key),
            })?;
            self.out.insert(snake(&key), rel);
        }
        Ok(())
    }
}

/// One relationship: `{"data": X}`, or (from looser servers) X itself.
struct RelSeed<'a> {
    cx: &'a Cx,
    path: Path<'a>,
}

seed_by_visitor!([] RelSeed<'_>);

impl RelSeed<'_> {
    fn other<E: de::Error>(self, v: Value) -> Result<Relationship, E> {
        IdSeed {
            cx: self.cx,
            path: self.path,
        }
        .other(v)
        .map(Relationship::One)
    }
}

impl<'de> Visitor<'de> for RelSeed<'_> {
    type Value = Relationship;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a relationship")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Relationship::One(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        many(self.cx, self.path, seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // `data` wins; without it the object is itself an identifier, whose `id` and `type`
        // are kept aside until the end (and their errors only matter then).
        let mut data = None;
        let (mut id, mut kind) = (None, None);
        while let Some(key) = map.next_key_seed(Key)? {
            match &*key {
                "data" => {
                    data = Some(map.next_value_seed(DataSeed {
                        cx: self.cx,
                        path: Path::Key(&self.path, "data"),
                    })?);
                }
                "id" => id = Some(map.next_value::<Value>()?),
                "type" => kind = Some(map.next_value::<Value>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(data) = data {
            return Ok(data);
        }
        let read = |v: Option<Value>, key: &str| -> Result<Option<String>, A::Error> {
            match v {
                None => Ok(None),
                // A refusal is kept in `cx`; the error only stops the read.
                Some(v) => FieldSeed::<String>::new(self.cx, Path::Key(&self.path, key))
                    .deserialize(&v)
                    .map_err(de::Error::custom),
            }
        };
        let id = read(id, "id")?;
        let resource_type = read(kind, "type")?;
        Ok(Relationship::One(
            id.map(|id| ResourceId { id, resource_type }),
        ))
    }
}

/// A relationship's `data`: a list of identifiers, one, or `null`.
struct DataSeed<'a> {
    cx: &'a Cx,
    path: Path<'a>,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = Relationship;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match d.deserialize_any(IdOrList {
            cx: self.cx,
            path: self.path,
        })? {
            Ok(many) => Ok(many),
            Err(one) => Ok(Relationship::One(one)),
        }
    }
}

/// [`IdSeed`] that also takes a list (a to-many relationship).
struct IdOrList<'a> {
    cx: &'a Cx,
    path: Path<'a>,
}

type OneOrMany = Result<Relationship, Option<ResourceId>>;

impl IdOrList<'_> {
    fn id(&self) -> IdSeed<'_> {
        IdSeed {
            cx: self.cx,
            path: self.path,
        }
    }
}

impl<'de> Visitor<'de> for IdOrList<'_> {
    type Value = OneOrMany;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("resource identifiers")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.id().visit_bool(v).map(Err)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.id().visit_i64(v).map(Err)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.id().visit_u64(v).map(Err)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.id().visit_f64(v).map(Err)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.id().visit_str(v).map(Err)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        many(self.cx, self.path, seq).map(Ok)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.id().visit_map(map).map(Err)
    }
}

/// A to-many relationship: identifiers (`null`s and identifiers without an id skipped).
fn many<'de, A: SeqAccess<'de>>(
    cx: &Cx,
    path: Path<'_>,
    mut seq: A,
) -> Result<Relationship, A::Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(id) = seq.next_element_seed(IdSeed {
        cx,
        path: Path::Index(&path, i),
    })? {
        out.extend(id);
        i += 1;
    }
    Ok(Relationship::Many(out))
}

/// A resource identifier: `{"id", "type"}`, a bare id (string or number), or `null`.
struct IdSeed<'a> {
    cx: &'a Cx,
    path: Path<'a>,
}

impl IdSeed<'_> {
    fn other<E: de::Error>(self, v: Value) -> Result<Option<ResourceId>, E> {
        match Scalar::of(&v) {
            s @ (Scalar::Null | Scalar::Str(_) | Scalar::Number(_)) => {
                FieldSeed::<String>::new(self.cx, self.path)
                    .scalar(s)
                    .map(|id| {
                        id.map(|id| ResourceId {
                            id,
                            resource_type: None,
                        })
                    })
            }
            _ => Err(self
                .cx
                .refuse(&self.path, "expected a resource identifier", &v)),
        }
    }
}

seed_by_visitor!([] IdSeed<'_>);

impl<'de> Visitor<'de> for IdSeed<'_> {
    type Value = Option<ResourceId>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a resource identifier")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.other(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.other(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.other(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.other(Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(ResourceId {
            id: v.to_owned(),
            resource_type: None,
        }))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = seq_value(seq)?;
        self.other(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut id, mut resource_type) = (None, None);
        while let Some(key) = map.next_key_seed(Key)? {
            match &*key {
                "id" => {
                    id = map.next_value_seed(FieldSeed::<String>::new(
                        self.cx,
                        Path::Key(&self.path, "id"),
                    ))?;
                }
                "type" => {
                    resource_type = map.next_value_seed(FieldSeed::<String>::new(
                        self.cx,
                        Path::Key(&self.path, "type"),
                    ))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(id.map(|id| ResourceId { id, resource_type }))
    }
}

/// The page of [`read_page_spans`]: its items read in place, the addresses of their first
/// member names, and what follows the list; `None` for a shape left to the [`Value`] path.
type Spanned<M> = Option<(Vec<M>, Vec<Marks>, After)>;

struct SpanPage<'a, M> {
    cx: &'a Cx,
    _m: PhantomData<fn() -> M>,
}

impl<M> SpanPage<'_, M> {
    fn other<E>(self, _: Value) -> Result<Spanned<M>, E> {
        Ok(None)
    }
}

seed_by_visitor!([M: Typed + Model] SpanPage<'_, M>);

impl<'de, M: Typed + Model> Visitor<'de> for SpanPage<'_, M> {
    type Value = Spanned<M>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list response")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: Option<SpanItems<M>> = None;
        let mut after = None;
        let mut want_after = false;
        while let Some(key) = map.next_key_seed(Key)? {
            if want_after {
                want_after = false;
                after = Some(self::after(&key));
            }
            if key != M::LIST_KEY {
                map.next_value::<IgnoredAny>()?;
            } else if found.is_some() {
                // A repeated list member: left to the Value path, which keeps the last one.
                map.next_value::<IgnoredAny>()?;
                found = Some(None);
            } else {
                found = Some(map.next_value_seed(SpanList::<M> {
                    cx: self.cx,
                    _m: PhantomData,
                })?);
                want_after = true;
            }
        }
        let after = after.unwrap_or(After::End);
        Ok(found.flatten().map(|(items, marks)| (items, marks, after)))
    }
}

/// The list of [`SpanPage`]: each item read in place, noting where its first member name is.
struct SpanList<'a, M> {
    cx: &'a Cx,
    _m: PhantomData<fn() -> M>,
}

type SpanItems<M> = Option<(Vec<M>, Vec<Marks>)>;

impl<M> SpanList<'_, M> {
    fn other<E>(self, _: Value) -> Result<SpanItems<M>, E> {
        Ok(None)
    }
}

seed_by_visitor!([M: Typed + Model] SpanList<'_, M>);

impl<'de, M: Typed + Model> Visitor<'de> for SpanList<'_, M> {
    type Value = SpanItems<M>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }
    scalars_to_other!();
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some((Vec::new(), Vec::new())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let base = format!("$.{}", M::LIST_KEY);
        let root = Path::Root(&base);
        let (mut items, mut marks) = (Vec::new(), Vec::new());
        loop {
            let m = Marks::default();
            let mut item = M::default();
            let read = seq.next_element_seed(ItemSeed {
                cx: self.cx,
                path: Path::Index(&root, items.len()),
                out: &mut item,
                anchor: Some(&m.first),
                marks: Some(&m),
            })?;
            if read.is_none() {
                break;
            }
            items.push(item);
            marks.push(m);
        }
        Ok(Some((items, marks)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::User;

    /// The items' spans, when the one-pass read finds them (`None`: two passes instead).
    fn spans(body: &str) -> Option<Vec<&str>> {
        let cx = Cx::default();
        let mut de = serde_json::Deserializer::from_slice(body.as_bytes());
        let (_, marks, after) = SpanPage::<User> {
            cx: &cx,
            _m: PhantomData,
        }
        .deserialize(&mut de)
        .unwrap()
        .unwrap();
        let anchors: Vec<usize> = marks.iter().map(|m| m.first.get()).collect();
        let cut = cut(body.as_bytes(), &anchors, after)?;
        Some(cut.into_iter().map(|(a, b)| &body[a..=b]).collect())
    }

    #[test]
    fn items_are_cut_from_the_page_in_one_pass() {
        let a = r#"{"id":"a","type":"users"}"#;
        let b = r#"{ "id" : "b" , "links" : { "self" : "x" } }"#;
        for page in [
            format!(r#"{{"data":[{a},{b}]}}"#),
            format!("{{\"data\": [\n  {a} ,\r\n\t{b}\n ] \n}} \n"),
            format!(r#"{{"data":[{a},{b}],"links":{{"next":null}}}}"#),
            format!(r#"{{"links":{{}},"data":[{a}, {b}] , "meta":1}}"#),
        ] {
            assert_eq!(spans(&page), Some(vec![a, b]), "{page}");
        }
        assert_eq!(spans(r#"{"data":[]}"#), Some(vec![]));
        // Positions not known: two passes.
        for page in [
            format!(r#"{{"data":[{a},{{}}]}}"#),
            r#"{"data":[{"\u0069d":"a"}]}"#.to_owned(),
            format!(r#"{{"data":[{a}],"l\u0069nks":{{}}}}"#),
        ] {
            assert_eq!(spans(&page), None, "{page}");
        }
    }
}
