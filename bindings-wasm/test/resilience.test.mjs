// Token refresh, retries under injected faults, 429 + Retry-After, no duplicated writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Client,
  DecodeError,
  DegreedError,
  RateLimitError,
  ServerError,
  TransportError,
} from 'degreed';
import { countingFetch, sandboxOptions, startSandbox } from './helpers.mjs';

const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200 };

describe('token refresh', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--token-ttl', '3600', '--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('ahead of expiry, without a 401, when the clock passes the lifetime', async (t) => {
    const f = countingFetch();
    const client = new Client(sandboxOptions(sb.url, { fetch: f }));
    await client.users.list({ limit: 1 }).pages().next();
    assert.equal(client.stats.tokenRequests, 1);
    // Both clocks move 59 minutes: the token (1 h) is inside its refresh margin.
    await sb.control('/_sandbox/clock', { advance_secs: 59 * 60 });
    const realNow = Date.now;
    const offset = 59 * 60 * 1000;
    t.mock.method(Date, 'now', () => realNow.call(Date) + offset);
    await client.users.list({ limit: 1 }).pages().next();
    t.mock.restoreAll();
    assert.equal(client.stats.tokenRequests, 2);
    assert.equal(client.stats.retries, 0, 'no 401 was needed');
    assert.deepEqual(
      f.calls.map((c) => new URL(c.url).pathname),
      ['/oauth/token', '/api/v2/users', '/oauth/token', '/api/v2/users'],
    );
  });

  test('after a 401 when the server expired the token (sandbox clock only)', async () => {
    const client = new Client(sandboxOptions(sb.url));
    await client.users.list({ limit: 1 }).pages().next();
    await sb.control('/_sandbox/clock', { advance_secs: 2 * 3600 });
    const page = await client.users.list({ limit: 2 }).pages().next();
    assert.equal(page.value.items.length, 2);
    assert.equal(client.stats.tokenRequests, 2);
    assert.equal(client.stats.retries, 1, 'one refresh after the 401');
  });

  test('after a 401 when the tokens were revoked; concurrent calls share one new token', async () => {
    const client = new Client(sandboxOptions(sb.url));
    await client.users.list({ limit: 1 }).pages().next();
    await sb.control('/_sandbox/revoke-tokens', {});
    const results = await Promise.all([1, 2, 3].map((n) => client.users.list({ limit: n }).pages().next()));
    assert.deepEqual(
      results.map((r) => r.value.items.length),
      [1, 2, 3],
    );
    // All three got a 401 for the revoked token; one of them fetched the new token.
    assert.equal(client.stats.tokenRequests, 2);
    await client.users.list({ limit: 1 }).pages().next();
    const s = client.stats;
    // Another revocation is handled again (one refresh per call, not per client).
    await sb.control('/_sandbox/revoke-tokens', {});
    await client.users.list({ limit: 1 }).pages().next();
    assert.equal(client.stats.tokenRequests, s.tokenRequests + 1);
  });
});

