import { describe, expect, it } from 'vitest';
import { startKefu } from '../../../bot/app.ts';
import { checkSecret } from '../../../bot/server/token-secret.ts';
import { channels } from '../../../adapters/index.ts';

describe('the token signing secret', () => {
  it('an empty KEFU_SECRET stops kefu before it opens anything, with the reason', async () => {
    await expect(startKefu({ channels: channels(), botDir: 'examples/demo-shop', secret: '', port: 0 })).rejects.toThrow(/KEFU_SECRET is empty/);
    await expect(startKefu({ channels: channels(), botDir: 'examples/demo-shop', secret: '   ', port: 0 })).rejects.toThrow(/KEFU_SECRET is empty/);
  });

  it('a short one is refused too; a long one is used as it is', () => {
    expect(() => checkSecret('hunter2')).toThrow(/only 7 characters.*at least 16/);
    expect(checkSecret('0123456789abcdef')).toBe('0123456789abcdef');
  });
});
