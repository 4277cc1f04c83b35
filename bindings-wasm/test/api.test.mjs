// End-to-end behaviour against the sandbox over real HTTP: paging, models, writes, errors.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  ConflictError,
  DegreedError,
  InvalidRequestError,
  NotFoundError,
  minimalScopes,
  operationPath,
  operations,
} from 'degreed';
import { countingFetch, sandboxOptions, startSandbox } from './helpers.mjs';

const USERS = 23;

describe('against the sandbox', () => {
  let sb;
  let client;
  before(async () => {
    sb = await startSandbox(['--users', String(USERS), '--content', '30', '--completions', '80', '--rate-limit', '0']);
    client = new Client(sandboxOptions(sb.url));
  });
  after(() => sb?.stop());

  test('lists page by page to the end', async () => {
    const pages = [];
    for await (const page of client.users.list({ limit: 7 }).pages()) pages.push(page);
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [7, 7, 7, 2],
    );
    assert.ok(pages.every((p) => p.status === 200 && typeof p.requestId === 'string'));
    const ids = pages.flatMap((p) => p.items.map((u) => u.id));
    assert.equal(new Set(ids).size, USERS);
    // Items straight from the paginator, and again (a paginator can be walked twice).
    const users = client.users.list({ limit: 10 });
    assert.equal((await users.toArray()).length, USERS);
    let n = 0;
    for await (const u of users) n += u.type === 'users' ? 1 : 0;
    assert.equal(n, USERS);
  });

  test('models are camelCase objects with Dates and a hidden raw', async () => {
    const [user] = await client.users.list({ limit: 1 }).pages().next().then((r) => r.value.items);
    assert.equal(typeof user.id, 'string');
    assert.equal(user.type, 'users');
    assert.equal(typeof user.employeeId, 'string');
    assert.equal(user.organizationEmail, user.raw.attributes['organization-email']);
    assert.ok(user.createdAt instanceof Date && !Number.isNaN(user.createdAt.getTime()));
    assert.ok(user.lastLoginAt === null || user.lastLoginAt instanceof Date);
    assert.equal(user.raw.id, user.id);
    assert.ok(!JSON.stringify(user).includes('"raw"'));
    assert.ok('manager' in user.relationships);
    assert.ok(Array.isArray(user.included));
    // A view: `toJSON()` is the plain camelCase object JSON.stringify prints, Dates included.
    const plain = user.toJSON();
    assert.deepEqual(Object.keys(plain).slice(0, 2), ['id', 'type']);
    assert.ok(!('raw' in plain));
    assert.equal(plain.employeeId, user.employeeId);
    assert.ok(plain.createdAt instanceof Date && plain.createdAt.getTime() === user.createdAt.getTime());
    assert.deepEqual(JSON.parse(JSON.stringify(user)), JSON.parse(JSON.stringify(plain)));
    assert.equal(JSON.parse(JSON.stringify(user)).createdAt, user.createdAt.toISOString());
    // A timestamp is converted once and kept: the same Date each time.
    assert.equal(user.createdAt, user.createdAt);
    assert.match(inspect(user), /^Resource<users> \{\s+id: '/);
    assert.match(inspect(user), /employeeId: '/);
  });

  test('creates, reads, updates and deletes a user; each write applied once', async () => {
    const before = (await sb.log()).length;
    const created = await client.users.create({
      employeeId: 'JS-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      organizationEmail: 'ada.lovelace@example.com',
    });
    assert.equal(created.employeeId, 'JS-1');
    const got = await client.users.get('ada.lovelace@example.com', { identifier: 'email' });
    assert.equal(got.id, created.id);
    const updated = await client.users.update(created.id, { location: 'London' });
    assert.equal(updated?.location ?? (await client.users.get(created.id)).location, 'London');
    assert.equal(await client.users.delete(created.id), undefined);
    await assert.rejects(client.users.get(created.id), NotFoundError);
    const writes = (await sb.log()).slice(before);
    assert.deepEqual(
      writes.map((w) => `${w.method} ${w.path}`),
      ['POST /api/v2/users', `PATCH /api/v2/users/${created.id}`, `DELETE /api/v2/users/${created.id}`],
    );
    assert.deepEqual(writes[0].body.data.attributes, {
      'employee-id': 'JS-1',
      'first-name': 'Ada',
      'last-name': 'Lovelace',
      'organization-email': 'ada.lovelace@example.com',
    });
  });

  test('completions: create by email, typed 400 for an unknown user', async () => {
    const [content] = await client.content.list({ limit: 1 }).toArray().then((l) => l.slice(0, 1));
    const [user] = await client.users.list({ limit: 1 }).pages().next().then((r) => r.value.items);
    const done = await client.completions.create({
      userId: user.organizationEmail,
      userIdentifierType: 'Email',
      contentId: content.id,
      contentIdType: 'Id',
      contentType: content.contentType,
      completedAt: new Date(),
    });
    assert.equal(done.type, 'completions');
    assert.ok(done.completedAt instanceof Date);
    assert.equal(done.relationships.user.id, user.id);
    const err = await client.completions
      .create({
        userId: 'nobody@example.com',
        userIdentifierType: 'Email',
        contentId: content.id,
        contentIdType: 'Id',
        contentType: content.contentType,
        completedAt: new Date(),
      })
      .then(
        () => assert.fail('expected an error'),
        (e) => e,
      );
    assert.ok(err instanceof InvalidRequestError && err instanceof DegreedError && err instanceof Error);
    assert.equal(err.name, 'InvalidRequestError');
    assert.equal(err.status, 400);
    assert.match(err.errors[0].detail, /Invalid user identifier/);
    assert.match(err.message, /Invalid user identifier/);
    assert.equal(typeof err.requestId, 'string');
  });

  test('typed content: create, conflict on a used external id, skills', async () => {
    const course = await client.content.courses.create({
      title: 'Rust for JS developers',
      externalId: 'JS-COURSE-1',
      url: 'https://learning.example.com/rust-for-js',
      duration: 3,
      durationType: 'Hours',
    });
    assert.equal(course.title, 'Rust for JS developers');
    const again = await client.content.courses
      .create({ title: 'dup', externalId: 'JS-COURSE-1', duration: 1, durationType: 'Hours' })
      .catch((e) => e);
    assert.ok(again instanceof ConflictError, String(again));
    assert.equal(again.status, 409);
    await client.content.skills.add(course.id, ['Rust', 'WebAssembly']);
    const skills = await client.content.skills.list(course.id).toArray();
    assert.deepEqual(skills.map((s) => s.id).sort(), ['Rust', 'WebAssembly']);
    assert.ok(skills.every((s) => s.type === 'skills' && Array.isArray(s.included)));
    const found = await client.content.list({ externalId: 'JS-COURSE-1' }).toArray();
    assert.deepEqual(
      found.map((c) => c.id),
      [course.id],
    );
  });

  test('group membership writes', async () => {
    const [group] = await client.groups.list({ limit: 1 }).pages().next().then((r) => r.value.items);
    const users = await client.users.list({ limit: 3 }).pages().next().then((r) => r.value.items);
    const before = (await sb.log()).length;
    await client.groups.members.add(
      group.id,
      users.map((u) => u.id),
    );
    const [w] = (await sb.log()).slice(before);
    assert.equal(w.path, `/api/v2/groups/${group.id}/relationships/members`);
    assert.deepEqual(
      w.body.data.map((d) => d.id),
      users.map((u) => u.id),
    );
  });

  test('date ranges longer than a week are walked in windows', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 40 * 86_400_000);
    const f = countingFetch();
    const c = new Client(sandboxOptions(sb.url, { fetch: f }));
    const items = await c.completions.list({ startDate: start, endDate: end, limit: 1000 }).toArray();
    const windows = f.calls.filter((x) => x.url.includes('/api/v2/completions'));
    assert.ok(windows.length >= 6, `${windows.length} requests`);
    for (const { url } of windows) {
      const q = new URL(url).searchParams;
      const days = (Date.parse(q.get('filter[end_date]')) - Date.parse(q.get('filter[start_date]'))) / 86_400_000;
      assert.ok(days <= 6, `window of ${days + 1} days`);
    }
    assert.ok(items.length > 0);
    for (const it of items) {
      assert.ok(it.completedAt >= new Date(start.toISOString().slice(0, 10)), `${it.completedAt.toISOString()}`);
    }
  });

  test('per-user lists take the user id first', async () => {
    const [user] = await client.users.list({ limit: 1 }).pages().next().then((r) => r.value.items);
    const list = await client.users.completions.list(user.id).toArray();
    assert.ok(list.every((c) => c.type === 'completions'));
    const rl = await client.users.requiredLearning.list(user.id, { limit: 5 }).toArray();
    assert.ok(Array.isArray(rl));
  });

  test('xAPI statements page by `more`, with since as a Date', async () => {
    const all = await client.xapi.statements.list({ limit: 5 }).toArray();
    assert.ok(all.length > 5);
    assert.ok(all[0].timestamp instanceof Date);
    assert.ok(all[0].actor && all[0].verb);
    const since = new Date(Date.now() - 2 * 86_400_000);
    const recent = await client.xapi.statements.list({ since }).toArray();
    assert.ok(recent.length < all.length);
    assert.ok(recent.every((s) => s.stored > since));
  });

  test('request(): the escape hatch for any operation', async () => {
    const [user] = await client.users.list({ limit: 1 }).pages().next().then((r) => r.value.items);
    const reply = await client.request('users.get', { path: user.id });
    assert.equal(reply.status, 200);
    assert.equal(reply.data.id, user.id);
    assert.equal(reply.raw.data.id, user.id);
    const list = await client.request('users.list', { limit: 2 });
    assert.equal(list.data.length, 2);
    assert.match(list.links.next, /next=/);
    const paged = await client.paginate('users.list', { limit: 10 }).toArray();
    assert.equal(paged.length >= USERS, true);
  });

  test('a baseUrl alone serves the token endpoint too (the sandbox, a proxy)', async () => {
    const only = new Client({ clientId: 'sandbox', clientSecret: 'sandbox-secret', baseUrl: sb.url });
    assert.equal(only.tokenUrl, `${sb.url}/oauth/token`);
    const first = await only.users.list({ limit: 1 }).pages()[Symbol.asyncIterator]().next();
    assert.equal(first.value.items.length, 1);
  });

  test('stats count requests and token fetches', () => {
    const s = client.stats;
    assert.ok(s.requests > 10);
    // No scopes were given: a new token (for the union) each time a call needed a scope
    // the last one lacked, never one per request.
    assert.ok(s.tokenRequests > 1 && s.tokenRequests < s.requests / 2, `${s.tokenRequests}`);
    assert.deepEqual(Object.keys(s).sort(), ['rateLimited', 'requests', 'retries', 'tokenRequests']);
  });
});

