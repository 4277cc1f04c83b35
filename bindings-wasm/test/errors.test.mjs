// Caller errors before any fetch, scope refusals, authentication, redaction, abort, timeouts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import {
  AuthenticationError,
  Client,
  DegreedError,
  InvalidRequestError,
  PermissionDeniedError,
  TransportError,
  TimeoutError,
} from 'degreed';
import { SECRET, countingFetch, sandboxOptions, startSandbox } from './helpers.mjs';

/** Asserts `fn()` throws or rejects an `InvalidRequestError` matching `pattern`. */
async function rejectsInvalid(fn, pattern) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof InvalidRequestError, `expected InvalidRequestError, got ${err?.name}: ${err?.message}`);
  assert.equal(err.name, 'InvalidRequestError');
  assert.equal(err.kind, 'invalid_request');
  assert.equal(err.status, null);
  if (pattern) assert.match(err.message, pattern);
}

describe('bad input is refused before anything is sent', () => {
  const f = countingFetch(() => assert.fail('fetch must not be called'));
  const client = new Client({ clientId: 'id', clientSecret: SECRET, fetch: f });
  const tenant = new Client({ clientId: 'id', clientSecret: SECRET, organizationCode: 'ACME', fetch: f });

  const cases = [
    ['limit 0', () => client.users.list({ limit: 0 }), /limit must be between 1 and 1000/],
    ['limit 5000', () => client.users.list({ limit: 5000 }), /limit/],
    ['limit as a string', () => client.users.list({ limit: '10' }), /limit/],
    ['an empty id', () => client.users.get(''), /must not be empty/],
    ['an id with a slash', () => client.users.get('a/b'), /contains `\/`/],
    ['a missing id', () => client.users.get(), /takes 1 path parameter\(s\), got 0/],
    ['an object as id', () => client.users.get({ id: 'x' }), /path parameters must be strings/],
    ['attributes not an object', () => client.users.create('ada'), /takes an object of attributes/],
    ['no attributes', () => client.users.create(), /takes an object of attributes/],
    // Fields the core's schema requires on create (from the API docs), named as written here.
    [
      'a completion missing required fields',
      () => client.completions.create({ userId: 'a@b.com', contentId: 'C1' }),
      /`completions.create`: missing required attributes userIdentifierType, contentIdType, contentType, completedAt \(required on create\)/,
    ],
    [
      'a user missing its e-mail',
      () => client.users.create({ employeeId: 'E1', firstName: 'A', lastName: 'B', organizationEmail: null }),
      /missing required attribute organizationEmail /,
    ],
    [
      'a course missing its duration',
      () => client.content.courses.create({ title: 'T', 'external-id': 'E', durationType: 'Hours' }),
      /missing required attribute duration /,
    ],
    ['no ids', () => client.groups.members.add('g1', []), /at least one id/],
    ['ids not a list', () => client.content.skills.add('c1', 'Python'), /list of ids/],
    ['an empty id in a list', () => client.groups.members.add('g1', ['u1', ' ']), /an id is empty/],
    ['endDate alone on a windowed list', () => client.completions.list({ endDate: '2024-01-01' }), /startDate is required with endDate/],
    ['a bad date', () => client.completions.list({ startDate: 'yesterday', endDate: '2024-01-02' }), /yyyy-mm-dd|date/],
    [
      'a reversed range',
      () => client.completions.list({ startDate: '2024-02-01', endDate: '2024-01-01' }),
      /before/,
    ],
    ['an invalid Date', () => client.logins.list({ startDate: new Date('x'), endDate: new Date() }), /invalid Date/],
    ['a filter object', () => client.users.list({ email: { a: 1 } }), /must be a string/],
    ['options not an object', () => client.users.list('limit=5'), /options must be an object/],
    ['a bad timeout', () => client.users.get('x', { timeoutMs: -1 }), /timeoutMs/],
    ['a bad signal', () => client.users.get('x', { signal: 'stop' }), /AbortSignal/],
    ['an unknown operation', () => client.request('users.frobnicate'), /unknown operation `users.frobnicate`/],
    ['a wrong path count', () => client.request('users.get'), /takes 1 path parameter/],
    ['tenant header where refused', () => tenant.users.update('u1', { bio: 'x' }), /organization code/],
  ];
  for (const [name, fn, pattern] of cases) {
    test(name, () => rejectsInvalid(fn, pattern));
  }

  test('bad client options', async () => {
    await rejectsInvalid(() => new Client(), /options object/);
    await rejectsInvalid(() => new Client({ clientSecret: 's' }), /clientId/);
    await rejectsInvalid(() => new Client({ clientId: 'i' }), /clientSecret/);
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', environment: 'moon' }), /environment/);
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', dataCenter: 'mars' }), /data center/);
    await rejectsInvalid(
      () => new Client({ clientId: 'i', clientSecret: 's', baseUrl: 'http://example.com' }),
      /plain http/,
    );
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', scopes: ['users'] }), /not a scope/);
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', clientID: 'x' }), /unknown client option `clientID`/);
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', timeoutMs: 0 }), /timeoutMs/);
    await rejectsInvalid(() => new Client({ clientId: 'i', clientSecret: 's', fetch: 'nope' }), /fetch/);
    // A secret of the wrong type is refused without echoing it.
    const err = await Promise.resolve()
      .then(() => new Client({ clientId: 'i', clientSecret: 918273645 }))
      .catch((e) => e);
    assert.ok(err instanceof InvalidRequestError);
    assert.ok(!err.message.includes('918273645'), err.message);
  });

  test('the fetch was never called', () => {
    assert.equal(f.calls.length, 0);
  });
});

