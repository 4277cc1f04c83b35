// The `degreed` client: a thin async driver around the core's state machines (in wasm).
//
// This file sends requests with `fetch`, sleeps with `setTimeout` and reads the clock with
// `Date.now()`. Everything else (token cache and refresh, retries and back-off, Retry-After,
// pacing, scope checks, paging, date windows, error mapping, model normalization) happens in
// the core, reached through `degreed_wasm.js`. The wasm module is initialised by the entry
// module (`node.js` or `browser.js`) before any function here runs.

import {
  NativeSession,
  catalog as nativeCatalog,
  minimalScopes as nativeMinimalScopes,
  settingsFromEnv,
  initSync,
} from './degreed_wasm.js';
import { DegreedError, invalid, native } from './errors.js';
import { isObject, pageModels, toData } from './models.js';

export {
  DegreedError,
  InvalidRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  TransportError,
  TimeoutError,
  DecodeError,
} from './errors.js';

// ---------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------

let catalogCache;

/**
 * Every operation the SDK knows, as `Operation` in index.d.ts describes them: a frozen copy
 * of the core's catalogue (`degreed::spec::catalog_json`).
 */
export function operations() {
  if (!catalogCache) {
    catalogCache = Object.freeze(
      JSON.parse(nativeCatalog()).map((op) =>
        Object.freeze({
          ...op,
          pathParams: Object.freeze(op.pathParams),
          scopes: Object.freeze(op.scopes),
          filters: Object.freeze(op.filters),
        }),
      ),
    );
  }
  return catalogCache;
}

/** The smallest scope list that allows every named operation (`['users.list']` → `['users:read']`). */
export function minimalScopes(names) {
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw invalid('minimalScopes() takes a list of operation names');
  }
  return JSON.parse(native(() => nativeMinimalScopes(JSON.stringify(names))));
}

/** `required_learning` → `requiredLearning`. */
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
/** `externalId` → `external_id`. */
const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The JS path of an operation: `users.required_learning.list` → `['users', 'requiredLearning', 'list']`. */
export function operationPath(name) {
  return name.split('.').map(camel);
}

// ---------------------------------------------------------------------------------------
// Input conversion (types only: the core validates values)
// ---------------------------------------------------------------------------------------

const isPlainObject = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

function checkOptions(options, what) {
  if (options === undefined || options === null) return {};
  if (!isPlainObject(options)) throw invalid(`${what}: the options must be an object`);
  return options;
}

function isoDate(d, what) {
  if (Number.isNaN(d.getTime())) throw invalid(`${what} is an invalid Date`);
  return d.toISOString().slice(0, 10);
}

/**
 * A query or filter value as the core takes it; `undefined` drops the key. A `Date` is an
 * instant: the core sends it to xAPI as one and to every other operation as its UTC day, as
 * for Python's `datetime`.
 */
function queryValue(v, key) {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) {
    isoDate(v, key); // rejects an invalid Date
    return { instant: v.toISOString() };
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw invalid(`\`${key}\` must be a string, a finite number, a boolean or a Date`);
}

function pairsOf(obj, what, mapKey) {
  if (obj === undefined || obj === null) return [];
  if (!isPlainObject(obj)) throw invalid(`\`${what}\` must be an object`);
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    const value = queryValue(v, k);
    if (value !== undefined) out.push([mapKey(k), value]);
  }
  return out;
}

/** A date range for the core: `{start, end, today}` (null for a date not given). */
function windowOf(start, end) {
  const date = (v, key) => {
    if (v === undefined || v === null) return null;
    if (v instanceof Date) return isoDate(v, key);
    if (typeof v === 'string') return v;
    throw invalid(`\`${key}\` must be a Date or a 'yyyy-mm-dd' string`);
  };
  const range = { start: date(start, 'startDate'), end: date(end, 'endDate') };
  if (range.start === null && range.end === null) return undefined;
  // The core decides what a partial range means; it needs today's date (UTC) for that.
  // `case` makes the core's errors name `startDate`/`endDate`, as the caller wrote them.
  return { ...range, today: new Date().toISOString().slice(0, 10), case: 'camel' };
}

const CALL_KEYS = new Set(['signal', 'timeoutMs']);
const LIST_KEYS = new Set([
  ...CALL_KEYS,
  'limit',
  'startDate',
  'endDate',
  'filter',
  'query',
  'identifier',
  'resume',
]);
const ONE_KEYS = new Set([...CALL_KEYS, 'query', 'relationships']);

