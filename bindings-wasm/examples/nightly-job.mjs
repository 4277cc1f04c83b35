#!/usr/bin/env node
// The nightly Degreed sync, as organizations run it (the JavaScript twin of
// examples/job/nightly.py and core/examples/nightly_job.rs), with the npm package `degreed`:
//
// 1. print the minimal scopes the job needs;
// 2. import users from a CSV (create, or update by employee id);
// 3. publish a catalogue of courses (create, or update on an existing external id);
// 4. record completions from a CSV (skipping those already recorded);
// 5. export the last 30 days of completions to JSONL;
// 6. print a summary: created / updated / unchanged / failed with reasons, requests,
//    retries, 429s and elapsed time.
//
// Credentials come from DEGREED_CLIENT_ID / DEGREED_CLIENT_SECRET / DEGREED_ENVIRONMENT /
// DEGREED_DATA_CENTER, or --base-url with --client-id/--client-secret (the sandbox):
//
//   node examples/nightly-job.mjs --base-url http://127.0.0.1:PORT \
//     --client-id sandbox --client-secret sandbox-secret --data ../examples/job/data --out out
//
// Writes are never repeated blindly: when a create fails in a way that may still have reached
// Degreed (a 5xx, a connection lost after sending, an unreadable answer), the job looks for
// the record before trying again.

import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import {
  Client,
  ConflictError,
  DegreedError,
  NotFoundError,
  minimalScopes,
} from 'degreed';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every operation the job calls; the minimal scopes are computed from this list. */
export const JOB_OPERATIONS = [
  'users.get',
  'users.create',
  'users.update',
  'content.list',
  'content.courses.create',
  'content.courses.update',
  'completions.list',
  'completions.create',
];

/** The columns a new user must have. */
const USER_REQUIRED = ['first_name', 'last_name', 'organization_email'];
/** The course columns the job publishes. */
const COURSE_FIELDS = ['title', 'url', 'duration', 'duration_type', 'language', 'summary'];

// ---- Outcomes --------------------------------------------------------------------------

/** Outcome counts of one section of the job. */
export class Tally {
  constructor(name) {
    /** `users`, `courses` or `completions`. */
    this.name = name;
    this.created = 0;
    this.updated = 0;
    this.unchanged = 0;
    /** `[key, reason]` of each row that failed. */
    this.failed = [];
  }

  fail(key, reason) {
    this.failed.push([key, reason]);
  }

  /** Counts one row: `'created'`, `'updated'` or `'unchanged'`. */
  count(outcome) {
    this[outcome] += 1;
  }
}

/** A row the job cannot use as it is (bad number, bad date): counted as failed. */
class RowError extends Error {}

/** The reason recorded for a failed row. */
function reasonOf(error) {
  if (error instanceof DegreedError || error instanceof RowError) return error.message;
  throw error; // A bug, not a row's failure.
}

// ---- CSV -------------------------------------------------------------------------------

/**
 * Parses CSV text with a header line into objects keyed by column (RFC 4180: quoted fields
 * may hold commas, newlines and doubled quotes). Values are trimmed; blank lines are
 * skipped; short rows get empty values.
 */
export function parseCsv(text) {
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // The \n ends the record.
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return rows.map((values) =>
    Object.fromEntries(header.map((column, i) => [column, (values[i] ?? '').trim()])),
  );
}

/** Reads a CSV file (errors name the file). */
export async function readCsv(path) {
  const text = await readFile(path, 'utf8');
  try {
    return parseCsv(text);
  } catch (e) {
    throw new Error(`${path}: ${e.message}`);
  }
}

// ---- Progress --------------------------------------------------------------------------

/** A one-line progress display on stderr (redrawn on a terminal, sparse otherwise). */
class Progress {
  tty = Boolean(process.stderr.isTTY);

  show(label, done, total) {
    const text = total ? `${label}: ${done}/${total}` : `${label}: ${done}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${text}`);
    else if (total && done === total) process.stderr.write(`${text}\n`);
  }

  end() {
    if (this.tty) process.stderr.write('\n');
  }
}

// ---- Helpers ---------------------------------------------------------------------------

/** `first_name` → `firstName` (the SDK's attribute names). */
const camel = (column) => column.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** CSV columns → SDK attributes. */
const attributesOf = (columns) =>
  Object.fromEntries(Object.entries(columns).map(([k, v]) => [camel(k), v]));

