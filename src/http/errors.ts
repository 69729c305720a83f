/**
 * The one place that maps error codes to HTTP status, and the one error envelope:
 * `{ error: { code, message, details? } }`. Unknown errors become internal_error: logged
 * with their stack, never shown.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../domain/errors.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  setup_unavailable: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rule_refused: 422,
  account_locked: 423,
  rate_limited: 429,
  internal_error: 500,
};

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function envelopeOf(error: AppError): ErrorEnvelope {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

/** Fastify's own errors (parsing, limits) translated into our codes. */
function fromFastify(error: FastifyError): AppError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('bad_request', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('bad_request', 'the Content-Length header does not match the body');
    default:
      break;
  }
  if (error.statusCode === 400 && typeof error.message === 'string' && /JSON/i.test(error.message)) {
    return new AppError('bad_request', 'the request body is not valid JSON');
  }
  if (error.statusCode === 404) return new AppError('not_found', 'not found');
  return null;
}

/**
 * What an unexpected error may leave in the log: its class, codes and stack frames — not
 * its message or detail, which can quote personal data (a database error names the value
 * that violated a constraint).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; routine?: unknown; table?: unknown; constraint?: unknown };
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 15)
    .join('\n');
  return {
    type: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.routine === 'string' ? { routine: e.routine } : {}),
    ...(typeof e.table === 'string' ? { table: e.table } : {}),
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
    stack: frames,
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let appError: AppError;
  if (error instanceof AppError) appError = error;
  else {
    const translated =
      error && typeof error === 'object' && 'code' in error ? fromFastify(error as FastifyError) : null;
    if (translated) appError = translated;
    else {
      request.log.error({ error: loggableError(error) }, 'unhandled error');
      appError = new AppError('internal_error', 'something went wrong on our side; it has been logged');
    }
  }
  if (appError.code === 'internal_error' && error === appError)
    request.log.error({ error: loggableError(error) }, 'internal error');
  return reply.status(STATUS_OF[appError.code]).type('application/json; charset=utf-8').send(envelopeOf(appError));
}
