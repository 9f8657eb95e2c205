import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersCommand } from '../../../bot/cli/users.ts';
import { addStaffUser, disableStaffUser } from '../../../bot/staff/accounts.ts';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from '../../../bot/staff/password.ts';
import { CSRF_HEADER, SESSION_COOKIE, staffOnly, staffRoutes } from '../../../bot/staff/routes.ts';
import { signInLimit } from '../../../bot/staff/sign-in-limit.ts';
import type { Db } from '../../../bot/store/db.ts';
import { openDb } from '../../../bot/store/open.ts';
import { captureIo } from '../../helpers/cli-io.ts';

describe('password hashes', () => {
  it('verify the password they were made from and nothing else; each hash has its own salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('', UNUSABLE_HASH)).toBe(false);
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
  });
});

describe('sign-in limit', () => {
  it('stops a login after 5 failures in the window, frees it as failures age, and a success clears it', () => {
    let t = 0;
    const limit = signInLimit({ now: () => t, windowMs: 1000 });
    for (let i = 0; i < 5; i++) limit.failed('li', '10.0.0.1');
    expect(limit.waitMs('li', '10.0.0.2')).toBe(1000); // the login is locked whatever address tries
    expect(limit.waitMs('wang', '10.0.0.1')).toBe(0); // the address still has room
    t = 1001;
    expect(limit.waitMs('li', '10.0.0.1')).toBe(0);
    limit.failed('li', '10.0.0.1');
    limit.succeeded('li');
    expect(limit.waitMs('li', '10.0.0.1')).toBe(0);
  });

  it('stops an address that tries many logins', () => {
    const limit = signInLimit({ perAddress: 3 });
    for (const login of ['a1', 'a2', 'a3']) limit.failed(login, '10.0.0.9');
    expect(limit.waitMs('a4', '10.0.0.9')).toBeGreaterThan(0);
  });
});

describe('console sign-in routes', () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = (await openDb({})).db;
    await addStaffUser(db, { login: 'li.agent', displayName: '李雷', role: 'agent', teams: ['returns'], password: 'agent password 1' });
    await addStaffUser(db, { login: 'han.trainer', role: 'trainer', password: 'trainer password 1' });
    app = Fastify();
    await app.register(staffRoutes, { prefix: '/console/api', db });
    app.get('/console/api/reviews', { preHandler: staffOnly(db, ['trainer', 'admin']) }, async () => ({ ok: true }));
    app.post('/console/api/notes', { preHandler: staffOnly(db) }, async () => ({ saved: true }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const signIn = (login: string, password: string, ip = '10.1.1.1') =>
    app.inject({ method: 'POST', url: '/console/api/session', payload: { login, password }, remoteAddress: ip });
  const sessionCookie = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

  it('refuses a console route without a session (401) and with a customer conversation token (403)', async () => {
    expect((await app.inject({ method: 'GET', url: '/console/api/session' })).statusCode).toBe(401);
    const withToken = await app.inject({ method: 'GET', url: '/console/api/session', headers: { authorization: 'Bearer v1.abc.def' } });
    expect(withToken.statusCode).toBe(403);
    expect(withToken.json().error.code).toBe('customer_token');
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie and returns the account and a CSRF token', async () => {
    const res = await signIn('LI.AGENT', 'agent password 1');
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const body = res.json();
    expect(body.user).toEqual({ login: 'li.agent', displayName: '李雷', role: 'agent', teams: ['returns'] });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const me = await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: sessionCookie(res) } });
    expect(me.json().user.login).toBe('li.agent');
  });

  it('refuses a change without the CSRF header, accepts it with, and signs out', async () => {
    const res = await signIn('li.agent', 'agent password 1');
    const cookie = sessionCookie(res);
    const csrf = res.json().csrfToken as string;
    expect((await app.inject({ method: 'POST', url: '/console/api/notes', headers: { cookie } })).json().error.code).toBe('csrf');
    expect((await app.inject({ method: 'POST', url: '/console/api/notes', headers: { cookie, [CSRF_HEADER]: 'forged' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/console/api/notes', headers: { cookie, [CSRF_HEADER]: csrf } })).json()).toEqual({ saved: true });
    expect((await app.inject({ method: 'DELETE', url: '/console/api/session', headers: { cookie, [CSRF_HEADER]: csrf } })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('keeps a route to the roles it names', async () => {
    const agent = sessionCookie(await signIn('li.agent', 'agent password 1'));
    const trainer = sessionCookie(await signIn('han.trainer', 'trainer password 1'));
    expect((await app.inject({ method: 'GET', url: '/console/api/reviews', headers: { cookie: agent } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/console/api/reviews', headers: { cookie: trainer } })).statusCode).toBe(200);
  });

  it('rate-limits wrong passwords: after five, even the right one waits (429 with Retry-After)', async () => {
    await addStaffUser(db, { login: 'target', role: 'agent', password: 'target password 1' });
    for (let i = 0; i < 5; i++) expect((await signIn('target', `guess ${i}`, '10.2.2.2')).statusCode).toBe(401);
    const locked = await signIn('target', 'target password 1', '10.2.2.3');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers an unknown login exactly like a wrong password', async () => {
    const res = await signIn('nobody', 'whatever password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('bad_credentials');
  });

  it('ends the sessions of a disabled account and refuses it at sign-in', async () => {
    await addStaffUser(db, { login: 'leaver', role: 'agent', password: 'leaver password 1' });
    const cookie = sessionCookie(await signIn('leaver', 'leaver password 1'));
    await disableStaffUser(db, 'leaver');
    expect((await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie } })).statusCode).toBe(401);
    expect((await signIn('leaver', 'leaver password 1')).json().error.code).toBe('account_disabled');
  });
});

describe('kefu users', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-users-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const run = async (argv: string[], password = 'a long password') => {
    const cap = captureIo();
    const code = await usersCommand([...argv, '--data', dataDir], cap.io, { readPassword: async () => password });
    return { code, ...cap };
  };

  it('adds, lists and disables console users, and refuses bad input with a reason', async () => {
    expect((await run(['add', 'zhang', '--role', 'agent', '--name', '张三', '--teams', 'returns,vip'])).out[0]).toBe('added agent zhang (张三), teams returns, vip');
    const listed = await run(['list']);
    expect(listed.out).toEqual(['login\tname\trole\tteams\tstatus', 'zhang\t张三\tagent\treturns,vip\tactive']);
    await expect(run(['add', 'Zhang', '--role', 'agent'])).rejects.toThrow(/taken/);
    await expect(run(['add', 'wang', '--role', 'boss'])).rejects.toThrow(/role must be one of agent, trainer, admin/);
    await expect(run(['add', 'wang', '--role', 'agent'], 'short')).rejects.toThrow(/at least 10 characters/);
    expect((await run(['add', 'wang'])).code).toBe(2);
    expect((await run(['disable', 'zhang'])).code).toBe(0);
    expect((await run(['list'])).out[1]).toBe('zhang\t张三\tagent\treturns,vip\tdisabled');
    expect((await run(['disable', 'nobody'])).code).toBe(1);
  });
});
