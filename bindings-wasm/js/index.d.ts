// Type definitions for the `degreed` npm package, checked by the test suite (`tsc --noEmit
// --strict` on test/types-usage.ts, and a generated file that names every catalogue
// operation). The sections between `BEGIN GENERATED` and `END GENERATED` (models, write
// bodies, enums, list options, namespaces, operation names) are written by
// tools/gen-types.mjs from the core's schema; the rest is hand-written.

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
  /**
   * Once the retries are used up, how long in all an idempotent call may still wait for a
   * 503 to pass, as Degreed advises during maintenance (30-120 s between tries), and only
   * while its `timeoutMs` allows (default 300 000 ms; 0 turns it off). Otherwise the 503
   * rejects at once with a `ServerError` saying when to try again.
   */
  maxMaintenanceWaitMs?: number;
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
  /** A `Paginator`'s `cursor`: continue that walk (of the same list) where it stood. */
  resume?: string;
  /** Start of a date range (`filter[start_date]`); windowed feeds are split into 7-day windows. */
  startDate?: Date | string;
  /**
   * End of the date range (`filter[end_date]`; whether Degreed includes that day is not
   * documented: a windowed walk returns what one request for the range would, each item
   * once). On windowed feeds it defaults to today (UTC) and needs a `startDate`; other lists
   * send whichever dates are given.
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

/**
 * Options of a list filtered by date only. Other keys are checked against the list's known
 * filters (an unknown key throws `InvalidRequestError` before sending); pass undocumented
 * filters in `filter`.
 */
export type EmployeeListOptions = ListOptions;

