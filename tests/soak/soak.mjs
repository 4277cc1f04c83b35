#!/usr/bin/env node
// Soak: thousands of mixed operations through the npm package against a faulty sandbox; the
// twin of tests/soak/soak.py (read its docstring: the same operations, reconciliation and
// audit of the sandbox's write log).
//
//   node tests/soak/soak.mjs --base-url URL [--ops 10000] [--workers 4] [--json FILE]
//
// scripts/soak.sh starts the sandbox and runs both; a short run is in the Node suite
// (bindings-wasm/test/soak.test.mjs). Needs bindings-wasm/pkg (`npm run build`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import {
  AuthenticationError,
  Client,
  DegreedError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
} from '../../bindings-wasm/pkg/node.js';

export const FAULTS = '500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01';
export const CLIENT_ID = 'soak-js';
/** A throwaway secret of the sandbox's soak client (see scripts/soak.sh); never printed. */
const SECRET = 'soak-secret';
/** Look-ups made to reconcile one write (each already retried by the SDK). */
const ATTEMPTS = 8;
const WEIGHTS = {
  createUser: 10, updateUser: 8, deleteUser: 2, getUser: 10, listUsers: 3,
  createCourse: 6, updateCourse: 5, deleteCourse: 1, getCourse: 8, findCourse: 6, listContent: 2,
  createCompletion: 14, getCompletion: 5, listCompletions: 6,
};
/** Completions go on the 28 days before today; one day's window is looked up to reconcile. */
const DAYS = 28;
const DAY_MS = 864e5;

/** Errors that are the soak's own bug, not a fault. */
const isBug = (e) =>
  !(e instanceof DegreedError) ||
  e instanceof InvalidRequestError ||
  e instanceof AuthenticationError ||
  e instanceof PermissionDeniedError;

/** A timestamp to the second, as text: `2026-11-20T09:30:00`. */
const second = (at) => (at instanceof Date ? at.toISOString() : String(at ?? '')).slice(0, 19);

