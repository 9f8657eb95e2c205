import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasHan } from '../../../bot/turn/locale.ts';
import { defaultNegatives } from '../../../training/intents/negatives.ts';

describe('generic out-of-scope negatives', () => {
  it('ship with kefu: a few hundred sentences in each language, comments left out, no duplicates', () => {
    const negatives = defaultNegatives({});
    const zh = negatives.filter(hasHan);
    expect(zh.length).toBeGreaterThanOrEqual(250);
    expect(negatives.length - zh.length).toBeGreaterThanOrEqual(250);
    expect(negatives.some((s) => s.startsWith('#'))).toBe(false);
    expect(new Set(negatives).size).toBe(negatives.length);
  });

  it('come from the file KEFU_INTENT_NEGATIVES names instead, or none when it is set but empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-negatives-'));
    try {
      const file = join(dir, 'mine.txt');
      writeFileSync(file, '# mine\nthe first sentence\n\nthe second sentence\n');
      expect(defaultNegatives({ KEFU_INTENT_NEGATIVES: file })).toEqual(['the first sentence', 'the second sentence']);
      expect(defaultNegatives({ KEFU_INTENT_NEGATIVES: '' })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
