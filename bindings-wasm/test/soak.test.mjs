// A short soak (tests/soak/soak.mjs; the full one is scripts/soak.sh): mixed operations through
// one client against a sandbox that faults reads and writes; every failed write reconciled,
// the sandbox's write log shows none lost or duplicated, and no read answered wrongly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startSandbox } from './helpers.mjs';
import { CLIENT_ID, FAULTS, audit, soak } from '../../tests/soak/soak.mjs';

test('a short soak under faults: no write lost or duplicated, no wrong answer', async (t) => {
  const sb = await startSandbox(['--rate-limit', '0', '--faults', FAULTS, '--client', `${CLIENT_ID}:soak-secret:*`]);
  t.after(() => sb.stop());
  const f = await soak(sb.url, { ops: 120, workers: 4 });
  t.diagnostic(JSON.stringify(f));
  assert.equal(f.ops, 120);
  assert.deepEqual([f.lost, f.duplicated, f.wrong_answers], [0, 0, 0], f.wrong.join('; '));
  // The faults reached the client: it retried and met 429s; failed writes were reconciled
  // (about one write in ten fails, so nearly every run has some).
  assert.ok(f.retries > 0 && f['429s'] > 0, JSON.stringify(f));
  if (f.maybe_applied + f.write_errors > 0) assert.ok(f.reconciled > 0, JSON.stringify(f));
});

test('the audit finds a lost, a duplicated and a stray write', () => {
  const post = (eid) => ({ method: 'POST', resource_type: 'users', resource_id: 'x', client_id: 'c', body: { data: { attributes: { 'employee-id': eid } } } });
  const patch = (id, title) => ({ method: 'PATCH', resource_type: 'content', resource_id: id, client_id: 'c', body: { data: { attributes: { title } } } });
  const intents = [['create', 'users', 'A'], ['create', 'users', 'B'], ['update', 'content', 'c1', 'title', 'T']];
  assert.deepEqual(audit([post('A'), patch('c1', 'T'), patch('c1', 'T')], intents, 'c'), { lost: 1, duplicated: 0, idempotent_repeats: 1 });
  assert.deepEqual(audit([post('A'), post('A'), post('B'), patch('c1', 'T')], intents, 'c'), { lost: 0, duplicated: 1, idempotent_repeats: 0 });
  // A write nobody intended counts as duplicated; another client's writes are not ours.
  assert.deepEqual(audit([post('A'), post('B'), post('C'), patch('c1', 'T'), { ...post('D'), client_id: 'other' }], intents, 'c'), { lost: 0, duplicated: 1, idempotent_repeats: 0 });
});
