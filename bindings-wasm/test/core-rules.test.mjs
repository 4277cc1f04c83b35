// Rules the core decides for every language: partial date ranges, xAPI parameters, and
// reads whose answer has no resource. The Python suite checks the same cases
// (bindings-python/tests/test_core_rules.py).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, DecodeError, InvalidRequestError } from 'degreed';
import { countingFetch, sandboxOptions, startSandbox, today } from './helpers.mjs';

const TOKEN = JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 });

/** A `fetch` that answers token requests, then every API request with one canned response. */
function scripted(status, body) {
  const urls = [];
  const f = async (url) => {
    const headers = { 'content-type': 'application/json', 'x-request-id': 'rid-7' };
    if (url.endsWith('/oauth/token')) return new Response(TOKEN, { status: 200, headers });
    urls.push(url);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers });
  };
  const client = new Client({
    clientId: 'id',
    clientSecret: 'top-secret-value',
    baseUrl: 'http://127.0.0.1:9',
    maxRetries: 0,
    fetch: f,
  });
  return { client, urls };
}

const params = (url) => [...new URL(url).searchParams.entries()];

describe('date ranges', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--completions', '40', '--rate-limit', '0']);
  });
  after(() => sb?.stop());

  test('a windowed list without an end runs to today', async () => {
    const f = countingFetch();
    const c = new Client(sandboxOptions(sb.url, { fetch: f }));
    const start = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await c.completions.list({ startDate: start, limit: 1000 }).toArray();
    const windows = f.calls
      .filter((x) => x.url.includes('/api/v2/completions'))
      .map((x) => new URL(x.url).searchParams);
    assert.equal(windows.length, 2);
    assert.equal(windows[0].get('filter[start_date]'), start);
    assert.equal(windows.at(-1).get('filter[end_date]'), today());
  });

  test('an end without a start is refused before sending', async () => {
    const { client, urls } = scripted(200, { data: [] });
    for (const fn of [
      () => client.logins.list({ endDate: '2024-01-01' }),
      () => client.paginate('views.list', { endDate: new Date('2024-01-01T00:00:00Z') }),
    ]) {
      assert.throws(fn, (e) => e instanceof InvalidRequestError && /startDate is required with endDate/.test(e.message) && !/window\./.test(e.message));
    }
    assert.deepEqual(urls, []);
  });

  test('other lists take the dates given, unsplit', async () => {
    const { client, urls } = scripted(200, { data: [] });
    await client.content.list({ endDate: '2024-01-31' }).toArray();
    await client.content.list({ startDate: new Date('2024-01-01T12:00:00Z') }).toArray();
    await client.users.list({ startDate: '2024-01-01', endDate: '2024-03-31' }).toArray();
    await client.users.list().toArray();
    assert.deepEqual(urls.map(params), [
      [['filter[end_date]', '2024-01-31']],
      [['filter[start_date]', '2024-01-01']],
      [
        ['filter[start_date]', '2024-01-01'],
        ['filter[end_date]', '2024-03-31'],
      ],
      [],
    ]);
  });
});

describe('xAPI parameters', () => {
  test('filters are plain parameters, instants in RFC 3339 UTC', async () => {
    const { client, urls } = scripted(200, { statements: [] });
    await client.xapi.statements.list({ since: '2024-05-01', verb: 'completed' }).toArray();
    await client.xapi.statements.list({ until: new Date('2024-05-02T03:04:05Z') }).toArray();
    await client.paginate('xapi.statements.list', { filter: { since: '2024-05-01T10:00:00+02:00', ascending: true } }).toArray();
    await client.request('xapi.statements.list', { filter: { until: '2024-05-02' } });
    assert.deepEqual(urls.map(params), [
      [
        ['since', '2024-05-01T00:00:00Z'],
        ['verb', 'completed'],
      ],
      [['until', '2024-05-02T03:04:05Z']],
      [
        ['since', '2024-05-01T08:00:00Z'],
        ['ascending', 'true'],
      ],
      [['until', '2024-05-02T00:00:00Z']],
    ]);
  });
});

describe('reads without a resource', () => {
  for (const [name, body] of [
    ['no data', { links: {} }],
    ['data null', { data: null }],
    ['data a list', { data: [] }],
    ['an empty body', ''],
  ]) {
    test(`a get with ${name} is a DecodeError`, async () => {
      const { client } = scripted(200, body);
      await assert.rejects(client.users.get('u1'), (e) => {
        assert.ok(e instanceof DecodeError, `${e?.name}: ${e?.message}`);
        assert.equal(e.status, 200);
        assert.equal(e.requestId, 'rid-7');
        assert.match(e.message, /expected a resource/);
        return true;
      });
    });
  }

  test('a write answered with 204 still resolves', async () => {
    const { client } = scripted(204, '');
    assert.equal(await client.users.update('u1', { firstName: 'Ada' }), null);
  });
});