describe('scopes and credentials', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--client', 'reader:reader-secret:users:read,content:read', '--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('a call outside the requested scopes is refused before sending', async () => {
    const f = countingFetch();
    const client = new Client(sandboxOptions(sb.url, { scopes: ['users:read'], fetch: f }));
    const err = await client.users
      .create({ employeeId: 'S1', firstName: 'a', lastName: 'b', organizationEmail: 's1@example.com' })
      .catch((e) => e);
    assert.ok(err instanceof PermissionDeniedError, String(err));
    assert.equal(err.missingScope, 'users:write');
    assert.equal(err.status, null);
    assert.equal(f.calls.length, 0);
    assert.throws(() => client.groups.list(), (e) => e instanceof PermissionDeniedError && e.missingScope === 'groups:read');
    assert.equal(f.calls.length, 0);
    // Inside the scopes it works, with a token asked for exactly those scopes.
    const page = await client.users.list({ limit: 2 }).pages().next();
    assert.equal(page.value.items.length, 2);
  });

  test('the API refuses a call the key has no scope for (403)', async () => {
    const client = new Client(sandboxOptions(sb.url, { clientId: 'reader', clientSecret: 'reader-secret' }));
    const page = await client.users.list({ limit: 1 }).pages().next();
    assert.equal(page.value.items.length, 1);
    const err = await client.completions.list().toArray().catch((e) => e);
    assert.ok(err instanceof PermissionDeniedError, String(err));
    assert.equal(err.status, 403);
    assert.match(err.message, /completions:read/);
    assert.equal(typeof err.requestId, 'string');
  });

  test('asking for a scope the key lacks is an AuthenticationError', async () => {
    const client = new Client(
      sandboxOptions(sb.url, { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['users:write'] }),
    );
    const err = await client.users.list().toArray().catch((e) => e);
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.name, 'AuthenticationError');
    assert.equal(client.stats.requests, 0, 'no API request without a token');
  });

  test('a wrong secret is an AuthenticationError that does not quote the secret', async () => {
    const wrong = 'wrong-secret-5f1c9a';
    const client = new Client(sandboxOptions(sb.url, { clientSecret: wrong }));
    const err = await client.users.get('x').catch((e) => e);
    assert.ok(err instanceof AuthenticationError && err instanceof DegreedError, String(err));
    assert.ok(typeof err.status === 'number' && err.status >= 400 && err.status < 500);
    for (const text of [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 9 })]) {
      assert.ok(!text.includes(wrong), text);
    }
  });
});

describe('secrets stay secret', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('not in JSON.stringify, util.inspect or errors, even after a token was issued', async () => {
    let token;
    const tap = async (url, init) => {
      const res = await fetch(url, init);
      if (url.endsWith('/oauth/token')) token = (await res.clone().json()).access_token;
      return res;
    };
    const client = new Client(sandboxOptions(sb.url, { fetch: tap }));
    await client.users.list({ limit: 1 }).pages().next();
    assert.ok(token && token.length > 10);
    const err = await client.users.get('does-not-exist').catch((e) => e);
    const texts = [
      JSON.stringify(client),
      inspect(client, { depth: Infinity, showHidden: true }),
      String(client),
      `${client}`,
      JSON.stringify(client.stats),
      JSON.stringify(Object.getOwnPropertyNames(client)),
      err.message,
      err.stack,
      JSON.stringify(err),
      inspect(err, { depth: Infinity, showHidden: true }),
    ];
    for (const text of texts) {
      assert.ok(!text.includes(SECRET), `secret in: ${text.slice(0, 200)}`);
      assert.ok(!text.includes(token), `token in: ${text.slice(0, 200)}`);
    }
    assert.equal(JSON.parse(JSON.stringify(client)).clientSecret, '[redacted]');
    assert.match(inspect(client), /clientId: 'sandbox'/);
    assert.match(inspect(client), /\[redacted\]/);
  });
});

