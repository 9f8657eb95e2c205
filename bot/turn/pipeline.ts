import { STAGE_NAMES, type Stage, type StageName, type Turn } from './types.ts';

/** A stage that only records that it ran: the place later work plugs into. */
export function passThrough(name: StageName, decision = 'pass'): Stage {
  return { name, run: () => ({ decision }) };
}

/** `turn.stopped` of a turn that spent its time budget: later stages are skipped, the customer gets an apology. */
export const OVER_BUDGET = 'over budget';

export interface PipelineOptions {
  /**
   * The most time a turn's stages may take together. After each stage the pipeline checks; a turn past it
   * is stopped. Between stages the pipeline yields to the event loop, so other requests are served there.
   * A function gives each turn its own (a turn with images reads them, which takes longer than text).
   */
  budgetMs?: number | ((turn: Turn) => number);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The turn pipeline: stages in DESIGN.md's order, each timed and recorded in the turn's trace.
 * Stages are given by name; any stage not given is a pass-through.
 */
export function createPipeline(stages: Partial<Record<StageName, Stage>>, opts: PipelineOptions = {}) {
  for (const [name, stage] of Object.entries(stages)) {
    if (stage && stage.name !== name) throw new Error(`stage registered as '${name}' calls itself '${stage.name}'`);
  }
  const ordered = STAGE_NAMES.map((name) => stages[name] ?? passThrough(name));
  const budgetOf = (turn: Turn) => (typeof opts.budgetMs === 'function' ? opts.budgetMs(turn) : (opts.budgetMs ?? Infinity));

  return {
    stages: ordered.map((s) => s.name),
    async run(turn: Turn): Promise<Turn> {
      const began = performance.now();
      const budgetMs = budgetOf(turn);
      for (const stage of ordered) {
        if (turn.stopped && !stage.always) {
          turn.trace.push({ stage: stage.name, decision: 'skipped', ms: 0 });
          continue;
        }
        const started = performance.now();
        const outcome = await stage.run(turn);
        const ms = Math.round((performance.now() - started) * 1000) / 1000;
        turn.trace.push({ stage: stage.name, decision: outcome.decision, ms, ...(outcome.detail ? { detail: outcome.detail } : {}) });
        const spent = performance.now() - began;
        if (spent > budgetMs && turn.stopped !== OVER_BUDGET) {
          turn.stopped = OVER_BUDGET;
          turn.trace.at(-1)!.detail = { ...turn.trace.at(-1)!.detail, overBudget: { spentMs: Math.round(spent), budgetMs } };
        }
        await yieldToEventLoop();
      }
      return turn;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