function checkCallOptions(o) {
  if (o.signal !== undefined && o.signal !== null) {
    if (typeof o.signal !== 'object' || typeof o.signal.aborted !== 'boolean') {
      throw invalid('`signal` must be an AbortSignal');
    }
  }
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === 'number' && o.timeoutMs > 0)) {
    throw invalid('`timeoutMs` must be a number of milliseconds greater than 0');
  }
}

/**
 * The spec of a list call: camelCase filters → `filters` with snake_case keys (the core
 * sends them as `filter[...]`, or as xAPI's plain parameters).
 */
function listSpec(op, path, options) {
  const o = checkOptions(options, op.name);
  checkCallOptions(o);
  const query = pairsOf(o.query, 'query', (k) => k);
  if (o.identifier !== undefined) query.push(['identifier', queryValue(o.identifier, 'identifier')]);
  const filters = pairsOf(o.filter, 'filter', (k) => k);
  // Other keys are filters by name: the core checks them against the list's known filters
  // (a typo would otherwise be ignored by the server and return every record); `filter`
  // stays the unchecked escape hatch.
  const named = [];
  for (const [k, v] of Object.entries(o)) {
    if (LIST_KEYS.has(k)) continue;
    named.push([snake(k), queryValue(v, k) ?? null]);
  }
  if (o.limit !== undefined && o.limit !== null && typeof o.limit !== 'number') {
    throw invalid('`limit` must be an integer');
  }
  return {
    operation: op.name,
    path,
    query,
    filters,
    named_filters: named,
    limit: o.limit ?? null,
    window: windowOf(o.startDate, o.endDate) ?? null,
  };
}

function oneSpec(op, path, payload, options) {
  const o = checkOptions(options, op.name);
  checkCallOptions(o);
  const query = pairsOf(o.query, 'query', (k) => k);
  for (const [k, v] of Object.entries(o)) {
    if (ONE_KEYS.has(k)) continue;
    const value = queryValue(v, k);
    if (value !== undefined) query.push([snake(k), value]);
  }
  const spec = { operation: op.name, path, query };
  switch (op.body) {
    case 'resource':
      if (!isPlainObject(payload)) throw invalid(`\`${op.name}\` takes an object of attributes`);
      spec.attributes = payload;
      spec.case = 'camel'; // the core's errors name fields in camelCase
      if (o.relationships !== undefined) spec.relationships = o.relationships;
      break;
    case 'relationships':
      if (!Array.isArray(payload)) throw invalid(`\`${op.name}\` takes a list of ids`);
      spec.ids = payload;
      break;
    case 'raw':
      if (payload === undefined) throw invalid(`\`${op.name}\` needs a request body`);
      spec.body = payload;
      break;
    default:
      break;
  }
  return spec;
}

// ---------------------------------------------------------------------------------------
// Pages read by the JS layer
// ---------------------------------------------------------------------------------------

// A page's body is parsed once, here, by `JSON.parse` (read by `res.text()` if its length is
// declared: `arrayBuffer()` copies it once more). In the ordinary shape (items an array of
// objects, a next link that is a string, null or absent) it never crosses into wasm: the core
// applies the page rules to the count and the link (`NativeCall.receivePage`). Any other
// body goes to the core whole (`NativeCall.receive`), which says what is wrong or retries
// it. Bytes that are not UTF-8 are read as U+FFFD, as by `res.json()`. Models: models.js.

const UTF8 = new TextDecoder();
const ENCODER = new TextEncoder();
const textOf = (body) => (typeof body === 'string' ? body : UTF8.decode(body));

/** `{raw, items, next}` of a page body in the ordinary shape for `layout` (`"data
 *  links.next"`, from the core), or undefined. */
function readPage(body, layout) {
  let raw;
  try {
    raw = JSON.parse(textOf(body));
  } catch {
    return undefined;
  }
  if (!isObject(raw)) return undefined;
  const space = layout.indexOf(' ');
  const items = raw[layout.slice(0, space)];
  if (!Array.isArray(items)) return undefined;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it === null || typeof it !== 'object' || Array.isArray(it)) return undefined;
  }
  let next = raw;
  for (const part of layout.slice(space + 1).split('.')) {
    if (next === undefined || next === null) break;
    if (!isObject(next)) return undefined;
    next = next[part];
  }
  if (next === null) next = undefined;
  if (next !== undefined && typeof next !== 'string') return undefined;
  return { raw, items, next };
}

