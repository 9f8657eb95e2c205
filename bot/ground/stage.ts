import type { Locale, Passage, Stage } from '../turn/types.ts';

export type Search = (query: string, locale: Locale) => Promise<Passage[]> | Passage[];

/** ground: finds knowledge passages for the turn's question (only when decide chose to answer). */
export function groundStage(search: Search): Stage {
  return {
    name: 'ground',
    async run(turn) {
      if (turn.decision && turn.decision !== 'answer') return { decision: 'not needed' };
      turn.passages = await search(turn.text, turn.locale);
      const [best] = turn.passages;
      return best
        ? { decision: `${turn.passages.length} passage(s)`, detail: { best: best.source.title, score: Math.round(best.score * 1000) / 1000 } }
        : { decision: 'nothing relevant' };
    },
  };
}
