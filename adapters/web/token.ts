import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a web customer's token proves: this browser may read and write this one conversation. */
export interface ConversationClaim {
  conversationId: string;
  customerId: string;
  issuedAt: number;
}

const DAY_MS = 86_400_000;
/** How far a token's issue time may lie ahead of this clock (another kefu process's clock may run a little fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function issueToken(secret: string, claim: Omit<ConversationClaim, 'issuedAt'>, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ c: claim.conversationId, u: claim.customerId, t: now })).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * The claim of a well-signed token issued within the last `maxAgeDays`, or null for anything else
 * (missing, not a string, malformed, forged, expired, or issued in the future — which would never expire).
 */
export function verifyToken(secret: string, token: unknown, maxAgeDays = 30, now = Date.now()): ConversationClaim | null {
  if (typeof token !== 'string' || !token || token.length > 1000) return null;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { c, u, t } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: unknown; u: unknown; t: unknown };
    if (typeof c !== 'string' || typeof u !== 'string' || typeof t !== 'number' || !Number.isFinite(t)) return null;
    if (t > now + CLOCK_SKEW_MS || now - t > maxAgeDays * DAY_MS) return null;
    return { conversationId: c, customerId: u, issuedAt: t };
  } catch {
    return null;
  }
}
