/**
 * Application errors: each has an HTTP status, a stable code that API clients
 * can match on, and a message that names the bad value and what to do.
 * Anything else that reaches a handler is a bug: it is logged and hidden.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not-found', message);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, 'bad-request', message);
  }
}

/** A bundle or index that cannot be imported. The message starts with the file or URL. */
export class ImportError extends AppError {
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(422, 'import-rejected', `${source}: ${message}`, options);
  }
}

/** No valid session or token came with a request that needs one. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in, or send an API token as "Authorization: Bearer <token>".') {
    super(401, 'unauthorized', message);
  }
}

/** The signed-in user's role does not allow the action. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** The resource changed since the client read it, or the write breaks a uniqueness rule. */
export class ConflictStateError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** Too many attempts; the client should wait `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too-many-requests', message);
  }
}