test('every catalogue operation is reachable in its namespace', () => {
  const c = new Client({ clientId: 'x', clientSecret: 'y', fetch: () => assert.fail('no fetch') });
  const ops = operations();
  assert.ok(ops.length >= 85, `${ops.length} operations`);
  for (const op of ops) {
    let node = c;
    for (const part of operationPath(op.name)) node = node?.[part];
    assert.equal(typeof node, 'function', op.name);
  }
  assert.equal(typeof c.users.requiredLearning.list, 'function');
  assert.equal(typeof c.content.courses.create, 'function');
  assert.equal(typeof c.xapi.statements.list, 'function');
});

test('every operation records its scopes, filters and source', () => {
  const byName = Object.fromEntries(operations().map((op) => [op.name, op]));
  assert.deepEqual(byName['users.list'].scopes, ['users:read', 'users:write']);
  assert.equal(byName['users.list'].source, 'documented');
  assert.equal(byName['users.list'].sourceRef, 'https://api.degreed.com/docs/');
  assert.deepEqual(byName['users.list'].filters, ['email', 'employee_id']);
  assert.ok(byName['users.completions.list'].scopes.includes('completions:read'));
  for (const op of operations()) {
    assert.ok(['documented', 'community', 'inferred'].includes(op.source), op.name);
    assert.equal(op.scope, op.scopes[0], op.name);
    assert.equal(op.sourceRef === null, op.source === 'inferred', op.name);
  }
  for (const gone of ['skill_ratings.create', 'user_skills.create', 'required_learning.create']) {
    assert.equal(byName[gone], undefined, gone);
  }
});

