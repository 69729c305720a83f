/**
 * The closed set of error codes. Free of HTTP: src/http/errors.ts is the one place that
 * maps a code to a status. A CLI or a job reports the same codes.
 */
export const ERROR_CODES = [
  'validation_failed', // input failed its schema; details name each field
  'bad_request', // well-formed but unusable (malformed JSON, wrong content type)
  'unauthenticated', // no valid session or token
  'forbidden', // signed in, but the role does not allow this
  'csrf_failed', // cookie-authenticated write without a valid CSRF token
  'not_found', // does not exist, or belongs to another campaign (never says which)
  'conflict', // duplicate or stale state
  'invalid_state', // the object is not in a state that allows this
  'rule_refused', // a legal rule refuses the processing; details carry the rule ids
  'account_locked', // too many failed sign-ins
  'rate_limited', // too many requests
  'payload_too_large',
  'unsupported_media_type',
  'setup_unavailable', // the one-time setup was already done, or the link is wrong
  'internal_error', // anything unexpected: logged, never leaked
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the field, e.g. "campaign.dpo.email"; "" for the whole body. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('conflict', message, details);
export const invalid = (issues: FieldIssue[]): AppError =>
  new AppError('validation_failed', issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '), {
    issues,
  });

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
