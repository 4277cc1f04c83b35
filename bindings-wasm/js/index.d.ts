// Type definitions for the `degreed` npm package. Hand-written and checked by the test suite:
// `tsc --noEmit --strict` on test/types-usage.ts, and a generated file that names every
// catalogue operation (so an operation missing here fails the build).

// ---------------------------------------------------------------------------------------
// Client options
// ---------------------------------------------------------------------------------------

/** A Degreed environment. */
export type Environment = 'production' | 'betatest';
/** A Degreed data center. */
export type DataCenter = 'us' | 'eu' | 'ca';

/** What the client passes to `fetch` (a subset of `RequestInit`). */
export interface FetchInit {
  method: string;
  headers: [string, string][];
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
}

/** What the client reads from a `fetch` response (a subset of `Response`). */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, name: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` function: the global one, or any compatible implementation. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** Retry timing (the retry *policy* is the SDK's: 429 and connection failures, 5xx for safe methods). */
export interface RetryOptions {
  /** Back-off before the first retry, before jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Largest computed back-off (default 30 000 ms). */
  maxDelayMs?: number;
  /** Largest `Retry-After` honoured (default 120 000 ms). */
  maxRetryAfterMs?: number;
}

export interface ClientOptions {
  /** The API key's client id. */
  clientId: string;
  /** The API key's client secret. Kept inside the wasm module only; never printed. */
  clientSecret: string;
  /** Default `'production'`. */
  environment?: Environment;
  /** Default `'us'`. */
  dataCenter?: DataCenter;
  /** API base URL override (a proxy, the sandbox). `http://` only for loopback hosts. */
  baseUrl?: string;
  /** Token URL override; an origin alone gets `/oauth/token` appended. Defaults to `<baseUrl origin>/oauth/token` when `baseUrl` is set (and no `tenant`), else the environment's token host. */
  tokenUrl?: string;
  /** Use the tenant token host `<tenant>.[region.][beta.]degreed.app`. */
  tenant?: string;
  /** Scopes to request (`['users:read']` or `'users:read,completions:write'`). Calls whose allowed scopes are all missing are refused before sending. Default: each token asks for what the calls so far needed (the token endpoint requires `scope`), and a call that needs more gets a new token for the union. */
  scopes?: readonly string[] | string;
  /** Sends `X-Degreed-Organization-Code` (Extended Enterprise tenant) on the operations that accept it. */
  organizationCode?: string;
  /** The `fetch` to send with (default: the global `fetch`). */
  fetch?: FetchLike;
  /**
   * The deadline of each call in milliseconds (default 30 000): it covers connecting, the
   * response, every retry and every wait; a call that runs out rejects with `TimeoutError`.
   */
  timeoutMs?: number;
  /** The largest response body read (default 64 MiB); a longer one is a `DecodeError`. */
  maxBodyBytes?: number;
  /** Retries after the first attempt (default 4; 0 disables retrying). */
  maxRetries?: number;
  /** Retry timing. */
  retry?: RetryOptions;
  /** A requests-per-minute budget shared by all calls of this client (default: none, server headers only). */
  requestsPerMinute?: number;
  /** Aborts every call of this client. */
  signal?: AbortSignal;
  /**
   * Receives what each call does (the core's events, the same names as Python's `logging`
   * and Rust's `tracing`): requests, responses, retries, pacing waits, tokens, and writes that
   * may have been applied. Never a secret, a query string or a body. Nothing is printed
   * without it. Exceptions it throws are ignored.
   */
  onEvent?: (event: DegreedEvent) => void;
}

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

