import { describe, expect, it } from 'vitest';
import { redactTokenInUrl } from '../../../bot/server/request-log.ts';

describe('request log lines', () => {
  it('redact every token in a URL', () => {
    expect(redactTokenInUrl('/api/conversations/c1/ws?token=abc.def&x=1&token=ghi')).toBe('/api/conversations/c1/ws?token=[redacted]&x=1&token=[redacted]');
  });
});
