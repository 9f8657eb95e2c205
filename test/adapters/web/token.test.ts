import { describe, expect, it } from 'vitest';
import { issueToken, verifyToken } from '../../../adapters/web/token.ts';

const SECRET = 'a-test-secret-of-some-length';
const claim = { conversationId: 'c1', customerId: 'u1' };
const DAY = 86_400_000;

describe('conversation tokens', () => {
  it('opens its conversation while fresh', () => {
    const now = Date.now();
    expect(verifyToken(SECRET, issueToken(SECRET, claim, now), 30, now)).toMatchObject(claim);
  });

  it('expires after the maximum age', () => {
    const now = Date.now();
    expect(verifyToken(SECRET, issueToken(SECRET, claim, now - 31 * DAY), 30, now)).toBeNull();
  });

  it('refuses a well-signed token issued in the far future (it would never expire)', () => {
    const now = Date.now();
    expect(verifyToken(SECRET, issueToken(SECRET, claim, now + 3650 * DAY), 30, now)).toBeNull();
    expect(verifyToken(SECRET, issueToken(SECRET, claim, now + 60 * 60_000), 30, now)).toBeNull();
  });

  it('allows a little clock skew between kefu processes', () => {
    const now = Date.now();
    expect(verifyToken(SECRET, issueToken(SECRET, claim, now + 30_000), 30, now)).not.toBeNull();
  });

  it('refuses a token that is not a string (a query parameter given twice) without throwing', () => {
    const token = issueToken(SECRET, claim);
    expect(verifyToken(SECRET, [token, token])).toBeNull();
    expect(verifyToken(SECRET, { token })).toBeNull();
  });
});