/** A request is being sent (`operation` is `'token'` for a token request). */
export interface RequestEvent {
  event: 'request';
  operation: string;
  method: string;
  /** The path template (`/api/v2/users/{id}`): never ids from the path, never the query. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** A response arrived. */
export interface ResponseEvent {
  event: 'response';
  operation: string;
  status: number;
  requestId: string | null;
  elapsedMs: number;
  attempt: number;
}

/** The request will be tried again after `waitMs`. */
export interface RetryEvent {
  event: 'retry';
  operation: string;
  /** The status that caused it; `null` when there was no answer. */
  status: number | null;
  cause: 'status' | 'no_response' | 'unreadable_response' | 'unauthorized';
  requestId: string | null;
  elapsedMs: number;
  waitMs: number;
  /** The attempt that comes next. */
  attempt: number;
}

/** The call waits before sending, to stay under a rate limit. */
export interface WaitEvent {
  event: 'wait';
  operation: string;
  waitMs: number;
  reason: 'retry_after' | 'rate_limit' | 'budget';
}

/** An access token was obtained. */
export interface TokenEvent {
  event: 'token';
  /** `false` for the first token, `true` for a replacement. */
  refreshed: boolean;
  /** Comma-joined, when known. */
  scopes: string | null;
  expiresInMs: number | null;
}

/** A write got no answer: it may have been applied. Look before trying again. */
export interface MaybeAppliedEvent {
  event: 'maybe_applied';
  operation: string;
  method: string;
  path: string;
  elapsedMs: number;
}

/** What `ClientOptions.onEvent` receives. */
export type DegreedEvent =
  | RequestEvent
  | ResponseEvent
  | RetryEvent
  | WaitEvent
  | TokenEvent
  | MaybeAppliedEvent;

// ---------------------------------------------------------------------------------------
// Call options
// ---------------------------------------------------------------------------------------

/** A query or filter value; `null`/`undefined` drop the key, `Date` becomes `yyyy-mm-dd`. */
export type QueryValue = string | number | boolean | Date | null | undefined;

export interface CallOptions {
  /** Aborts the call (the promise rejects with `signal.reason`). */
  signal?: AbortSignal;
  /** This call's deadline in milliseconds (for lists, each page's), instead of the client's. */
  timeoutMs?: number;
}

export interface GetOptions extends CallOptions {
  /** Extra query parameters, sent as given. */
  query?: Record<string, QueryValue>;
}

export interface WriteOptions extends GetOptions {
  /** `data.relationships` of the body, sent as given. */
  relationships?: unknown;
}

export interface ListOptions extends CallOptions {
  /** Page size, 1–1000 (the API's default is 100). */
  limit?: number;
  /** Start of a date range (`filter[start_date]`); windowed feeds are split into 7-day windows. */
  startDate?: Date | string;
  /**
   * End of the date range, inclusive (`filter[end_date]`). On windowed feeds it defaults to
   * today (UTC) and needs a `startDate`; other lists send whichever dates are given.
   */
  endDate?: Date | string;
  /** Filters sent as `filter[key]`, keys as given. */
  filter?: Record<string, QueryValue>;
  /** Extra query parameters, sent as given. */
  query?: Record<string, QueryValue>;
}

/** `users.get` and per-user lists: what `{id}` is (default: the Degreed id). */
export type UserIdentifier = 'email' | 'employee-id' | (string & {});

export interface UserGetOptions extends GetOptions {
  identifier?: UserIdentifier;
}

export interface PerUserListOptions extends ListOptions {
  identifier?: UserIdentifier;
}

export interface UserListOptions extends ListOptions {
  /** `filter[email]` */
  email?: string;
  /** `filter[employee_id]` */
  employeeId?: string;
}

export interface ContentListOptions extends ListOptions {
  /** `filter[external_id]` */
  externalId?: string;
  /** `filter[url]` */
  url?: string;
  /** `filter[term]`: search. */
  term?: string;
  /** `filter[internal_only]` (API default true). */
  internalOnly?: boolean;
  /** `filter[include_restricted]` (API default false). */
  includeRestricted?: boolean;
  /** `filter[modified_after]` */
  modifiedAfter?: Date | string;
  /** `filter[modified_before]` */
  modifiedBefore?: Date | string;
  /** `filter[created_after]` */
  createdAfter?: Date | string;
  /** `filter[created_before]` */
  createdBefore?: Date | string;
}

/**
 * Options of a list filtered by date only. Other keys are checked against the list's known
 * filters (an unknown key throws `InvalidRequestError` before sending); pass undocumented
 * filters in `filter`.
 */
export type EmployeeListOptions = ListOptions;

export interface SkillListOptions extends ListOptions {
  /** `filter[skill_name]` */
  skillName?: string;
}

export interface XapiListOptions extends CallOptions {
  /** Statements per page. */
  limit?: number;
  /** Only statements stored after this instant (sent in RFC 3339 UTC; a date is its midnight UTC). */
  since?: Date | string;
  /** Only statements stored up to this instant. */
  until?: Date | string;
  /** Oldest first (default newest first). */
  ascending?: boolean;
  /** Only this verb. */
  verb?: string;
  /** Extra query parameters, sent as given. */
  query?: Record<string, QueryValue>;
}

// ---------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------

/** A JSON value as sent by the server. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A reference to another resource. */
export interface ResourceRef {
  id: string;
  type: string;
  [key: string]: Json;
}

/**
 * A resource: attributes flattened in camelCase next to `id` and `type`; timestamps as
 * `Date` (`null` for Degreed's "no date"); unknown attributes kept; the item as sent in `raw`
 * (not enumerable, so `JSON.stringify(model)` stays clean).
 */
export interface Resource {
  id: string;
  type: string | null;
  relationships: Record<string, ResourceRef | ResourceRef[] | null>;
  included: Resource[];
  links: { self?: string; [key: string]: Json | undefined } | null;
  readonly raw: { [key: string]: Json };
  [attribute: string]: unknown;
}

/** A timestamp attribute: a `Date`, or `null` when Degreed says "never". */
export type Timestamp = Date | null;

export interface User extends Resource {
  employeeId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  fullName?: string | null;
  organizationEmail?: string | null;
  personalEmail?: string | null;
  profileVisibility?: 'Everyone' | 'Organization' | 'Private' | (string & {}) | null;
  bio?: string | null;
  location?: string | null;
  profileImageUrl?: string | null;
  loginDisabled?: boolean | null;
  restricted?: boolean | null;
  isActiveLearner?: boolean | null;
  permissionRole?: 'Admin' | 'LearningProfessional' | 'Manager' | 'Member' | (string & {}) | null;
  jobRole?: string | null;
  aliasUid?: string | null;
  preferredLanguage?: string | null;
  realTimeEmailNotification?: boolean | null;
  dailyDigestEmail?: boolean | null;
  weeklyDigestEmail?: boolean | null;
  totalPoints?: number | null;
  dailyLogins?: number | null;
  createdAt?: Timestamp;
  firstLoginAt?: Timestamp;
  lastLoginAt?: Timestamp;
}

export interface UserAttributes {
  employeeId?: string;
  firstName?: string;
  lastName?: string;
  organizationEmail?: string;
  personalEmail?: string;
  profileVisibility?: 'Everyone' | 'Organization' | 'Private' | (string & {});
  bio?: string;
  location?: string;
  profileImageUrl?: string;
  loginDisabled?: boolean;
  restricted?: boolean;
  permissionRole?: 'Admin' | 'LearningProfessional' | 'Manager' | 'Member' | (string & {});
  jobRole?: string;
  aliasUid?: string;
  preferredLanguage?: string;
  password?: string;
  realTimeEmailNotification?: boolean;
  dailyDigestEmail?: boolean;
  weeklyDigestEmail?: boolean;
  [attribute: string]: unknown;
}

export interface UserCreate extends UserAttributes {
  employeeId: string;
  firstName: string;
  lastName: string;
  organizationEmail: string;
}

export type ContentType =
  | 'Article'
  | 'Book'
  | 'Course'
  | 'Video'
  | 'Podcast'
  | 'Event'
  | 'Assessment'
  | (string & {});

export type DurationType = 'Seconds' | 'Minutes' | 'Hours' | 'Days' | 'Words' | (string & {});

export interface Content extends Resource {
  contentType?: ContentType | null;
  externalId?: string | null;
  title?: string | null;
  summary?: string | null;
  url?: string | null;
  degreedUrl?: string | null;
  format?: string | null;
  isObsolete?: boolean | null;
  obsolete?: boolean | null;
  imageUrl?: string | null;
  language?: string | null;
  duration?: number | null;
  durationType?: DurationType | null;
  provider?: string | null;
  providerCode?: string | null;
  isInternal?: boolean | null;
  owner?: string | null;
  learningMinutes?: number | null;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
  publishDate?: Timestamp;
}

export interface Course extends Content {
  costUnits?: number | null;
  costUnitType?: string | null;
  difficulty?: string | null;
  videoUrl?: string | null;
}
export interface Article extends Content {
  numWords?: number | null;
}
export interface Book extends Content {
  subtitle?: string | null;
  authors?: string | null;
  pages?: number | null;
  isbn13?: string | null;
}
export interface Video extends Content {}
export interface Assessment extends Content {}
export interface Podcast extends Content {}
export interface Event extends Content {}

/** Attributes of a typed content create or update. */
export interface ContentAttributes {
  externalId?: string;
  title?: string;
  summary?: string;
  url?: string;
  format?: string;
  obsolete?: boolean;
  imageUrl?: string;
  language?: string;
  duration?: number;
  durationType?: DurationType;
  providerCode?: string;
  publishDate?: string | Date;
  [attribute: string]: unknown;
}

export interface CourseCreate extends ContentAttributes {
  title: string;
  externalId: string;
  duration?: number;
  durationType?: DurationType;
  costUnits?: number;
  costUnitType?: string;
  difficulty?: string;
  videoUrl?: string;
}
export interface ArticleCreate extends ContentAttributes {
  title: string;
  externalId: string;
  url: string;
  numWords?: number;
}
export interface BookCreate extends ContentAttributes {
  title: string;
  externalId: string;
  subtitle?: string;
  author?: string;
  pages?: number;
  isbn13?: string;
}
export interface VideoCreate extends ContentAttributes {
  title: string;
  externalId: string;
}
export interface ContentCreate extends ContentAttributes {
  title: string;
  externalId: string;
}

/** `{id: <skill name>, type: 'skills'}` */
export interface Skill extends Resource {}

export type UserIdentifierType = 'UserId' | 'Email' | 'EmployeeId' | 'AliasUid' | 'AliasEmail' | (string & {});
export type ContentIdType = 'Id' | 'ExternalId' | 'ContentUrl' | (string & {});

export interface Completion extends Resource {
  employeeId?: string | null;
  completedAt?: Timestamp;
  addedAt?: Timestamp;
  pointsEarned?: number | string | null;
  isVerified?: boolean | null;
  rating?: number | null;
  accessMethod?: string | null;
}

export interface CompletionAttributes {
  userId?: string;
  userIdentifierType?: UserIdentifierType;
  contentId?: string;
  contentIdType?: ContentIdType;
  contentType?: ContentType;
  completedAt?: string | Date;
  isVerified?: boolean;
  questionsCorrect?: number;
  percentile?: number;
  duration?: number;
  involvementLevel?: string;
  [attribute: string]: unknown;
}

export interface CompletionCreate extends CompletionAttributes {
  userId: string;
  userIdentifierType: UserIdentifierType;
  contentId: string;
}

export interface RequiredLearning extends Resource {
  employeeId?: string | null;
  assignmentType?: string | null;
  status?: string | null;
  dueAt?: Timestamp;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
}

export interface Recommendation extends Resource {
  employeeId?: string | null;
  recipientEmployeeId?: string | null;
  status?: string | null;
  recommendedAt?: Timestamp;
  modifiedAt?: Timestamp;
}

/** An item of a user's recommended or today's learning (shape as required learning). */
export interface LearningItem extends Resource {
  employeeId?: string | null;
  status?: string | null;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
}

export interface Pathway extends Resource {
  title?: string | null;
  summary?: string | null;
  visibility?: string | null;
  sections?: Json;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
}
export interface PathwayTag extends Resource {
  tag?: string | null;
}
/** A pathway collaborator or follower, or a skill-plan follower. */
export interface Follower extends Resource {
  employeeId?: string | null;
  createdAt?: Timestamp;
  enrolledAt?: Timestamp;
  isPrimaryPlan?: boolean | null;
}

export interface SkillPlan extends Resource {
  name?: string | null;
  description?: string | null;
  visibility?: string | null;
  sections?: Json;
  createdAt?: Timestamp;
}

export interface Group extends Resource {
  name?: string | null;
  description?: string | null;
  privacy?: 'Open' | 'Closed' | 'Private' | 'Administrative' | (string & {}) | null;
  externalGroupId?: string | null;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
}
/** A membership record of `groups.users.list` (the user is in `relationships.user`). */
export interface GroupMember extends Resource {
  employeeId?: string | null;
  role?: string | null;
}

export interface SkillRating extends Resource {
  employeeId?: string | null;
  skillName?: string | null;
  rating?: number | null;
  ratingType?: string | null;
  certifiableSkillGuid?: string | null;
  ratedAt?: Timestamp;
}

export interface UserSkill extends Resource {
  employeeId?: string | null;
  skillId?: string | null;
  skillName?: string | null;
  certifiableSkillGuid?: string | null;
  followedAt?: Timestamp;
}

export interface CertifiableSkill extends Resource {
  name?: string | null;
  description?: string | null;
  skillUniqueIdentifier?: string | null;
  isFeatured?: boolean | null;
  visibility?: string | null;
  cost?: number | string | null;
  createdAt?: Timestamp;
  modifiedAt?: Timestamp;
}

export interface Login extends Resource {
  employeeId?: string | null;
  loggedInAt?: Timestamp;
}
export interface View extends Resource {
  url?: string | null;
  contentType?: ContentType | null;
  contentTitle?: string | null;
  viewCount?: number | null;
  viewedAt?: Timestamp;
}
export interface SearchTerm extends Resource {
  searchTerm?: string | null;
  count?: number | null;
}
export interface UserFollower extends Resource {
  followerEmployeeId?: string | null;
  followingEmployeeId?: string | null;
  followedAt?: Timestamp;
}
export interface Provider extends Resource {
  name?: string | null;
  url?: string | null;
}
export interface ProviderLicence extends Resource {
  employeeId?: string | null;
  isEnabled?: boolean | null;
  createdAt?: Timestamp;
}

/** An xAPI statement: keys as sent, `timestamp` and `stored` as `Date`. */
export interface XapiStatement {
  id?: string;
  actor?: Json;
  verb?: Json;
  object?: Json;
  context?: Json;
  result?: Json;
  timestamp?: Date;
  stored?: Date;
  readonly raw: { [key: string]: Json };
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// Paging and replies
// ---------------------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  status: number;
  requestId: string | null;
  /** The page's body as sent. */
  raw: Json;
}

/** The items of a list operation, fetched page by page as you iterate. */
export declare class Paginator<T> implements AsyncIterable<T> {
  private constructor();
  /** Each page. */
  pages(): AsyncGenerator<Page<T>, void, undefined>;
  /** Each item of each page. */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
  /** Every item, in one array. */
  toArray(): Promise<T[]>;
  /** Pages read so far. */
  readonly pagesRead: number;
  /** Items fetched so far. */
  readonly itemsSeen: number;
  /** Date windows of the walk (1 without a date range). */
  readonly windows: number;
  /** Date windows not started yet. */
  readonly windowsLeft: number;
}

/** The reply of `client.request()`. */
export interface Reply {
  status: number;
  requestId: string | null;
  /** `data` as models (a list for list operations), or `null`. */
  data: Resource | Resource[] | Json | null;
  links: Json;
  /** The body as sent (`null` for an empty body). */
  raw: Json;
}

export interface RequestOptions extends CallOptions {
  /** Path parameters, in template order (`users.get` → `[id]`). */
  path?: string | readonly string[];
  query?: Record<string, QueryValue>;
  filter?: Record<string, QueryValue>;
  limit?: number;
  /** Resource attributes (any key case; sent as kebab-case). */
  attributes?: Record<string, unknown>;
  relationships?: unknown;
  /** Ids of a relationship body. */
  ids?: readonly string[];
  /** A raw JSON body, sent unchanged. */
  body?: unknown;
}

export interface PaginateOptions extends CallOptions {
  path?: string | readonly string[];
  query?: Record<string, QueryValue>;
  filter?: Record<string, QueryValue>;
  limit?: number;
  startDate?: Date | string;
  endDate?: Date | string;
}

export interface Stats {
  /** API requests sent (token requests not included). */
  requests: number;
  /** Retries, including the one token refresh after a 401. */
  retries: number;
  /** 429 responses received. */
  rateLimited: number;
  /** Token requests sent. */
  tokenRequests: number;
}

/** A catalogue entry. */
export interface Operation {
  readonly name: OperationName;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** The scope tokens ask for: the first of `scopes`. */
  readonly scope: string;
  /** The scopes that allow the call, any one being enough. */
  readonly scopes: readonly string[];
  /**
   * Where the operation comes from: `documented` (an official Degreed page, `sourceRef`
   * is its URL), `community` (a public client calls the real API this way, `sourceRef` is
   * its repository path; no official page was found, so it may change without notice) or
   * `inferred` (no source shows it; it may not exist as described).
   */
  readonly source: 'documented' | 'community' | 'inferred';
  readonly sourceRef: string | null;
  /** The filters the list knows (snake_case); other option keys are refused. */
  readonly filters: readonly string[];
  readonly paging: 'none' | 'cursor' | 'xapi';
  readonly body: 'none' | 'resource' | 'relationships' | 'raw';
  readonly pathParams: readonly string[];
  readonly tenantHeader: boolean;
  readonly windowed: boolean;
}

// ---------------------------------------------------------------------------------------
// Namespaces (one per catalogue prefix)
// ---------------------------------------------------------------------------------------

/** `list` under a parent resource: `(parentId, options?)`. */
export interface ChildList<T, O = ListOptions> {
  list(id: string, options?: O): Paginator<T>;
}

export interface UsersNamespace {
  list(options?: UserListOptions): Paginator<User>;
  get(id: string, options?: UserGetOptions): Promise<User>;
  create(attributes: UserCreate, options?: WriteOptions): Promise<User | null>;
  update(id: string, attributes: UserAttributes, options?: WriteOptions): Promise<User | null>;
  delete(id: string, options?: CallOptions): Promise<void>;
  completions: ChildList<Completion, PerUserListOptions>;
  requiredLearning: ChildList<RequiredLearning, PerUserListOptions>;
  recommendedLearning: ChildList<LearningItem, PerUserListOptions>;
  skillRatings: ChildList<SkillRating, PerUserListOptions>;
  userSkills: ChildList<UserSkill, PerUserListOptions>;
  skillPlans: ChildList<SkillPlan, PerUserListOptions>;
  todaysLearning: ChildList<LearningItem, PerUserListOptions>;
  v3: {
    create(attributes: UserCreate, options?: WriteOptions): Promise<User | null>;
  };
}

/** The five operations of one typed content kind (`content.courses.*`). */
export interface TypedContentNamespace<T extends Content, C, U = ContentAttributes> {
  list(options?: ContentListOptions): Paginator<T>;
  get(id: string, options?: GetOptions): Promise<T>;
  create(attributes: C, options?: WriteOptions): Promise<T | null>;
  update(id: string, attributes: U, options?: WriteOptions): Promise<T | null>;
  delete(id: string, options?: CallOptions): Promise<void>;
}

export interface ContentNamespace {
  list(options?: ContentListOptions): Paginator<Content>;
  get(id: string, options?: GetOptions): Promise<Content>;
  skills: {
    list(contentId: string, options?: ListOptions): Paginator<Skill>;
    /** Tags content with skills, by name. */
    add(contentId: string, skills: readonly string[], options?: CallOptions): Promise<void>;
    remove(contentId: string, skills: readonly string[], options?: CallOptions): Promise<void>;
  };
  articles: TypedContentNamespace<Article, ArticleCreate>;
  books: TypedContentNamespace<Book, BookCreate>;
  videos: TypedContentNamespace<Video, VideoCreate>;
  courses: TypedContentNamespace<Course, CourseCreate>;
  assessments: TypedContentNamespace<Assessment, ContentCreate>;
  podcasts: TypedContentNamespace<Podcast, ContentCreate>;
  events: TypedContentNamespace<Event, ContentCreate>;
}

export interface CompletionsNamespace {
  /** Date ranges longer than 7 days are walked window by window. */
  list(options?: EmployeeListOptions): Paginator<Completion>;
  get(id: string, options?: GetOptions): Promise<Completion>;
  create(attributes: CompletionCreate, options?: WriteOptions): Promise<Completion | null>;
  update(id: string, attributes: CompletionAttributes, options?: WriteOptions): Promise<Completion | null>;
  delete(id: string, options?: CallOptions): Promise<void>;
}

export interface RequiredLearningNamespace {
  list(options?: EmployeeListOptions): Paginator<RequiredLearning>;
  get(id: string, options?: GetOptions): Promise<RequiredLearning>;
}

export interface RecommendationsNamespace {
  list(options?: EmployeeListOptions): Paginator<Recommendation>;
}

export interface PathwaysNamespace {
  list(options?: ListOptions): Paginator<Pathway>;
  get(id: string, options?: GetOptions): Promise<Pathway>;
  tags: ChildList<PathwayTag>;
  collaborators: ChildList<Follower>;
  groups: ChildList<Group>;
  followers: ChildList<Follower>;
}

export interface SkillPlansNamespace {
  list(options?: ListOptions): Paginator<SkillPlan>;
  get(id: string, options?: GetOptions): Promise<SkillPlan>;
  followers: ChildList<Follower>;
}

export interface GroupsNamespace {
  list(options?: ListOptions): Paginator<Group>;
  get(id: string, options?: GetOptions): Promise<Group>;
  users: ChildList<GroupMember, EmployeeListOptions>;
  members: {
    /** Adds users (by Degreed id) to a group. */
    add(groupId: string, userIds: readonly string[], options?: CallOptions): Promise<void>;
    remove(groupId: string, userIds: readonly string[], options?: CallOptions): Promise<void>;
  };
}

export interface SkillRatingsNamespace {
  list(options?: SkillListOptions): Paginator<SkillRating>;
}

export interface UserSkillsNamespace {
  list(options?: ListOptions): Paginator<UserSkill>;
}

export interface CertifiableSkillsNamespace {
  list(options?: ListOptions): Paginator<CertifiableSkill>;
  get(id: string, options?: GetOptions): Promise<CertifiableSkill>;
}

export interface ProvidersNamespace {
  list(options?: ListOptions): Paginator<Provider>;
  get(id: string, options?: GetOptions): Promise<Provider>;
  licences: ChildList<ProviderLicence, EmployeeListOptions>;
}

export interface XapiNamespace {
  statements: {
    list(options?: XapiListOptions): Paginator<XapiStatement>;
    /** Sends one statement or a list, unchanged; resolves to the server's answer. */
    create(statements: Json, options?: GetOptions): Promise<Json>;
  };
}

/** Every catalogue operation name. */
export type OperationName =
  | 'users.list' | 'users.get' | 'users.create' | 'users.update' | 'users.delete'
  | 'users.completions.list' | 'users.required_learning.list' | 'users.recommended_learning.list'
  | 'users.skill_ratings.list' | 'users.user_skills.list' | 'users.skill_plans.list'
  | 'users.todays_learning.list' | 'users.v3.create'
  | 'content.list' | 'content.get' | 'content.skills.list' | 'content.skills.add' | 'content.skills.remove'
  | 'completions.list' | 'completions.get' | 'completions.create' | 'completions.update' | 'completions.delete'
  | 'required_learning.list' | 'required_learning.get'
  | 'recommendations.list'
  | 'pathways.list' | 'pathways.get' | 'pathways.tags.list' | 'pathways.collaborators.list'
  | 'pathways.groups.list' | 'pathways.followers.list'
  | 'skill_plans.list' | 'skill_plans.get' | 'skill_plans.followers.list'
  | 'groups.list' | 'groups.get' | 'groups.users.list' | 'groups.members.add' | 'groups.members.remove'
  | 'skill_ratings.list'
  | 'user_skills.list'
  | 'certifiable_skills.list' | 'certifiable_skills.get'
  | 'logins.list' | 'views.list' | 'search_terms.list' | 'user_followers.list'
  | 'providers.list' | 'providers.get' | 'providers.licences.list'
  | 'xapi.statements.list' | 'xapi.statements.create'
  | `content.${ContentKind}.${'list' | 'get' | 'create' | 'update' | 'delete'}`;

/** The typed content kinds, as in paths. */
export type ContentKind = 'articles' | 'books' | 'videos' | 'courses' | 'assessments' | 'podcasts' | 'events';

// ---------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------

/** A Degreed API client. One client shares one token, one pacer and one set of counters. */
export declare class Client {
  /** @throws {InvalidRequestError} for bad options (nothing is sent). */
  constructor(options: ClientOptions);