describe('abort and timeouts', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0', '--faults', 'latency=600ms']);
  });
  after(() => sb?.stop());

  test('an already aborted signal rejects before any fetch', async () => {
    const f = countingFetch();
    const client = new Client(sandboxOptions(sb.url, { fetch: f }));
    const controller = new AbortController();
    controller.abort();
    const err = await client.users.get('x', { signal: controller.signal }).catch((e) => e);
    assert.equal(err.name, 'AbortError');
    assert.ok(err instanceof Error);
    await assert.rejects(client.users.list({ signal: controller.signal }).toArray(), { name: 'AbortError' });
    assert.equal(f.calls.length, 0);
  });

  test('aborting mid-request rejects promptly with the signal reason', async () => {
    const client = new Client(sandboxOptions(sb.url));
    await client.users.list({ limit: 1 }).pages().next(); // token in hand
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const err = await client.users.list({ limit: 5, signal: controller.signal }).toArray().catch((e) => e);
    assert.equal(err, reason);
    assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    // The client still works afterwards.
    const page = await client.users.list({ limit: 1 }).pages().next();
    assert.equal(page.value.items.length, 1);
  });

  test('AbortSignal.timeout() and a client-wide signal', async () => {
    const client = new Client(sandboxOptions(sb.url));
    await assert.rejects(client.users.get('x', { signal: AbortSignal.timeout(50) }), { name: 'TimeoutError' });
    const controller = new AbortController();
    const scoped = new Client(sandboxOptions(sb.url, { signal: controller.signal }));
    const pending = scoped.users.list().toArray();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, { name: 'AbortError' });
    // A non-Error reason still rejects with an Error.
    const c2 = new AbortController();
    c2.abort('bye');
    const err = await client.users.get('x', { signal: c2.signal }).catch((e) => e);
    assert.ok(err instanceof DegreedError && /bye/.test(err.message));
  });

  test('timeoutMs is a deadline for the whole call: no retry past it, a TimeoutError', async () => {
    const f = countingFetch();
    const client = new Client(
      sandboxOptions(sb.url, { fetch: f, timeoutMs: 150, maxRetries: 1, retry: { baseDelayMs: 10 } }),
    );
    const started = Date.now();
    const err = await client.users.list({ limit: 1 }).pages().next().catch((e) => e);
    assert.ok(err instanceof TimeoutError && err instanceof TransportError, String(err));
    assert.equal(err.kind, 'timeout');
    assert.equal(err.maybeApplied, false);
    assert.match(err.message, /no response within 1\d\d ms/);
    assert.equal(f.calls.filter((c) => c.url.includes('/api/v2/users')).length, 1);
    assert.ok(Date.now() - started < 1500);
  });

  test('timeoutMs: a write is not retried and may have been applied', async () => {
    const f = countingFetch();
    const client = new Client(sandboxOptions(sb.url, { fetch: f, maxRetries: 3 }));
    const err = await client.users
      .create(
        { employeeId: 'T1', firstName: 'a', lastName: 'b', organizationEmail: 't1@example.com' },
        { timeoutMs: 150 },
      )
      .catch((e) => e);
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.maybeApplied, true);
    assert.equal(f.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/api/v2/users')).length, 1);
    // A per-call timeout longer than the latency succeeds.
    const ok = await client.users.list({ limit: 1, timeoutMs: 5000 }).pages().next();
    assert.equal(ok.value.items.length, 1);
  });

  test('a connection refused before sending is a TransportError after retries', async () => {
    // A port that was free a moment ago (not one of fetch's blocked ports).
    const srv = createServer();
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    const dead = `http://127.0.0.1:${srv.address().port}`;
    await new Promise((r) => srv.close(r));
    const client = new Client(sandboxOptions(dead, { maxRetries: 1, retry: { baseDelayMs: 5 } }));
    const err = await client.users.get('x').catch((e) => e);
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.maybeApplied, false);
    assert.match(err.message, /ECONNREFUSED/);
  });
});
