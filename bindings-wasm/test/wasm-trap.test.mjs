import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, DegreedError } from 'degreed';
import { NativeCall } from '../pkg/degreed_wasm.js';
import { sandboxOptions, startSandbox } from './helpers.mjs';

// A wasm trap (an `unreachable` after a Rust panic) leaves the value borrowed, so the
// `free()` in the driver's `finally` throws too; the caller must see the SDK's own error,
// and the client must keep working.
let sb;
before(async () => {
  sb = await startSandbox(['--rate-limit', '0']);
});
after(() => sb?.stop());

test('a wasm trap surfaces as a DegreedError and the client stays usable', async () => {
  const client = new Client(sandboxOptions(sb.url));
  const [first] = await client.users.list({ limit: 1 }).toArray();
  const { poll, free } = NativeCall.prototype;
  NativeCall.prototype.poll = function () {
    throw new WebAssembly.RuntimeError('unreachable');
  };
  NativeCall.prototype.free = function () {
    free.call(this);
    throw new Error('attempted to take ownership of Rust value while it was borrowed');
  };
  try {
    await assert.rejects(client.users.get(first.id), (e) => e instanceof DegreedError && /internal error/.test(e.message));
    await assert.rejects(client.users.list({ limit: 1 }).toArray(), (e) => e instanceof DegreedError);
  } finally {
    NativeCall.prototype.poll = poll;
    NativeCall.prototype.free = free;
  }
  assert.equal((await client.users.get(first.id)).id, first.id);
});