/** A page's next link guessed from the end of its body, where JSON:API puts `links` (the
 *  last member named as in `layout`'s link path, if its value is a string); `undefined` if
 *  none. Only a guess, for a request sent ahead (see `Paginator#pages`). No regular
 *  expression: V8 keeps the last match's subject, which would keep the page's text alive. */
function guessNext(body, layout) {
  const name = `"${layout.slice(Math.max(layout.indexOf(' '), layout.lastIndexOf('.')) + 1)}"`;
  const tail = typeof body === 'string' ? body.slice(-2048) : UTF8.decode(body.subarray(-2048));
  let at = tail.lastIndexOf(name);
  if (at < 0) return undefined;
  at += name.length;
  // `:` and the string's opening quote, with JSON's white space around them.
  for (const want of ':"') {
    while (' \t\r\n'.includes(tail[at] || '.')) at++;
    if (tail[at++] !== want) return undefined;
  }
  let end = at;
  while (end < tail.length && tail[end] !== '"') end += tail[end] === '\\' ? 2 : 1;
  try {
    return end < tail.length ? JSON.parse(tail.slice(at - 1, end + 1)) : undefined;
  } catch {
    return undefined;
  }
}

/** A turn of Node's event loop, where undici writes a request just started; elsewhere a
 *  microtask (a browser's `fetch` starts the request itself, and `setTimeout` waits up to a
 *  second in a tab in the background). */
const tick = () => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : resolve()));

// ---------------------------------------------------------------------------------------
// The driver: send, sleep, tell time
// ---------------------------------------------------------------------------------------

function abortReason(signal) {
  const r = signal.reason;
  if (r instanceof Error || (typeof DOMException !== 'undefined' && r instanceof DOMException)) {
    return r;
  }
  return new DegreedError(`the operation was aborted${r === undefined ? '' : `: ${String(r)}`}`, {
    kind: 'aborted',
  });
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Connection failures that cannot have reached the server (safe to retry any request).
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function failureOf(e) {
  let code;
  for (let c = e, i = 0; c && i < 5; c = c.cause, i++) {
    if (typeof c.code === 'string') {
      code = c.code;
      break;
    }
  }
  // The code first: the core keeps only the start of the message.
  const text = e?.message ? String(e.message) : String(e);
  return { maybeSent: !NOT_SENT.has(code), message: code ? `${code}: ${text}` : text };
}

/** Where a request went, for messages: method and path only (no host, no query). */
function where(method, url) {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {}
  return `${method} ${path}`;
}

/**
 * A response body, read up to `limit` bytes (`null` past it): chunk by chunk, so an endless
 * one stops at the limit instead of filling memory, or, when its length is declared and
 * `asText`, as text in one piece (no longer than its bytes).
 */
async function readBody(res, limit, stopped, asText) {
  const declared = res.headers.get('content-length');
  const stream = res.body;
  if (declared !== null && Number(declared) > limit) {
    stream?.cancel?.().catch(() => {});
    return null;
  }
  if (asText && declared !== null) {
    const text = await Promise.race([res.text(), stopped]);
    return text.length > limit ? null : text;
  }
  if (!stream || typeof stream.getReader !== 'function') {
    const body = new Uint8Array(await Promise.race([res.arrayBuffer(), stopped]));
    return body.length > limit ? null : body;
  }
  // Chunk by chunk (`arrayBuffer()` copies the body once more than this does).
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), stopped]);
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/**
 * Sends one request within `step.timeoutMs` (the time the call has left, from the core),
 * reading at most `step.maxBodyBytes`. Resolves `{response}`, `{tooLarge: status}` or
 * `{failure}`; rejects only when the caller's signal aborts.
 */