/** A model's value as comparable text (`undefined` when absent). */
function text(value) {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The entries of `wanted` whose value differs from the model's (`null` when none do). */
function changesFrom(wanted, model) {
  const changes = Object.entries(wanted).filter(([k, v]) => text(model[k]) !== text(v));
  return changes.length ? Object.fromEntries(changes) : null;
}

/** `yyyy-mm-dd` of a Date, in UTC. */
const isoDay = (date) => date.toISOString().slice(0, 10);

/** `yyyy-mm-dd` ± days. */
const addDays = (day, days) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 864e5));

// ---- Users -----------------------------------------------------------------------------

/** The user with this employee id, or `null`. */
async function findUser(client, employeeId) {
  try {
    return await client.users.get(employeeId, { identifier: 'employee-id' });
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

async function syncUser(client, employeeId, columns) {
  const existing = await findUser(client, employeeId);
  if (existing) {
    const changes = changesFrom(attributesOf(columns), existing);
    if (!changes) return 'unchanged';
    await client.users.update(existing.id, changes);
    return 'updated';
  }
  const missing = USER_REQUIRED.filter((c) => !columns[c]);
  if (missing.length) throw new RowError(`new user lacks ${missing.join(', ')}`);
  const user = { employeeId, ...attributesOf(columns) };
  try {
    await client.users.create(user);
  } catch (e) {
    // An ambiguous failure: look before trying again, so nothing is created twice.
    if (!e.maybeApplied) throw e;
    if (!(await findUser(client, employeeId))) await client.users.create(user);
  }
  return 'created';
}

/** Creates or updates every user of the CSV, keyed by employee id. */
async function syncUsers(client, rows, progress) {
  const tally = new Tally('users');
  for (const [i, row] of rows.entries()) {
    progress.show('users', i + 1, rows.length);
    const { employee_id: employeeId = '', ...rest } = row;
    const columns = Object.fromEntries(Object.entries(rest).filter(([, v]) => v));
    try {
      if (!employeeId) throw new RowError('a row has no employee_id');
      tally.count(await syncUser(client, employeeId, columns));
    } catch (e) {
      tally.fail(employeeId || `row ${i + 1}`, reasonOf(e));
    }
  }
  progress.end();
  return tally;
}

// ---- Courses ---------------------------------------------------------------------------

/** The course attributes of a CSV row (empty columns left out). */
function courseAttributes(row) {
  const attrs = {};
  for (const column of COURSE_FIELDS) if (row[column]) attrs[camel(column)] = row[column];
  if (attrs.duration !== undefined) {
    const duration = Number(attrs.duration);
    if (!Number.isFinite(duration)) throw new RowError(`duration \`${attrs.duration}\` is not a number`);
    attrs.duration = duration;
  }
  return attrs;
}

/** The content item with this external id, or `null`. */
async function findContent(client, externalId) {
  for await (const item of client.content.list({ externalId, limit: 1 })) return item;
  return null;
}

/** Creates a course, or updates the one that already has its external id. */
async function publishCourse(client, row, externalId) {
  const attrs = courseAttributes(row);
  const create = async () => {
    const course = await client.content.courses.create({ externalId, ...attrs });
    if (!course?.id) throw new RowError('the new course came back without an id');
    return course.id;
  };
  try {
    return ['created', await create()];
  } catch (e) {
    // A conflict: the external id (or URL) exists, update it in place below. A lost
    // answer: it may have been created, so look before trying again.
    if (!(e instanceof ConflictError || e.maybeApplied)) throw e;
  }
  const existing = await findContent(client, externalId);
  if (!existing) return ['created', await create()];
  const changes = changesFrom(attrs, existing);
  if (!changes) return ['unchanged', existing.id];
  await client.content.courses.update(existing.id, changes);
  return ['updated', existing.id];
}

/** Publishes every course of the CSV; returns the tally and the Degreed id of each external id. */
async function publishCourses(client, rows, progress) {
  const tally = new Tally('courses');
  const ids = new Map();
  for (const [i, row] of rows.entries()) {
    progress.show('courses', i + 1, rows.length);
    const externalId = row.external_id ?? '';
    try {
      const [outcome, id] = await publishCourse(client, row, externalId);
      ids.set(externalId, id);
      tally.count(outcome);
    } catch (e) {
      tally.fail(externalId || `row ${i + 1}`, reasonOf(e));
    }
  }
  progress.end();
  return { tally, ids };
}

// ---- Completions -----------------------------------------------------------------------

/** `completed_at` as given, or `days_ago` + `time` (so the sample data stays recent); UTC. */
function completionTime(row, today) {
  if (row.completed_at) {
    // A date-time without a zone is UTC, as for the other twins.
    const given = row.completed_at;
    const zoned = !given.includes('T') || /(Z|[+-]\d\d:?\d\d)$/i.test(given);
    const at = new Date(zoned ? given : `${given}Z`);
    if (Number.isNaN(at.getTime())) throw new RowError(`completed_at \`${given}\` is not a date`);
    return at;
  }
  if (!/^-?\d+$/.test(row.days_ago ?? '')) {
    throw new RowError(`days_ago \`${row.days_ago ?? ''}\` is not a whole number`);
  }
  const time = row.time || '00:00';
  const hhmm = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!hhmm || Number(hhmm[1]) > 23 || Number(hhmm[2]) > 59) {
    throw new RowError(`time \`${time}\` is not HH:MM`);
  }
  const day = addDays(today, -Number(row.days_ago));
  return new Date(`${day}T${hhmm[1].padStart(2, '0')}:${hhmm[2]}:00Z`);
}

/** What identifies a completion for this job: employee id, content id, day. */
const keyOf = (employeeId, contentId, day) => JSON.stringify([employeeId, contentId, day]);

function completionKey(completion) {
  const content = completion.relationships?.content;
  const day = completion.completedAt ? isoDay(completion.completedAt) : '';
  return keyOf(String(completion.employeeId ?? ''), String(content?.id ?? ''), day);
}

/** The keys of the completions recorded from `first` to `last` (inclusive, `yyyy-mm-dd`). */
async function recordedBetween(client, first, last) {
  const keys = new Set();
  for await (const c of client.completions.list({ startDate: first, endDate: last, limit: 1000 })) {
    keys.add(completionKey(c));
  }
  return keys;
}

async function recordCompletion(client, row, completedAt, contentIds, recorded) {
  const { employee_id: employeeId, course_external_id: externalId } = row;
  let contentId = contentIds.get(externalId);
  if (contentId === undefined) {
    const found = await findContent(client, externalId);
    if (!found) throw new RowError(`no content with external id ${externalId}`);
    contentId = found.id;
    contentIds.set(externalId, contentId);
  }
  const day = isoDay(completedAt);
  const key = keyOf(employeeId, contentId, day);
  if (recorded.has(key)) return 'unchanged';
  let percentile;
  if (row.percentile) {
    percentile = Number(row.percentile);
    if (!Number.isFinite(percentile)) throw new RowError(`percentile \`${row.percentile}\` is not a number`);
  }
  const create = () =>
    client.completions.create({
      userId: employeeId,
      userIdentifierType: 'EmployeeId',
      contentId: externalId,
      contentIdType: 'ExternalId',
      contentType: 'Course',
      completedAt,
      percentile,
    });
  try {
    await create();
  } catch (e) {
    if (!e.maybeApplied) throw e;
    // No answer, or a 5xx: the completion may exist. Look, then try again only if not.
    if (!(await recordedBetween(client, day, day)).has(key)) await create();
  }
  recorded.add(key);
  return 'created';
}

/** Records every completion of the CSV that is not recorded yet. */
async function recordCompletions(client, rows, contentIds, today, progress) {
  const tally = new Tally('completions');
  const planned = [];
  for (const [i, row] of rows.entries()) {
    try {
      planned.push({ row, completedAt: completionTime(row, today) });
    } catch (e) {
      tally.fail(row.employee_id || `row ${i + 1}`, `bad date: ${reasonOf(e)}`);
    }
  }
  if (!planned.length) return tally;
  const days = planned.map((p) => isoDay(p.completedAt)).sort();
  // What is already recorded, so a re-run does not record anything twice.
  const recorded = await recordedBetween(client, days[0], days.at(-1));
  for (const [i, { row, completedAt }] of planned.entries()) {
    progress.show('completions', i + 1, planned.length);
    try {
      tally.count(await recordCompletion(client, row, completedAt, contentIds, recorded));
    } catch (e) {
      tally.fail(row.employee_id, reasonOf(e));
    }
  }
  progress.end();
  return tally;
}

// ---- Export ----------------------------------------------------------------------------

/** Writes the completions of the last 30 days to `path`, one JSON object a line, as received. */
async function exportCompletions(client, path, today, progress) {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path, { encoding: 'utf8' });
  let count = 0;
  try {
    const from = addDays(today, -30);
    for await (const completion of client.completions.list({ startDate: from, endDate: today, limit: 1000 })) {
      if (!out.write(`${JSON.stringify(completion.raw)}\n`)) {
        await new Promise((resolve) => out.once('drain', resolve));
      }
      count += 1;
      if (count % 25 === 0) progress.show('export', count);
    }
  } finally {
    out.end();
    await finished(out);
  }
  progress.end();
  return count;
}