export interface XapiListOptions extends CallOptions {
  /** Statements per page. */
  limit?: number;
  /** A `Paginator`'s `cursor`: continue that walk where it stood. */
  resume?: string;
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
 * A resource: a view over the item as sent (`raw`, the parsed item itself, not a copy). Its
 * attributes read in camelCase next to `id` and `type`, each read from `raw` when first asked
 * for; timestamps as `Date` (`null` for Degreed's "no date"), converted on first read; unknown
 * attributes kept. The fields are getters, not own properties: `toJSON()` gives the plain
 * object (what `JSON.stringify(model)` prints). A timestamp attribute of a page that does not
 * read as one throws a `DecodeError` when it is read.
 */
export interface Resource {
  readonly id: string;
  readonly type: string | null;
  readonly relationships: Record<string, ResourceRef | ResourceRef[] | null>;
  readonly included: Resource[];
  readonly links: { self?: string; [key: string]: Json | undefined } | null;
  readonly raw: { [key: string]: Json };
  /** The model as a plain object: `{id, type, ...attributes, relationships, links, included}`. */
  toJSON(): { id: string; type: string | null; [field: string]: unknown };
  [attribute: string]: unknown;
}

/** A timestamp attribute: a `Date`, or `null` when Degreed says "never". */
export type Timestamp = Date | null;

/** What an xAPI statement shares: its keys as sent, `raw` (not enumerable). */
export interface StatementBase {
  id?: string;
  readonly raw: { [key: string]: Json };
  [key: string]: unknown;
}

// BEGIN GENERATED by tools/gen-types.mjs from core/schema.json: enums, models and write bodies
/** The kind of a content item (`content-type`). */
export type ContentType =
  | 'Article'
  | 'Book'
  | 'Course'
  | 'Video'
  | 'Podcast'
  | 'Event'
  | 'Assessment'
  | (string & {});

/** The unit of a `duration` (`duration-type`). */
export type DurationType =
  | 'Seconds'
  | 'Minutes'
  | 'Hours'
  | 'Days'
  | 'Words'
  | (string & {});

/** How a completion or assignment names its user (`user-identifier-type`). */
export type UserIdentifierType =
  | 'UserId'
  | 'Email'
  | 'EmployeeId'
  | 'AliasUid'
  | 'AliasEmail'
  | (string & {});

/** How a completion or assignment names its content (`content-id-type`). */
export type ContentIdType =
  | 'Id'
  | 'ExternalId'
  | 'ContentUrl'
  | (string & {});

/** Who can see a user's profile (`profile-visibility`). */
export type ProfileVisibility =
  | 'Everyone'
  | 'Organization'
  | 'Private'
  | (string & {});

/** A user's permission role (`permission-role`). */
export type PermissionRole =
  | 'Admin'
  | 'LearningProfessional'
  | 'Manager'
  | 'Member'
  | (string & {});

/** A group's privacy (`privacy`). */
export type GroupPrivacy =
  | 'Open'
  | 'Closed'
  | 'Private'
  | 'Administrative'
  | (string & {});

/** The state of a required-learning assignment (`status`). */
export type AssignmentStatus =
  | 'Pending'
  | 'InProgress'
  | 'Complete'
  | (string & {});

/** A user. Anonymized users keep their id and show `Anonymous` in identifying attributes; their dates are .NET's minimum, read as `None`. JSON:API type `users`; attributes are absent or `null` when not sent. */
export interface User extends Resource {
  /** The customer's own key (from the HRIS); not the Degreed id. Required on create. */
  employeeId?: string | null;
  /** First name. Required on create. */
  firstName?: string | null;
  /** Last name. Required on create. */
  lastName?: string | null;
  /** Full name. */
  fullName?: string | null;
  /** Organization e-mail. Required on create. */
  organizationEmail?: string | null;
  /** Personal e-mail. */
  personalEmail?: string | null;
  /** Who can see the profile. */
  profileVisibility?: ProfileVisibility | null;
  /** Biography (up to 2000 characters). */
  bio?: string | null;
  /** Location. */
  location?: string | null;
  /** Profile image URL. */
  profileImageUrl?: string | null;
  /** Whether the user cannot log in. */
  loginDisabled?: boolean | null;
  /** Whether the user is restricted. */
  restricted?: boolean | null;
  /** Whether the user is an active learner. */
  isActiveLearner?: boolean | null;
  /** Permission role. */
  permissionRole?: PermissionRole | null;
  /** Job role (when the organization setting is on). */
  jobRole?: string | null;
  /** Alias UID. */
  aliasUid?: string | null;
  /** Preferred language. */
  preferredLanguage?: string | null;
  /** Real-time e-mail notifications. */
  realTimeEmailNotification?: boolean | null;
  /** Daily digest e-mail. */
  dailyDigestEmail?: boolean | null;
  /** Weekly digest e-mail. */
  weeklyDigestEmail?: boolean | null;
  /** When the user was created. */
  createdAt?: Timestamp;
  /** First login (`None` for never). */
  firstLoginAt?: Timestamp;
  /** Last login (`None` for never). */
  lastLoginAt?: Timestamp;
  /** Points. */
  totalPoints?: number | null;
  /** Days with a login. */
  dailyLogins?: number | null;
}

/** A content item from the generic endpoints (`/api/v2/content`): any kind, possibly without some kind-specific attributes. JSON:API type `content`; attributes are absent or `null` when not sent. */
export interface Content extends Resource {
  /** Article, Book, Course, ... */
  contentType?: ContentType | null;
  /** The customer's own key. Some servers send numeric-looking ids such as `4.68E+18`: kept as the text received. */
  externalId?: string | null;
  /** Title. */
  title?: string | null;
  /** Summary. */
  summary?: string | null;
  /** The content URL. */
  url?: string | null;
  /** The item's page on Degreed. */
  degreedUrl?: string | null;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string | null;
  /** Whether the item is obsolete (typed endpoints). */
  obsolete?: boolean | null;
  /** Whether the item is obsolete (generic endpoint). */
  isObsolete?: boolean | null;
  /** Image URL. */
  imageUrl?: string | null;
  /** Language (ISO 639-1). */
  language?: string | null;
  /** Duration, in `duration_type` units. */
  duration?: number | null;
  /** Unit of `duration`. */
  durationType?: DurationType | null;
  /** Provider name. */
  provider?: string | null;
  /** Provider code. */
  providerCode?: string | null;
  /** Whether the item is in the internal catalogue. */
  isInternal?: boolean | null;
  /** Owner. */
  owner?: string | null;
  /** Learning minutes. */
  learningMinutes?: number | null;
  /** Visibility. */
  visibility?: string | null;
  /** Groups with access (shape not documented: kept as sent). */
  groupsWithAccess?: Json | null;
  /** Ids of the groups with access. */
  groupsWithAccessIds?: string[] | null;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
  /** Publication date. */
  publishDate?: Timestamp;
}

/** An article (`content/articles`). JSON:API type `content/articles`; attributes are absent or `null` when not sent. */
export interface Article extends Content {
  /** Length in words. Required on create. */
  numWords?: number | null;
}

/** A book (`content/books`). JSON:API type `content/books`; attributes are absent or `null` when not sent. */
export interface Book extends Content {
  /** Subtitle. */
  subtitle?: string | null;
  /** Authors (one string is a list of one; writes send `author`). Sent as `authors`, `author`. */
  authors?: string[] | null;
  /** Pages. */
  pages?: number | null;
  /** ISBN-13. Sent as `i-s-b-n13`, `isbn13`, `isbn`. */
  isbn13?: string | null;
}

/** A video (`content/videos`). JSON:API type `content/videos`; attributes are absent or `null` when not sent. */
export interface Video extends Content {
}

/** A course (`content/courses`). JSON:API type `content/courses`; attributes are absent or `null` when not sent. */
export interface Course extends Content {
  /** Cost. */
  costUnits?: number | null;
  /** Currency or unit of the cost. */
  costUnitType?: string | null;
  /** Difficulty. */
  difficulty?: string | null;
  /** Video URL. */
  videoUrl?: string | null;
}

/** An assessment (`content/assessments`). A new assessment may take 15 minutes to be readable. JSON:API type `content/assessments`; attributes are absent or `null` when not sent. */
export interface Assessment extends Content {
}

/** A podcast (`content/podcasts`). JSON:API type `content/podcasts`; attributes are absent or `null` when not sent. */
export interface Podcast extends Content {
}

/** An event (`content/events`). JSON:API type `content/events`; attributes are absent or `null` when not sent. */
export interface Event extends Content {
}

/** The content summary Degreed places in `included` of completions, required learning and recommendations. JSON:API type `content`; attributes are absent or `null` when not sent. */
export interface ContentSummary extends Resource {
  /** Article, Book, Course, ... */
  contentType?: ContentType | null;
  /** Title. */
  title?: string | null;
  /** URL. */
  url?: string | null;
  /** Provider name. */
  provider?: string | null;
  /** Duration. */
  contentDuration?: number | null;
  /** Unit of the duration. */
  contentDurationType?: DurationType | null;
  /** Whether the item is internal. */
  isInternal?: boolean | null;
  /** External id, when sent. */
  externalId?: string | null;
}

/** A skill tagged on a content item (`content.skills.list`): `{"type": "skills", "id": "<skill name>"}`. Skills are identified by name. JSON:API type `skills`; attributes are absent or `null` when not sent. */
export interface ContentSkill extends Resource {
  /** Name, when sent as an attribute (the id is the name otherwise). */
  name?: string | null;
}

/** An item of a user's today's-learning list. JSON:API type `todays-learning`; attributes are absent or `null` when not sent. */
export interface TodaysLearning extends Resource {
  /** Title. */
  title?: string | null;
  /** Article, Book, Course, ... */
  contentType?: ContentType | null;
  /** URL. */
  url?: string | null;
  /** Image URL. */
  imageUrl?: string | null;
  /** Why it was suggested. */
  reason?: string | null;
}

/** A completion (`type: "completions"`). JSON:API type `completions`; attributes are absent or `null` when not sent. */
export interface Completion extends Resource {
  /** The learner's employee id. */
  employeeId?: string | null;
  /** When the learning was completed. Required on create. */
  completedAt?: Timestamp;
  /** When the record was added. */
  addedAt?: Timestamp;
  /** Points earned (sent as a string by Degreed). */
  pointsEarned?: number | null;
  /** Whether the completion is verified. */
  isVerified?: boolean | null;
  /** The learner's rating. */
  rating?: number | null;
  /** How it was recorded (`Mac Web`, `API`, ...). */
  accessMethod?: string | null;
  /** Score, 0-100. */
  percentile?: number | null;
  /** Questions answered correctly. */
  questionsCorrect?: number | null;
  /** Time spent. */
  duration?: number | null;
  /** Involvement level. */
  involvementLevel?: string | null;
  /** Content kind. Required on create. */
  contentType?: ContentType | null;
}

/** A required-learning assignment (`type: "required-learning"`). JSON:API type `required-learning`; attributes are absent or `null` when not sent. */
export interface RequiredLearning extends Resource {
  /** The learner's employee id. */
  employeeId?: string | null;
  /** Assignment type (`Assigned`, ...). */
  assignmentType?: string | null;
  /** Status. */
  status?: AssignmentStatus | null;
  /** Due date. */
  dueAt?: Timestamp;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A recommendation (`type: "recommendations"`). JSON:API type `recommendations`; attributes are absent or `null` when not sent. */
export interface Recommendation extends Resource {
  /** The recommender's employee id. */
  employeeId?: string | null;
  /** The recipient's employee id. */
  recipientEmployeeId?: string | null;
  /** Status. */
  status?: string | null;
  /** When it was recommended. */
  recommendedAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A pathway (`type: "pathways"`). JSON:API type `pathways`; attributes are absent or `null` when not sent. */
export interface Pathway extends Resource {
  /** Title. */
  title?: string | null;
  /** Summary. */
  summary?: string | null;
  /** Visibility. */
  visibility?: string | null;
  /** Number of sections (kept as sent: a count or a list). */
  sections?: Json | null;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A pathway tag (`pathways.tags.list`). JSON:API type `tags`; attributes are absent or `null` when not sent. */
export interface PathwayTag extends Resource {
  /** The tag. */
  tag?: string | null;
}

/** A pathway collaborator (`pathways.collaborators.list`). JSON:API type `collaborators`; attributes are absent or `null` when not sent. */
export interface PathwayCollaborator extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** Since when. */
  createdAt?: Timestamp;
}

/** A pathway follower (`pathways.followers.list`). JSON:API type `followers`; attributes are absent or `null` when not sent. */
export interface PathwayFollower extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** Since when. */
  createdAt?: Timestamp;
}

/** A skill plan (`type: "skill-plans"`). JSON:API type `skill-plans`; attributes are absent or `null` when not sent. */
export interface SkillPlan extends Resource {
  /** Name. */
  name?: string | null;
  /** Description. */
  description?: string | null;
  /** Visibility. */
  visibility?: string | null;
  /** Sections (kept as sent). */
  sections?: Json | null;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A skill-plan follower (`skill_plans.followers.list`). JSON:API type `followers`; attributes are absent or `null` when not sent. */
export interface SkillPlanFollower extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** When the user enrolled. */
  enrolledAt?: Timestamp;
  /** Whether this is the user's primary plan. */
  isPrimaryPlan?: boolean | null;
}

/** A group (`type: "groups"`); also the items of `pathways.groups.list`. JSON:API type `groups`; attributes are absent or `null` when not sent. */
export interface Group extends Resource {
  /** Name. */
  name?: string | null;
  /** Description. */
  description?: string | null;
  /** Privacy. */
  privacy?: GroupPrivacy | null;
  /** The customer's group id. */
  externalGroupId?: string | null;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A membership record of `groups.users.list`. JSON:API type `group-users`; attributes are absent or `null` when not sent. */
export interface GroupMembership extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** First name. */
  firstName?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** Organization e-mail. */
  organizationEmail?: string | null;
  /** Role in the group (`Leader`, `Member`, ...). */
  role?: string | null;
  /** When the user joined. */
  addedAt?: Timestamp;
}

/** A skill rating (`type: "skill-ratings"`). JSON:API type `skill-ratings`; attributes are absent or `null` when not sent. */
export interface SkillRating extends Resource {
  /** Employee id of the rated user. */
  employeeId?: string | null;
  /** Skill name. */
  skillName?: string | null;
  /** Rating level. */
  rating?: number | null;
  /** Rating type (`Self`, `Manager`, ...). */
  ratingType?: string | null;
  /** GUID of the certifiable skill. */
  certifiableSkillGuid?: string | null;
  /** When it was rated. */
  ratedAt?: Timestamp;
}

/** A skill a user follows (`type: "user-skills"`). JSON:API type `user-skills`; attributes are absent or `null` when not sent. */
export interface UserSkill extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** Skill id. */
  skillId?: string | null;
  /** Skill name. */
  skillName?: string | null;
  /** GUID of the certifiable skill. */
  certifiableSkillGuid?: string | null;
  /** When the user followed it. */
  followedAt?: Timestamp;
}

/** A certifiable skill (`type: "certifiable-skills"`). JSON:API type `certifiable-skills`; attributes are absent or `null` when not sent. */
export interface CertifiableSkill extends Resource {
  /** Name. */
  name?: string | null;
  /** Description. */
  description?: string | null;
  /** Unique identifier (GUID). */
  skillUniqueIdentifier?: string | null;
  /** Whether it is featured. */
  isFeatured?: boolean | null;
  /** Visibility. */
  visibility?: string | null;
  /** Cost. */
  cost?: number | null;
  /** Created. */
  createdAt?: Timestamp;
  /** Last modified. */
  modifiedAt?: Timestamp;
}

/** A login (`type: "logins"`). JSON:API type `logins`; attributes are absent or `null` when not sent. */
export interface Login extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** When. */
  loggedInAt?: Timestamp;
}

/** Views of a content item (`type: "views"`). JSON:API type `views`; attributes are absent or `null` when not sent. */
export interface View extends Resource {
  /** Content URL. */
  url?: string | null;
  /** Content kind. */
  contentType?: ContentType | null;
  /** Content title. */
  contentTitle?: string | null;
  /** Number of views. */
  viewCount?: number | null;
  /** When (not documented; sent by some servers). */
  viewedAt?: Timestamp;
}

/** A search term and how often it was searched (`type: "search-terms"`). JSON:API type `search-terms`; attributes are absent or `null` when not sent. */
export interface SearchTerm extends Resource {
  /** The term. */
  searchTerm?: string | null;
  /** Count. */
  count?: number | null;
}

/** One user following another (`type: "user-followers"`). JSON:API type `user-followers`; attributes are absent or `null` when not sent. */
export interface UserFollower extends Resource {
  /** Employee id of the follower. */
  followerEmployeeId?: string | null;
  /** Employee id of the followed user. */
  followingEmployeeId?: string | null;
  /** Since when. */
  followedAt?: Timestamp;
}

/** A content provider (`type: "providers"`). JSON:API type `providers`; attributes are absent or `null` when not sent. */
export interface Provider extends Resource {
  /** Name. */
  name?: string | null;
  /** Website. */
  url?: string | null;
}

/** A user's licence for a provider (`providers.licences.list`). JSON:API type `licences`; attributes are absent or `null` when not sent. */
export interface Licence extends Resource {
  /** Employee id. */
  employeeId?: string | null;
  /** Whether the licence is enabled. */
  isEnabled?: boolean | null;
  /** Created. */
  createdAt?: Timestamp;
}

/** One xAPI statement (plain xAPI JSON, not the JSON:API envelope). JSON:API type `statements`; attributes are absent or `null` when not sent. */
export interface XapiStatement extends StatementBase {
  /** Who did it (`objectType`, `name`, `mbox`, `account`). */
  actor?: Json | null;
  /** What was done (`id`, `display`). */
  verb?: Json | null;
  /** What it was done to (`objectType`, `id`, `definition`). */
  object?: Json | null;
  /** Result, as sent. */
  result?: Json | null;
  /** Context, as sent. */
  context?: Json | null;
  /** When it happened. */
  timestamp?: Timestamp;
  /** When it was stored. */
  stored?: Timestamp;
  /** Authority, as sent. */
  authority?: Json | null;
  /** xAPI version. */
  version?: string | null;
}

/** The attributes of a `NewUser` write (other keys are sent as given, in kebab-case). */
export interface NewUser {
  /** The customer's own key. */
  employeeId: string;
  /** First name. */
  firstName: string;
  /** Last name. */
  lastName: string;
  /** Organization e-mail. */
  organizationEmail: string;
  /** Personal e-mail. */
  personalEmail?: string;
  /** Password (Degreed asks for 8+ characters, a digit and a capital). */
  password?: string;
  /** Who can see the profile. */
  profileVisibility?: ProfileVisibility;
  /** Biography (up to 2000 characters). */
  bio?: string;
  /** Location. */
  location?: string;
  /** Profile image URL. */
  profileImageUrl?: string;
  /** Disable login. */
  loginDisabled?: boolean;
  /** Restricted user. */
  restricted?: boolean;
  /** Permission role. */
  permissionRole?: PermissionRole;
  /** Job role (only when the organization setting is on). */
  jobRole?: string;
  /** Alias UID. */
  aliasUid?: string;
  /** Preferred language. */
  preferredLanguage?: string;
  /** Real-time e-mail notifications. */
  realTimeEmailNotification?: boolean;
  /** Daily digest e-mail. */
  dailyDigestEmail?: boolean;
  /** Weekly digest e-mail. */
  weeklyDigestEmail?: boolean;
  [attribute: string]: unknown;
}

/** The attributes of a `UserUpdate` write (other keys are sent as given, in kebab-case). */
export interface UserUpdate {
  /** The customer's own key. */
  employeeId?: string;
  /** First name. */
  firstName?: string;
  /** Last name. */
  lastName?: string;
  /** Organization e-mail. */
  organizationEmail?: string;
  /** Personal e-mail. */
  personalEmail?: string;
  /** Password (Degreed asks for 8+ characters, a digit and a capital). */
  password?: string;
  /** Who can see the profile. */
  profileVisibility?: ProfileVisibility;
  /** Biography (up to 2000 characters). */
  bio?: string;
  /** Location. */
  location?: string;
  /** Profile image URL. */
  profileImageUrl?: string;
  /** Disable login. */
  loginDisabled?: boolean;
  /** Restricted user. */
  restricted?: boolean;
  /** Permission role. */
  permissionRole?: PermissionRole;
  /** Job role (only when the organization setting is on). */
  jobRole?: string;
  /** Alias UID. */
  aliasUid?: string;
  /** Preferred language. */
  preferredLanguage?: string;
  /** Real-time e-mail notifications. */
  realTimeEmailNotification?: boolean;
  /** Daily digest e-mail. */
  dailyDigestEmail?: boolean;
  /** Weekly digest e-mail. */
  weeklyDigestEmail?: boolean;
  [attribute: string]: unknown;
}

/** The attributes of a `NewArticle` write (other keys are sent as given, in kebab-case). */
export interface NewArticle {
  /** The customer's key. */
  externalId: string;
  /** Title. */
  title: string;
  /** Article URL. */
  url: string;
  /** Length in words. */
  numWords: number;
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  [attribute: string]: unknown;
}

/** The attributes of a `NewBook` write (other keys are sent as given, in kebab-case). */
export interface NewBook {
  /** Title. */
  title: string;
  /** The customer's key. */
  externalId: string;
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** URL. */
  url?: string;
  /** Subtitle. */
  subtitle?: string;
  /** Author (`author` on writes). */
  author?: string;
  /** Pages. */
  pages?: number;
  /** ISBN-13. */
  isbn13?: string;
  [attribute: string]: unknown;
}

/** The attributes of a `NewVideo` write (other keys are sent as given, in kebab-case). */
export interface NewVideo {
  /** The customer's key. */
  externalId: string;
  /** Title. */
  title: string;
  /** Duration. */
  duration: number;
  /** Unit of `duration`. */
  durationType: DurationType;
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** Video URL. */
  url?: string;
  [attribute: string]: unknown;
}

/** The attributes of a `NewCourse` write (other keys are sent as given, in kebab-case). */
export interface NewCourse {
  /** Title. */
  title: string;
  /** The customer's key (unique: a used one answers 409). */
  externalId: string;
  /** Duration, in `duration_type` units. */
  duration: number;
  /** Unit of `duration`. */
  durationType: DurationType;
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** Course URL. */
  url?: string;
  /** Cost. */
  costUnits?: number;
  /** Currency or unit of the cost. */
  costUnitType?: string;
  /** Difficulty. */
  difficulty?: string;
  /** Video URL. */
  videoUrl?: string;
  [attribute: string]: unknown;
}

/** The attributes of a `NewAssessment` write (other keys are sent as given, in kebab-case). */
export interface NewAssessment {
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** The customer's key. */
  externalId?: string;
  /** Title. */
  title?: string;
  /** URL. */
  url?: string;
  /** Duration. */
  duration?: number;
  /** Unit of `duration`. */
  durationType?: DurationType;
  [attribute: string]: unknown;
}

/** The attributes of a `NewPodcast` write (other keys are sent as given, in kebab-case). */
export interface NewPodcast {
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** The customer's key. */
  externalId?: string;
  /** Title. */
  title?: string;
  /** URL. */
  url?: string;
  /** Duration. */
  duration?: number;
  /** Unit of `duration`. */
  durationType?: DurationType;
  [attribute: string]: unknown;
}

/** The attributes of a `NewEvent` write (other keys are sent as given, in kebab-case). */
export interface NewEvent {
  /** Summary. */
  summary?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language (ISO 639-1, `en`). */
  language?: string;
  /** Format (`Online`, `Classroom`, ...). */
  format?: string;
  /** Obsolete (hidden from lists). */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** The customer's key. */
  externalId?: string;
  /** Title. */
  title?: string;
  /** URL. */
  url?: string;
  /** Duration. */
  duration?: number;
  /** Unit of `duration`. */
  durationType?: DurationType;
  [attribute: string]: unknown;
}

/** The attributes of a `ContentUpdate` write (other keys are sent as given, in kebab-case). */
export interface ContentUpdate {
  /** Title. */
  title?: string;
  /** The customer's key. */
  externalId?: string;
  /** Summary. */
  summary?: string;
  /** URL. */
  url?: string;
  /** Image URL. */
  imageUrl?: string;
  /** Language. */
  language?: string;
  /** Format. */
  format?: string;
  /** Obsolete. */
  obsolete?: boolean;
  /** Provider code. */
  providerCode?: string;
  /** Publication date. */
  publishDate?: string | Date;
  /** Duration. */
  duration?: number;
  /** Unit of `duration`. */
  durationType?: DurationType;
  /** Cost (courses). */
  costUnits?: number;
  /** Cost unit (courses). */
  costUnitType?: string;
  /** Difficulty (courses). */
  difficulty?: string;
  /** Video URL (courses). */
  videoUrl?: string;
  /** Length in words (articles). */
  numWords?: number;
  /** Subtitle (books). */
  subtitle?: string;
  /** Author (books). */
  author?: string;
  /** Pages (books). */
  pages?: number;
  /** ISBN-13 (books). */
  isbn13?: string;
  [attribute: string]: unknown;
}

/** The attributes of a `NewCompletion` write (other keys are sent as given, in kebab-case). */
export interface NewCompletion {
  /** The user, named as `user_identifier_type` says. */
  userId: string;
  /** How `user_id` names the user. */
  userIdentifierType: UserIdentifierType;
  /** The content, named as `content_id_type` says. */
  contentId: string;
  /** How `content_id` names the content. */
  contentIdType: ContentIdType;
  /** The content's kind. */
  contentType: ContentType;
  /** When the learning was completed. */
  completedAt: string | Date;
  /** Whether the completion is verified. */
  isVerified?: boolean;
  /** Questions answered correctly. */
  questionsCorrect?: number;
  /** Score, 0-100. */
  percentile?: number;
  /** Time spent. */
  duration?: number;
  /** Involvement level. */
  involvementLevel?: string;
  [attribute: string]: unknown;
}

/** The attributes of a `CompletionUpdate` write (other keys are sent as given, in kebab-case). */
export interface CompletionUpdate {
  /** When the learning was completed. */
  completedAt?: string | Date;
  /** Whether the completion is verified. */
  isVerified?: boolean;
  /** Questions answered correctly. */
  questionsCorrect?: number;
  /** Score, 0-100. */
  percentile?: number;
  /** Time spent. */
  duration?: number;
  /** Involvement level. */
  involvementLevel?: string;
  [attribute: string]: unknown;
}
// END GENERATED

// Earlier names of the types above, kept for existing code.
export type UserAttributes = UserUpdate;
export type UserCreate = NewUser;
export type ContentAttributes = ContentUpdate;
export type CourseCreate = NewCourse;
export type ArticleCreate = NewArticle;
export type BookCreate = NewBook;
export type VideoCreate = NewVideo;
export type ContentCreate = NewAssessment;
export type CompletionAttributes = CompletionUpdate;
export type CompletionCreate = NewCompletion;
export type Skill = ContentSkill;
export type GroupMember = GroupMembership;
export type ProviderLicence = Licence;
export type Follower = PathwayCollaborator | PathwayFollower | SkillPlanFollower;
export type LearningItem = Recommendation | TodaysLearning;

// ---------------------------------------------------------------------------------------
// Paging and replies
// ---------------------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  status: number;
  requestId: string | null;
  /** The page's body as sent (less the items a date window repeated, which are dropped). */
  raw: Json;
}

