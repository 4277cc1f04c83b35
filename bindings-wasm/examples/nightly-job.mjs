#!/usr/bin/env node
// The two write patterns of a nightly sync, as a short recipe with the npm package `degreed`
// (the whole job, with users, progress, an export and a summary, is examples/job/nightly.py,
// run by scripts/job.sh):
//
// * create or update: create a course; when its external id is taken (409), or the create may
//   have been applied, look it up, then update what differs (or create it);
// * look before retrying: when a completion's create may have been applied (`maybeApplied`:
//   no answer, a 5xx, an unreadable success), look for it and send it again only if absent.
//
//   node examples/nightly-job.mjs --base-url http://127.0.0.1:PORT \
//     --client-id sandbox --client-secret sandbox-secret [--data ../examples/job/data]
//
// Without flags the client comes from DEGREED_CLIENT_ID, DEGREED_CLIENT_SECRET and the other
// DEGREED_* variables (Client.fromEnv).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';

import { Client, ConflictError, DegreedError } from 'degreed';

const DATA = fileURLToPath(new URL('../../examples/job/data', import.meta.url));

/** The columns of courses.csv this recipe publishes, as SDK attributes. */
const courseOf = (row) => ({
  title: row.title,
  duration: Number(row.duration),
  durationType: row.duration_type,
  url: row.url || undefined,
});

async function findCourse(client, externalId) {
  for await (const item of client.content.list({ externalId, limit: 1 })) return item;
  return null;
}

/** Pattern 1: create the course, or update the one that already has its external id. */
export async function publishCourse(client, row) {
  const course = courseOf(row);
  const create = () => client.content.courses.create({ externalId: row.external_id, ...course });
  try {
    await create();
    return 'created';
  } catch (e) {
    // Taken, or perhaps created just now: look it up.
    if (!(e instanceof ConflictError || e.maybeApplied)) throw e;
  }
  const existing = await findCourse(client, row.external_id);
  if (!existing) {
    await create();
    return 'created';
  }
  const changes = Object.entries(course).filter(([k, v]) => v !== undefined && existing[k] !== v);
  if (!changes.length) return 'unchanged';
  await client.content.courses.update(existing.id, Object.fromEntries(changes));
  return 'updated';
}

/** `completed_at`, or `days_ago` before today at `time` (HH:MM); the CSV's times are UTC. */
function completedAt(row) {
  if (row.completed_at) return new Date(`${row.completed_at}Z`);
  const day = new Date(Date.now() - Number(row.days_ago) * 864e5).toISOString().slice(0, 10);
  return new Date(`${day}T${row.time || '00:00'}:00Z`);
}

/** Pattern 2: record a completion; if the create may have been applied, look before retrying. */
export async function recordCompletion(client, row) {
  const at = completedAt(row);
  const create = () =>
    client.completions.create({
      userId: row.employee_id,
      userIdentifierType: 'EmployeeId',
      contentId: row.course_external_id,
      contentIdType: 'ExternalId',
      contentType: 'Course',
      completedAt: at,
      percentile: row.percentile ? Number(row.percentile) : undefined,
    });
  try {
    await create();
  } catch (e) {
    if (!e.maybeApplied) throw e;
    if (!(await isRecorded(client, row, at))) await create();
  }
}

/** Whether the employee's completion of the course on that day is recorded. */
async function isRecorded(client, row, at) {
  const course = await findCourse(client, row.course_external_id);
  const day = at.toISOString().slice(0, 10);
  for await (const c of client.completions.list({ startDate: day, endDate: day, limit: 1000 })) {
    const sameDay = c.completedAt?.toISOString().slice(0, 10) === day;
    if (c.employeeId === row.employee_id && c.relationships?.content?.id === course?.id && sameDay) return true;
  }
  return false;
}

/** Publishes courses.csv, then records completions.csv: `[kind, key, outcome]` a row. */
export async function sync(client, data = DATA) {
  const read = (name) => parse(readFileSync(join(data, name)), { columns: true, skip_empty_lines: true, trim: true });
  const failed = (e) => {
    if (e instanceof DegreedError) return `failed: ${e.message}`;
    throw e; // A bug, not a row's failure.
  };
  const results = [];
  for (const row of read('courses.csv')) {
    results.push(['course', row.external_id, await publishCourse(client, row).catch(failed)]);
  }
  for (const row of read('completions.csv')) {
    const outcome = await recordCompletion(client, row).then(() => 'recorded', failed);
    results.push(['completion', row.employee_id, outcome]);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      data: { type: 'string', default: DATA },
    },
  });
  const flags = { baseUrl: values['base-url'], clientId: values['client-id'], clientSecret: values['client-secret'] };
  const client = Client.fromEnv(process.env, JSON.parse(JSON.stringify(flags))); // unset flags dropped
  for (const [kind, key, outcome] of await sync(client, values.data)) console.log(`${kind} ${key}: ${outcome}`);
  const { requests, retries, rateLimited } = client.stats;
  console.log(`requests ${requests}, retries ${retries}, 429s ${rateLimited}`);
}
