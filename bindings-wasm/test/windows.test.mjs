// Date windows against the sandbox under both readings of `filter[end_date]`: each windowed
// list walked over 36 days gives every item exactly once whether the server includes the end
// day (`--window-end inclusive`) or not (`exclusive`); Degreed does not say which it does.
// Each list is walked seven times, its start moved a day each time, so that every day with
// items is a boundary shared by two windows in one of the walks (counted: the test fails if
// none is).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, operations } from 'degreed';
import { sandboxOptions, startSandbox } from './helpers.mjs';

// The attribute the sandbox filters each windowed list on (tests/README.md, "Dates filtered").
const DATE_ATTRIBUTE = {
  completions: 'completed-at',
  requiredLearning: 'created-at',
  recommendations: 'recommended-at',
  logins: 'logged-in-at',
  views: 'viewed-at',
  pathways: 'modified-at',
  skillRatings: 'rated-at',
  userSkills: 'followed-at',
  userFollowers: 'followed-at',
};
const SPAN = 35; // days after the start: six windows
const DAY = 86_400_000;
const ARGS = ['--rate-limit', '0', '--anchor-date', '2026-06-15', '--users', '60', '--content', '200', '--completions', '200'];

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

/** `[id, day]` of every item of a list, unfiltered. */
async function dated(client, name) {
  const items = await client[name].list({ limit: 1000 }).toArray();
  return items.map((it) => [it.id, it.raw.attributes[DATE_ATTRIBUTE[name]].slice(0, 10)]);
}

/** The start (ms) of the SPAN-day range holding most items, its first boundary on an item's day. */
function busiestStart(items) {
  let best = null;
  for (const [, d] of items) {
    const start = Date.parse(d) - 6 * DAY;
    const [a, b] = [day(start), day(start + SPAN * DAY)];
    const n = items.filter(([, x]) => a <= x && x <= b).length;
    if (!best || n > best.n || (n === best.n && start > best.start)) best = { n, start };
  }
  return best.start;
}

describe('date windows against the sandbox', () => {
  test('every windowed operation is covered', () => {
    const windowed = operations()
      .filter((op) => op.windowed)
      .map((op) => camel(op.name.split('.')[0]));
    assert.deepEqual(new Set(windowed), new Set(Object.keys(DATE_ATTRIBUTE)));
  });

  for (const reading of ['inclusive', 'exclusive']) {
    test(`every item once when end_date is read ${reading}ly`, async () => {
      const sb = await startSandbox([...ARGS, '--window-end', reading]);
      try {
        const client = new Client(sandboxOptions(sb.url));
        for (const name of Object.keys(DATE_ATTRIBUTE)) {
          const items = await dated(client, name);
          const first = busiestStart(items);
          let onBoundaries = 0;
          for (let shift = 0; shift < 7; shift++) {
            const start = day(first + shift * DAY);
            const end = day(first + (shift + SPAN) * DAY);
            const expected = items
              .filter(([, d]) => start <= d && (d < end || (reading === 'inclusive' && d === end)))
              .map(([id]) => id);
            const got = (await client[name].list({ startDate: start, endDate: end, limit: 1000 }).toArray()).map(
              (it) => it.id,
            );
            assert.equal(new Set(got).size, got.length, `${name} ${start}..${end}: an item came twice`);
            assert.deepEqual(new Set(got), new Set(expected), `${name} ${start}..${end}`);
            onBoundaries += items.filter(([, d]) => {
              const k = Math.round((Date.parse(d) - Date.parse(start)) / DAY);
              return k > 0 && k < SPAN && k % 6 === 0;
            }).length;
          }
          assert.ok(onBoundaries > 0, `${name}: no item on a shared boundary day, the test proves nothing`);
        }
      } finally {
        await sb.stop();
      }
    });
  }
});