/** The items of a list operation, fetched page by page as you iterate. */
export declare class Paginator<T> implements AsyncIterable<T> {
  private constructor();
  /** Each page, asked for when the previous one has been handed over. */
  pages(): AsyncGenerator<Page<T>, void, undefined>;
  /** Each item of each page (pages asked for as `pages()` does). */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
  /**
   * Every item, in one array. Since it reads every page, it asks for the next page while it
   * parses the current one (its link read from the end of the body); if that guess is not the
   * link the page's rules give, the request is cancelled and the right page asked for.
   */
  toArray(): Promise<T[]>;
  /** Pages read so far. */
  readonly pagesRead: number;
  /** Items fetched so far. */
  readonly itemsSeen: number;
  /** Date windows of the walk (1 without a date range). */
  readonly windows: number;
  /** Date windows not started yet. */
  readonly windowsLeft: number;
  /**
   * Where the walk stands, as text to keep and pass as `resume` to the same list method (in
   * this process or a later one): it continues with the first item not yet handed over and
   * never repeats one. A resumed walk first yields the items the cursor carried (as a page
   * with `status` null).
   */
  readonly cursor: string;
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
  /** A `Paginator`'s `cursor`: continue that walk (of the same operation) where it stood. */
  resume?: string;
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
  /** The write body's type (`users`, `content/courses`, ...), or `null` without one. */
  readonly bodyType: string | null;
  /** Whether repeating the call is harmless (reads, PATCH, DELETE): only these are retried
   *  after a failure that may have reached the server. */
  readonly idempotent: boolean;
  readonly pathParams: readonly string[];
  readonly tenantHeader: boolean;
  readonly windowed: boolean;
}

