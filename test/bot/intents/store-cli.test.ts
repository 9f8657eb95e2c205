import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentsCommand } from '../../../bot/cli/intents.ts';
import { loadRecognizer } from '../../../bot/intents/stage.ts';
import { loadNewestIntentModel } from '../../../bot/intents/model-store.ts';
import type { Db } from '../../../bot/turn/database.ts';
import { openDb } from '../../../bot/store/open.ts';
import { captureIo } from '../../helpers/cli-io.ts';

const work = mkdtempSync(join(tmpdir(), 'kefu-intents-'));
const bot = join(work, 'tiny-shop');
const intent = (name: string, en: string[], zh: string[]) =>
  `intent: ${name}\nexamples:\n  en:\n${en.map((e) => `    - ${e}\n`).join('')}  zh:\n${zh.map((e) => `    - ${e}\n`).join('')}`;

function writeBot(): void {
  cpSync('examples/demo-shop/intents/entities.yaml', join(bot, 'intents', 'entities.yaml'));
  writeFileSync(join(bot, 'intents', 'order_status.yaml'), intent('order_status', ['where is my order', 'has my parcel shipped', 'track my package', 'when does my order arrive'], ['我的订单到哪了', '包裹发货了吗', '查一下物流', '什么时候到货']));
  writeFileSync(join(bot, 'intents', 'refund.yaml'), intent('refund', ['I want my money back', 'where is my refund', 'refund this order', 'when will I be refunded'], ['我要退款', '退款什么时候到', '把钱退给我', '退款进度']));
  writeFileSync(join(bot, 'intents', 'greeting.yaml'), intent('greeting', ['hello', 'hi there', 'good morning', 'hey'], ['你好', '您好', '早上好', '在吗']));
  writeFileSync(join(bot, 'intents', 'oos.yaml'), intent('oos', ['tell me a joke', 'what is the weather', 'who won the game', 'how tall is everest'], ['讲个笑话', '天气怎么样', '比赛谁赢了', '珠峰多高']));
}

let db: Db;
beforeAll(async () => {
  // Training here uses only the bot's own examples, whatever shared data the machine has.
  process.env.KEFU_INTENT_NEGATIVES = '';
  mkdirSync(join(bot, 'intents'), { recursive: true });
  writeBot();
  db = (await openDb({})).db;
});
afterAll(async () => {
  await db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('intent models in the store', () => {
  it('trains and stores version 1 when the store has none, then loads it instead of retraining', async () => {
    const first = await loadRecognizer(db, bot);
    expect(first.version).toBe(1);
    expect((await first.recognize('where is my order')).intent).toBe('order_status');
    const second = await loadRecognizer(db, bot);
    expect(second.version).toBe(1);
  });

  it('trains a new version when the YAML changed', async () => {
    writeFileSync(join(bot, 'intents', 'thanks.yaml'), intent('thanks', ['thank you', 'thanks a lot', 'cheers', 'much appreciated'], ['谢谢', '多谢', '感谢', '谢谢你']));
    const r = await loadRecognizer(db, bot);
    expect(r.version).toBe(2);
    expect(r.intents).toContain('thanks');
    expect((await loadNewestIntentModel(db, 'tiny-shop'))?.version).toBe(2);
  });
});

describe('kefu intents', () => {
  it('eval prints the fixed JSON figures on its last line', async () => {
    const rows = (pairs: [string, string][]) => pairs.map(([text, intent]) => JSON.stringify({ text, intent })).join('\n');
    const train = join(work, 'train.jsonl');
    const test = join(work, 'test.jsonl');
    writeFileSync(train, rows([['where is my order', 'track'], ['track my parcel', 'track'], ['has it shipped', 'track'], ['when will it arrive', 'track'], ['i want a refund', 'refund'], ['money back please', 'refund'], ['refund my order', 'refund'], ['where is my refund', 'refund'], ['tell me a joke', 'oos'], ['what is the weather', 'oos'], ['who won the match', 'oos'], ['sing a song', 'oos']]));
    writeFileSync(test, rows([['track my order', 'track'], ['give me a refund', 'refund'], ['what is the capital of peru', 'oos']]));
    const c = captureIo();
    expect(await intentsCommand(['eval', '--train', train, '--test', test, '--no-negatives'], c.io)).toBe(0);
    const result = JSON.parse(c.out.at(-1)!);
    expect(Object.keys(result)).toEqual(['examples', 'intents', 'accuracy', 'macroF1', 'inScopeAccuracy', 'oosRecall', 'oosPrecision', 'trainSeconds', 'p50PredictMs']);
    expect(result.examples).toBe(3);
    expect(result.intents).toBe(2);
  });

  it('eval names the file and line of a broken JSONL row', async () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"text":"hi","intent":"greet"}\n{"text": "oops"\n');
    const c = captureIo();
    expect(await intentsCommand(['eval', '--train', bad, '--test', bad], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain(`${bad}:2`);
  });

  it('eval refuses an unknown embedder by name, listing the known ones', async () => {
    const rows = join(work, 'two.jsonl');
    writeFileSync(rows, '{"text":"hi","intent":"greet"}\n{"text":"bye","intent":"leave"}\n');
    const c = captureIo();
    expect(await intentsCommand(['eval', '--train', rows, '--test', rows, '--embeddings', 'word2vec'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('unknown embedder "word2vec" (known: use-lite-pieces, use-lite, use-lite-zh)');
    const bare = captureIo();
    expect(await intentsCommand(['eval', '--train', rows, '--test', rows, '--embeddings'], bare.io)).toBe(1);
    expect(bare.err.join('\n')).toContain("Option '--embeddings <value>' argument missing");
  });

  it('names bot.yaml when its intents.embeddings is unknown', async () => {
    const odd = join(work, 'odd-bot');
    mkdirSync(join(odd, 'intents'), { recursive: true });
    writeFileSync(join(odd, 'bot.yaml'), 'id: odd\nintents:\n  embeddings: glove\n');
    writeFileSync(join(odd, 'intents', 'greeting.yaml'), 'intent: greeting\nexamples:\n  en: [hi, hello, hey there]\n');
    writeFileSync(join(odd, 'intents', 'goodbye.yaml'), 'intent: goodbye\nexamples:\n  en: [bye, see you, good night]\n');
    const c = captureIo();
    expect(await intentsCommand(['test', '--bot', odd, '--no-negatives'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain(`${join(odd, 'bot.yaml')}: intents.embeddings: unknown embedder "glove"`);
  });

  it('names the file and line of a typo in the YAML', async () => {
    const broken = join(work, 'broken-bot');
    mkdirSync(join(broken, 'intents'), { recursive: true });
    writeFileSync(join(broken, 'intents', 'greeting.yaml'), 'intent: greeting\nexampels:\n  - hi\n');
    const c = captureIo();
    expect(await intentsCommand(['test', '--bot', broken, '--no-negatives'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('greeting.yaml:2');
  });

  it('test prints a confusion summary and the worst intents', async () => {
    const c = captureIo();
    expect(await intentsCommand(['test', '--bot', bot, '--folds', '2', '--no-negatives'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('worst intents');
    expect(text).toContain('confusions');
  });

  it('explains usage for an unknown subcommand', async () => {
    const c = captureIo();
    expect(await intentsCommand(['fly'], c.io)).toBe(2);
    expect(c.err[0]).toContain('usage: kefu intents');
  });
});
