/**
 * Retrieval evaluation: a document set and questions with the ids of their relevant documents →
 * recall@1, recall@5, MRR, nDCG@10 and search latency. Metrics are pure functions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../bot/turn/database.ts';
import { createKnowledge, type CreateKnowledgeOptions } from './index.ts';

export interface EvalDoc {
  id: string;
  title: string;
  text: string;
}

export interface EvalQuery {
  text: string;
  relevant: string[];
}

export interface EvalReport {
  queries: number;
  'recall@1': number;
  'recall@5': number;
  mrr: number;
  'ndcg@10': number;
  p50Ms: number;
  p99Ms: number;
}

/** Share of the relevant documents found in the first k results. */
export function recallAt(ranked: string[], relevant: Set<string>, k: number): number {
  if (!relevant.size) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

export function reciprocalRank(ranked: string[], relevant: Set<string>): number {
  const i = ranked.findIndex((id) => relevant.has(id));
  return i < 0 ? 0 : 1 / (i + 1);
}

/** nDCG@k with binary gains. */
export function ndcgAt(ranked: string[], relevant: Set<string>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return ideal ? dcg / ideal : 0;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function scoreRankings(runs: { ranked: string[]; relevant: string[]; ms: number }[]): EvalReport {
  const judged = runs.filter((r) => r.relevant.length);
  const mean = (f: (r: (typeof judged)[number], rel: Set<string>) => number) =>
    judged.length ? round(judged.reduce((sum, r) => sum + f(r, new Set(r.relevant)), 0) / judged.length, 4) : 0;
  const ms = runs.map((r) => r.ms);
  return {
    queries: judged.length,
    'recall@1': mean((r, rel) => recallAt(r.ranked, rel, 1)),
    'recall@5': mean((r, rel) => recallAt(r.ranked, rel, 5)),
    mrr: mean((r, rel) => reciprocalRank(r.ranked, rel)),
    'ndcg@10': mean((r, rel) => ndcgAt(r.ranked, rel, 10)),
    p50Ms: round(percentile(ms, 50), 1),
    p99Ms: round(percentile(ms, 99), 1),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function parseJsonlLines<T>(text: string, what: string): T[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        throw new Error(`${what} line ${i + 1} is not JSON`);
      }
    });
}

export interface EvalRun {
  report: EvalReport;
  /** Questions without relevant documents that got no passage above the threshold ("I don't know"). */
  refusals: { asked: number; refused: number };
  /** Questions with relevant documents whose best passage was cut by the threshold. */
  wrongRefusals: number;
}

/** Ingests the documents into `db` (an empty store the caller opened and closes) and runs the questions against it. */
export async function evaluate(
  db: Db,
  docs: EvalDoc[],
  queries: EvalQuery[],
  opts: Omit<CreateKnowledgeOptions, 'db' | 'botId'> & { log?: (line: string) => void } = {},
): Promise<EvalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-eval-'));
  try {
    const file = join(dir, 'docs.jsonl');
    writeFileSync(file, docs.map((d) => JSON.stringify({ id: d.id, title: d.title, text: d.text })).join('\n'));
    const knowledge = await createKnowledge({ ...opts, db, botId: 'eval' });
    const summary = await knowledge.ingest(file, { urlBase: '' });
    opts.log?.(`indexed ${summary.chunks} chunks from ${docs.length} documents${knowledge.vectors ? '' : ' (lexical only)'}`);
    const runs: { ranked: string[]; relevant: string[]; ms: number }[] = [];
    let asked = 0;
    let refused = 0;
    let wrongRefusals = 0;
    for (const q of queries) {
      const started = performance.now();
      const hits = await knowledge.search(q.text, { limit: 20, noCut: true });
      const ms = performance.now() - started;
      const cut = await knowledge.search(q.text, { limit: 1 });
      runs.push({ ranked: hits.map((h) => h.docId), relevant: q.relevant ?? [], ms });
      if (!q.relevant?.length) {
        asked++;
        if (!cut.length) refused++;
      } else if (!cut.length) wrongRefusals++;
    }
    return { report: scoreRankings(runs), refusals: { asked, refused }, wrongRefusals };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
