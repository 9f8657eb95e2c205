import { randomBytes } from 'node:crypto';
import type { Queryable } from '../turn/database.ts';
import { ensureSetting } from '../store/messages.ts';

/** Shortest KEFU_SECRET kefu accepts: a guessable secret lets anyone forge conversation tokens. */
export const MIN_SECRET_LENGTH = 16;

/**
 * The secret that signs conversation tokens: KEFU_SECRET when it is set (an empty or short one is an error,
 * never silently replaced), else a random one made once and kept in the database, shared by every kefu
 * process on it (in the embedded database's private directory, or on the PostgreSQL server).
 */
export async function tokenSecret(db: Queryable, configured: string | undefined): Promise<string> {
  if (configured !== undefined) return checkSecret(configured);
  return ensureSetting(db, 'token_secret', randomBytes(32).toString('base64url'));
}

/** A configured secret, or an error saying why it cannot be used. */
export function checkSecret(configured: string): string {
  const length = configured.trim().length;
  if (length < MIN_SECRET_LENGTH) {
    throw new Error(
      `KEFU_SECRET is ${length ? `only ${length} characters` : 'empty'}; set it to a random string of at least ${MIN_SECRET_LENGTH} characters ` +
        `(e.g. openssl rand -base64 32), or unset it to let kefu keep a random one in its database`,
    );
  }
  return configured;
}
