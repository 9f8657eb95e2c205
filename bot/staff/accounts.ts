/** Staff accounts in the store: add, list, find by login, disable. */
import type { Queryable } from '../store/db.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.ts';

export const ROLES = ['agent', 'trainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  teams: string[];
  disabled: boolean;
}

interface Row {
  id: string | number;
  login: string;
  display_name: string;
  role: Role;
  teams: string[];
  disabled_at: Date | null;
  password_hash: string;
}

const toUser = (r: Row): StaffUser => ({ id: Number(r.id), login: r.login, displayName: r.display_name, role: r.role, teams: r.teams, disabled: r.disabled_at !== null });

const LOGIN = /^[\p{L}\p{N}._@-]{2,64}$/u;

export class AccountError extends Error {}

export async function addStaffUser(db: Queryable, user: { login: string; displayName?: string; role: string; teams?: string[]; password: string }): Promise<StaffUser> {
  if (!LOGIN.test(user.login)) throw new AccountError(`login '${user.login}' must be 2–64 letters, digits or . _ @ -`);
  if (!ROLES.includes(user.role as Role)) throw new AccountError(`role must be one of ${ROLES.join(', ')} (got '${user.role}')`);
  if (user.password.length < MIN_PASSWORD_LENGTH) throw new AccountError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const [taken] = await db.query('select 1 from staff_users where lower(login) = lower($1)', [user.login]);
  if (taken) throw new AccountError(`login '${user.login}' is taken`);
  const [row] = await db.query<Row>(
    'insert into staff_users (login, display_name, role, teams, password_hash) values ($1, $2, $3, $4, $5) returning *',
    [user.login, user.displayName?.trim() || user.login, user.role, user.teams ?? [], await hashPassword(user.password)],
  );
  return toUser(row!);
}

export async function listStaffUsers(db: Queryable): Promise<StaffUser[]> {
  return (await db.query<Row>('select * from staff_users order by lower(login)')).map(toUser);
}

/** The account and its password hash, for signing in (disabled accounts included: the caller refuses them). */
export async function findForSignIn(db: Queryable, login: string): Promise<{ user: StaffUser; passwordHash: string } | null> {
  const [row] = await db.query<Row>('select * from staff_users where lower(login) = lower($1)', [login]);
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

/** Disables an account and ends its sessions; false when there is no such login. */
export async function disableStaffUser(db: Queryable, login: string): Promise<boolean> {
  const [row] = await db.query<{ id: string }>('update staff_users set disabled_at = coalesce(disabled_at, now()) where lower(login) = lower($1) returning id', [login]);
  if (!row) return false;
  await db.query('delete from staff_sessions where user_id = $1', [row.id]);
  return true;
}
