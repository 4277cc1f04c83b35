// Pages read by the JS layer: the body is parsed once by `JSON.parse` and, when it has the
// ordinary shape, never crosses into wasm (the core applies the page rules to the items
// count and the next link); anything else goes to the core whole. Models are views over the
// parsed items. Bad server input is a typed error, never an empty or silently cut listing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { Client, DecodeError, InvalidRequestError } from 'degreed';

const TOKEN = JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 });
const BASE = 'http://127.0.0.1:9';
const SECRET = 'top-secret-value';

/** A client whose `fetch` answers the token, then API requests from `pages` (url → body, a
 *  string, or a function of the attempt number), and records the URLs asked for. */
function served(pages, extra = {}, { length = false, status = 200 } = {}) {
  const asked = [];
  /** How the API answers' bodies were read: `{text, arrayBuffer}` counts. */
  const reads = {};
  const fetch = async (url) => {
    const headers = { 'content-type': 'application/json', 'x-request-id': 'rid-9' };
    if (url.endsWith('/oauth/token')) return new Response(TOKEN, { status: 200, headers });
    asked.push(url);
    let body = pages[url.replace(BASE, '')];
    if (typeof body === 'function') body = body(asked.filter((u) => u === url).length);
    if (body === undefined) return new Response('{"errors":[{"status":"404"}]}', { status: 404, headers });
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof Uint8Array ? body : new TextEncoder().encode(JSON.stringify(body));
    // With `length`, the length is declared, as servers do (the body is then read as text).
    if (length) headers['content-length'] = String(bytes.length);
    const res = new Response(bytes, { status, headers });
    for (const how of ['text', 'arrayBuffer']) {
      const read = res[how].bind(res);
      res[how] = () => {
        reads[how] = (reads[how] ?? 0) + 1;
        return read();
      };
    }
    return res;
  };
  const client = new Client({ clientId: 'id', clientSecret: SECRET, baseUrl: BASE, maxRetries: 0, fetch, ...extra });
  return { client, asked, reads };
}

const user = (id, attributes = {}) => ({
  id,
  type: 'users',
  attributes: { 'employee-id': `E${id}`, 'first-name': 'Ada', 'created-at': '2024-05-01T10:00:00Z', ...attributes },
  relationships: [{ manager: { data: { id: 'm1', type: 'users' } } }],
  links: { self: `${BASE}/api/v2/users/${id}` },
});

const FIRST = '/api/v2/users?limit=2';

async function rejectsDecode(promise, path) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof DecodeError, `${e?.name}: ${e?.message}`);
    if (path) assert.ok(e.message.includes(`\`${path}\``), e.message);
    assert.ok(!e.message.includes(SECRET), e.message);
    return true;
  });
}

