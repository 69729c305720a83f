/**
 * Who is calling: a cookie session (the dashboard) or a personal API token (scripts).
 * Cookie-authenticated writes need the CSRF token; every write from a browser must come
 * from our own origin.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, Principal } from '../app/context.js';
import { authenticateApiToken, authenticateSession } from '../app/sessions.js';
import { csrfTokenFor } from '../domain/credentials.js';
import { AppError } from '../domain/errors.js';
import { timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'canvass_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Resolved {
  principal: Principal | null;
  sessionSecret: string | null;
}
const resolved = new WeakMap<FastifyRequest, Resolved>();

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function resolve(deps: AppDeps, request: FastifyRequest): Promise<Resolved> {
  const cached = resolved.get(request);
  if (cached) return cached;
  let result: Resolved = { principal: null, sessionSecret: null };
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('unauthenticated', 'the Authorization header must be "Bearer <API token>"');
    const principal = await authenticateApiToken(deps, match[1]!);
    if (!principal) throw new AppError('unauthenticated', 'the API token is not valid, has expired or was revoked');
    result = { principal, sessionSecret: null };
  } else {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) {
      const principal = await authenticateSession(deps, secret);
      if (principal) {
        if (UNSAFE.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !sameText(sent, csrfTokenFor(secret))) {
            throw new AppError('csrf_failed', 'missing or wrong x-csrf-token header (get it from GET /api/session)');
          }
        }
        result = { principal, sessionSecret: secret };
      }
    }
  }
  resolved.set(request, result);
  return result;
}

/** The caller if signed in, else null. A bad API token is an error, not anonymity. */
export async function optionalPrincipal(deps: AppDeps, request: FastifyRequest): Promise<Principal | null> {
  return (await resolve(deps, request)).principal;
}

export async function requirePrincipal(deps: AppDeps, request: FastifyRequest): Promise<Principal> {
  const principal = await optionalPrincipal(deps, request);
  if (!principal) throw new AppError('unauthenticated', 'sign in, or send a personal API token');
  return principal;
}

export async function sessionSecretOf(deps: AppDeps, request: FastifyRequest): Promise<string | null> {
  return (await resolve(deps, request)).sessionSecret;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
  });
}

/**
 * Browsers send Origin on cross-site writes; refusing foreign origins stops cross-site
 * requests to endpoints that need no session (sign-in, setup), where SameSite cannot help.
 */
export function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  if (!UNSAFE.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  if (!allowed.has(origin)) throw new AppError('csrf_failed', 'cross-origin write refused');
}