// ---- The job ---------------------------------------------------------------------------

/**
 * Runs the four steps of the job with `client`, reading the CSVs from `dataDir` and writing
 * the export to `outDir`. `today` (a Date or `yyyy-mm-dd`) is the UTC day the job runs for.
 * Resolves `{tallies, exported, exportPath}`.
 */
export async function runJob(client, dataDir, outDir, today = new Date()) {
  const day = today instanceof Date ? isoDay(today) : today;
  const progress = new Progress();
  const users = await syncUsers(client, await readCsv(join(dataDir, 'users.csv')), progress);
  const courses = await publishCourses(client, await readCsv(join(dataDir, 'courses.csv')), progress);
  const completions = await recordCompletions(
    client,
    await readCsv(join(dataDir, 'completions.csv')),
    courses.ids,
    day,
    progress,
  );
  const exportPath = join(outDir, `completions-${day}.jsonl`);
  const exported = await exportCompletions(client, exportPath, day, progress);
  return { tallies: [users, courses.tally, completions], exported, exportPath };
}

/** The summary table, the counters and the failures, as the Python job prints them. */
export function formatSummary(report, stats, elapsedMs) {
  const row = (name, ...cells) =>
    `  ${name.padEnd(12)}${String(cells[0]).padStart(9)}${String(cells[1]).padStart(9)}` +
    `${String(cells[2]).padStart(11)}${String(cells[3]).padStart(8)}`;
  const lines = ['', 'Summary', row('', 'created', 'updated', 'unchanged', 'failed')];
  for (const t of report.tallies) lines.push(row(t.name, t.created, t.updated, t.unchanged, t.failed.length));
  lines.push(`  exported ${report.exported} completions of the last 30 days to ${report.exportPath}`);
  lines.push(
    `  requests ${stats.requests}, retries ${stats.retries}, 429s ${stats.rateLimited}, ` +
      `token requests ${stats.tokenRequests}, elapsed ${(elapsedMs / 1000).toFixed(1)}s`,
  );
  const failures = report.tallies.flatMap((t) =>
    t.failed.map(([key, reason]) => `  ${t.name} ${key}: ${reason}`),
  );
  if (failures.length) lines.push('Failures', ...failures);
  return `${lines.join('\n')}\n`;
}

