// Models: views over the items `JSON.parse` made of an answer, read by the core's rules.
//
// A model is not a copy of its item. It holds the item (`raw`, the very object of the page)
// and reads a field when it is asked for: `user.employeeId` is `raw.attributes['employee-id']`,
// spelled, typed and (for timestamps) converted by the core's rules, asked once per distinct
// attribute name (`attributeKey`, `isTimeAttribute`, `attributeKind`). Building a page's models
// costs one small object per item; a field nobody reads costs nothing.
//
// - Attribute getters live on `Resource.prototype`, one per camelCase name, defined the first
//   time an item is asked for that name. Until then a name is found by a lookup that only runs
//   on a miss: the prototype of `Resource.prototype` is a `Proxy` whose `get` trap scans the
//   item's attribute names for one the core spells that way (unknown attributes stay readable).
// - Timestamps become `Date`s on first read (cached by the model), read by the core for the
//   whole page at once (one call per attribute name and page). A text that is not a timestamp
//   is a `DecodeError` when it is read (the core refuses it eagerly for single-resource
//   replies; for pages, when the field is read, by a getter, `toJSON()` or `JSON.stringify`).
// - Numbers and booleans Degreed sends as strings are read as the schema's type on first read.
// - `toJSON()` gives the plain camelCase object (what `JSON.stringify` prints); inspection
//   (`console.log`, `util.inspect`) shows it.

import { attributeKey, attributeKind, isTimeAttribute, readValue, timestampsMs } from './degreed_wasm.js';
import { DecodeError } from './errors.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Names a resource has of its own: an attribute spelled so is reachable through `raw` and
 *  `toJSON()`, not as a property. */
const RESERVED = new Set(['id', 'type', 'relationships', 'links', 'included', 'raw', 'toJSON', 'constructor']);
/** Names `toJSON()` gives the envelope's values, not an attribute's. */
const ENVELOPE = new Set(['id', 'type', 'relationships', 'links', 'included', 'raw']);

/** `{name, time, kind, skip}` for an attribute name as sent: camelCase name, whether it holds
 *  a timestamp, how a string value is read (`number`, `int`, `bool`, `list`, or null: kept),
 *  whether the envelope's own keys hide it (then `toJSON()` and `raw` have it, `skip` names
 *  only the property). Asked of the core once per distinct name. */
const RULES = new Map();
function rule(key) {
  let r = RULES.get(key);
  if (r === undefined) {
    const name = attributeKey(key);
    r = {
      name,
      time: isTimeAttribute(key),
      kind: attributeKind(key) ?? null,
      envelope: ENVELOPE.has(name),
      skip: RESERVED.has(name) || name in Object.prototype,
    };
    RULES.set(key, r);
  }
  return r;
}

/** A string value read as the schema's type (Degreed sends numbers and booleans as strings),
 *  by the core; kept as sent when it cannot mean that type. */
function readAs(kind, text) {
  const json = readValue(kind, text);
  return json ? JSON.parse(json) : text;
}

/**
 * What the models of one list of items share: the items (for reading a timestamp attribute
 * of all of them in one call), where they are in the answer, and the answer's status and
 * request id (for errors).
 */
class Batch {
  constructor(items, path, status, requestId) {
    this.items = items;
    this.path = path;
    this.status = status;
    this.requestId = requestId;
    /** wire key → `Float64Array` of milliseconds per item (NaN: absent or not a timestamp). */
    this.times = null;
  }

  /** Milliseconds of the timestamp `key` of item `at` (-Infinity: "never"; NaN: unread). */
  time(key, at) {
    let ms = this.times?.get(key);
    if (ms === undefined) {
      ms = readColumn(this.items, key);
      (this.times ??= new Map()).set(key, ms);
    }
    return ms[at];
  }
}

/** The timestamps of attribute `key` of every item, read by the core in one call. */
function readColumn(items, key) {
  const out = new Float64Array(items.length).fill(NaN);
  const texts = [];
  const at = [];
  for (let i = 0; i < items.length; i++) {
    const attrs = items[i]?.attributes;
    const v = isObject(attrs) ? attrs[key] : undefined;
    if (typeof v !== 'string') continue;
    // One text per line: a text with a line break of its own is read alone.
    if (v.includes('\n')) out[i] = timestampsMs(v)[0];
    else {
      texts.push(v);
      at.push(i);
    }
  }
  if (texts.length) {
    const ms = timestampsMs(texts.join('\n'));
    for (let j = 0; j < at.length; j++) out[at[j]] = ms[j];
  }
  return out;
}

