// The JavaScript surface is the core's schema (core/schema.json): index.d.ts is generated
// from it, and the runtime gives every model the schema's field names and every write kind
// the schema's result (a create or update answered 204 is `null`, as in Rust and Python).
// The Python suite checks the same (bindings-python/tests/test_schema.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Client, operationPath } from 'degreed';
import { camel, loadSchema, render, TARGET } from '../tools/gen-types.mjs';
import { sandboxOptions, startSandbox } from './helpers.mjs';

const SCHEMA = loadSchema();
const MODELS = new Map(SCHEMA.models.map((m) => [m.name, m]));
const OPS = new Map(SCHEMA.operations.map((op) => [op.name, op]));
const REGENERATE = 'run `bash scripts/generate.sh` (repository root)';

test('index.d.ts is generated from the current schema', () => {
  const current = readFileSync(TARGET, 'utf8');
  assert.ok(render(SCHEMA, current) === current, `index.d.ts drifted from the schema: ${REGENERATE}`);
});

/** The properties index.d.ts declares for an interface (its own, then its base's). */
function declared(text, name) {
  const at = text.indexOf(`export interface ${name} extends `);
  assert.ok(at >= 0, `no interface ${name}`);
  const body = text.slice(at, text.indexOf('\n}\n', at));
  const base = body.match(/extends (\w+)/)[1];
  const own = [...body.matchAll(/^ {2}(\w+)\?: (.*);$/gm)].map((m) => [m[1], m[2]]);
  return MODELS.has(base) ? [...declared(text, base), ...own] : own;
}

const TS = { string: 'string', int: 'number', number: 'number', bool: 'boolean', list: 'string[]', json: 'Json' };

test('every model declares the schema fields, names and types', () => {
  const text = readFileSync(TARGET, 'utf8');
  for (const m of SCHEMA.models) {
    const props = declared(text, m.name);
    const want = m.fields.map((f) => {
      const type = f.type === 'timestamp' ? 'Timestamp' : `${f.type === 'enum' ? f.enum : TS[f.type]} | null`;
      return [camel(f.name), type];
    });
    assert.deepEqual(props.sort(), want.sort(), m.name);
  }
  for (const input of SCHEMA.inputs) assert.ok(text.includes(`export interface ${input.name} {`), input.name);
});

test('the generator is deterministic and covers every field', () => {
  const text = readFileSync(TARGET, 'utf8');
  assert.equal(render(SCHEMA, text), render(structuredClone(SCHEMA), text));
  // Adding a field: one line in the core, then regeneration; the model, the create body and
  // the docs follow.
  const grown = structuredClone(SCHEMA);
  const field = { name: 'favourite_colour', wire: 'favourite-colour', aliases: [], type: 'string', doc: 'A new field.' };
  grown.models.find((m) => m.name === 'User').fields.push({ ...field, required_on_create: false });
  grown.inputs.find((i) => i.name === 'NewUser').fields.push({ ...field, required: false });
  const out = render(grown, text);
  const user = out.slice(out.indexOf('export interface User extends'), out.indexOf('export interface Content extends'));
  assert.match(user, /\/\*\* A new field\. \*\/\n {2}favouriteColour\?: string \| null;/);
  const create = out.slice(out.indexOf('export interface NewUser {'), out.indexOf('export interface UserUpdate {'));
  assert.match(create, / {2}favouriteColour\?: string;/);
});

test('adding an operation is one catalogue row and regeneration', () => {
  const text = readFileSync(TARGET, 'utf8');
  const grown = structuredClone(SCHEMA);
  const op = { ...OPS.get('groups.get'), name: 'badges.get', path: '/api/v2/badges/{id}', scopes: ['user_badges:read'] };
  grown.operations.push(op);
  const out = render(grown, text);
  const ns = out.slice(out.indexOf('export interface BadgesNamespace {'));
  assert.ok(ns.includes('`GET /api/v2/badges/{id}` · `badges.get`'), 'documented with its method, path and name');
  assert.ok(ns.slice(0, ns.indexOf('\n}\n')).includes('  get(id: string, options?: GetOptions): Promise<Group>;'));
  assert.match(out, /readonly badges: BadgesNamespace;/);
  assert.match(out, /\| 'badges\.get'/);
});

function call(client, name, ...args) {
  const path = operationPath(name);
  let target = client;
  for (const p of path) target = target[p];
  return target(...args);
}

/** Each declared field of `model` on a runtime object: the schema's name and a value of its type. */
function checkFields(obj, model) {
  for (const f of MODELS.get(model).fields) {
    const v = obj[camel(f.name)];
    if (v === undefined || v === null || f.type === 'json') continue;
    const at = `${model}.${f.name}: ${JSON.stringify(v)}`;
    if (f.type === 'timestamp') assert.ok(v instanceof Date, at);
    else if (f.type === 'bool') assert.equal(typeof v, 'boolean', at);
    else if (f.type === 'int' || f.type === 'number') assert.equal(typeof v, 'number', at);
    else if (f.type === 'list') assert.ok(Array.isArray(v) && v.every((s) => typeof s === 'string'), at);
    else assert.equal(typeof v, 'string', at);
  }
}

