// The hand-written typings: `tsc --noEmit --strict` on a usage file (Node and browser libs),
// and a file generated from the runtime catalogue so every operation must be declared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { operationPath, operations } from 'degreed';
import { WASM_DIR } from './helpers.mjs';

const TSC = join(WASM_DIR, 'node_modules', 'typescript', 'bin', 'tsc');

function tsc(project) {
  const r = spawnSync(process.execPath, [TSC, '-p', project], { cwd: WASM_DIR, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

for (const env of ['node', 'browser']) {
  test(`tsc --strict accepts test/types-usage.ts (${env} libs)`, () => {
    const r = tsc(join('test', 'types', `tsconfig.${env}.json`));
    assert.ok(r.ok, r.out);
  });
}

test('every catalogue operation is declared in index.d.ts with the right shape', (t) => {
  const ops = operations();
  const lines = [
    "import type { Client, OperationName, Paginator } from 'degreed';",
    'declare const client: Client;',
    'type IsPaginator<F> = F extends (...a: any[]) => Paginator<any> ? true : never;',
    'type IsPromise<F> = F extends (...a: any[]) => Promise<any> ? true : never;',
  ];
  ops.forEach((op, i) => {
    const path = `client.${operationPath(op.name).join('.')}`;
    const check = op.paging === 'none' ? 'IsPromise' : 'IsPaginator';
    lines.push(`const op${i}: ${check}<typeof ${path}> = true; // ${op.name}`);
    // Arity: path parameters, then a body for writes, then options.
    const params = op.pathParams.length + (op.body === 'none' ? 0 : 1);
    lines.push(`const arity${i}: Parameters<typeof ${path}>['length'] extends ${params} | ${params + 1} ? true : never = true;`);
  });
  const names = ops.map((op) => `'${op.name}'`).join(' | ');
  lines.push(`const allNames: OperationName[] = [${ops.map((op) => `'${op.name}'`).join(', ')}];`);
  lines.push(`const noExtraNames: [Exclude<OperationName, ${names}>] extends [never] ? true : never = true;`);
  lines.push(`export const used = [allNames, noExtraNames, ${ops.map((_, i) => `op${i}, arity${i}`).join(', ')}];`);

  const dir = join(WASM_DIR, 'test', '.generated');
  mkdirSync(dir, { recursive: true });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'operations.ts'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../types/tsconfig.node.json',
      files: ['operations.ts'],
    }),
  );
  const r = tsc(join('test', '.generated', 'tsconfig.json'));
  assert.ok(r.ok, r.out);
});
