/**
 * The consoles' sign-in, as a fastify plugin under `/console/api` (no cross-origin access: the consoles
 * are served by kefu itself):
 *   POST   /session   { login, password } → the account and a CSRF token; sets the HttpOnly session cookie
 *   GET    /session   the signed-in account and its CSRF token
 *   DELETE /session   signs out (CSRF header required)
 * `staffOnly(roles)` guards every other console route: no session → 401; a customer's conversation
 * token instead of a session → 403; a role not allowed → 403; a change without the CSRF header → 403.
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../store/db.ts';
import { findForSignIn, type Role, type StaffUser } from './accounts.ts';
import { UNUSABLE_HASH, verifyPassword } from './password.ts';
import { endSession, findSession, startSession, type StaffSession } from './sessions.ts';
import { signInLimit, type SignInLimitOptions } from './sign-in-limit.ts';

export const SESSION_COOKIE = 'kefu_console';
export const CSRF_HEADER = 'x-csrf-token';

export interface StaffRoutesOptions {
  db: Db;
  signInLimit?: SignInLimitOptions;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffSession;
  }
}

const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });
const publicUser = (u: StaffUser) => ({ login: u.login, displayName: u.displayName, role: u.role, teams: u.teams });
const sessionIdOf = (req: FastifyRequest) => parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Guards a console route: a live session, of one of `roles` (any role when omitted), CSRF-checked on changes. */
export function staffOnly(db: Db, roles?: Role[]): preHandlerAsyncHookHandler {
  return async function (req, reply) {
    const id = sessionIdOf(req);
    const session = id ? await findSession(db, id) : null;
    if (!session) {
      if (/^bearer\s/i.test(req.headers.authorization ?? '')) return refuse(reply, 403, 'customer_token', 'a customer conversation token does not open the console; sign in');
      return refuse(reply, 401, 'not_signed_in', 'sign in to the console first');
    }
    if (roles && !roles.includes(session.user.role)) return refuse(reply, 403, 'role_not_allowed', `this needs the role ${roles.join(' or ')}`);
    if (UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) return refuse(reply, 403, 'csrf', `send the session's CSRF token in the ${CSRF_HEADER} header`);
    req.staff = session;
  };
}

export async function staffRoutes(app: FastifyInstance, opts: StaffRoutesOptions) {
  const { db } = opts;
  const limit = signInLimit(opts.signInLimit);
  const cookie = (req: FastifyRequest, value: string, maxAgeSeconds: number) =>
    stringifySetCookie({ name: SESSION_COOKIE, value, httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeSeconds, secure: req.protocol === 'https' });

  app.post('/session', async (req, reply) => {
    const body = req.body as { login?: unknown; password?: unknown } | null;
    const login = typeof body?.login === 'string' ? body.login.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    if (!login || !password) return refuse(reply, 400, 'bad_sign_in', 'send { "login": …, "password": … }');
    const waitMs = limit.waitMs(login, req.ip);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return refuse(reply, 429, 'too_many_attempts', 'too many failed sign-ins; wait and try again');
    }
    const found = await findForSignIn(db, login);
    const matches = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_HASH);
    if (!found || !matches) {
      limit.failed(login, req.ip);
      return refuse(reply, 401, 'bad_credentials', 'wrong login or password');
    }
    if (found.user.disabled) return refuse(reply, 403, 'account_disabled', 'this account is disabled');
    limit.succeeded(login);
    const session = await startSession(db, found.user.id);
    reply.header('set-cookie', cookie(req, session.id, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)));
    return { user: publicUser(found.user), csrfToken: session.csrfToken };
  });

  app.get('/session', { preHandler: staffOnly(db) }, async (req) => ({ user: publicUser(req.staff!.user), csrfToken: req.staff!.csrfToken }));

  app.delete('/session', { preHandler: staffOnly(db) }, async (req, reply) => {
    await endSession(db, sessionIdOf(req)!);
    reply.header('set-cookie', cookie(req, '', 0));
    return reply.code(204).send();
  });
}
