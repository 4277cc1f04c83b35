// A 503 that outlasts the retries (Degreed's maintenance answer) against the sandbox: when the
// call's deadline leaves no room for the 30-120 s wait Degreed advises, it rejects at once
// with a ServerError saying when to try again, rather than running into a timeout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, InvalidRequestError, ServerError } from 'degreed';
import { sandboxOptions, startSandbox } from './helpers.mjs';

describe('503 during maintenance', () => {
  let sb;
  before(async () => {
    sb = await startSandbox(['--rate-limit', '0', '--faults', '503=1']);
  });
  after(() => sb?.stop());

  test('fails at once, saying when to try again, when the deadline leaves no room', async () => {
    const client = new Client(sandboxOptions(sb.url, { maxRetries: 1, retry: { maxMaintenanceWaitMs: 300_000 } }));
    const started = Date.now();
    await assert.rejects(client.users.list({ limit: 5 }).toArray(), (e) => {
      assert.ok(e instanceof ServerError, String(e));
      assert.equal(e.status, 503);
      assert.match(e.message, /unavailable.*30-120 s/);
      return true;
    });
    // One retry after the sandbox's Retry-After of 1 s, then the answer at once.
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });

  test('the option is checked before sending', () => {
    for (const bad of [-1, 'soon', 1e12]) {
      assert.throws(
        () => new Client(sandboxOptions(sb.url, { retry: { maxMaintenanceWaitMs: bad } })),
        (e) => e instanceof InvalidRequestError && /maxMaintenanceWaitMs/.test(e.message),
      );
    }
    assert.ok(new Client(sandboxOptions(sb.url, { retry: { maxMaintenanceWaitMs: 0 } })));
  });
});