// A model's own state, under symbols (not listed by `Object.keys`, `for...in` or
// `JSON.stringify`): the item, what its page's models share, its index there, and the values
// converted so far. Models are made as object literals, not with `new`: V8 allocates literals
// that live long (a listing keeps its models) straight in the old generation, where `new`
// objects are first copied by the young-generation collector; that copy cost a quarter of a
// listing's time.
const RAW = Symbol('raw');
const BATCH = Symbol('batch');
const AT = Symbol('at');
const CACHE = Symbol('cache');

/** The value of attribute `key` (as sent) of model `m`, converted by its rule. */
function attributeValue(m, key, v) {
  if (typeof v !== 'string') return v;
  const r = rule(key);
  if (!r.time && r.kind === null) return v;
  const cache = (m[CACHE] ??= new Map());
  let out = cache.get(key);
  if (out !== undefined || cache.has(key)) return out;
  if (r.time) {
    const b = m[BATCH];
    const ms = b.time(key, m[AT]);
    if (ms === Number.NEGATIVE_INFINITY) out = null;
    else if (!Number.isNaN(ms)) out = new Date(ms);
    else if (!v.trim()) out = v;
    else {
      const path = `${b.path}[${m[AT]}].attributes.${key}`;
      throw new DecodeError(
        `could not decode the response (HTTP ${b.status ?? 200}) at \`${path}\`: expected an ISO-8601 date-time (the text is in \`raw\`)`,
        { kind: 'decode', status: b.status ?? 200, requestId: b.requestId ?? null },
      );
    }
  } else out = readAs(r.kind, v);
  cache.set(key, out);
  return out;
}

/** `make()`, made once per model `m` and `key` (kept in its cache). */
function cached(m, key, make) {
  const cache = (m[CACHE] ??= new Map());
  let out = cache.get(key);
  if (out === undefined) {
    out = make();
    cache.set(key, out);
  }
  return out;
}

/** The model of item `at` of `batch`. */
const resource = (raw, batch, at) => ({ __proto__: PROTO, [RAW]: raw, [BATCH]: batch, [AT]: at, [CACHE]: null });

/**
 * A JSON:API resource: `id`, `type`, the attributes in camelCase, `relationships`,
 * `included`, `links`; `raw` is the item as sent (the same object, not a copy). Made by the
 * client (`instanceof Resource` holds), not with `new`.
 */
export class Resource {
  /** @internal Models are made by the client. */
  constructor() {
    throw new TypeError('models are made by the client');
  }

  /** The item as sent. */
  get raw() {
    return this[RAW];
  }

  get id() {
    const id = this[RAW].id;
    return typeof id === 'number' ? String(id) : (id ?? null);
  }

  get type() {
    return this[RAW].type ?? null;
  }

  /** Relationships by camelCase name: `{manager: {id, type}}`. */
  get relationships() {
    return cached(this, RELATIONSHIPS, () => relationshipsOf(this[RAW].relationships));
  }

  get links() {
    return this[RAW].links ?? null;
  }

  /** The included resources, as models. */
  get included() {
    return cached(this, INCLUDED, () => {
      const inc = this[RAW].included;
      const list = Array.isArray(inc) ? inc : isObject(inc) ? [inc] : [];
      const b = this[BATCH];
      return toModels(list, new Batch(list, `${b.path}[${this[AT]}].included`, b.status, b.requestId));
    });
  }

  /** The model as a plain object: `{id, type, ...attributes, relationships, links,
   *  included}` in camelCase with `Date`s (what `JSON.stringify` prints). */
  toJSON() {
    const out = { id: this.id, type: this.type };
    const attrs = this[RAW].attributes;
    if (isObject(attrs)) {
      for (const k in attrs) {
        const r = rule(k);
        if (!r.envelope) out[r.name] = attributeValue(this, k, attrs[k]);
      }
    }
    out.relationships = this.relationships;
    out.links = this.links;
    out.included = this.included.map((m) => (m instanceof Resource ? m.toJSON() : m));
    return out;
  }

  [INSPECT](depth, options, inspect) {
    let shown;
    try {
      shown = this.toJSON();
    } catch {
      shown = { raw: this[RAW] };
    }
    const label = `Resource<${typeof this.type === 'string' ? this.type : '?'}>`;
    return inspect ? `${label} ${inspect(shown, options)}` : `${label} ${JSON.stringify(shown)}`;
  }

  get [Symbol.toStringTag]() {
    return 'Resource';
  }
}

