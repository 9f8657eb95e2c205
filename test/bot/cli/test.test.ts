import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli/main.ts';
import { captureIo } from '../../helpers/cli-io.ts';

describe('kefu test', () => {
  it('without a folder prints its usage', async () => {
    const c = captureIo();
    expect(await main(['test'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/usage: kefu test DIR/);
  });

  it('a folder that does not exist is named', async () => {
    const c = captureIo();
    expect(await main(['test', 'no/such/tests'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/no\/such\/tests does not exist/);
  });

  it('a folder with no bot above it asks for --bot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-ct-'));
    try {
      const c = captureIo();
      expect(await main(['test', dir], c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(/no bot\.yaml in .*; name the bot with --bot FOLDER/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a test file with a mistake is refused with its file and line before kefu starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-ct-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), '- name: x\n  turns:\n    - say: hi\n      answer: hello\n');
      const c = captureIo();
      expect(await main(['test', dir, '--bot', 'examples/demo-shop'], c.io)).toBe(1);
      expect(c.err.join('\n')).toMatch(/bad\.yaml:4: unknown field 'answer'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
