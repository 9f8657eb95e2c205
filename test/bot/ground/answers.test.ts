import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { loadHelpCenter } from '../../../bot/content/help-articles.ts';
import { blocksText } from '../../../knowledge/chunk.ts';
import { createKnowledge } from '../../../knowledge/index.ts';
import { loadKnowledgeEmbedder } from '../../../bot/knowledge-embedder.ts';
import type { Locale } from '../../../bot/turn/types.ts';
import { channels } from '../../../adapters/index.ts';

// A copy of the demo shop, so a test can add a phrasing to its help centre.
const botDir = mkdtempSync(join(tmpdir(), 'kefu-answers-'));
cpSync('examples/demo-shop', botDir, { recursive: true });
let kefu: Kefu;
let n = 0;

beforeAll(async () => {
  kefu = await startKefu({ channels: channels(), botDir, port: 0, knowledgePollMs: 200 });
}, 180_000);
afterAll(async () => {
  await kefu?.close();
  rmSync(botDir, { recursive: true, force: true });
});

/** A conversation that says each message in turn; resolves to the bot's replies. */
async function converse(locale: Locale, ...messages: (string | { text: string; payload: string })[]) {
  const id = `answers-${n++}`;
  const conversation = await kefu.chat.startConversation({ channel: 'web', customerId: id, locale });
  const replies = [];
  for (const [i, m] of messages.entries()) {
    const { text, payload } = typeof m === 'string' ? { text: m, payload: undefined } : m;
    const receipt = await kefu.chat.receive({ channel: 'web', channelMessageId: `${id}-${i}`, conversationId: conversation.id, customerId: id, text, payload, images: [], locale, receivedAt: new Date() });
    replies.push((await receipt.reply)!);
  }
  return replies;
}

describe('answers from the help centre', () => {
  const withTables = loadHelpCenter(join('examples/demo-shop', 'knowledge')).filter((e) => e.blocks.some((b) => b.kind === 'table'));

  it('answers every demo-shop entry that holds a table with its whole answer, table included', async () => {
    expect(withTables.length).toBeGreaterThanOrEqual(4);
    for (const entry of withTables) {
      const [reply] = await converse(entry.lang, { text: entry.question, payload: `entry:${entry.id.replace(/^(en|zh)\//, '')}` });
      const table = entry.blocks.find((b) => b.kind === 'table')!;
      const firstCell = table.header[0]!;
      expect(reply.sources[0]?.url, entry.id).toBe(`/help/${entry.id}`);
      expect(reply.text, entry.id).toContain(`| ${firstCell} |`);
      expect(reply.text, entry.id).toContain(blocksText(entry.blocks).split('\n\n').at(-1)!.slice(0, 20));
    }
  });

  it('answers a question asked the way customers ask it with the entry and its table', async () => {
    const [reply] = await converse('zh', '退款几天能到账啊');
    expect(reply.sources[0]?.url).toBe('/help/zh/refunds#refund-timeline');
    expect(reply.text).toContain('| 付款方式 |');
  });

  it('carries a follow-up\'s topic over from the previous question', async () => {
    const [, followUp] = await converse('en', 'Do you ship to Hong Kong?', 'and how long would it take to get there?');
    expect(followUp.sources[0]?.url).toBe('/help/en/shipping#international-shipping');
  });

  it('answers a message that opens by changing the subject from its own words, not the previous question\'s topic', async () => {
    const [, switched] = await converse('zh', '寄到日本要几天', '另外问一下，能用PayPal付款吗');
    expect(switched.sources[0]?.url).toBe('/help/zh/payments#payment-methods');
    const [row] = await kefu.db.query<{ trace: { stage: string; detail?: { readings?: Record<string, unknown>; readAlone?: string } }[] }>(
      "select trace from messages where direction = 'in' and text = '另外问一下，能用PayPal付款吗' order by id desc limit 1",
    );
    const ground = row!.trace.find((s) => s.stage === 'ground')!.detail!;
    expect(Object.keys(ground.readings!)).toEqual(['alone']);
    expect(ground.readAlone).toBe('opens a new matter');
  });

  it('shows in the turn\'s trace the evidence of both readings of a follow-up, alone and with the previous message', async () => {
    await converse('en', 'Do you send orders to Hong Kong?', 'how long would it take to get there?');
    const [row] = await kefu.db.query<{ trace: { stage: string; detail?: { readings?: Record<string, { outcome: string; evidence: { entry: string }[] }> } }[] }>(
      "select trace from messages where direction = 'in' and text = 'how long would it take to get there?' order by id desc limit 1",
    );
    const readings = row!.trace.find((s) => s.stage === 'ground')!.detail!.readings!;
    expect(Object.keys(readings).sort()).toEqual(['alone', 'withPrevious']);
    expect(readings.withPrevious!.outcome).toBe('answer');
    expect(readings.withPrevious!.evidence[0]!.entry).toBe('shipping#international-shipping');
    expect(readings.alone!.evidence.length).toBeGreaterThan(0);
  });

  it('does not search the reading with the previous message when the message alone keeps its answer', async () => {
    // customs duties, which the two messages together still support
    const [, second] = await converse('zh', '能寄到日本吗', '那进口税谁出');
    expect(second.sources[0]?.url).toBe('/help/zh/shipping#customs-duties');
    const [row] = await kefu.db.query<{ trace: { stage: string; detail?: { readings?: Record<string, { skipped?: string; evidence: unknown[] }> } }[] }>(
      "select trace from messages where direction = 'in' and text = '那进口税谁出' order by id desc limit 1",
    );
    const readings = row!.trace.find((s) => s.stage === 'ground')!.detail!.readings!;
    expect(readings.withPrevious).toMatchObject({ skipped: 'the message alone keeps its answer', evidence: [] });
    expect(readings.alone!.evidence.length).toBeGreaterThan(0);
  });

  it('understands the payload of a "Did you mean …?" button, whatever the label says', async () => {
    const [reply] = await converse('en', { text: 'How do I make a complaint?', payload: 'entry:shipping#parcel-lockers' });
    expect(reply.sources[0]?.url).toBe('/help/en/shipping#parcel-lockers');
  });

  it('declines an off-topic question honestly and offers a human', async () => {
    const [reply] = await converse('en', 'what is the boiling point of mercury in kelvin');
    expect(reply.sources).toEqual([]);
    expect(reply.quickReplies.some((q) => /person|human/i.test(q.label))).toBe(true);
  });

  it('a phrasing added to a help entry and ingested fixes a miss, without a restart', async () => {
    const question = 'quokka tariff for my parcel';
    const [before] = await converse('en', question);
    expect(before.sources[0]?.url).not.toBe('/help/en/shipping#shipping-fees');

    const file = join(botDir, 'knowledge', 'en', 'shipping.md');
    const md = readFileSync(file, 'utf8').replace(/(\{#shipping-fees\}\n\nAlso asked:\n)/, '$1- quokka tariff for my parcel\n- what is the quokka tariff\n');
    writeFileSync(file, md);
    // as `kefu knowledge ingest` does: another handle on the same store
    const other = await createKnowledge({ db: kefu.db, botId: 'demo-shop', embedder: await loadKnowledgeEmbedder() });
    expect((await other.ingest(join(botDir, 'knowledge'))).updated).toHaveLength(1);

    await expect
      .poll(async () => (await converse('en', question))[0]!.sources[0]?.url, { timeout: 60_000, interval: 1000 })
      .toBe('/help/en/shipping#shipping-fees');
  }, 90_000);
});