describe('every write kind against the sandbox', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('gives the schema result: a model, nothing or the raw answer', async () => {
    const c = new Client(sandboxOptions(sb.url));
    const user = await c.users.create({ employeeId: 'E-SCHEMA', firstName: 'Ada', lastName: 'Lovelace', organizationEmail: 'ada.schema@example.com' });
    const course = await c.content.courses.create({ title: 'T', externalId: 'X-SCHEMA', duration: 2, durationType: 'Hours' });
    const [group] = await c.groups.list({ limit: 1 }).pages().next().then((p) => p.value.items);
    const results = new Map([
      ['users.create', user],
      ['content.courses.create', course],
      ['users.update', await c.users.update(user.id, { firstName: 'Ada B.' })],
      ['content.courses.update', await c.content.courses.update(course.id, { title: 'T2' })],
      ['content.books.create', await c.content.books.create({ title: 'B', externalId: 'B-SCHEMA', isbn13: '9780000000002' })],
      ['completions.create', await c.completions.create({ userId: user.id, userIdentifierType: 'UserId', contentId: course.id, contentIdType: 'Id', contentType: 'Course', completedAt: new Date('2026-11-20T09:30:00Z') })],
      ['content.skills.add', await c.content.skills.add(course.id, ['Python'])],
      ['groups.members.add', await c.groups.members.add(group.id, [user.id])],
      ['xapi.statements.create', await c.xapi.statements.create({ actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'https://x/completed' }, object: { id: 'https://x/o' } })],
    ]);
    results.set('users.delete', await c.users.delete(user.id));
    const kinds = new Set();
    for (const [name, result] of results) {
      const op = OPS.get(name);
      kinds.add(op.result);
      if (op.result === 'model') {
        assert.ok(result && typeof result.id === 'string', name);
        checkFields(result, op.model);
      } else if (op.result === 'nothing') {
        assert.equal(result, undefined, name);
      } else {
        assert.ok(result !== undefined && !('relationships' in Object(result)), name);
      }
    }
    assert.equal(results.get('content.books.create').isbn13, '9780000000002');
    // Read back from lists: Degreed's strings for numbers and one author for a list are the
    // schema's types.
    for (const [name, model] of [['content.books.list', 'Book'], ['users.list', 'User'], ['groups.list', 'Group']]) {
      const page = await call(c, name, { limit: 20 }).pages().next();
      for (const item of page.value.items) checkFields(item, model);
    }
    const since = new Date(Date.now() - 6 * 86_400_000);
    let completions = 0;
    for await (const item of c.completions.list({ startDate: since })) {
      checkFields(item, 'Completion');
      assert.equal(typeof item.pointsEarned, 'number');
      completions++;
    }
    assert.ok(completions > 0);
    assert.deepEqual([...kinds].sort(), ['model', 'nothing', 'raw']);
  });
});

describe('every read against the sandbox', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('gives items with the schema fields, names and types', async () => {
    const c = new Client(sandboxOptions(sb.url));
    const since = new Date(Date.now() - 400 * 86_400_000);
    const ids = new Map();
    const checked = new Set();
    const read = async (name, ...args) => {
      const op = OPS.get(name);
      if (op.paging === 'none') return [await call(c, name, ...args)];
      const options = { limit: 10, ...(op.windowed ? { startDate: since } : {}) };
      const out = [];
      for await (const item of call(c, name, ...args, options)) {
        out.push(item);
        if (out.length === 10) break;
      }
      return out;
    };
    const anId = async (ns) => {
      if (!ids.has(ns)) ids.set(ns, (await read(`${ns}.list`))[0].id);
      return ids.get(ns);
    };
    for (const op of SCHEMA.operations.filter((o) => o.method === 'GET')) {
      const ns = op.name.slice(0, op.name.lastIndexOf('.'));
      const owner = op.name.endsWith('.get') ? ns : ns.slice(0, ns.lastIndexOf('.'));
      const args = op.path_params.length ? [await anId(owner)] : [];
      const items = await read(op.name, ...args);
      assert.ok(items.length, op.name);
      for (const item of items) checkFields(item, op.model);
      checked.add(op.model);
    }
    const returned = new Set(SCHEMA.operations.filter((o) => o.model && o.method === 'GET').map((o) => o.model));
    assert.deepEqual([...checked].sort(), [...returned].sort());
  });
});

/** A value of each field the schema requires on `input`'s create, keyed as JavaScript writes it. */
function requiredOf(input) {
  const values = { int: 1, number: 1.5, bool: true, timestamp: '2024-05-01T00:00:00', date: '2024-05-01' };
  const fields = SCHEMA.inputs.find((i) => i.name === input).fields.filter((f) => f.required);
  return Object.fromEntries(
    fields.map((f) => [
      camel(f.name),
      f.type === 'enum' ? SCHEMA.enums.find((e) => e.name === f.enum).values[0] : (values[f.type] ?? 'V'),
    ]),
  );
}

test('a write answered 204 gives the schema result', async () => {
  const TOKEN = JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 });
  const fetch204 = async (url) =>
    url.endsWith('/oauth/token')
      ? new Response(TOKEN, { status: 200, headers: { 'content-type': 'application/json' } })
      : new Response(null, { status: 204 });
  const client = new Client({ clientId: 'id', clientSecret: 's', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, fetch: fetch204 });
  for (const op of SCHEMA.operations.filter((o) => o.method !== 'GET')) {
    const args = op.path_params.map(() => 'x1');
    // A create is refused without the fields the schema requires on it: give them all.
    if (op.body === 'resource') args.push({ title: 'T', ...(op.method === 'POST' ? requiredOf(op.input) : {}) });
    else if (op.body === 'relationships') args.push(['a']);
    else if (op.body === 'raw') args.push({ actor: {} });
    const result = await call(client, op.name, ...args);
    const expected = op.result_204 === 'null' ? null : undefined;
    assert.equal(result, expected, op.name);
  }
});
