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