// ---------------------------------------------------------------------------------------
// Namespaces (one per catalogue prefix)
// ---------------------------------------------------------------------------------------

// BEGIN GENERATED by tools/gen-types.mjs from core/schema.json: list options, namespaces and operation names
/** Options of `users.list` and the lists with its filters (any other key throws `InvalidRequestError`). */
export interface UsersListOptions extends ListOptions {
  /** `filter[email]` */
  email?: string;
  /** `filter[employee_id]` */
  employeeId?: string;
}
/** Options of `content.list` and the lists with its filters (any other key throws `InvalidRequestError`). */
export interface ContentListOptions extends ListOptions {
  /** `filter[external_id]` */
  externalId?: string;
  /** `filter[url]` */
  url?: string;
  /** `filter[term]` */
  term?: string;
  /** `filter[internal_only]` */
  internalOnly?: boolean;
  /** `filter[include_restricted]` */
  includeRestricted?: boolean;
  /** `filter[modified_after]` */
  modifiedAfter?: Date | string;
  /** `filter[modified_before]` */
  modifiedBefore?: Date | string;
}
/** Options of `skill_ratings.list` and the lists with its filters (any other key throws `InvalidRequestError`). */
export interface SkillRatingsListOptions extends ListOptions {
  /** `filter[skill_name]` */
  skillName?: string;
}