test('an unknown filter keyword fails before anything is sent', async () => {
  const fetch = countingFetch(() => Promise.reject(new Error('nothing may be sent')));
  const c = new Client({ clientId: 'id', clientSecret: 'secret', baseUrl: 'http://127.0.0.1:9', fetch });
  const cases = [
    [() => c.users.list({ emial: 'ada@example.com' }), /did you mean `email`/],
    [() => c.content.courses.list({ externalID: 'C-1' }), /did you mean `external_id`/],
    [() => c.xapi.statements.list({ verbs: 'v' }), /did you mean `verb`/],
    [() => c.groups.list({ name: 'x' }), /it takes none/],
  ];
  for (const [call, message] of cases) {
    await assert.rejects(
      async () => {
        for await (const _ of call()) break;
      },
      (e) => e instanceof InvalidRequestError && message.test(e.message),
    );
  }
  assert.equal(fetch.calls.length, 0);
});

test('minimalScopes', () => {
  assert.deepEqual(minimalScopes(['users.list', 'completions.create']), ['completions:write', 'users:read']);
  assert.deepEqual(minimalScopes(['users.list', 'users.create', 'users.get']), ['users:write']);
  assert.throws(() => minimalScopes(['users.frobnicate']), (e) => e instanceof InvalidRequestError && /users\.frobnicate/.test(e.message));
  assert.throws(() => minimalScopes('users.list'), InvalidRequestError);
});
