import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { botIdOf, knowledgeCommand } from '../../../bot/cli/knowledge.ts';
import { captureIo } from '../../helpers/cli-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kefu knowledge eval', () => {
  it('prints exactly one JSON object with the agreed keys as its last line', async () => {
    const docs = [
      { id: 'ship', title: 'How long does delivery take?', text: 'Standard delivery takes 2 to 4 days.' },
      { id: 'pay', title: 'Which payment methods do you accept?', text: 'Alipay, WeChat Pay and bank cards.' },
      { id: 'pw', title: 'How do I reset my password?', text: 'Tap Forgot password on the login page.' },
    ];
    const queries = [
      { text: 'when will my delivery arrive', relevant: ['ship'] },
      { text: 'can I pay with alipay', relevant: ['pay'] },
      { text: 'forgot password', relevant: ['pw'] },
      { text: 'what is the weather like', relevant: [] },
    ];
    writeFileSync(join(dir, 'docs.jsonl'), docs.map((d) => JSON.stringify(d)).join('\n'));
    writeFileSync(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n'));
    const { io, out } = captureIo();
    const code = await knowledgeCommand(['eval', '--docs', join(dir, 'docs.jsonl'), '--queries', join(dir, 'queries.jsonl'), '--lexical'], io);
    expect(code).toBe(0);
    const last = JSON.parse(out[out.length - 1]);
    expect(Object.keys(last)).toEqual(['queries', 'recall@1', 'recall@5', 'mrr', 'ndcg@10', 'p50Ms', 'p99Ms']);
    expect(last).toMatchObject({ queries: 3, 'recall@1': 1, 'recall@5': 1, mrr: 1, 'ndcg@10': 1 });
  });

  it('explains its usage when arguments are missing', async () => {
    const { io, err } = captureIo();
    expect(await knowledgeCommand(['eval', '--docs', 'x.jsonl'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--queries/);
  });
});

describe('kefu knowledge ingest', () => {
  it('ingests into the data directory and prints the summary with skipped reasons; a second run finds nothing changed', async () => {
    const kb = join(dir, 'kb');
    mkdirSync(join(kb, 'en'), { recursive: true });
    writeFileSync(join(kb, 'en', 'hours.md'), '# Hours\n\n## Opening hours {#open}\n\nWe answer chats every day from 9:00 to 21:00.\n');
    writeFileSync(join(kb, 'empty.md'), '');
    const data = join(dir, 'data');
    const first = captureIo();
    expect(await knowledgeCommand(['ingest', kb, '--data', data, '--lexical'], first.io)).toBe(0);
    expect(first.out[0]).toBe('added 1, updated 0, unchanged 0, removed 0, skipped 1 (2 chunks indexed)');
    expect(first.out).toContain('  skipped    empty.md: empty file');
    const second = captureIo();
    expect(await knowledgeCommand(['ingest', kb, '--data', data, '--lexical'], second.io)).toBe(0);
    expect(second.out[0]).toMatch(/^added 0, updated 0, unchanged 1/);
    const search = captureIo();
    expect(await knowledgeCommand(['search', 'when are you open', '--data', data, '--lexical'], search.io)).toBe(0);
    expect(search.out.join('\n')).toContain('/help/en/hours#open');
  }, 90_000);

  it('names the bot after its folder, or the id in its bot.yaml', () => {
    const bot = join(dir, 'my-shop');
    mkdirSync(bot, { recursive: true });
    expect(botIdOf(bot)).toBe('my-shop');
    writeFileSync(join(bot, 'bot.yaml'), 'id: lumen\n');
    expect(botIdOf(bot)).toBe('lumen');
    expect(botIdOf(undefined)).toBe('default');
  });
});