  /**
   * A client configured by the `DEGREED_*` variables of `env` (default: `process.env`):
   * `DEGREED_CLIENT_ID`, `DEGREED_CLIENT_SECRET` (required), `DEGREED_ENVIRONMENT`,
   * `DEGREED_DATA_CENTER`, `DEGREED_BASE_URL`, `DEGREED_TOKEN_URL`, `DEGREED_TENANT`,
   * `DEGREED_ORGANIZATION_CODE`, `DEGREED_SCOPES`, `DEGREED_TIMEOUT` (seconds); empty ones
   * count as unset. `options` win over the environment.
   * @throws {InvalidRequestError} without a client id and secret, or for a bad value.
   */
  static fromEnv(
    env?: Readonly<Record<string, string | undefined>>,
    options?: Partial<ClientOptions>,
  ): Client;

  readonly users: UsersNamespace;
  readonly content: ContentNamespace;
  readonly completions: CompletionsNamespace;
  readonly requiredLearning: RequiredLearningNamespace;
  readonly recommendations: RecommendationsNamespace;
  readonly pathways: PathwaysNamespace;
  readonly skillPlans: SkillPlansNamespace;
  readonly groups: GroupsNamespace;
  readonly skillRatings: SkillRatingsNamespace;
  readonly userSkills: UserSkillsNamespace;
  readonly certifiableSkills: CertifiableSkillsNamespace;
  readonly logins: { list(options?: EmployeeListOptions): Paginator<Login> };
  readonly views: { list(options?: EmployeeListOptions): Paginator<View> };
  readonly searchTerms: { list(options?: ListOptions): Paginator<SearchTerm> };
  readonly userFollowers: { list(options?: ListOptions): Paginator<UserFollower> };
  readonly providers: ProvidersNamespace;
  readonly xapi: XapiNamespace;

