/**
 * Flows inside a running kefu (the demo shop in demo mode, web channel, embedded database in a folder):
 * two customers in the same flow at once, an action that hangs past its time-out, an idle flow that
 * expires, and a flow that outlives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { DEFAULT_TURN_BUDGET_MS } from '../../../bot/inbox/runner.ts';
import type { Turn } from '../../../bot/turn/types.ts';
import { channels } from '../../../adapters/index.ts';
import { newSession, postMessage, type Session } from '../../helpers/kefu.ts';

interface Out {
  text: string;
  quickReplies: { label: string; payload: string }[];
}

describe('flows in a running kefu', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-flows-'));
  const turns = new Map<string, Turn>();
  let kefu: Kefu;
  const start = () => startKefu({ botDir: 'examples/demo-shop', channels: channels(), port: 0, dataDir, onTurn: (t) => turns.set(t.conversation.id, t) });
  beforeAll(async () => void (kefu = await start()), 300_000);
  afterAll(async () => {
    await kefu?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const say = async (s: Session, text: string, payload?: string) => {
    const res = await postMessage(kefu.url, s, { text, ...(payload ? { payload } : {}), clientMessageId: `m${Math.random()}` });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Out[] }).replies.map((r) => r.text).join('\n');
  };

  it('two customers in the same flow at once never see each other’s slots', async () => {
    const [ann, bo] = [await newSession(kefu.url, 'en'), await newSession(kefu.url, 'zh')];
    await Promise.all([say(ann, 'I need to change my delivery address for order LM202611300017'), say(bo, '我要改收货地址')]);
    const [annAsked, boAnswer] = await Promise.all([say(ann, 'Flat 2, 9 Nathan Road, Kowloon'), say(bo, 'LM202611280042')]);
    expect(annAsked).toContain('Change the delivery address of order LM202611300017 to “Flat 2, 9 Nathan Road, Kowloon”?');
    expect(boAnswer).toContain('LM202611280042');
    expect(boAnswer).not.toContain('LM202611300017');
    expect(turns.get(ann.conversationId)!.flow!.slots).toEqual({ order_number: 'LM202611300017', address: 'Flat 2, 9 Nathan Road, Kowloon' });
    expect(turns.get(bo.conversationId)!.flow!.slots).toEqual({ order_number: 'LM202611280042' });
    expect(await say(ann, 'yes')).toContain('Done: order LM202611300017 will be delivered to Flat 2, 9 Nathan Road, Kowloon');
  });

  it('an action that hangs past its time-out is answered with the apology within the turn’s budget', async () => {
    const s = await newSession(kefu.url, 'en');
    const started = performance.now();
    const reply = await say(s, 'Where is my order LM202611290504?');
    const took = performance.now() - started;
    expect(reply).toMatch(/^Sorry, I can't reach our order system/);
    const turn = turns.get(s.conversationId)!;
    const flow = turn.trace.find((t) => t.stage === 'flow')!;
    expect(flow.detail!.actions).toEqual([expect.objectContaining({ action: 'get_order', outcome: 'failed', status: 'timeout', tries: 2 })]);
    expect(turn.trace.reduce((sum, t) => sum + t.ms, 0)).toBeLessThan(DEFAULT_TURN_BUDGET_MS);
    expect(took).toBeLessThan(DEFAULT_TURN_BUDGET_MS + 1000);
    expect(turn.trace.find((t) => t.stage === 'commit')!.detail?.overBudget).toBeUndefined();
  });

  it('a flow left idle past flows.idleMinutes expires: the next message is not taken as its answer', async () => {
    const s = await newSession(kefu.url, 'en');
    expect(await say(s, 'Track an order', 'flow:start:track_order')).toContain('order number');
    await kefu.db.query("update flow_states set updated_at = now() - interval '31 minutes' where conversation_id = $1", [s.conversationId]);
    await say(s, 'How long does delivery take?');
    const turn = turns.get(s.conversationId)!;
    expect(turn.flow).toBeUndefined();
    expect(turn.trace.find((t) => t.stage === 'flow')).toMatchObject({ decision: 'none', detail: { expired: 'track_order' } });
    expect(await kefu.db.query('select 1 from flow_states where conversation_id = $1', [s.conversationId])).toEqual([]);
  });

  it('a flow outlives a restart: the answer after it continues where it stopped', async () => {
    const s = await newSession(kefu.url, 'zh');
    expect(await say(s, '申请退货', 'flow:start:start_return')).toContain('订单号');
    await kefu.close();
    kefu = await start();
    const reply = await say(s, 'LM202611200008');
    expect(reply).toContain('确认为订单 LM202611200008 的跑鞋申请退货吗');
  }, 300_000);
});