describe('pages read by JSON.parse', () => {
  test('ordinary pages: next links followed, models are views over the parsed items', async () => {
    const { client, asked } = served({
      [FIRST]: { data: [user('1'), user('2', { 'favourite-colour': 'green', 'total-points': '12.5', 'login-disabled': 'TRUE' })], links: { next: '/api/v2/users?limit=2&cursor=b' } },
      '/api/v2/users?limit=2&cursor=b': { data: [user('3', { 'created-at': '0001-01-01T00:00:00' })], links: { next: null } },
    });
    const pages = [];
    for await (const page of client.users.list({ limit: 2 }).pages()) pages.push(page);
    assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST, '/api/v2/users?limit=2&cursor=b']);
    assert.deepEqual(pages.map((p) => p.items.length), [2, 1]);
    const [a, b] = pages[0].items;
    // `raw` is the item of the parsed page itself, not a copy.
    assert.equal(a.raw, pages[0].raw.data[0]);
    assert.equal(a.id, '1');
    assert.equal(a.employeeId, 'E1');
    assert.ok(a.createdAt instanceof Date);
    assert.equal(a.createdAt.toISOString(), '2024-05-01T10:00:00.000Z');
    assert.deepEqual(a.relationships, { manager: { id: 'm1', type: 'users' } });
    assert.deepEqual(a.links, { self: `${BASE}/api/v2/users/1` });
    // Unknown attributes are read by the core's spelling rule; schema types are applied.
    assert.equal(b.favouriteColour, 'green');
    assert.equal(a.favouriteColour, undefined);
    assert.equal(b.totalPoints, 12.5);
    assert.equal(b.loginDisabled, true);
    assert.equal(b.toJSON().favouriteColour, 'green');
    assert.equal(b.toJSON().totalPoints, 12.5);
    // .NET's minimum date is Degreed's "never".
    assert.equal(pages[1].items[0].createdAt, null);
    assert.equal(client.stats.requests, 2);
    // A model has no own string keys (its state is under symbols) and is made by the client
    // only: its class refuses `new`.
    assert.deepEqual(Object.getOwnPropertyNames(a), []);
    assert.ok(a instanceof a.constructor);
    assert.throws(() => new a.constructor(), TypeError);
    assert.equal(JSON.stringify(a), JSON.stringify(a.toJSON()));
  });

  test('an item not sent as a list is an error, never an empty page', async () => {
    for (const data of ['hi', 7, [1, 2]]) {
      const { client } = served({ [FIRST]: { data } });
      await rejectsDecode(client.users.list({ limit: 2 }).toArray(), Array.isArray(data) ? '$.data[0]' : '$.data');
    }
    const { client } = served({ [FIRST]: { links: {} } });
    await rejectsDecode(client.users.list({ limit: 2 }).toArray(), '$.data');
    // `null` is an empty list, and one object a page of one.
    const empty = served({ [FIRST]: { data: null } });
    assert.deepEqual(await empty.client.users.list({ limit: 2 }).toArray(), []);
    const one = served({ [FIRST]: { data: user('5') } });
    assert.deepEqual((await one.client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['5']);
  });

  test('a next link on another origin is refused, and the error shows no secret', async () => {
    const { client, asked } = served({ [FIRST]: { data: [user('1')], links: { next: `https://elsewhere.example/next?s=${SECRET}` } } });
    await rejectsDecode(client.users.list({ limit: 2 }).toArray(), '$.links.next');
    assert.equal(asked.length, 1);
    const bad = served({ [FIRST]: { data: [user('1')], links: { next: 42 } } });
    await rejectsDecode(bad.client.users.list({ limit: 2 }).toArray(), '$.links.next');
  });

  test('a link already followed ends the walk with an error', async () => {
    const { client } = served({ [FIRST]: { data: [user('1')], links: { next: FIRST } } });
    await rejectsDecode(client.users.list({ limit: 2 }).toArray(), '$.links.next');
  });

  test('a timestamp that is not one is a DecodeError when it is read', async () => {
    const { client } = served({ [FIRST]: { data: [user('1'), user('2', { 'created-at': 'yesterday' })] } });
    const [a, b] = await client.users.list({ limit: 2 }).toArray();
    assert.ok(a.createdAt instanceof Date);
    assert.equal(b.employeeId, 'E2');
    assert.throws(() => b.createdAt, (e) => e instanceof DecodeError && e.message.includes('`$.data[1].attributes.created-at`') && e.status === 200 && e.requestId === 'rid-9');
    assert.throws(() => JSON.stringify(b), DecodeError);
    assert.equal(b.raw.attributes['created-at'], 'yesterday');
    assert.match(inspect(b), /yesterday/, 'inspection does not throw');
  });

  test('a body that is not JSON is retried, then a DecodeError', async () => {
    const garbled = served({ [FIRST]: '{"data": [{"id": "1", ' });
    await rejectsDecode(garbled.client.users.list({ limit: 2 }).toArray());
    // Bytes that are not UTF-8 are read as U+FFFD, as `res.json()` reads them.
    const utf8 = served({ [FIRST]: Uint8Array.from([...new TextEncoder().encode('{"data": [{"id": "'), 0xff, ...new TextEncoder().encode('", "type": "users"}]}')]) });
    assert.deepEqual((await utf8.client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['\ufffd']);
    const fixed = served(
      { [FIRST]: (n) => (n === 1 ? '{"data": [' : { data: [user('1')] }) },
      { maxRetries: 2, retry: { baseDelayMs: 1, maxDelayMs: 2 } },
    );
    assert.deepEqual((await fixed.client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['1']);
    assert.equal(fixed.client.stats.retries, 1);
  });

  test('a page of declared length (read as text) gives what the same bytes give', async () => {
    // Names with accents, a byte that is not UTF-8, a page of another shape (the core reads
    // it from the text, sent back as UTF-8), a body that is not JSON: the same answers with
    // and without a declared length.
    const pages = {
      [FIRST]: { data: [user('1', { 'first-name': 'José Müller', 'last-name': '山田 😀' })], links: { next: '/api/v2/users?limit=2&cursor=b' } },
      '/api/v2/users?limit=2&cursor=b': Uint8Array.from([...new TextEncoder().encode('{"data": [{"id": "'), 0xff, 0xc3, ...new TextEncoder().encode('", "type": "users"}]}')]),
    };
    const read = async (length) => {
      const { client, reads } = served(pages, {}, { length });
      const out = [];
      for await (const u of client.users.list({ limit: 2 })) out.push([u.id, u.firstName, u.lastName, JSON.stringify(u.raw)]);
      // A page of declared length is read as text (`arrayBuffer()` copies it once more)...
      assert.deepEqual(reads, length ? { text: 2 } : {});
      // ...except by `toArray`, which guesses the next link from the bytes first: the same.
      const all = served(pages, {}, { length });
      assert.deepEqual((await all.client.users.list({ limit: 2 }).toArray()).map((u) => [u.id, u.firstName, u.lastName, JSON.stringify(u.raw)]), out);
      assert.deepEqual(all.reads, {});
      return out;
    };
    const fromText = await read(true);
    assert.deepEqual(fromText, await read(false));
    assert.deepEqual(fromText.map((r) => r.slice(0, 3)), [['1', 'José Müller', '山田 😀'], ['\ufffd\ufffd', undefined, undefined]]);
    for (const length of [true, false]) {
      const one = served({ [FIRST]: { data: user('5'), links: { next: null } } }, {}, { length });
      assert.deepEqual((await one.client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['5']);
      const odd = served({ [FIRST]: { data: [user('1'), 'é'] } }, {}, { length });
      await rejectsDecode(odd.client.users.list({ limit: 2 }).toArray(), '$.data[1]');
      const garbled = served({ [FIRST]: '{"data": [{"id": "é", ' }, {}, { length });
      await rejectsDecode(garbled.client.users.list({ limit: 2 }).toArray());
    }
  });

  test('an error answer to a page call of declared length keeps its message', async () => {
    const body = { errors: [{ status: '503', title: 'Überlastet', detail: 'später nochmal' }] };
    for (const length of [true, false]) {
      const { client } = served({ [FIRST]: body }, {}, { length, status: 503 });
      await assert.rejects(client.users.list({ limit: 2 }).toArray(), (e) => {
        assert.equal(e.name, 'ServerError', e.message);
        assert.equal(e.status, 503);
        assert.match(e.message, /Überlastet|später/);
        return true;
      });
    }
  });

  test('for await hands over each item, and stopping early releases the walk', async () => {
    const { client, asked } = served({
      [FIRST]: { data: [user('1'), user('2')], links: { next: '/api/v2/users?limit=2&cursor=b' } },
      '/api/v2/users?limit=2&cursor=b': { data: [user('3')] },
    });
    const list = client.users.list({ limit: 2 });
    const ids = [];
    for await (const u of list) {
      ids.push(u.id);
      if (ids.length === 1) break;
    }
    assert.deepEqual(ids, ['1']);
    assert.equal(asked.length, 1);
    const all = [];
    for await (const u of list) all.push(u.id);
    assert.deepEqual(all, ['1', '2', '3']);
  });

  test('included resources are views too', async () => {
    const { client } = served({
      '/api/v2/completions?limit=2': {
        data: [{ id: 'c1', type: 'completions', attributes: { 'completed-at': '2024-05-02T00:00:00Z' }, included: [{ id: 'x', type: 'content', attributes: { title: 'T', 'modified-at': 'soon' } }] }],
      },
    });
    const [c] = await client.completions.list({ limit: 2 }).toArray();
    assert.ok(c.completedAt instanceof Date);
    assert.equal(c.included[0].title, 'T');
    assert.equal(c.included[0].raw, c.raw.included[0]);
    assert.throws(() => c.included[0].modifiedAt, (e) => e instanceof DecodeError && e.message.includes('`$.data[0].included[0].attributes.modified-at`'));
  });
});

describe('cursor and resume', () => {
  const three = () => ({
    [FIRST]: { data: [user('1'), user('2')], links: { next: '/api/v2/users?limit=2&cursor=b' } },
    '/api/v2/users?limit=2&cursor=b': { data: [user('3'), user('4')], links: { next: '/api/v2/users?limit=2&cursor=c' } },
    '/api/v2/users?limit=2&cursor=c': { data: [user('5')] },
  });

  test('a walk stopped mid-page resumes with the first item not handed over, in another client', async () => {
    const first = served(three());
    const list = first.client.users.list({ limit: 2 });
    const seen = [];
    let cursor;
    for await (const u of list) {
      seen.push(u.id);
      if (seen.length === 3) {
        cursor = list.cursor;
        break;
      }
    }
    assert.equal(typeof cursor, 'string');
    assert.ok(!cursor.includes(SECRET) && !cursor.includes('tok'), cursor);
    // After the loop stopped, the cursor is where it stood.
    assert.equal(list.cursor, cursor);
    const second = served(three());
    const resumed = second.client.users.list({ limit: 2, resume: cursor });
    const rest = [];
    for await (const u of resumed) rest.push(u.id);
    assert.deepEqual([...seen, ...rest], ['1', '2', '3', '4', '5']);
    assert.deepEqual(second.asked.map((u) => u.replace(BASE, '')), ['/api/v2/users?limit=2&cursor=c'], 'item 4 came from the cursor');
    assert.equal(resumed.pagesRead, 3);
    // The end of a walk resumes to nothing.
    const done = served(three());
    assert.deepEqual(await done.client.users.list({ limit: 2, resume: resumed.cursor }).toArray(), []);
    assert.deepEqual(done.asked, []);
  });

  test('pages() hands over whole pages: the cursor after a page starts at the next', async () => {
    const first = served(three());
    const list = first.client.users.list({ limit: 2 });
    for await (const page of list.pages()) {
      assert.deepEqual(page.items.map((u) => u.id), ['1', '2']);
      break;
    }
    const second = served(three());
    const pages = [];
    for await (const page of second.client.users.list({ limit: 2, resume: list.cursor }).pages()) pages.push(page.items.map((u) => u.id));
    assert.deepEqual(pages, [['3', '4'], ['5']]);
    // A cursor taken before the walk starts where the walk would; a resumed paginator's
    // cursor keeps the carried items until they are handed over.
    const fresh = served(three());
    const before = fresh.client.users.list({ limit: 2 });
    assert.deepEqual((await served(three()).client.users.list({ limit: 2, resume: before.cursor }).toArray()).map((u) => u.id), ['1', '2', '3', '4', '5']);
  });

  test('a walk that failed resumes with the request that failed', async () => {
    let up = false;
    const pages = { ...three(), '/api/v2/users?limit=2&cursor=b': (n) => (up ? { data: [user('3'), user('4')], links: { next: '/api/v2/users?limit=2&cursor=c' } } : '{"data": [') };
    const { client } = served(pages);
    const list = client.users.list({ limit: 2 });
    const seen = [];
    await assert.rejects(
      (async () => {
        for await (const u of list) seen.push(u.id);
      })(),
      DecodeError,
    );
    assert.deepEqual(seen, ['1', '2']);
    up = true;
    const rest = (await client.users.list({ limit: 2, resume: list.cursor }).toArray()).map((u) => u.id);
    assert.deepEqual(rest, ['3', '4', '5']);
  });

  test('a page the core refused (items not a list) is asked for again on resume', async () => {
    // The answer came and was refused by the page rules, not by the transport or the JSON
    // parser: the cursor must still hold that request (it held none, and resumed to nothing).
    let up = false;
    const pages = { ...three(), '/api/v2/users?limit=2&cursor=b': () => (up ? three()['/api/v2/users?limit=2&cursor=b'] : { data: 'not a list' }) };
    const { client, asked } = served(pages);
    const list = client.users.list({ limit: 2 });
    await assert.rejects(list.toArray(), DecodeError);
    up = true;
    const rest = (await client.users.list({ limit: 2, resume: list.cursor }).toArray()).map((u) => u.id);
    assert.deepEqual(rest, ['3', '4', '5']);
    assert.equal(asked.filter((u) => u.endsWith('cursor=b')).length, 2);
  });

  test('a cursor of another list, or not a cursor, is refused before sending', async () => {
    const { client, asked } = served(three());
    const cursor = client.users.list({ limit: 2 }).cursor;
    assert.throws(() => client.content.list({ resume: cursor }), (e) => e instanceof InvalidRequestError && /users\.list/.test(e.message));
    assert.throws(() => client.users.list({ resume: 'nope' }), InvalidRequestError);
    assert.throws(() => client.users.list({ resume: 42 }), InvalidRequestError);
    assert.deepEqual(asked, []);
  });
});

describe('toArray asks for the next page while it reads one', () => {
  const B = '/api/v2/users?limit=2&cursor=b';
  const C = '/api/v2/users?limit=2&cursor=c';
  const three = (extra = {}) => ({
    [FIRST]: { data: [user('1'), user('2')], links: { next: B }, ...extra },
    [B]: { data: [user('3'), user('4')], links: { next: C } },
    [C]: { data: [user('5')] },
  });
  /** Pages read by `list` when each URL was asked for. */
  const watch = (pages, list) => {
    const when = [];
    for (const [url, body] of Object.entries(pages)) {
      pages[url] = (n) => {
        when.push([url, list().pagesRead]);
        return typeof body === 'function' ? body(n) : body;
      };
    }
    return when;
  };

  test('the next page is asked for before this one is read, and its answer is used', async () => {
    for (const length of [true, false]) {
      let list;
      const pages = three();
      const when = watch(pages, () => list);
      const { client, asked } = served(pages, {}, { length });
      list = client.users.list({ limit: 2 });
      assert.deepEqual((await list.toArray()).map((u) => u.id), ['1', '2', '3', '4', '5']);
      // Each page once; page b went out while page a was being read (no page read yet).
      assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST, B, C]);
      assert.deepEqual(when, [[FIRST, 0], [B, 0], [C, 1]].map(([u, n]) => [u, n]), `length ${length}`);
      assert.equal(list.pagesRead, 3);
    }
  });

  test('the link is read from the end of the body as JSON writes it', async () => {
    // White space around the colon, escaped slashes and `&` (as .NET writes it): the same link.
    const items = JSON.stringify([user('1'), user('2')]);
    for (const link of ['"\\/api\\/v2\\/users?limit=2\\u0026cursor=b"', ' \n "/api/v2/users?limit=2&cursor=b"']) {
      let list;
      const pages = { ...three(), [FIRST]: `{"data": ${items}, "links": {"self": null, "next" :${link}}}` };
      const when = watch(pages, () => list);
      const { client, asked } = served(pages, {}, { length: true });
      list = client.users.list({ limit: 2 });
      assert.deepEqual((await list.toArray()).map((u) => u.id), ['1', '2', '3', '4', '5']);
      assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST, B, C]);
      assert.deepEqual(when[1], [B, 0], link);
    }
    // A link that is not a string, or none: nothing is asked for ahead, and the walk ends.
    for (const links of ['{"next": null}', '{"next": 7}', '{}']) {
      const pages = { [FIRST]: `{"data": ${items}, "links": ${links}}` };
      const { client, asked } = served(pages);
      const done = client.users.list({ limit: 2 }).toArray();
      if (links.includes('7')) await rejectsDecode(done, '$.links.next');
      else assert.deepEqual((await done).map((u) => u.id), ['1', '2']);
      assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST]);
    }
  });

  test('walking page by page asks for nothing ahead', async () => {
    let list;
    const pages = three();
    const when = watch(pages, () => list);
    const { client, asked } = served(pages);
    list = client.users.list({ limit: 2 });
    for await (const page of list.pages()) {
      assert.equal(page.items.length, 2);
      break;
    }
    assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST]);
    list = client.users.list({ limit: 2 });
    const ids = [];
    for await (const u of list) ids.push(u.id);
    assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
    assert.deepEqual(when.slice(1), [[FIRST, 0], [B, 1], [C, 2]]);
  });

  test('a wrong guess is dropped: the page the walk asks for is the one its rules give', async () => {
    // Another member named `next` after the link: the guess (the last one) is wrong.
    const X = '/api/v2/users?limit=2&cursor=x';
    const pages = { ...three({ meta: { next: X } }), [X]: { data: [user('99')] } };
    const { client, asked } = served(pages);
    assert.deepEqual((await client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['1', '2', '3', '4', '5']);
    const urls = asked.map((u) => u.replace(BASE, ''));
    assert.deepEqual(urls.filter((u) => u !== X), [FIRST, B, C]);
    assert.ok(urls.length <= 4, urls.join(' '));
    // A guess on another origin is never asked for (the core's link rules), nor one this walk read.
    for (const next of ['https://elsewhere.example/api/v2/users?limit=2&cursor=b', FIRST]) {
      const other = served(three({ meta: { next } }));
      assert.deepEqual((await other.client.users.list({ limit: 2 }).toArray()).map((u) => u.id), ['1', '2', '3', '4', '5']);
      assert.deepEqual(other.asked.map((u) => u.replace(BASE, '')), [FIRST, B, C], next);
    }
  });

  test('a failure of the page asked for ahead is the walk\'s failure, and resume asks for it again', async () => {
    let up = false;
    const pages = three();
    pages[B] = () => (up ? three()[B] : '{"data": [');
    const { client, asked } = served(pages);
    const list = client.users.list({ limit: 2 });
    await assert.rejects(list.toArray(), DecodeError);
    up = true;
    assert.deepEqual((await client.users.list({ limit: 2, resume: list.cursor }).toArray()).map((u) => u.id), ['3', '4', '5']);
    assert.deepEqual(asked.map((u) => u.replace(BASE, '')), [FIRST, B, B, C]);
    // A page refused by its rules while the next one was asked for: the walk fails with it.
    const refused = served({ ...three(), [FIRST]: { data: 'not a list', links: { next: B } } });
    await rejectsDecode(refused.client.users.list({ limit: 2 }).toArray(), '$.data');
  });
});
