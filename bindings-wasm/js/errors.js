// Error classes of the `degreed` package. Every error the SDK raises is a `DegreedError`
// (a real `Error`), subclassed by cause. The classification is the core's (Rust); this file
// only rebuilds the core's error JSON as a JS object.

/** The root of every error raised by the SDK. */
export class DegreedError extends Error {
  constructor(message, details = {}, options) {
    super(message, options);
    /** Stable snake_case kind: `invalid_request`, `rate_limited`, ... */
    this.kind = details.kind ?? 'unknown';
    /** HTTP status of the response, when there was one. */
    this.status = details.status ?? null;
    /** The API's `errors[]` objects (empty when none). */
    this.errors = details.errors ?? [];
    /** The response's request id, when present. */
    this.requestId = details.requestId ?? null;
    /**
     * True when a failed write may have been applied anyway (no answer, a 5xx, or an
     * unreadable success): look the record up before sending it again. The core decides.
     */
    this.maybeApplied = details.maybeApplied ?? false;
  }
}

/** The caller's input is invalid (raised before sending), or the API answered 400/405/406/410/413/422. */
export class InvalidRequestError extends DegreedError {}
/** The token endpoint rejected the credentials or scopes, or the API rejected the token. */
export class AuthenticationError extends DegreedError {}
/** A scope is missing (checked before sending: `missingScope`), or the API answered 403. */
export class PermissionDeniedError extends DegreedError {
  constructor(message, details = {}, options) {
    super(message, details, options);
    /** The scope the operation needs (`users:write`), when known. */
    this.missingScope = details.missingScope ?? null;
  }
}
/** 404. */
export class NotFoundError extends DegreedError {}
/** 409: the external id or URL is already used. */
export class ConflictError extends DegreedError {}
/** 429 after the retries ran out. */
export class RateLimitError extends DegreedError {
  constructor(message, details = {}, options) {
    super(message, details, options);
    /** Seconds the server asked to wait (`Retry-After`), when it said. */
    this.retryAfter = details.retryAfter ?? null;
  }
}
/** 5xx after the retries ran out (or a write that is not retried). */
export class ServerError extends DegreedError {}
/** The request did not complete (connection failure, timeout). */
export class TransportError extends DegreedError {}
/**
 * The call's deadline (its `timeoutMs`) passed: it covers connecting, the response, every
 * retry and every wait. A `TransportError`, so `maybeApplied` says whether a write was in flight.
 */
export class TimeoutError extends TransportError {}
/** The response could not be decoded. */
export class DecodeError extends DegreedError {}

const CLASSES = {
  invalid_request: InvalidRequestError,
  authentication: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  rate_limited: RateLimitError,
  server: ServerError,
  transport: TransportError,
  timeout: TimeoutError,
  decode: DecodeError,
};

// `name` lives on the prototype so it survives minifiers that rename classes.
for (const [name, cls] of Object.entries({
  DegreedError,
  InvalidRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  TransportError,
  TimeoutError,
  DecodeError,
})) {
  Object.defineProperty(cls.prototype, 'name', {
    value: name,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/** Rebuilds an error from the core's JSON (`Error::to_json`, camelCased). */
export function errorFromJson(j) {
  const Class = CLASSES[j.kind] ?? DegreedError;
  return new Class(j.message ?? 'unknown error', j);
}

/** A caller error raised by the JS layer itself (before anything is sent). */
export function invalid(message) {
  return new InvalidRequestError(`invalid request: ${message}`, { kind: 'invalid_request' });
}

/**
 * Runs `fn` (a call into the wasm module) and turns a thrown error JSON string into a
 * `DegreedError`. Anything else (a wasm trap) becomes a `DegreedError` with it as `cause`.
 */
export function native(fn) {
  try {
    return fn();
  } catch (e) {
    if (typeof e === 'string') {
      let j;
      try {
        j = JSON.parse(e);
      } catch {
        throw new DegreedError(e);
      }
      throw errorFromJson(j);
    }
    if (e instanceof DegreedError) throw e;
    throw new DegreedError(`internal error in the degreed wasm module: ${e?.message ?? e}`, {}, { cause: e });
  }
}
