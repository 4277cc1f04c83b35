// The `onEvent` option: the core's events (same names as Python's logging and Rust's tracing),
// nothing printed by default, never a secret, a query string or a body.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, InvalidRequestError, TransportError } from 'degreed';
import { SECRET, sandboxOptions, startSandbox } from './helpers.mjs';

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200 };

describe('onEvent', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0', '--users', '20']);
  });
  after(() => sb?.stop());

  test('requests, responses, the token and retries, with their fields', async () => {
    await sb.control('/_sandbox/config', { faults: '503=0.4' });
    const events = [];
    const client = new Client(
      sandboxOptions(sb.url, { onEvent: (e) => events.push(e), maxRetries: 10, retry: FAST_RETRY }),
    );
    const users = await client.users.list({ limit: 3 }).toArray();
    await sb.control('/_sandbox/config', { faults: '' });
    assert.equal(users.length, 20);
    const names = new Set(events.map((e) => e.event));
    assert.deepEqual([...names].sort(), ['request', 'response', 'retry', 'token']);
    assert.deepEqual(events[0], { event: 'request', operation: 'token', method: 'POST', path: '/oauth/token', attempt: 1 });
    const token = events.find((e) => e.event === 'token');
    assert.equal(token.refreshed, false);
    assert.ok(token.expiresInMs > 0);
    const retry = events.find((e) => e.event === 'retry');
    assert.equal(retry.operation, 'users.list');
    assert.equal(retry.status, 503);
    assert.equal(retry.cause, 'status');
    assert.ok(retry.requestId && retry.waitMs > 0 && retry.elapsedMs >= 0 && retry.attempt >= 2, JSON.stringify(retry));
    const request = events.find((e) => e.event === 'request' && e.operation === 'users.list');
    assert.deepEqual(request, { event: 'request', operation: 'users.list', method: 'GET', path: '/api/v2/users', attempt: 1 });
    const text = JSON.stringify(events);
    for (const secret of [SECRET, 'limit=', 'next=', 'Bearer']) assert.ok(!text.includes(secret), secret);
  });

  test('a write whose answer was lost is a maybe_applied event', async () => {
    await sb.control('/_sandbox/config', { faults: 'after:reset=1' });
    const events = [];
    const client = new Client(sandboxOptions(sb.url, { onEvent: (e) => events.push(e) }));
    await assert.rejects(
      client.users.create({
        employeeId: 'E-900',
        firstName: 'Body',
        lastName: 'Privatename',
        organizationEmail: 'body.privatename@example.com',
      }),
      (e) => e instanceof TransportError && e.maybeApplied,
    );
    await sb.control('/_sandbox/config', { faults: '' });
    const last = events.at(-1);
    assert.equal(last.event, 'maybe_applied');
    assert.equal(last.operation, 'users.create');
    assert.equal(last.method, 'POST');
    assert.equal(last.path, '/api/v2/users');
    assert.ok(!JSON.stringify(events).includes('Privatename'));
  });

  test('no console output by default; a throwing handler does not break calls', async (t) => {
    const logged = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug']) t.mock.method(console, m, (...a) => logged.push(a));
    // 20 seeded users, and the one the test above may have created.
    const all = await new Client(sandboxOptions(sb.url)).users.list({ limit: 5 }).toArray();
    assert.ok(all.length >= 20, `${all.length} users`);
    const throwing = new Client(sandboxOptions(sb.url, { onEvent: () => { throw new Error('boom'); } }));
    assert.equal((await throwing.users.list({ limit: 50 }).toArray()).length, all.length);
    t.mock.restoreAll();
    assert.deepEqual(logged, []);
    assert.throws(() => new Client(sandboxOptions(sb.url, { onEvent: 'yes' })), InvalidRequestError);
  });
});

describe('fromEnv and walk progress', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0', '--users', '12']);
  });
  after(() => sb?.stop());

  test('Client.fromEnv reads the DEGREED_* variables by the core rules', async () => {
    const env = {
      DEGREED_CLIENT_ID: 'sandbox', DEGREED_CLIENT_SECRET: SECRET, DEGREED_BASE_URL: sb.url,
      DEGREED_TIMEOUT: '7', DEGREED_DATA_CENTER: '', PATH: '/bin',
    };
    const client = Client.fromEnv(env);
    assert.equal(client.toJSON().timeoutMs, 7000);
    assert.equal((await client.users.list({ limit: 5 }).toArray()).length, 12);
    assert.equal(Client.fromEnv(env, { timeoutMs: 100 }).toJSON().timeoutMs, 100);
    assert.throws(() => Client.fromEnv({ DEGREED_CLIENT_ID: 'x' }), (e) => e instanceof InvalidRequestError && /DEGREED_CLIENT_SECRET/.test(e.message));
    assert.throws(() => Client.fromEnv({ ...env, DEGREED_TIMEOUT: 'soon' }), InvalidRequestError);
  });

  test('a paginator counts pages, items and date windows left', async () => {
    const client = new Client(sandboxOptions(sb.url));
    const users = client.users.list({ limit: 5 });
    const seen = [];
    for await (const page of users.pages()) seen.push([users.pagesRead, users.itemsSeen, page.items.length]);
    assert.deepEqual(seen, [[1, 5, 5], [2, 10, 5], [3, 12, 2]]);
    const today = new Date();
    const start = new Date(today.getTime() - 20 * 86400e3);
    const walk = client.completions.list({ startDate: start, endDate: today });
    const left = [];
    for await (const _ of walk.pages()) left.push(walk.windowsLeft);
    assert.equal(walk.windows, 4); // 21 days; windows share their boundary day
    assert.deepEqual(left, [3, 2, 1, 0]);
  });
});
