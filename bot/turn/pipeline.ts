import { STAGE_NAMES, type Stage, type StageName, type Turn } from './types.ts';

/** A stage that only records that it ran: the place later work plugs into. */
export function passThrough(name: StageName, decision = 'pass'): Stage {
  return { name, run: () => ({ decision }) };
}

/**
 * The turn pipeline: stages in DESIGN.md's order, each timed and recorded in the turn's trace.
 * Stages are given by name; any stage not given is a pass-through.
 */
export function createPipeline(stages: Partial<Record<StageName, Stage>>) {
  for (const [name, stage] of Object.entries(stages)) {
    if (stage && stage.name !== name) throw new Error(`stage registered as '${name}' calls itself '${stage.name}'`);
  }
  const ordered = STAGE_NAMES.map((name) => stages[name] ?? passThrough(name));

  return {
    stages: ordered.map((s) => s.name),
    async run(turn: Turn): Promise<Turn> {
      for (const stage of ordered) {
        if (turn.stopped && !stage.always) {
          turn.trace.push({ stage: stage.name, decision: 'skipped', ms: 0 });
          continue;
        }
        const started = performance.now();
        const outcome = await stage.run(turn);
        const ms = Math.round((performance.now() - started) * 1000) / 1000;
        turn.trace.push({ stage: stage.name, decision: outcome.decision, ms, ...(outcome.detail ? { detail: outcome.detail } : {}) });
      }
      return turn;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
