import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's request signature: the SHA-1 (hex) of its parts sorted as strings and joined. The parts are the
 * token, timestamp and nonce; in safe mode the encrypted message too (`msg_signature`).
 */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Whether a signature a request carries is the expected one (compared in constant time). */
export function signatureMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