// ---- Command line ----------------------------------------------------------------------

const USAGE = `usage: nightly-job.mjs [--base-url URL] [--client-id ID] [--client-secret SECRET]
                       [--data DIR] [--out DIR]

The nightly Degreed sync: users, courses, completions, and a 30-day completions export.

  --base-url URL         API and token host (the sandbox); default: Degreed's hosts
  --client-id ID         default: $DEGREED_CLIENT_ID
  --client-secret SECRET default: $DEGREED_CLIENT_SECRET
  --data DIR             folder with users.csv, courses.csv, completions.csv
                         (default: examples/job/data of the repository)
  --out DIR              folder for the JSONL export (default: out)

Without --base-url, DEGREED_ENVIRONMENT (production, betatest) and DEGREED_DATA_CENTER
(us, eu, ca) choose the hosts.`;

/** The client: `baseUrl` (the sandbox) or the environment's Degreed hosts. */
export function makeClient({ baseUrl, clientId, clientSecret, ...options } = {}) {
  const env = (name) => process.env[name] || undefined;
  clientId ??= env('DEGREED_CLIENT_ID');
  clientSecret ??= env('DEGREED_CLIENT_SECRET');
  if (!clientId || !clientSecret) {
    throw new Error('set DEGREED_CLIENT_ID and DEGREED_CLIENT_SECRET, or pass --base-url for the sandbox');
  }
  const scopes = minimalScopes(JOB_OPERATIONS);
  const hosts = baseUrl
    ? { baseUrl, tokenUrl: baseUrl } // the sandbox serves both
    : {
        environment: env('DEGREED_ENVIRONMENT') ?? 'production',
        dataCenter: env('DEGREED_DATA_CENTER') ?? 'us',
      };
  return new Client({ clientId, clientSecret, ...hosts, scopes, ...options });
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'base-url': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        data: { type: 'string', default: resolve(HERE, '..', '..', 'examples', 'job', 'data') },
        out: { type: 'string', default: 'out' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  console.log(`Minimal scopes for this job: ${minimalScopes(JOB_OPERATIONS).join(',')}`);
  let client;
  try {
    client = makeClient({
      baseUrl: values['base-url'],
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
    });
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  let report;
  try {
    report = await runJob(client, values.data, values.out);
  } catch (e) {
    console.error(`the job stopped: ${e.message}`);
    return 1;
  }
  process.stdout.write(formatSummary(report, client.stats, performance.now() - started));
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
