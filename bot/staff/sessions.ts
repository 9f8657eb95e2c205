/**
 * Console sessions: a random id in an HttpOnly cookie, stored only as its SHA-256, with a CSRF token the
 * console sends back in a header on every change. A session ends at its expiry, at sign-out, or when
 * its account is disabled.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/db.ts';
import type { Role, StaffUser } from './accounts.ts';

/** Sessions last a working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface StaffSession {
  user: StaffUser;
  csrfToken: string;
  expiresAt: Date;
}

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

export async function startSession(db: Queryable, userId: number, ttlMs = SESSION_TTL_MS): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.query('delete from staff_sessions where expires_at < now()');
  await db.query('insert into staff_sessions (id_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)', [digest(id), userId, csrfToken, expiresAt]);
  return { id, csrfToken, expiresAt };
}

/** The live session with this id; null when unknown, expired or its account disabled. */
export async function findSession(db: Queryable, id: string): Promise<StaffSession | null> {
  const [row] = await db.query<{ id: string; login: string; display_name: string; role: Role; teams: string[]; csrf_token: string; expires_at: Date }>(
    `select u.id, u.login, u.display_name, u.role, u.teams, s.csrf_token, s.expires_at
       from staff_sessions s join staff_users u on u.id = s.user_id
      where s.id_hash = $1 and s.expires_at > now() and u.disabled_at is null`,
    [digest(id)],
  );
  if (!row) return null;
  return {
    user: { id: Number(row.id), login: row.login, displayName: row.display_name, role: row.role, teams: row.teams, disabled: false },
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_at),
  };
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await db.query('delete from staff_sessions where id_hash = $1', [digest(id)]);
}
