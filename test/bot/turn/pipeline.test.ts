import { describe, expect, it } from 'vitest';
import { createPipeline, OVER_BUDGET } from '../../../bot/turn/pipeline.ts';
import { STAGE_NAMES, type Stage, type StageName, type Turn } from '../../../bot/turn/types.ts';

const turn = (): Turn => ({
  conversation: { id: 'c', botId: 'b', channel: 'web', customerId: 'u', mode: 'bot', locale: 'en', createdAt: new Date() },
  inbound: { channel: 'web', channelMessageId: 'm', conversationId: 'c', customerId: 'u', text: 'hi', images: [], receivedAt: new Date() },
  messageId: 1,
  text: 'hi',
  locale: 'en',
  history: [],
  drafts: [],
  replies: [],
  trace: [],
});

const recording = (name: StageName, log: string[], extra: Partial<Stage> = {}): Stage => ({
  name,
  run: () => {
    log.push(name);
    return { decision: `ran ${name}` };
  },
  ...extra,
});

describe('turn pipeline', () => {
  it('runs the stages in DESIGN.md order whatever order they are given in', async () => {
    const log: string[] = [];
    const stages = Object.fromEntries([...STAGE_NAMES].reverse().map((n) => [n, recording(n, log)]));
    await createPipeline(stages).run(turn());
    expect(log).toEqual(['guard-in', 'route', 'perceive', 'understand', 'decide', 'flow', 'ground', 'compose', 'guard-out', 'handoff', 'commit']);
  });

  it('records every stage in the trace with its decision and time, pass-throughs included', async () => {
    const t = await createPipeline({ ground: { name: 'ground', run: () => ({ decision: '2 passages', detail: { best: 'FAQ' } }) } }).run(turn());
    expect(t.trace.map((s) => s.stage)).toEqual([...STAGE_NAMES]);
    expect(t.trace.find((s) => s.stage === 'ground')).toMatchObject({ decision: '2 passages', detail: { best: 'FAQ' } });
    expect(t.trace.find((s) => s.stage === 'perceive')?.decision).toBe('pass');
    for (const step of t.trace) expect(step.ms).toBeGreaterThanOrEqual(0);
  });

  it('measures how long a slow stage took', async () => {
    const t = await createPipeline({ compose: { name: 'compose', run: async () => (await new Promise((r) => setTimeout(r, 30)), { decision: 'slow' }) } }).run(turn());
    expect(t.trace.find((s) => s.stage === 'compose')!.ms).toBeGreaterThanOrEqual(25);
  });

  it('after a stage stops the turn, only the stages marked always still run', async () => {
    const log: string[] = [];
    const t = await createPipeline({
      'guard-in': { name: 'guard-in', run: (tt) => ((tt.stopped = 'blocked'), { decision: 'block' }) },
      understand: recording('understand', log),
      'guard-out': recording('guard-out', log, { always: true }),
      commit: recording('commit', log, { always: true }),
    }).run(turn());
    expect(log).toEqual(['guard-out', 'commit']);
    expect(t.trace.find((s) => s.stage === 'understand')?.decision).toBe('skipped');
  });

  it('refuses a stage registered under another stage name', () => {
    expect(() => createPipeline({ ground: recording('compose', []) })).toThrow(/registered as 'ground'/);
  });

  it('lets each stage read what earlier stages added', async () => {
    const t = await createPipeline({
      understand: { name: 'understand', run: (tt) => ((tt.understanding = { intent: 'greeting', confidence: 0.9, outOfScope: false, ambiguous: false, entities: [] }), { decision: 'greeting' }) },
      decide: { name: 'decide', run: (tt) => ((tt.decision = tt.understanding?.intent === 'greeting' ? 'smalltalk' : 'answer'), { decision: tt.decision! }) },
    }).run(turn());
    expect(t.decision).toBe('smalltalk');
  });

  it('stops a turn whose stages overrun the time budget: later stages are skipped, `always` stages still run', async () => {
    const log: string[] = [];
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const t = await createPipeline(
      {
        understand: { name: 'understand', run: () => (busy(60), { decision: 'slow' }) },
        ground: recording('ground', log),
        commit: recording('commit', log, { always: true }),
      },
      { budgetMs: 40 },
    ).run(turn());
    expect(t.stopped).toBe(OVER_BUDGET);
    expect(log).toEqual(['commit']);
    expect(t.trace.find((s) => s.stage === 'understand')!.detail).toMatchObject({ overBudget: { budgetMs: 40 } });
    expect(t.trace.find((s) => s.stage === 'ground')!.decision).toBe('skipped');
  });

  it('gives each turn the budget a function sets for it (a turn with images gets more time)', async () => {
    const slow = { name: 'understand' as const, run: async () => (await new Promise((r) => setTimeout(r, 60)), { decision: 'slow' }) };
    const pipeline = createPipeline({ understand: slow }, { budgetMs: (t) => (t.inbound.images.length ? 10_000 : 20) });
    const plain = turn();
    const withImage = turn();
    withImage.inbound.images = [{ mime: 'image/png', bytes: new Uint8Array(8) }];
    expect((await pipeline.run(plain)).stopped).toBe(OVER_BUDGET);
    expect((await pipeline.run(withImage)).stopped).toBeUndefined();
  });

  it('lets other work run between stages (the event loop is not held for the whole turn)', async () => {
    const order: string[] = [];
    const run = createPipeline({
      'guard-in': { name: 'guard-in', run: () => (order.push('guard-in'), { decision: 'x' }) },
      ground: { name: 'ground', run: () => (order.push('ground'), { decision: 'x' }) },
    }).run(turn());
    setImmediate(() => order.push('other request'));
    await run;
    expect(order.indexOf('other request')).toBeGreaterThan(order.indexOf('guard-in'));
    expect(order.indexOf('other request')).toBeLessThan(order.indexOf('ground'));
  });
});