async function send(fetchFn, step, signal, asText, gate) {
  const timeoutMs = step.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  let stop;
  const stopped = new Promise((_, reject) => {
    stop = reject;
  });
  stopped.catch(() => {});
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    stop(new Error('timeout'));
  }, timeoutMs);
  const onAbort = () => {
    controller.abort(signal.reason);
    stop(new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Racing `stopped` keeps timeouts and aborts working with a `fetch` that ignores signals.
    const res = await Promise.race([
      fetchFn(step.url, {
        method: step.method,
        headers: step.headers,
        body: step.body ?? undefined,
        signal: controller.signal,
        redirect: 'manual',
      }),
      stopped,
    ]);
    // A page asked for ahead is read once the walk gets to it (two pages' text never held at once).
    if (gate) await Promise.race([gate, stopped]);
    const body = await readBody(res, step.maxBodyBytes, stopped, asText);
    if (body === null) return { tooLarge: res.status };
    const headers = [];
    res.headers.forEach((value, name) => headers.push([name, value]));
    return { response: { status: res.status, headers, body } };
  } catch (e) {
    if (signal?.aborted) return { aborted: true };
    const at = where(step.method, step.url);
    if (timedOut) {
      const ms = Math.round(timeoutMs);
      return { failure: { maybeSent: true, message: `no response within ${ms} ms (${at})` } };
    }
    const f = failureOf(e);
    return { failure: { maybeSent: f.maybeSent, message: `${f.message} (${at})` } };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Frees a wasm object. After a wasm trap the object may still count as borrowed and refuse
 * ("attempted to take ownership of Rust value while it was borrowed"); the error already
 * being thrown says what went wrong, so that refusal must not replace it.
 */
function release(obj) {
  try {
    obj.free();
  } catch {
    resetStack();
  }
}

/**
 * After a wasm trap (a Rust panic aborts inside the module: `WebAssembly.RuntimeError`), or
 * the borrow error wasm-bindgen raises on an object a trap left borrowed, the client's native
 * session is stuck borrowed and every later call would fail: have it rebuilt from its
 * options (the core keeps them; a new token is fetched). `e` stays the caller's error.
 */
function recover(rt, e) {
  const cause = e?.cause;
  const trapped =
    (typeof WebAssembly === 'object' && cause instanceof WebAssembly.RuntimeError) ||
    /recursive use of an object|while it was borrowed|already (mutably )?borrowed/.test(String(cause?.message));
  if (!trapped) return;
  resetStack();
  try {
    rt.session.rebuild();
  } catch {}
}

/**
 * A trap, or an error thrown through Rust frames (wasm-bindgen's borrow errors), unwinds
 * nothing: the frames stay on the module's shadow stack, and a few thousand of them exhaust
 * it. Called where no Rust frame is live, so the pointer goes back to where it was with none.
 */
function resetStack() {
  const sp = stackPointer();
  if (sp && STACK.top !== undefined) sp.value = STACK.top;
}

/** The module's shadow-stack pointer (exported by bindings-wasm/build.rs), if any. */
function stackPointer() {
  try {
    // Initialised by the entry module already: this returns its exports.
    const sp = initSync().__stack_pointer;
    return sp instanceof WebAssembly.Global ? sp : undefined;
  } catch {
    return undefined;
  }
}

/** The shadow-stack pointer with no Rust frame live, read when the first client is made. */
const STACK = { top: undefined };

/** Merges the client's and the call's signals. */
function mergeSignals(a, b) {
  if (!a) return b ?? undefined;
  if (!b) return a;
  const controller = new AbortController();
  const onA = () => controller.abort(a.reason);
  const onB = () => controller.abort(b.reason);
  if (a.aborted) onA();
  else if (b.aborted) onB();
  else {
    a.addEventListener('abort', onA, { once: true });
    b.addEventListener('abort', onB, { once: true });
  }
  return controller.signal;
}

// ---------------------------------------------------------------------------------------
// Paginator
// ---------------------------------------------------------------------------------------

/** Pages and items of a list operation, fetched lazily. */
export class Paginator {
  #client;
  #spec;
  #options;
  #pager;
  #resume;
  /** The walk under way: `{pager, iter}` (`iter`: the item iterator's current page). */
  #walk = null;
  /** Where the last walk stood when it ended. */
  #cursor = null;
  #progress = { pagesRead: 0, itemsSeen: 0, windows: 1, windowsLeft: 0 };

  /** @internal Use the `list` methods or `client.paginate()`. */
  constructor(client, spec, options, pager, resume) {
    if (!INTERNALS.has(client)) throw invalid('Paginator is created by the list methods');
    this.#client = client;
    this.#spec = spec;
    this.#options = options;
    this.#pager = pager;
    this.#resume = resume;
  }

  /**
   * Where the walk stands, as text to keep (a file, a database) and pass as `resume` to the
   * same list method, in this process or a later one: it continues with the first item not
   * yet handed over, and never repeats one (the core's `Pager::cursor`: the next page's link,
   * the date windows left, the counts, and the items of the current page not yet handed
   * over by `for await`). Before a walk, where it would start; after one, where it ended (a
   * walk that failed resumes with the request that failed).
   */
  get cursor() {
    const walk = this.#walk;
    if (walk) return native(() => walk.pager.cursor(JSON.stringify(unreadOf(walk))));
    if (this.#cursor !== null) return this.#cursor;
    const rt = INTERNALS.get(this.#client);
    const pager = this.#pager ?? native(() => rt.session.pager(JSON.stringify(this.#spec), this.#resume));
    try {
      return native(() => pager.cursor('[]'));
    } finally {
      if (pager !== this.#pager) release(pager);
    }
  }

  /** Each page: `{items, status, requestId, raw}`. */
  pages() {
    return this.#pages(false);
  }

  /** The walk. With `ahead` (`toArray`, which reads every page anyway) the next page is asked
   *  for while this one is parsed: its link guessed from the end of the body (`guessNext`),
   *  its request made by the core under the walk's rules (`NativePager.ahead`), and its answer
   *  kept only if the walk's next call is the same request (else it is cancelled). */
  async *#pages(ahead) {
    const rt = INTERNALS.get(this.#client);
    let pager;
    let walk;
    // The call sent ahead, `{call, run, stop, reach}` (`reach(kept)` when the walk gets to
    // it: its body is read only then), and the call whose page is being read.
    let next = null;
    let current = null;
    const dropNext = () => {
      const n = next;
      next = null;
      if (!n) return;
      n.reach(false);
      n.stop.abort();
      n.run.then(
        () => release(n.call),
        () => release(n.call),
      );
    };
    const run = (call, layout, stop, gate) => {
      const options = stop ? { ...this.#options, signal: mergeSignals(this.#options?.signal ?? undefined, stop) } : this.#options;
      const onPage = (body) => sendAhead(call, layout, body);
      return drive(rt, call, options, layout, ahead && layout ? { onPage, gate } : undefined);
    };
    const sendAhead = async (call, layout, body) => {
      // Only from the page being read (a page asked for ahead is read once it is that page:
      // its body waits for `reached`), and one ahead at a time.
      if (call !== current || next) return;
      const link = guessNext(body, layout);
      const made = link !== undefined && native(() => pager.ahead(link));
      if (!made) return;
      const stop = new AbortController();
      let reach;
      const reached = new Promise((resolve) => (reach = resolve));
      next = { call: made, stop, reach, run: run(made, layout, stop.signal, reached) };
      next.run.catch(() => {});
      // Let the request go out before this page is parsed.
      await tick();
    };
    try {
      // The first walk uses the pager made (and checked) by the list call; later walks restart.
      pager = this.#pager ?? native(() => rt.session.pager(JSON.stringify(this.#spec), this.#resume));
      this.#pager = undefined;
      this.#walk = walk = { pager, iter: null };
      this.#cursor = null;
      // A resumed walk first hands over the items its cursor carried (a page of its own,
      // without a status or a body).
      const carried = native(() => pager.takeUnread());
      if (carried) {
        const items = JSON.parse(carried);
        yield { items: pageModels(items, '$.unread', null, null), status: null, requestId: null, raw: null };
      }
      for (;;) {
        let call = native(() => pager.nextCall());
        if (!call) return;
        let page;
        let raw;
        let running;
        if (next && native(() => call.sameRequest(next.call))) {
          release(call);
          ({ call, run: running } = next);
          next.reach(true);
          next = null;
        } else dropNext();
        current = call;
        try {
          const got = await (running ?? run(call, native(() => call.pageLayout())));
          page = JSON.parse(native(() => pager.page(call)));
          // The core applied the page's rules; the body is parsed once, here (or was, by
          // `readPage`), unless the core rewrote it (items a date window repeated dropped).
          if (page.body == null && got.parsed !== undefined) raw = got.parsed;
          else {
            const text = page.body ?? textOf(got.body);
            raw = text.trim() ? JSON.parse(text) : null;
          }
        } finally {
          release(call);
        }
        const at = page.items === 'none' ? undefined : raw[page.itemsKey];
        const items = page.items === 'list' ? at : page.items === 'one' ? [at] : [];
        this.#progress = page.progress;
        yield {
          items: pageModels(items, `$.${page.itemsKey}`, page.status, page.requestId),
          status: page.status,
          requestId: page.requestId,
          raw,
        };
      }
    } catch (e) {
      recover(rt, e);
      throw e;
    } finally {
      dropNext();
      if (pager) {
        // Where the walk stands as it ends, kept for `cursor` (items the item iterator had
        // not handed over stay in it).
        try {
          this.#cursor = native(() => pager.cursor(JSON.stringify(walk ? unreadOf(walk) : [])));
        } catch {
          this.#cursor = null;
        }
        if (this.#walk === walk) this.#walk = null;
        release(pager);
      }
    }
  }

  /** Pages read so far. */
  get pagesRead() {
    return this.#progress.pagesRead;
  }

  /** Items fetched so far. */
  get itemsSeen() {
    return this.#progress.itemsSeen;
  }

  /** Date windows of the walk (1 without a date range). */
  get windows() {
    return this.#progress.windows;
  }

  /** Date windows not started yet. */
  get windowsLeft() {
    return this.#progress.windowsLeft;
  }

  /** Each item of each page. (An iterator of its own, not an async generator: a generator
   *  would wait on every item, and pay a promise and two turns of the event loop for it.) */
  [Symbol.asyncIterator]() {
    const pages = this.pages();
    // The page being handed over, and how far: what `cursor` keeps as not handed over yet.
    const state = { items: [], at: 0 };
    let done = false;
    const next = async () => {
      while (state.at >= state.items.length) {
        if (done) return { value: undefined, done: true };
        const r = await pages.next();
        if (r.done) {
          done = true;
          return { value: undefined, done: true };
        }
        state.items = r.value.items;
        state.at = 0;
        if (this.#walk) this.#walk.iter = state;
      }
      return { value: state.items[state.at++], done: false };
    };
    return {
      next() {
        // An item at hand is handed over without another turn through `pages`.
        if (state.at < state.items.length) return Promise.resolve({ value: state.items[state.at++], done: false });
        return next();
      },
      async return(value) {
        done = true;
        await pages.return();
        state.items = [];
        state.at = 0;
        return { value, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Every item, in one array. */
  async toArray() {
    const out = [];
    for await (const page of this.#pages(true)) {
      for (const item of page.items) out.push(item);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------

/** Per-client state, kept off the client object: `{session, fetch, signal, onEvent, timeoutMs}`. */
const INTERNALS = new WeakMap();
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The items of the item iterator's current page not handed over yet, as sent. */
function unreadOf(walk) {
  const it = walk.iter;
  if (!it) return [];
  return it.items.slice(it.at).map((m) => (m !== null && typeof m === 'object' && m.raw !== undefined ? m.raw : m));
}

function paginate(client, spec, options) {
  const rt = INTERNALS.get(client);
  const resume = options?.resume ?? undefined;
  if (resume !== undefined && typeof resume !== 'string') {
    throw invalid("`resume` must be the text of a paginator's `cursor`");
  }
  // Made now so caller errors are thrown by the list call itself, before anything is sent.
  let pager;
  try {
    pager = native(() => rt.session.pager(JSON.stringify(spec), resume));
  } catch (e) {
    recover(rt, e);
    throw e;
  }
  return new Paginator(client, spec, options, pager, resume);
}

async function request(rt, spec, options) {
  let call;
  try {
    call = native(() => rt.session.call(JSON.stringify(spec)));
    await drive(rt, call, options);
    const reply = JSON.parse(native(() => call.result()));
    return { ...reply, data: toData(reply.data, reply.status, reply.requestId) };
  } catch (e) {
    recover(rt, e);
    throw e;
  } finally {
    if (call) release(call);
  }
}

/**
 * Hands the core's events (`request`, `response`, `retry`, `wait`, `token`, `maybe_applied`)
 * to the client's `onEvent`. Without one they stay in the call and go away with it. A
 * throwing handler must not break the call it observes, so its exceptions are ignored.
 */
function emit(rt, call) {
  if (!rt.onEvent) return;
  const text = call.takeEvents();
  if (!text) return;
  for (const event of JSON.parse(text)) {
    try {
      rt.onEvent(event);
    } catch {
      // ignored: see above
    }
  }
}


/**
 * Runs a call to its end; returns `{body, parsed}`: the body of the last response it
 * received (text or bytes), and for a page call (`layout`, from the core) whose answer
 * `readPage` read, that answer parsed. `ahead` (`toArray`): `onPage(body)` is awaited before
 * a page is parsed, and a body is read only once `gate` (if any) settles.
 */
async function drive(rt, call, options, layout, ahead) {
  const signal = mergeSignals(rt.signal, options?.signal ?? undefined);
  // The call's deadline (the core's): it covers every attempt and wait.
  if (options?.timeoutMs !== undefined) native(() => call.setTimeoutMs(options.timeoutMs));
  let body;
  let parsed;
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const step = JSON.parse(native(() => call.poll(Date.now(), Math.random())));
    emit(rt, call);
    if (step.t === 'send') {
      // A page is read as bytes when its next link is guessed (from the bytes' end) before the
      // text is decoded.
      const out = await send(rt.fetch, step, signal, !!layout && !ahead, ahead?.gate);
      if (out.response) {
        const r = out.response;
        body = r.body;
        parsed = undefined;
        const ok = layout && r.status >= 200 && r.status < 300;
        if (ok && ahead) await ahead.onPage(r.body);
        const page = ok ? readPage(r.body, layout) : undefined;
        const headers = JSON.stringify(r.headers);
        if (page && native(() => call.receivePage(r.status, headers, page.items.length, page.next, Date.now()))) {
          parsed = page.raw;
        } else {
          const bytes = typeof r.body === 'string' ? ENCODER.encode(r.body) : r.body;
          native(() => call.receive(r.status, headers, bytes, Date.now()));
        }
      } else if (out.tooLarge !== undefined) {
        native(() => call.tooLarge(out.tooLarge, Date.now()));
      } else if (out.failure) {
        native(() => call.fail(out.failure.maybeSent, out.failure.message, Date.now()));
      } else {
        // Aborted in flight: tell the core, so a token request this call owned is released.
        native(() => call.cancel('aborted by the caller'));
        emit(rt, call);
        throw abortReason(signal);
      }
      emit(rt, call);
    } else if (step.t === 'wait') {
      await sleep(step.ms, signal);
    } else {
      return { body, parsed };
    }
  }
}

function makeMethod(client, op) {
  const n = op.pathParams.length;
  if (op.paging !== 'none') {
    return (...args) => {
      const options = args[n];
      return paginate(client, listSpec(op, args.slice(0, n), options), options);
    };
  }
  const hasBody = op.body !== 'none';
  return async (...args) => {
    const options = hasBody ? args[n + 1] : args[n];
    const spec = oneSpec(op, args.slice(0, n), hasBody ? args[n] : undefined, options);
    const reply = await request(INTERNALS.get(client), spec, options);
    if (op.method === 'DELETE' || op.body === 'relationships') return undefined;
    if (op.body === 'raw') return reply.raw;
    // A read whose answer has no `data` resource was already refused by the core (DecodeError).
    return reply.data;
  };
}

function buildNamespaces(client) {
  const root = {};
  for (const op of operations()) {
    const parts = operationPath(op.name);
    let node = root;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts[parts.length - 1]] = makeMethod(client, op);
  }
  return root;
}

function genericSpec(operation, o, what) {
  if (typeof operation !== 'string') throw invalid(`${what} takes an operation name`);
  return {
    operation,
    path: o.path === undefined ? [] : Array.isArray(o.path) ? o.path : [o.path],
    query: pairsOf(o.query, 'query', (k) => k),
    filters: pairsOf(o.filter, 'filter', (k) => k),
    limit: o.limit ?? null,
  };
}

const CLIENT_KEYS = new Set(['fetch', 'signal', 'onEvent']);

/** A Degreed API client. One client shares one token, one pacer and one set of counters. */
export class Client {
  constructor(options) {
    if (!isPlainObject(options)) throw invalid('new Client() takes an options object');
    const { fetch: fetchFn, signal, onEvent } = options;
    if (fetchFn !== undefined && typeof fetchFn !== 'function') {
      throw invalid('the option `fetch` must be a function');
    }
    if (onEvent !== undefined && typeof onEvent !== 'function') {
      throw invalid('the option `onEvent` must be a function');
    }
    if (signal !== undefined && (typeof signal !== 'object' || typeof signal?.aborted !== 'boolean')) {
      throw invalid('the option `signal` must be an AbortSignal');
    }
    if (fetchFn === undefined && typeof globalThis.fetch !== 'function') {
      throw invalid('no global `fetch`: pass the option `fetch`');
    }
    const rest = {};
    for (const [k, v] of Object.entries(options)) {
      if (!CLIENT_KEYS.has(k) && v !== undefined) rest[k] = v;
    }
    STACK.top ??= stackPointer()?.value;
    // The secret goes into the wasm session; the JS side keeps no copy.
    const session = native(() => new NativeSession(JSON.stringify(rest)));
    INTERNALS.set(this, {
      session,
      fetch: fetchFn ?? ((url, init) => globalThis.fetch(url, init)),
      signal,
      onEvent,
      timeoutMs: session.timeoutMs(),
    });
    for (const [k, v] of Object.entries(buildNamespaces(this))) {
      Object.defineProperty(this, k, { value: v, enumerable: false });
    }
  }

  /**
   * Calls any catalogue operation by name and returns the reply
   * (`{status, requestId, data, links, raw}`). `path` holds the path parameters.
   */
  async request(operation, options = {}) {
    const o = checkOptions(options, 'request()');
    checkCallOptions(o);
    const spec = {
      ...genericSpec(operation, o, 'request()'),
      attributes: o.attributes ?? null,
      relationships: o.relationships ?? null,
      ids: o.ids ?? null,
      body: o.body ?? null,
    };
    return request(INTERNALS.get(this), spec, o);
  }

  /** Walks every page of any list operation by name (`request` options plus dates). */
  paginate(operation, options = {}) {
    const o = checkOptions(options, 'paginate()');
    checkCallOptions(o);
    const spec = {
      ...genericSpec(operation, o, 'paginate()'),
      window: windowOf(o.startDate, o.endDate) ?? null,
    };
    return paginate(this, spec, o);
  }

  /**
   * A client configured by the `DEGREED_*` variables of `env` (default: `process.env` where
   * there is one), by the same rules as Python's `Client.from_env()`: `DEGREED_CLIENT_ID` and
   * `DEGREED_CLIENT_SECRET` (required), `DEGREED_ENVIRONMENT`, `DEGREED_DATA_CENTER`,
   * `DEGREED_BASE_URL`, `DEGREED_TOKEN_URL`, `DEGREED_TENANT`, `DEGREED_ORGANIZATION_CODE`,
   * `DEGREED_SCOPES`, `DEGREED_TIMEOUT` (seconds). `options` win over the environment.
   */
  static fromEnv(env = globalThis.process?.env ?? {}, options = {}) {
    const vars = {};
    for (const [k, v] of Object.entries(env ?? {})) {
      if (k.startsWith('DEGREED_') && typeof v === 'string') vars[k] = v;
    }
    if (typeof options?.clientId === 'string') vars.DEGREED_CLIENT_ID = options.clientId;
    if (typeof options?.clientSecret === 'string') vars.DEGREED_CLIENT_SECRET = options.clientSecret;
    const settings = JSON.parse(native(() => settingsFromEnv(JSON.stringify(vars))));
    return new Client({ ...settings, ...options });
  }

  /** Counters: API requests sent, retries, 429s received, token requests sent. */
  get stats() {
    return JSON.parse(INTERNALS.get(this).session.stats());
  }

  /** The client id (not secret). */
  get clientId() {
    return this.toJSON().clientId;
  }

  /** The API base URL. */
  get baseUrl() {
    return this.toJSON().baseUrl;
  }

  /** The token URL. */
  get tokenUrl() {
    return this.toJSON().tokenUrl;
  }

  /** Drops the cached token; the next call fetches a new one. */
  clearToken() {
    INTERNALS.get(this).session.clearToken();
  }

  /** A redacted description: never the secret or the token. */
  toJSON() {
    const d = JSON.parse(INTERNALS.get(this).session.describe());
    return {
      clientId: d.clientId,
      clientSecret: '[redacted]',
      baseUrl: d.baseUrl,
      tokenUrl: d.tokenUrl,
      organizationCode: d.organizationCode,
      scopes: d.scopes,
      timeoutMs: d.timeoutMs,
    };
  }

  [INSPECT](depth, opts, inspect) {
    const body = inspect ? inspect(this.toJSON(), opts) : JSON.stringify(this.toJSON());
    return `Client ${body}`;
  }

  get [Symbol.toStringTag]() {
    return 'Client';
  }
}
