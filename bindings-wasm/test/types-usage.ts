// Compiled with `tsc --noEmit --strict` (test/types/tsconfig.*.json): the public types as a
// user meets them. Never run. Lines marked @ts-expect-error must fail to compile, so the
// typings stay precise (a type that silently accepts anything fails this file).
import {
  AuthenticationError,
  Client,
  ConflictError,
  DecodeError,
  DegreedError,
  InvalidRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TransportError,
  minimalScopes,
  operationPath,
  operations,
} from 'degreed';
import type {
  ClientOptions,
  Completion,
  Course,
  DegreedEvent,
  ErrorKind,
  FetchLike,
  Group,
  OperationName,
  Page,
  Paginator,
  Reply,
  Resource,
  Stats,
  User,
  XapiStatement,
} from 'degreed';

export async function usage(): Promise<void> {
  const options: ClientOptions = {
    clientId: 'id',
    clientSecret: 'secret',
    environment: 'betatest',
    dataCenter: 'eu',
    scopes: minimalScopes(['users.list', 'completions.create']),
    timeoutMs: 10_000,
    maxRetries: 2,
    retry: { baseDelayMs: 100 },
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
  };
  const client = new Client(options);
  new Client({ clientId: 'id', clientSecret: 's', baseUrl: 'http://127.0.0.1:8080', tokenUrl: 'http://127.0.0.1:8080' });

  // @ts-expect-error clientSecret is required
  new Client({ clientId: 'id' });
  // @ts-expect-error unknown environment
  new Client({ clientId: 'id', clientSecret: 's', environment: 'moon' });

  // Lists: async iterables of typed models.
  for await (const user of client.users.list({ limit: 1000, email: 'a@b.c' })) {
    const id: string = user.id;
    const emp: string | null | undefined = user.employeeId;
    const created: Date | null | undefined = user.createdAt;
    const raw: unknown = user.raw;
    void [id, emp, created, raw];
  }
  const pages: AsyncGenerator<Page<User>, void, undefined> = client.users.list().pages();
  for await (const page of pages) {
    const first: User | undefined = page.items[0];
    const rid: string | null = page.requestId;
    void [first, rid];
  }
  const all: User[] = await client.users.list().toArray();
  // @ts-expect-error limit is a number
  client.users.list({ limit: '10' });
  // @ts-expect-error no such filter on users
  client.users.list({ colour: 'red' });

  const created: User | null = await client.users.create({
    employeeId: 'E1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    organizationEmail: 'ada@example.com',
  });
  // @ts-expect-error organizationEmail is required
  await client.users.create({ employeeId: 'E1', firstName: 'Ada', lastName: 'Lovelace' });
  const got: User = await client.users.get('ada@example.com', { identifier: 'email' });
  await client.users.update(got.id, { location: 'London' });
  const gone: void = await client.users.delete(got.id);
  // @ts-expect-error the id is a string
  await client.users.get(42);

  const completion: Completion | null = await client.completions.create({
    userId: 'ada@example.com',
    userIdentifierType: 'Email',
    contentId: 'C-1',
    contentIdType: 'ExternalId',
    contentType: 'Course',
    completedAt: new Date(),
  });
  // Fields as the core's schema declares them (names, types) in every host.
  const points: number | null | undefined = completion?.pointsEarned;
  const book = await client.content.books.get('b1');
  const isbn: string | null | undefined = book.isbn13;
  const authors: string[] | null | undefined = book.authors;
  const visibility: string | null | undefined = book.visibility;
  const groupIds: string[] | null | undefined = book.groupsWithAccessIds;
  const learner: boolean | null | undefined = (await client.users.get('u1')).isActiveLearner;
  void [points, isbn, authors, visibility, groupIds, learner];
  // @ts-expect-error a create answered 204 is null: the result must be checked
  const notNull: Completion = await client.completions.update('c1', { isVerified: true });
  // @ts-expect-error contentId is required
  await client.completions.create({ userId: 'u', userIdentifierType: 'Email' });

  const windowed: Paginator<Completion> = client.completions.list({ startDate: new Date(), endDate: '2024-01-31' });
  client.users.requiredLearning.list('user-id', { identifier: 'email' });
  const course: Course | null = await client.content.courses.create({
    title: 'T',
    externalId: 'X',
    duration: 2,
    durationType: 'Hours',
  });
  await client.content.skills.add('content-id', ['Python']);
  // @ts-expect-error skills are a list of names
  await client.content.skills.add('content-id', 'Python');
  await client.groups.members.add('group-id', ['u1', 'u2']);
  const groups: Group[] = await client.groups.list().toArray();
  for await (const s of client.xapi.statements.list({ since: new Date(), verb: 'completed' })) {
    const when: Date | null | undefined = s.timestamp;
    const st: XapiStatement = s;
    void [when, st];
  }
  // @ts-expect-error xAPI lists take since/until, not windows
  client.xapi.statements.list({ startDate: '2024-01-01', endDate: '2024-01-02' });

  const reply: Reply = await client.request('users.get', { path: ['id'], query: { identifier: 'email' } });
  const data: Resource | Resource[] | unknown = reply.data;
  // @ts-expect-error unknown operation name
  await client.request('users.frobnicate');
  for await (const r of client.paginate('logins.list', { startDate: '2024-01-01', endDate: '2024-03-01' })) {
    void r.id;
  }

  const stats: Stats = client.stats;
  const n: number = stats.requests + stats.retries + stats.rateLimited + stats.tokenRequests;
  const redacted: '[redacted]' = client.toJSON().clientSecret;
  const name: OperationName = 'content.courses.create';
  const path: string[] = operationPath(name);
  const scope: string | undefined = operations()[0]?.scope;
  // @ts-expect-error minimalScopes takes operation names
  minimalScopes(['users.nope']);

  const controller = new AbortController();
  await client.users.get('x', { signal: controller.signal, timeoutMs: 500 });

  try {
    await client.users.get('x');
  } catch (e) {
    if (e instanceof RateLimitError) {
      const wait: number | null = e.retryAfter;
      const kind: 'rate_limited' = e.kind;
      void [wait, kind];
    } else if (e instanceof PermissionDeniedError) {
      const missing: string | null = e.missingScope;
      void missing;
    } else if (e instanceof TransportError) {
      const maybe: boolean = e.maybeApplied;
      void maybe;
    } else if (
      e instanceof InvalidRequestError ||
      e instanceof AuthenticationError ||
      e instanceof NotFoundError ||
      e instanceof ConflictError ||
      e instanceof ServerError ||
      e instanceof DecodeError
    ) {
      const status: number | null = e.status;
      const detail: string | undefined = e.errors[0]?.detail;
      const requestId: string | null = e.requestId;
      // Every error says whether a failed write may have been applied.
      const maybe: boolean = e.maybeApplied;
      void [status, detail, requestId, maybe];
    } else if (e instanceof DegreedError) {
      const kind: ErrorKind | 'aborted' | 'unknown' = e.kind;
      const asError: Error = e;
      void [kind, asError];
    }
  }

  // A custom fetch.
  const myFetch: FetchLike = async (url, init) => {
    void init.signal;
    return fetch(url, init);
  };
  new Client({ clientId: 'i', clientSecret: 's', fetch: myFetch });

  // Events: a discriminated union on `event`.
  const onEvent = (e: DegreedEvent): void => {
    if (e.event === 'retry') {
      const status: number | null = e.status;
      const wait: number = e.waitMs;
      const rid: string | null = e.requestId;
      void [status, wait, rid];
    } else if (e.event === 'wait') {
      const reason: 'retry_after' | 'rate_limit' | 'budget' = e.reason;
      void reason;
    } else if (e.event === 'maybe_applied') {
      const path: string = e.path;
      void path;
    }
  };
  new Client({ clientId: 'i', clientSecret: 's', onEvent });
  const fromEnv: Client = Client.fromEnv({ DEGREED_CLIENT_ID: 'i' }, { onEvent });
  const walk = fromEnv.completions.list({ startDate: '2024-01-01' });
  const left: number = walk.windowsLeft + walk.itemsSeen + walk.pagesRead + walk.windows;
  void left;
  // @ts-expect-error onEvent takes a function
  new Client({ clientId: 'i', clientSecret: 's', onEvent: 'log' });

  void [all, created, gone, completion, notNull, windowed, course, groups, data, n, redacted, path, scope];
}