/** `users.*` operations. */
export interface UsersNamespace {
  readonly completions: UsersCompletionsNamespace;
  readonly requiredLearning: UsersRequiredLearningNamespace;
  readonly recommendedLearning: UsersRecommendedLearningNamespace;
  readonly skillRatings: UsersSkillRatingsNamespace;
  readonly userSkills: UsersUserSkillsNamespace;
  readonly skillPlans: UsersSkillPlansNamespace;
  readonly todaysLearning: UsersTodaysLearningNamespace;
  readonly v3: UsersV3Namespace;
  /** Every `User` of the list, fetched lazily page by page. `GET /api/v2/users` · `users.list` · scope `users:read` or `users:write` */
  list(options?: UsersListOptions): Paginator<User>;
  /** One `User`. `GET /api/v2/users/{id}` · `users.get` · scope `users:read` or `users:write` */
  get(id: string, options?: UserGetOptions): Promise<User>;
  /** Creates a `User` (`NewUser`); `null` when the API answers without it (204). `POST /api/v2/users` · `users.create` · scope `users:write` */
  create(attributes: NewUser, options?: WriteOptions): Promise<User | null>;
  /** Updates a `User` (`UserUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/users/{id}` · `users.update` · scope `users:write` */
  update(id: string, attributes: UserUpdate, options?: WriteOptions): Promise<User | null>;
  /** Deletes the record. `DELETE /api/v2/users/{id}` · `users.delete` · scope `users:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `users.completions.*` operations. */
export interface UsersCompletionsNamespace {
  /** Every `Completion` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/completions` · `users.completions.list` · scope `users:read` or `completions:read` or `content:read` */
  list(id: string, options?: PerUserListOptions): Paginator<Completion>;
}

/** `users.required_learning.*` operations. */
export interface UsersRequiredLearningNamespace {
  /** Every `RequiredLearning` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/required-learning` · `users.required_learning.list` · scope `users:read` or `required_learning:read` or `content:read` */
  list(id: string, options?: PerUserListOptions): Paginator<RequiredLearning>;
}

/** `users.recommended_learning.*` operations. */
export interface UsersRecommendedLearningNamespace {
  /** Every `Recommendation` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/recommended-learning` · `users.recommended_learning.list` · scope `users:read` or `recommendations:read` or `content:read` */
  list(id: string, options?: PerUserListOptions): Paginator<Recommendation>;
}

/** `users.skill_ratings.*` operations. */
export interface UsersSkillRatingsNamespace {
  /** Every `SkillRating` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/skill-ratings` · `users.skill_ratings.list` · scope `users:read` or `skill_ratings:read` */
  list(id: string, options?: PerUserListOptions): Paginator<SkillRating>;
}

/** `users.user_skills.*` operations. */
export interface UsersUserSkillsNamespace {
  /** Every `UserSkill` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/user-skills` · `users.user_skills.list` · scope `users:read` or `user_skills:read` */
  list(id: string, options?: PerUserListOptions): Paginator<UserSkill>;
}

/** `users.skill_plans.*` operations. */
export interface UsersSkillPlansNamespace {
  /** Every `SkillPlan` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/skill-plans` · `users.skill_plans.list` · scope `users:read` or `skill_plans:read` */
  list(id: string, options?: PerUserListOptions): Paginator<SkillPlan>;
}

/** `users.todays_learning.*` operations. */
export interface UsersTodaysLearningNamespace {
  /** Every `TodaysLearning` of the list, fetched lazily page by page. `GET /api/v2/users/{id}/todays-learning` · `users.todays_learning.list` · scope `users:read` or `todays_learning:read` */
  list(id: string, options?: PerUserListOptions): Paginator<TodaysLearning>;
}

/** `users.v3.*` operations. */
export interface UsersV3Namespace {
  /** Creates a `User` (`NewUser`); `null` when the API answers without it (204). `POST /api/v3/users` · `users.v3.create` · scope `users:write` */
  create(attributes: NewUser, options?: WriteOptions): Promise<User | null>;
}

/** `content.*` operations. */
export interface ContentNamespace {
  readonly skills: ContentSkillsNamespace;
  readonly articles: ContentArticlesNamespace;
  readonly books: ContentBooksNamespace;
  readonly videos: ContentVideosNamespace;
  readonly courses: ContentCoursesNamespace;
  readonly assessments: ContentAssessmentsNamespace;
  readonly podcasts: ContentPodcastsNamespace;
  readonly events: ContentEventsNamespace;
  /** Every `Content` of the list, fetched lazily page by page. `GET /api/v2/content` · `content.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Content>;
  /** One `Content`. `GET /api/v2/content/{id}` · `content.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Content>;
}

/** `content.skills.*` operations. */
export interface ContentSkillsNamespace {
  /** Every `ContentSkill` of the list, fetched lazily page by page. `GET /api/v2/content/{id}/skills` · `content.skills.list` · scope `content:read` */
  list(id: string, options?: ListOptions): Paginator<ContentSkill>;
  /** Adds related `skills` by id (skills by name). `PATCH /api/v2/content/{id}/relationships/skills` · `content.skills.add` · scope `content:write` */
  add(id: string, ids: readonly string[], options?: CallOptions): Promise<void>;
  /** Removes related `skills` by id (skills by name). `DELETE /api/v2/content/{id}/relationships/skills` · `content.skills.remove` · scope `content:write` */
  remove(id: string, ids: readonly string[], options?: CallOptions): Promise<void>;
}

/** `completions.*` operations. */
export interface CompletionsNamespace {
  /** Every `Completion` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/completions` · `completions.list` · scope `completions:read` */
  list(options?: ListOptions): Paginator<Completion>;
  /** One `Completion`. `GET /api/v2/completions/{id}` · `completions.get` · scope `completions:read` */
  get(id: string, options?: GetOptions): Promise<Completion>;
  /** Creates a `Completion` (`NewCompletion`); `null` when the API answers without it (204). `POST /api/v2/completions` · `completions.create` · scope `completions:write` */
  create(attributes: NewCompletion, options?: WriteOptions): Promise<Completion | null>;
  /** Updates a `Completion` (`CompletionUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/completions/{id}` · `completions.update` · scope `completions:write` */
  update(id: string, attributes: CompletionUpdate, options?: WriteOptions): Promise<Completion | null>;
  /** Deletes the record. `DELETE /api/v2/completions/{id}` · `completions.delete` · scope `completions:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `required_learning.*` operations. */
export interface RequiredLearningNamespace {
  /** Every `RequiredLearning` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/required-learning` · `required_learning.list` · scope `required_learning:read` */
  list(options?: ListOptions): Paginator<RequiredLearning>;
  /** One `RequiredLearning`. `GET /api/v2/required-learning/{id}` · `required_learning.get` · scope `required_learning:read` */
  get(id: string, options?: GetOptions): Promise<RequiredLearning>;
}

/** `recommendations.*` operations. */
export interface RecommendationsNamespace {
  /** Every `Recommendation` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/recommendations` · `recommendations.list` · scope `recommendations:read` */
  list(options?: ListOptions): Paginator<Recommendation>;
}

/** `pathways.*` operations. */
export interface PathwaysNamespace {
  readonly tags: PathwaysTagsNamespace;
  readonly collaborators: PathwaysCollaboratorsNamespace;
  readonly groups: PathwaysGroupsNamespace;
  readonly followers: PathwaysFollowersNamespace;
  /** Every `Pathway` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/pathways` · `pathways.list` · scope `pathways:read` */
  list(options?: ListOptions): Paginator<Pathway>;
  /** One `Pathway`. `GET /api/v2/pathways/{id}` · `pathways.get` · scope `pathways:read` */
  get(id: string, options?: GetOptions): Promise<Pathway>;
}

/** `pathways.tags.*` operations. */
export interface PathwaysTagsNamespace {
  /** Every `PathwayTag` of the list, fetched lazily page by page. `GET /api/v2/pathways/{id}/tags` · `pathways.tags.list` · scope `pathways:read` */
  list(id: string, options?: ListOptions): Paginator<PathwayTag>;
}

/** `pathways.collaborators.*` operations. */
export interface PathwaysCollaboratorsNamespace {
  /** Every `PathwayCollaborator` of the list, fetched lazily page by page. `GET /api/v2/pathways/{id}/collaborators` · `pathways.collaborators.list` · scope `pathways:read` */
  list(id: string, options?: ListOptions): Paginator<PathwayCollaborator>;
}

/** `pathways.groups.*` operations. */
export interface PathwaysGroupsNamespace {
  /** Every `Group` of the list, fetched lazily page by page. `GET /api/v2/pathways/{id}/groups` · `pathways.groups.list` · scope `pathways:read` */
  list(id: string, options?: ListOptions): Paginator<Group>;
}

/** `pathways.followers.*` operations. */
export interface PathwaysFollowersNamespace {
  /** Every `PathwayFollower` of the list, fetched lazily page by page. `GET /api/v2/pathways/{id}/followers` · `pathways.followers.list` · scope `pathways:read` */
  list(id: string, options?: ListOptions): Paginator<PathwayFollower>;
}

/** `skill_plans.*` operations. */
export interface SkillPlansNamespace {
  readonly followers: SkillPlansFollowersNamespace;
  /** Every `SkillPlan` of the list, fetched lazily page by page. `GET /api/v2/skill-plans` · `skill_plans.list` · scope `skill_plans:read` */
  list(options?: ListOptions): Paginator<SkillPlan>;
  /** One `SkillPlan`. `GET /api/v2/skill-plans/{id}` · `skill_plans.get` · scope `skill_plans:read` */
  get(id: string, options?: GetOptions): Promise<SkillPlan>;
}

/** `skill_plans.followers.*` operations. */
export interface SkillPlansFollowersNamespace {
  /** Every `SkillPlanFollower` of the list, fetched lazily page by page. `GET /api/v2/skill-plans/{id}/followers` · `skill_plans.followers.list` · scope `skill_plans:read` */
  list(id: string, options?: ListOptions): Paginator<SkillPlanFollower>;
}

/** `groups.*` operations. */
export interface GroupsNamespace {
  readonly users: GroupsUsersNamespace;
  readonly members: GroupsMembersNamespace;
  /** Every `Group` of the list, fetched lazily page by page. `GET /api/v2/groups` · `groups.list` · scope `groups:read` */
  list(options?: ListOptions): Paginator<Group>;
  /** One `Group`. `GET /api/v2/groups/{id}` · `groups.get` · scope `groups:read` */
  get(id: string, options?: GetOptions): Promise<Group>;
}

/** `groups.users.*` operations. */
export interface GroupsUsersNamespace {
  /** Every `GroupMembership` of the list, fetched lazily page by page. `GET /api/v2/groups/{id}/users` · `groups.users.list` · scope `groups:read` */
  list(id: string, options?: ListOptions): Paginator<GroupMembership>;
}

/** `groups.members.*` operations. */
export interface GroupsMembersNamespace {
  /** Adds related `users` by id (skills by name). `POST /api/v2/groups/{id}/relationships/members` · `groups.members.add` · scope `groups:write` */
  add(id: string, ids: readonly string[], options?: CallOptions): Promise<void>;
  /** Removes related `users` by id (skills by name). `DELETE /api/v2/groups/{id}/relationships/members` · `groups.members.remove` · scope `groups:write` */
  remove(id: string, ids: readonly string[], options?: CallOptions): Promise<void>;
}

/** `skill_ratings.*` operations. */
export interface SkillRatingsNamespace {
  /** Every `SkillRating` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/skill-ratings` · `skill_ratings.list` · scope `skill_ratings:read` */
  list(options?: SkillRatingsListOptions): Paginator<SkillRating>;
}

/** `user_skills.*` operations. */
export interface UserSkillsNamespace {
  /** Every `UserSkill` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/user-skills` · `user_skills.list` · scope `user_skills:read` */
  list(options?: ListOptions): Paginator<UserSkill>;
}

/** `certifiable_skills.*` operations. */
export interface CertifiableSkillsNamespace {
  /** Every `CertifiableSkill` of the list, fetched lazily page by page. `GET /api/v2/certifiable-skills` · `certifiable_skills.list` · scope `skill:read` or `user_skills:read` or `skill_ratings:read` */
  list(options?: ListOptions): Paginator<CertifiableSkill>;
  /** One `CertifiableSkill`. `GET /api/v2/certifiable-skills/{id}` · `certifiable_skills.get` · scope `skill:read` or `user_skills:read` or `skill_ratings:read` */
  get(id: string, options?: GetOptions): Promise<CertifiableSkill>;
}

/** `logins.*` operations. */
export interface LoginsNamespace {
  /** Every `Login` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/logins` · `logins.list` · scope `logins:read` */
  list(options?: ListOptions): Paginator<Login>;
}

/** `views.*` operations. */
export interface ViewsNamespace {
  /** Every `View` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/views` · `views.list` · scope `views:read` */
  list(options?: ListOptions): Paginator<View>;
}

/** `search_terms.*` operations. */
export interface SearchTermsNamespace {
  /** Every `SearchTerm` of the list, fetched lazily page by page. `GET /api/v2/search-terms` · `search_terms.list` · scope `search_terms:read` */
  list(options?: ListOptions): Paginator<SearchTerm>;
}

/** `user_followers.*` operations. */
export interface UserFollowersNamespace {
  /** Every `UserFollower` of the list, fetched lazily page by page (date ranges over 7 days are walked window by window). `GET /api/v2/user-followers` · `user_followers.list` · scope `users:read` */
  list(options?: ListOptions): Paginator<UserFollower>;
}

/** `providers.*` operations. */
export interface ProvidersNamespace {
  readonly licences: ProvidersLicencesNamespace;
  /** Every `Provider` of the list, fetched lazily page by page. `GET /api/v2/providers` · `providers.list` · scope `providers:read` */
  list(options?: ListOptions): Paginator<Provider>;
  /** One `Provider`. `GET /api/v2/providers/{id}` · `providers.get` · scope `providers:read` */
  get(id: string, options?: GetOptions): Promise<Provider>;
}

/** `providers.licences.*` operations. */
export interface ProvidersLicencesNamespace {
  /** Every `Licence` of the list, fetched lazily page by page. `GET /api/v2/providers/{id}/licences` · `providers.licences.list` · scope `providers:read` */
  list(id: string, options?: ListOptions): Paginator<Licence>;
}

/** `xapi.*` operations. */
export interface XapiNamespace {
  readonly statements: XapiStatementsNamespace;
}

/** `xapi.statements.*` operations. */
export interface XapiStatementsNamespace {
  /** Every `XapiStatement` of the list, fetched lazily page by page. `GET /xAPI/statements` · `xapi.statements.list` · scope `xapi:read` */
  list(options?: XapiListOptions): Paginator<XapiStatement>;
  /** Sends one statement or a list, unchanged; resolves to the answer as sent. `POST /xAPI/statements` · `xapi.statements.create` · scope `xapi:write` */
  create(statements: Json, options?: GetOptions): Promise<Json>;
}

/** `content.articles.*` operations. */
export interface ContentArticlesNamespace {
  /** Every `Article` of the list, fetched lazily page by page. `GET /api/v2/content/articles` · `content.articles.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Article>;
  /** One `Article`. `GET /api/v2/content/articles/{id}` · `content.articles.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Article>;
  /** Creates a `Article` (`NewArticle`); `null` when the API answers without it (204). `POST /api/v2/content/articles` · `content.articles.create` · scope `content:write` */
  create(attributes: NewArticle, options?: WriteOptions): Promise<Article | null>;
  /** Updates a `Article` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/articles/{id}` · `content.articles.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Article | null>;
  /** Deletes the record. `DELETE /api/v2/content/articles/{id}` · `content.articles.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.books.*` operations. */
export interface ContentBooksNamespace {
  /** Every `Book` of the list, fetched lazily page by page. `GET /api/v2/content/books` · `content.books.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Book>;
  /** One `Book`. `GET /api/v2/content/books/{id}` · `content.books.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Book>;
  /** Creates a `Book` (`NewBook`); `null` when the API answers without it (204). `POST /api/v2/content/books` · `content.books.create` · scope `content:write` */
  create(attributes: NewBook, options?: WriteOptions): Promise<Book | null>;
  /** Updates a `Book` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/books/{id}` · `content.books.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Book | null>;
  /** Deletes the record. `DELETE /api/v2/content/books/{id}` · `content.books.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.videos.*` operations. */
export interface ContentVideosNamespace {
  /** Every `Video` of the list, fetched lazily page by page. `GET /api/v2/content/videos` · `content.videos.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Video>;
  /** One `Video`. `GET /api/v2/content/videos/{id}` · `content.videos.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Video>;
  /** Creates a `Video` (`NewVideo`); `null` when the API answers without it (204). `POST /api/v2/content/videos` · `content.videos.create` · scope `content:write` */
  create(attributes: NewVideo, options?: WriteOptions): Promise<Video | null>;
  /** Updates a `Video` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/videos/{id}` · `content.videos.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Video | null>;
  /** Deletes the record. `DELETE /api/v2/content/videos/{id}` · `content.videos.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.courses.*` operations. */
export interface ContentCoursesNamespace {
  /** Every `Course` of the list, fetched lazily page by page. `GET /api/v2/content/courses` · `content.courses.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Course>;
  /** One `Course`. `GET /api/v2/content/courses/{id}` · `content.courses.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Course>;
  /** Creates a `Course` (`NewCourse`); `null` when the API answers without it (204). `POST /api/v2/content/courses` · `content.courses.create` · scope `content:write` */
  create(attributes: NewCourse, options?: WriteOptions): Promise<Course | null>;
  /** Updates a `Course` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/courses/{id}` · `content.courses.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Course | null>;
  /** Deletes the record. `DELETE /api/v2/content/courses/{id}` · `content.courses.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.assessments.*` operations. */
export interface ContentAssessmentsNamespace {
  /** Every `Assessment` of the list, fetched lazily page by page. `GET /api/v2/content/assessments` · `content.assessments.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Assessment>;
  /** One `Assessment`. `GET /api/v2/content/assessments/{id}` · `content.assessments.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Assessment>;
  /** Creates a `Assessment` (`NewAssessment`); `null` when the API answers without it (204). `POST /api/v2/content/assessments` · `content.assessments.create` · scope `content:write` */
  create(attributes: NewAssessment, options?: WriteOptions): Promise<Assessment | null>;
  /** Updates a `Assessment` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/assessments/{id}` · `content.assessments.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Assessment | null>;
  /** Deletes the record. `DELETE /api/v2/content/assessments/{id}` · `content.assessments.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.podcasts.*` operations. */
export interface ContentPodcastsNamespace {
  /** Every `Podcast` of the list, fetched lazily page by page. `GET /api/v2/content/podcasts` · `content.podcasts.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Podcast>;
  /** One `Podcast`. `GET /api/v2/content/podcasts/{id}` · `content.podcasts.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Podcast>;
  /** Creates a `Podcast` (`NewPodcast`); `null` when the API answers without it (204). `POST /api/v2/content/podcasts` · `content.podcasts.create` · scope `content:write` */
  create(attributes: NewPodcast, options?: WriteOptions): Promise<Podcast | null>;
  /** Updates a `Podcast` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/podcasts/{id}` · `content.podcasts.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Podcast | null>;
  /** Deletes the record. `DELETE /api/v2/content/podcasts/{id}` · `content.podcasts.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** `content.events.*` operations. */
export interface ContentEventsNamespace {
  /** Every `Event` of the list, fetched lazily page by page. `GET /api/v2/content/events` · `content.events.list` · scope `content:read` */
  list(options?: ContentListOptions): Paginator<Event>;
  /** One `Event`. `GET /api/v2/content/events/{id}` · `content.events.get` · scope `content:read` */
  get(id: string, options?: GetOptions): Promise<Event>;
  /** Creates a `Event` (`NewEvent`); `null` when the API answers without it (204). `POST /api/v2/content/events` · `content.events.create` · scope `content:write` */
  create(attributes: NewEvent, options?: WriteOptions): Promise<Event | null>;
  /** Updates a `Event` (`ContentUpdate`); `null` when the API answers without it (204). `PATCH /api/v2/content/events/{id}` · `content.events.update` · scope `content:write` */
  update(id: string, attributes: ContentUpdate, options?: WriteOptions): Promise<Event | null>;
  /** Deletes the record. `DELETE /api/v2/content/events/{id}` · `content.events.delete` · scope `content:write` */
  delete(id: string, options?: CallOptions): Promise<void>;
}

/** The namespaces of a `Client`, one per top-level catalogue prefix. */
export interface ClientNamespaces {
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
  readonly logins: LoginsNamespace;
  readonly views: ViewsNamespace;
  readonly searchTerms: SearchTermsNamespace;
  readonly userFollowers: UserFollowersNamespace;
  readonly providers: ProvidersNamespace;
  readonly xapi: XapiNamespace;
}

/** Every catalogue operation name. */
export type OperationName =
  | 'users.list'
  | 'users.get'
  | 'users.create'
  | 'users.update'
  | 'users.delete'
  | 'users.completions.list'
  | 'users.required_learning.list'
  | 'users.recommended_learning.list'
  | 'users.skill_ratings.list'
  | 'users.user_skills.list'
  | 'users.skill_plans.list'
  | 'users.todays_learning.list'
  | 'users.v3.create'
  | 'content.list'
  | 'content.get'
  | 'content.skills.list'
  | 'content.skills.add'
  | 'content.skills.remove'
  | 'completions.list'
  | 'completions.get'
  | 'completions.create'
  | 'completions.update'
  | 'completions.delete'
  | 'required_learning.list'
  | 'required_learning.get'
  | 'recommendations.list'
  | 'pathways.list'
  | 'pathways.get'
  | 'pathways.tags.list'
  | 'pathways.collaborators.list'
  | 'pathways.groups.list'
  | 'pathways.followers.list'
  | 'skill_plans.list'
  | 'skill_plans.get'
  | 'skill_plans.followers.list'
  | 'groups.list'
  | 'groups.get'
  | 'groups.users.list'
  | 'groups.members.add'
  | 'groups.members.remove'
  | 'skill_ratings.list'
  | 'user_skills.list'
  | 'certifiable_skills.list'
  | 'certifiable_skills.get'
  | 'logins.list'
  | 'views.list'
  | 'search_terms.list'
  | 'user_followers.list'
  | 'providers.list'
  | 'providers.get'
  | 'providers.licences.list'
  | 'xapi.statements.list'
  | 'xapi.statements.create'
  | 'content.articles.list'
  | 'content.articles.get'
  | 'content.articles.create'
  | 'content.articles.update'
  | 'content.articles.delete'
  | 'content.books.list'
  | 'content.books.get'
  | 'content.books.create'
  | 'content.books.update'
  | 'content.books.delete'
  | 'content.videos.list'
  | 'content.videos.get'
  | 'content.videos.create'
  | 'content.videos.update'
  | 'content.videos.delete'
  | 'content.courses.list'
  | 'content.courses.get'
  | 'content.courses.create'
  | 'content.courses.update'
  | 'content.courses.delete'
  | 'content.assessments.list'
  | 'content.assessments.get'
  | 'content.assessments.create'
  | 'content.assessments.update'
  | 'content.assessments.delete'
  | 'content.podcasts.list'
  | 'content.podcasts.get'
  | 'content.podcasts.create'
  | 'content.podcasts.update'
  | 'content.podcasts.delete'
  | 'content.events.list'
  | 'content.events.get'
  | 'content.events.create'
  | 'content.events.update'
  | 'content.events.delete';
// END GENERATED

/** Earlier names of the list options above. */
export type UserListOptions = UsersListOptions;
export type SkillListOptions = SkillRatingsListOptions;

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

/** The operation namespaces (`client.users.list(...)`), generated from the catalogue. */
export interface Client extends ClientNamespaces {}

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