describe('under injected faults', () => {
  let sb;
  let plain;
  before(async () => {
    sb = await startSandbox(['--users', '40', '--content', '60', '--rate-limit', '0', '--seed', '7']);
    plain = new Client(sandboxOptions(sb.url));
  });
  after(() => sb?.stop());

  test('reads complete despite 5xx, 429, resets, garbage and HTML', async () => {
    const expectedUsers = (await plain.users.list({ limit: 1000 }).toArray()).map((u) => u.id);
    const expectedContent = (await plain.content.list({ limit: 1000 }).toArray()).map((c) => c.id);
    await sb.control('/_sandbox/config', {
      faults: '500=0.08,503=0.05,429=0.05,reset=0.05,malformed=0.05,html=0.05,latency=2ms',
    });
    try {
      const client = new Client(sandboxOptions(sb.url, { maxRetries: 8, retry: FAST_RETRY }));
      const users = (await client.users.list({ limit: 3 }).toArray()).map((u) => u.id);
      const content = (await client.content.list({ limit: 4 }).toArray()).map((c) => c.id);
      assert.deepEqual(users, expectedUsers);
      assert.deepEqual(content, expectedContent);
      const stats = await sb.control('/_sandbox/stats');
      assert.ok(stats.faults_injected >= 3, `only ${stats.faults_injected} faults`);
      assert.ok(client.stats.retries >= 3, `only ${client.stats.retries} retries`);
    } finally {
      await sb.control('/_sandbox/config', { faults: '' });
    }
  });

  test('no write is ever applied twice', async () => {
    await sb.control('/_sandbox/config', {
      // A 429 means "not processed", so it is injected before the write; the others strike
      // before or after applying it, at random.
      faults: '500=0.1,503=0.08,before:429=0.1,reset=0.08,malformed=0.08,html=0.05',
    });
    const outcomes = {};
    try {
      const client = new Client(sandboxOptions(sb.url, { maxRetries: 6, retry: FAST_RETRY }));
      for (let i = 0; i < 60; i++) {
        const employeeId = `DUP-${i}`;
        try {
          await client.users.create({
            employeeId,
            firstName: 'F',
            lastName: `L${i}`,
            organizationEmail: `dup.${i}@example.com`,
          });
          outcomes[employeeId] = 'ok';
        } catch (e) {
          assert.ok(
            e instanceof ServerError || e instanceof TransportError || e instanceof DecodeError,
            `unexpected ${e?.name}: ${e?.message}`,
          );
          assert.equal(e.maybeApplied, true, `${e.name}: ${e.message}`);
          outcomes[employeeId] = e.name;
        }
      }
    } finally {
      await sb.control('/_sandbox/config', { faults: '' });
    }
    const writes = (await sb.log()).filter((w) => w.method === 'POST' && w.path === '/api/v2/users');
    const counts = {};
    for (const w of writes) {
      const id = w.body.data.attributes['employee-id'];
      counts[id] = (counts[id] ?? 0) + 1;
    }
    for (const [id, n] of Object.entries(counts)) assert.equal(n, 1, `${id} applied ${n} times`);
    for (const [id, o] of Object.entries(outcomes)) {
      if (o === 'ok') assert.equal(counts[id], 1, `${id} succeeded but is not in the log`);
    }
    const failed = Object.values(outcomes).filter((o) => o !== 'ok').length;
    assert.ok(failed > 0, 'the faults never hit a write');
    assert.ok(failed < 60, 'no write succeeded');
  });

  test('a 5xx on a write is not retried', async () => {
    await sb.control('/_sandbox/config', { faults: 'before:500=1' });
    try {
      const f = countingFetch();
      const client = new Client(sandboxOptions(sb.url, { fetch: f, retry: FAST_RETRY }));
      const err = await client.users
        .create({ employeeId: 'X5', firstName: 'a', lastName: 'b', organizationEmail: 'x5@example.com' })
        .catch((e) => e);
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 500);
      assert.equal(f.calls.filter((c) => c.method === 'POST' && c.url.endsWith('/api/v2/users')).length, 1);
    } finally {
      await sb.control('/_sandbox/config', { faults: '' });
    }
  });

  test('maybeApplied is the core answer: true only for a POST whose outcome is unknown', async () => {
    const client = new Client(sandboxOptions(sb.url, { maxRetries: 0 }));
    const [user] = (await client.users.list({ limit: 1 }).pages().next()).value.items;
    const create = (n) => () =>
      client.users.create({ employeeId: `MA${n}`, firstName: 'a', lastName: 'b', organizationEmail: `ma${n}@example.com` });
    const cases = [
      ['after:500=1', create(1), ServerError, true],
      ['before:503=1', create(2), ServerError, true],
      ['after:malformed=1', create(3), DecodeError, true],
      ['after:reset=1', create(4), TransportError, true],
      ['500=1', () => client.users.get(user.id), ServerError, false],
      ['malformed=1', () => client.users.get(user.id), DecodeError, false],
      ['before:500=1', () => client.users.update(user.id, { firstName: 'X' }), ServerError, false],
      ['', () => client.users.get('no-such-user'), DegreedError, false],
    ];
    try {
      for (const [faults, call, Class, want] of cases) {
        await sb.control('/_sandbox/config', { faults });
        const err = await call().then(
          () => assert.fail(`${faults}: no error`),
          (e) => e,
        );
        assert.ok(err instanceof Class, `${faults}: ${err?.name}: ${err?.message}`);
        assert.equal(err.maybeApplied, want, `${faults}: ${err.name}`);
      }
    } finally {
      await sb.control('/_sandbox/config', { faults: '' });
    }
  });
});

describe('rate limits', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '4', '--rate-window', '1']);
  });
  after(() => sb?.stop());

  test('429 with Retry-After is waited out and retried', async () => {
    const client = new Client(sandboxOptions(sb.url, { retry: FAST_RETRY }));
    const started = Date.now();
    const pages = await Promise.all(
      Array.from({ length: 12 }, () => client.users.list({ limit: 1 }).pages().next()),
    );
    assert.ok(pages.every((p) => p.value.items.length === 1));
    const elapsed = Date.now() - started;
    // 12 requests at 4 per second take two more windows, whether paced or refused.
    assert.ok(elapsed >= 1500, `${elapsed} ms`);
    const s = await sb.control('/_sandbox/stats');
    assert.equal(client.stats.rateLimited, s.rate_limited);
  });

  test('RateLimitError carries retryAfter when the retries run out', async () => {
    await sb.control('/_sandbox/config', { faults: '429=1', rate_limit: 0 });
    try {
      const client = new Client(sandboxOptions(sb.url, { maxRetries: 2, retry: FAST_RETRY }));
      const err = await client.users.get('anyone').catch((e) => e);
      assert.ok(err instanceof RateLimitError && err instanceof DegreedError, String(err));
      assert.equal(err.name, 'RateLimitError');
      assert.equal(err.status, 429);
      assert.equal(err.retryAfter, 1);
      assert.equal(err.errors[0].code, 'quota-exceeded');
      assert.equal(client.stats.rateLimited, 3);
      assert.equal(client.stats.retries, 2);
    } finally {
      await sb.control('/_sandbox/config', { faults: '', rate_limit: 4 });
    }
  });
});