async function notFound(read) {
  try {
    return await read();
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

async function first(iterable) {
  for await (const item of iterable) return item;
  return null;
}

async function all(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Multiset equality of two arrays of strings. */
function sameCounts(a, b) {
  const count = new Map();
  for (const k of a) count.set(k, (count.get(k) ?? 0) + 1);
  for (const k of b) count.set(k, (count.get(k) ?? 0) - 1);
  return [...count.values()].every((n) => n === 0);
}

/** A small seeded PRNG (mulberry32), so a run can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Worker {
  constructor(client, figures, intents, tag, seed) {
    Object.assign(this, { client, figures, intents, tag, random: prng(seed), n: 0 });
    this.users = new Map(); // employee id -> {id, firstName, alive}
    this.courses = new Map(); // external id -> {id, title, alive, used}
    this.completions = new Map(); // `${employee id} ${completed at}` -> id
    this.today = Date.parse(new Date().toISOString().slice(0, 10)); // midnight UTC
  }

  next() {
    return ++this.n;
  }

  choice(list) {
    return list[Math.floor(this.random() * list.length)];
  }

  /** `[ok, value]`; a read that failed after the SDK's retries is counted. */
  async read(read, attempts = 1) {
    for (let i = 0; i < attempts; i++) {
      try {
        return [true, await read()];
      } catch (e) {
        if (isBug(e)) throw e;
        this.figures.read_failures++;
      }
    }
    return [false, null];
  }

  /** Sends a write; after a failure, looks whether it landed and sends again only if not. */
  async write(intent, send, look, landed) {
    this.figures.writes++;
    this.intents.push(intent);
    let failed = false;
    for (let i = 0; i < ATTEMPTS; i++) {
      try {
        const result = await send();
        if (failed) this.figures.reconciled++;
        return result;
      } catch (e) {
        if (isBug(e)) throw e;
        failed = true;
        if (e.maybeApplied) this.figures.maybe_applied++;
        else this.figures.write_errors++;
      }
      const [ok, found] = await this.read(look, ATTEMPTS);
      if (!ok) throw new Error(`could not look up ${intent.slice(0, 3)} after ${ATTEMPTS} tries`);
      if (landed(found)) {
        this.figures.reconciled++;
        return found;
      }
    }
    throw new Error(`${intent.slice(0, 3)} failed ${ATTEMPTS} times`);
  }

  check(ok, what) {
    if (!ok) {
      this.figures.wrong_answers++;
      this.figures.wrong.push(what);
    }
  }

  pick(table, pred) {
    const keys = [...table].filter(([, v]) => pred(v)).map(([k]) => k);
    if (!keys.length) return null;
    const k = this.choice(keys);
    return [k, table.get(k)];
  }

  async run(ops) {
    const names = Object.keys(WEIGHTS);
    const total = Object.values(WEIGHTS).reduce((a, b) => a + b);
    for (let i = 0; i < ops; i++) {
      let r = this.random() * total;
      const op = names.find((name) => (r -= WEIGHTS[name]) < 0) ?? names[0];
      await this[op]();
      this.figures.ops++;
    }
  }

  userByEmployeeId(eid) {
    return notFound(() => this.client.users.get(eid, { identifier: 'employee-id' }));
  }

  async createUser() {
    const eid = `${this.tag}U${this.next()}`;
    const firstName = `First ${this.n}`;
    const user = await this.write(
      ['create', 'users', eid],
      () =>
        this.client.users.create({
          employeeId: eid,
          firstName,
          lastName: 'Soak',
          organizationEmail: `${eid.toLowerCase()}@soak.example`,
        }),
      () => this.userByEmployeeId(eid),
      (found) => found !== null,
    );
    this.check(user.employeeId === eid && user.firstName === firstName, `created user ${eid}`);
    this.users.set(eid, { id: user.id, firstName, alive: true });
  }

  async updateUser() {
    const picked = this.pick(this.users, (u) => u.alive);
    if (!picked) return this.createUser();
    const [eid, user] = picked;
    const firstName = `First ${this.next()}`;
    await this.write(
      ['update', 'users', user.id, 'first-name', firstName],
      () => this.client.users.update(user.id, { firstName }),
      () => this.userByEmployeeId(eid),
      (found) => found?.firstName === firstName,
    );
    user.firstName = firstName;
  }

  async deleteUser() {
    const picked = this.pick(this.users, (u) => u.alive);
    if (!picked) return this.createUser();
    const [eid, user] = picked;
    await this.write(
      ['delete', 'users', user.id],
      () => this.client.users.delete(user.id),
      () => this.userByEmployeeId(eid),
      (found) => found === null,
    );
    user.alive = false;
  }

  async getUser() {
    const picked = this.pick(this.users, () => true);
    if (!picked) return this.createUser();
    const [eid, user] = picked;
    const [ok, got] = await this.read(() => notFound(() => this.client.users.get(user.id)));
    if (ok && user.alive) {
      this.check(got?.employeeId === eid && got.firstName === user.firstName, `get user ${eid}`);
    } else if (ok) {
      this.check(got === null, `deleted user ${eid} still found`);
    }
  }

  async listUsers() {
    const limit = this.choice([100, 400, 1000]);
    const [ok, items] = await this.read(() => all(this.client.users.list({ limit })));
    if (!ok) return;
    const mine = items.filter((u) => String(u.employeeId).startsWith(this.tag)).map((u) => `${u.employeeId} ${u.firstName}`);
    const want = [...this.users].filter(([, u]) => u.alive).map(([k, u]) => `${k} ${u.firstName}`);
    this.check(sameCounts(mine, want), `users.list (limit ${limit}): ${items.length} items, ${mine.length} of mine, want ${want.length}`);
  }

  courseByExternalId(externalId) {
    return first(this.client.content.list({ externalId, limit: 1 }));
  }

  async createCourse() {
    const xid = `${this.tag}C${this.next()}`;
    const title = `Course ${this.n}`;
    const course = await this.write(
      ['create', 'content', xid],
      () => this.client.content.courses.create({ externalId: xid, title, duration: 1, durationType: 'Hours' }),
      () => this.courseByExternalId(xid),
      (found) => found !== null,
    );
    this.check(course.externalId === xid && course.title === title, `created course ${xid}`);
    this.courses.set(xid, { id: course.id, title, alive: true, used: false });
  }

  async updateCourse() {
    const picked = this.pick(this.courses, (c) => c.alive);
    if (!picked) return this.createCourse();
    const [, course] = picked;
    const title = `Course ${this.next()}`;
    await this.write(
      ['update', 'content', course.id, 'title', title],
      () => this.client.content.courses.update(course.id, { title }),
      () => notFound(() => this.client.content.get(course.id)),
      (found) => found?.title === title,
    );
    course.title = title;
  }

  async deleteCourse() {
    // Only a course no completion names: the completions' checks look the course up.
    const picked = this.pick(this.courses, (c) => c.alive && !c.used);
    if (!picked) return this.createCourse();
    const [, course] = picked;
    await this.write(
      ['delete', 'content', course.id],
      () => this.client.content.courses.delete(course.id),
      () => notFound(() => this.client.content.get(course.id)),
      (found) => found === null,
    );
    course.alive = false;
  }

  async getCourse() {
    const picked = this.pick(this.courses, () => true);
    if (!picked) return this.createCourse();
    const [xid, course] = picked;
    const [ok, got] = await this.read(() => notFound(() => this.client.content.get(course.id)));
    if (ok && course.alive) this.check(got?.title === course.title, `get course ${xid}`);
    else if (ok) this.check(got === null, `deleted course ${xid} still found`);
  }

  async findCourse() {
    const picked = this.pick(this.courses, () => true);
    if (!picked) return this.createCourse();
    const [xid, course] = picked;
    const [ok, got] = await this.read(() => this.courseByExternalId(xid));
    if (ok && course.alive) this.check(got?.id === course.id, `find course ${xid}`);
    else if (ok) this.check(got === null, `deleted course ${xid} still listed`);
  }

  async listContent() {
    const [ok, items] = await this.read(() => all(this.client.content.list({ limit: 1000 })));
    if (!ok) return;
    const mine = items.filter((c) => String(c.externalId).startsWith(this.tag)).map((c) => `${c.externalId} ${c.title}`);
    const want = [...this.courses].filter(([, c]) => c.alive).map(([k, c]) => `${k} ${c.title}`);
    this.check(sameCounts(mine, want), `content.list: ${mine.length} of mine, want ${want.length}`);
  }

  async findCompletion(eid, at) {
    const day = at.slice(0, 10);
    for await (const c of this.client.completions.list({ startDate: day, endDate: day, limit: 1000 })) {
      if (c.employeeId === eid && second(c.completedAt) === at) return c;
    }
    return null;
  }

  async createCompletion() {
    const user = this.pick(this.users, (u) => u.alive);
    const course = this.pick(this.courses, (c) => c.alive);
    if (!user) return this.createUser();
    if (!course) return this.createCourse();
    const [[eid], [xid, c]] = [user, course];
    const n = this.next();
    const at = second(new Date(this.today - (1 + (n % DAYS)) * DAY_MS + n * 1000));
    c.used = true;
    const done = await this.write(
      ['create', 'completions', eid, at],
      () =>
        this.client.completions.create({
          userId: eid,
          userIdentifierType: 'EmployeeId',
          contentId: xid,
          contentIdType: 'ExternalId',
          contentType: 'Course',
          completedAt: new Date(`${at}Z`),
        }),
      () => this.findCompletion(eid, at),
      (found) => found !== null,
    );
    this.check(second(done.completedAt) === at, `created completion ${eid} ${at}`);
    this.completions.set(`${eid} ${at}`, done.id);
  }

  async getCompletion() {
    if (!this.completions.size) return this.createCompletion();
    const [key, id] = this.choice([...this.completions]);
    const [ok, got] = await this.read(() => notFound(() => this.client.completions.get(id)));
    if (ok) this.check(got && `${got.employeeId} ${second(got.completedAt)}` === key, `get completion ${key}`);
  }

  async listCompletions() {
    const last = this.today - (1 + Math.floor(this.random() * DAYS)) * DAY_MS;
    const firstDay = last - Math.floor(this.random() * 7) * DAY_MS;
    const [startDate, endDate] = [firstDay, last].map((t) => new Date(t).toISOString().slice(0, 10));
    const limit = this.choice([50, 1000]);
    const [ok, items] = await this.read(() => all(this.client.completions.list({ startDate, endDate, limit })));
    if (!ok) return;
    const mine = items.filter((c) => String(c.employeeId).startsWith(this.tag)).map((c) => `${c.employeeId} ${second(c.completedAt)}`);
    const want = [...this.completions.keys()].filter((k) => {
      const day = k.split(' ')[1].slice(0, 10);
      return startDate <= day && day <= endDate;
    });
    this.check(sameCounts(mine, want), `completions.list ${startDate}..${endDate}: ${mine.length} of mine, want ${want.length}`);
  }
}

/** The intent an entry of the sandbox's write log carries out (see `Worker.write`). */
export function logKey(w) {
  const attrs = w.body?.data?.attributes ?? {};
  const kind = w.resource_type;
  if (w.method === 'POST') {
    if (kind === 'completions') return ['create', kind, attrs['user-id'], second(attrs['completed-at'])];
    return ['create', kind, kind === 'users' ? attrs['employee-id'] : attrs['external-id']];
  }
  if (w.method === 'PATCH') {
    const field = kind === 'users' ? 'first-name' : 'title';
    return ['update', kind, w.resource_id, field, attrs[field]];
  }
  return ['delete', kind, w.resource_id];
}

/** Lost and duplicated writes: the write log against the intents. */
export function audit(log, intents, clientId) {
  const applied = new Map();
  for (const w of log) {
    if (w.client_id !== clientId) continue;
    const k = JSON.stringify(logKey(w));
    applied.set(k, (applied.get(k) ?? 0) + 1);
  }
  const wanted = new Set(intents.map((i) => JSON.stringify(i)));
  let [lost, duplicated, repeats] = [0, 0, 0];
  for (const k of wanted) if (!applied.has(k)) lost++;
  for (const [k, n] of applied) {
    // A create applied twice is a duplicate; an update or delete sent again is harmless
    // (the SDK retries idempotent writes), but a write nobody intended is not.
    if (!wanted.has(k)) duplicated += n;
    else if (JSON.parse(k)[0] === 'create') duplicated += n - 1;
    else repeats += n - 1;
  }
  return { lost, duplicated, idempotent_repeats: repeats };
}

/** Runs `ops` operations over `workers` concurrent tasks sharing one client; the figures. */
export async function soak(baseUrl, { ops = 10_000, workers = 4, seed = 1, clientId = CLIENT_ID, secret = SECRET } = {}) {
  const client = new Client({ clientId, clientSecret: secret, baseUrl, tokenUrl: baseUrl });
  const figures = { ops: 0, writes: 0, maybe_applied: 0, write_errors: 0, reconciled: 0, read_failures: 0, wrong_answers: 0, wrong: [] };
  const intents = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, (_, n) =>
      new Worker(client, figures, intents, `SK${seed}JS${n}-`, seed * 1000 + n).run(
        Math.floor(ops / workers) + (n < ops % workers ? 1 : 0),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const { requests, retries, rateLimited } = client.stats;
  const res = await fetch(`${baseUrl}/_sandbox/log`);
  const { writes } = await res.json();
  return {
    host: 'js',
    ...figures,
    wrong: figures.wrong.slice(0, 10),
    requests,
    retries,
    '429s': rateLimited,
    ...audit(writes, intents, clientId),
    seconds: Math.round(seconds * 10) / 10,
  };
}

export function report(f) {
  const keys = ['ops', 'writes', 'requests', 'retries', '429s', 'maybe_applied', 'write_errors', 'reconciled',
    'read_failures', 'wrong_answers', 'lost', 'duplicated', 'idempotent_repeats', 'seconds'];
  return `${f.host}: ${keys.map((k) => `${k} ${f[k]}`).join(', ')}`;
}

export const failed = (f) => Boolean(f.lost || f.duplicated || f.wrong_answers);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      ops: { type: 'string', default: '10000' },
      workers: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  if (!values['base-url']) throw new Error('--base-url is required');
  const figures = await soak(values['base-url'], {
    ops: Number(values.ops),
    workers: Number(values.workers),
    seed: Number(values.seed),
  });
  console.log(report(figures));
  for (const what of figures.wrong) console.error(`  wrong answer: ${what}`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(figures)}\n`);
  process.exitCode = failed(figures) ? 1 : 0;
}