const PROTO = Resource.prototype;
const RELATIONSHIPS = Symbol('relationships');
const INCLUDED = Symbol('included');

/** Relationships by camelCase name: `[{"user": {"data": {...}}}]` or `{"user": ...}`. */
function relationshipsOf(rel) {
  const out = {};
  const add = (obj) => {
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      out[rule(k).name] = isObject(v) && 'data' in v ? v.data : v;
    }
  };
  if (Array.isArray(rel)) {
    for (const entry of rel) if (isObject(entry)) add(entry);
  } else if (isObject(rel)) add(rel);
  return out;
}

/** camelCase name → the attribute names as sent that the core spells so. */
const SPELLINGS = new Map();

/** The attribute of `m` the core names `name`, looked for among the item's attribute names
 *  (a spelling not seen before); `undefined` when the item has none. */
function find(m, name) {
  const attrs = m[RAW].attributes;
  if (!isObject(attrs)) return undefined;
  for (const k in attrs) {
    const r = rule(k);
    if (r.name !== name || r.skip) continue;
    let keys = SPELLINGS.get(name);
    if (keys === undefined) {
      keys = [];
      SPELLINGS.set(name, keys);
      defineAttribute(name, keys);
    }
    if (!keys.includes(k)) keys.push(k);
    return attributeValue(m, k, attrs[k]);
  }
  return undefined;
}

/** A getter for attribute `name` on every resource, reading the spellings seen for it. */
function defineAttribute(name, keys) {
  Object.defineProperty(Resource.prototype, name, {
    get() {
      const attrs = this[RAW].attributes;
      if (!isObject(attrs)) return undefined;
      for (let i = 0; i < keys.length; i++) {
        const v = attrs[keys[i]];
        if (v !== undefined) return attributeValue(this, keys[i], v);
      }
      return find(this, name);
    },
    enumerable: false,
    configurable: true,
  });
}

// Names no getter answers yet fall through to this trap, which looks them up in the item.
const MISS = new Proxy(Object.create(Object.prototype), {
  get(target, prop, receiver) {
    if (typeof prop !== 'string' || prop in target || !(receiver instanceof Resource)) {
      return Reflect.get(target, prop, receiver);
    }
    return find(receiver, prop);
  },
});
Object.setPrototypeOf(Resource.prototype, MISS);

/**
 * An item that is not a JSON:API resource (an xAPI statement): its own keys as sent, with
 * timestamps as `Date`s (converted here, for the whole batch), `raw` (not enumerable) the item.
 */
function statement(raw, times) {
  const m = {};
  for (const k in raw) {
    const v = raw[k];
    m[k] = v;
    if (typeof v === 'string' && rule(k).time) times.push(m, k, v);
  }
  Object.defineProperty(m, 'raw', { value: raw, enumerable: false, configurable: true });
  return m;
}

/** Turns the listed timestamp texts into `Date`s (`null` for Degreed's "never"; text that
 *  is not a timestamp is kept), read by the core in one call. */
function readTimes(times) {
  if (!times.length) return;
  const texts = [];
  for (let i = 2; i < times.length; i += 3) texts.push(times[i]);
  const ms = texts.some((t) => t.includes('\n'))
    ? Float64Array.from(texts, (t) => timestampsMs(t)[0])
    : timestampsMs(texts.join('\n'));
  for (let i = 0, j = 0; i < times.length; i += 3, j++) {
    const v = ms[j];
    if (!Number.isNaN(v)) times[i][times[i + 1]] = v === -Infinity ? null : new Date(v);
  }
}

const isResource = (raw) => 'attributes' in raw || 'relationships' in raw || typeof raw.type === 'string';

/** The models of a list of items: a view per resource; other objects (xAPI statements) as
 *  plain objects; anything else as it is. */
export function toModels(items, batch) {
  const out = new Array(items.length);
  let times;
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    if (!isObject(raw)) out[i] = raw;
    else if (isResource(raw)) out[i] = resource(raw, batch, i);
    else out[i] = statement(raw, (times ??= []));
  }
  if (times) readTimes(times);
  return out;
}

/** `data` of a reply as models: a list, one model, or null. */
export function toData(data, status, requestId) {
  if (Array.isArray(data)) return toModels(data, new Batch(data, '$.data', status, requestId));
  if (data === null || data === undefined) return null;
  return toModels([data], new Batch([data], '$.data', status, requestId))[0];
}

/** The models of a page's items (at `path`, `$.data`). */
export function pageModels(items, path, status, requestId) {
  return toModels(items, new Batch(items, path, status, requestId));
}