  /** Calls any catalogue operation by name (an escape hatch for what the namespaces do not model). */
  request(operation: OperationName, options?: RequestOptions): Promise<Reply>;
  /** Walks every page of any list operation by name. */
  paginate(operation: OperationName, options?: PaginateOptions): Paginator<Resource>;

  /** Counters so far. */
  readonly stats: Stats;
  /** The client id (not secret). */
  readonly clientId: string;
  /** The API base URL in use. */
  readonly baseUrl: string;
  /** The token URL in use. */
  readonly tokenUrl: string;
  /** Drops the cached token; the next call fetches a new one. */
  clearToken(): void;
  /** A redacted description (never the secret or the token). */
  toJSON(): {
    clientId: string;
    clientSecret: '[redacted]';
    baseUrl: string;
    tokenUrl: string;
    organizationCode: string | null;
    scopes: string[] | null;
    timeoutMs: number;
  };
}

/** The smallest scope list that allows every named operation, sorted. */
export declare function minimalScopes(operations: readonly OperationName[]): string[];

/**
 * The operation catalogue: one entry per operation with its method, path, scopes, known
 * filters and source (`documented`, `community` or `inferred`).
 */
export declare function operations(): readonly Operation[];

/** The JS path of an operation: `'users.required_learning.list'` → `['users', 'requiredLearning', 'list']`. */
export declare function operationPath(name: string): string[];

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'transport'
  | 'timeout'
  | 'decode';

/** One entry of the API's `errors[]`. */
export interface ErrorObject {
  id?: string;
  code?: string;
  status?: number | string;
  title?: string;
  detail?: string;
  source?: Json;
  [key: string]: Json | undefined;
}

/** The root of every error the SDK raises. */
export declare class DegreedError extends Error {
  /** Stable kind; `'aborted'` when a signal aborted with a reason that is not an `Error`. */
  readonly kind: ErrorKind | 'aborted' | 'unknown';
  /** HTTP status of the response, when there was one. */
  readonly status: number | null;
  /** The API's `errors[]` objects (empty when none). */
  readonly errors: ErrorObject[];
  /** The response's request id, when present. */
  readonly requestId: string | null;
  /**
   * True when a failed write may have been applied anyway: no answer after sending, a 5xx,
   * or a success answer that could not be read. Look the record up before sending it again.
   * Always false for reads, idempotent writes and refusals.
   */
  readonly maybeApplied: boolean;
}
/** Bad input (raised before sending), or a 400-class answer. */
export declare class InvalidRequestError extends DegreedError {
  readonly name: 'InvalidRequestError';
  readonly kind: 'invalid_request';
}
/** Credentials or scopes refused by the token endpoint, or the token refused by the API. */
export declare class AuthenticationError extends DegreedError {
  readonly name: 'AuthenticationError';
  readonly kind: 'authentication';
}
/** A scope is missing (checked before sending), or the API answered 403. */
export declare class PermissionDeniedError extends DegreedError {
  readonly name: 'PermissionDeniedError';
  readonly kind: 'permission_denied';
  /** The scope the operation needs (`users:write`), when known. */
  readonly missingScope: string | null;
}
/** 404. */
export declare class NotFoundError extends DegreedError {
  readonly name: 'NotFoundError';
  readonly kind: 'not_found';
}
/** 409: the external id or URL is already used. */
export declare class ConflictError extends DegreedError {
  readonly name: 'ConflictError';
  readonly kind: 'conflict';
}
/** 429 after the retries ran out. */
export declare class RateLimitError extends DegreedError {
  readonly name: 'RateLimitError';
  readonly kind: 'rate_limited';
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfter: number | null;
}
/** 5xx after the retries ran out (writes are not retried after a 5xx). */
export declare class ServerError extends DegreedError {
  readonly name: 'ServerError';
  readonly kind: 'server';
}
/** No response: connection failure or timeout. */
export declare class TransportError extends DegreedError {
  readonly name: 'TransportError' | 'TimeoutError';
  readonly kind: 'transport' | 'timeout';
}
/** The call's deadline (`timeoutMs`) passed: it covers every attempt and wait. */
export declare class TimeoutError extends TransportError {
  readonly name: 'TimeoutError';
  readonly kind: 'timeout';
}
/** The response could not be decoded. */
export declare class DecodeError extends DegreedError {
  readonly name: 'DecodeError';
  readonly kind: 'decode';
}
