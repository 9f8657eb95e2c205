/**
 * `kefu knowledge …`:
 *   ingest PATH [--bot FOLDER] [--data DIR] [--url-base /help/] [--lexical]
 *   search "QUESTION" [--bot FOLDER] [--data DIR] [--locale zh|en]
 *   eval --docs DOCS.jsonl --queries QUERIES.jsonl [--lexical]
 * The database is PostgreSQL when DATABASE_URL is set, else the embedded one in --data (default
 * KEFU_DATA_DIR or ./data). `eval` always uses a fresh in-memory store; its last line is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluate, parseJsonlLines, type EvalDoc, type EvalQuery } from '../../knowledge/eval.ts';
import { createKnowledge } from '../../knowledge/index.ts';
import type { IngestSummary } from '../../knowledge/types.ts';
import { openDb } from '../store/open.ts';
import { botIdOf as botIdOfFolder } from '../bot-config.ts';
import { loadKnowledgeEmbedder } from '../knowledge-embedder.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';
import { progressBar } from './progress-bar.ts';


const OPTIONS = {
  bot: { type: 'string' },
  data: { type: 'string' },
  'url-base': { type: 'string' },
  locale: { type: 'string' },
  docs: { type: 'string' },
  queries: { type: 'string' },
  lexical: { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const USAGE = [
  'usage: kefu knowledge ingest PATH [--bot FOLDER] [--data DIR] [--url-base PREFIX] [--lexical]',
  '       kefu knowledge search "QUESTION" [--bot FOLDER] [--data DIR] [--locale zh|en]',
  '       kefu knowledge eval --docs DOCS.jsonl --queries QUERIES.jsonl [--lexical]',
];

export async function knowledgeCommand(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { positionals: positional, values: flags } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
    switch (command) {
      case 'ingest':
        return await ingest(positional[0], flags, io);
      case 'search':
        return await search(positional.join(' '), flags, io);
      case 'eval':
        return await runEval(flags, io);
      default:
        USAGE.forEach((l) => io.err(l));
        return 2;
    }
  } catch (err) {
    io.err(`kefu knowledge ${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/** A bot's id (bot-config.ts); 'default' without a folder. */
export function botIdOf(folder: string | undefined): string {
  return folder ? botIdOfFolder(folder) : 'default';
}

/** USE-lite, or none with --lexical. */
async function embedderFor(flags: Flags) {
  return flags.lexical ? undefined : loadKnowledgeEmbedder();
}

async function openStore(flags: Flags) {
  return openDb(databaseOptions(flags.data));
}

async function ingest(path: string | undefined, flags: Flags, io: CliIo): Promise<number> {
  if (!path) {
    io.err(USAGE[0]);
    return 2;
  }
  const { db } = await openStore(flags);
  try {
    const bar = progressBar();
    const knowledge = await createKnowledge({
      db,
      botId: botIdOf(flags.bot),
      embedder: await embedderFor(flags),
      onProgress: bar.update,
    });
    const summary = await knowledge.ingest(path, { urlBase: flags['url-base'] });
    bar.done();
    for (const line of summaryLines(summary)) io.out(line);
    return 0;
  } finally {
    await db.close();
  }
}

export function summaryLines(s: IngestSummary): string[] {
  const lines = [
    `added ${s.added.length}, updated ${s.updated.length}, unchanged ${s.unchanged.length}, removed ${s.removed.length}, skipped ${s.skipped.length} (${s.chunks} chunks indexed)`,
  ];
  for (const p of s.added) lines.push(`  added      ${p}`);
  for (const p of s.updated) lines.push(`  updated    ${p}`);
  for (const p of s.removed) lines.push(`  removed    ${p}`);
  for (const { path, reason } of s.skipped) lines.push(`  skipped    ${path}: ${reason}`);
  return lines;
}

async function search(question: string, flags: Flags, io: CliIo): Promise<number> {
  if (!question) {
    io.err(USAGE[1]);
    return 2;
  }
  const { db } = await openStore(flags);
  try {
    const knowledge = await createKnowledge({ db, botId: botIdOf(flags.bot), embedder: await embedderFor(flags) });
    const locale = flags.locale === 'zh' || flags.locale === 'en' ? flags.locale : undefined;
    const hits = await knowledge.search(question, { locale });
    if (!hits.length) io.out('no passage above the relevance threshold');
    for (const h of hits) io.out(`${h.score.toFixed(3)}  ${h.source.title}${h.source.url ? `  ${h.source.url}` : ''}\n       ${h.source.snippet ?? ''}`);
    return 0;
  } finally {
    await db.close();
  }
}

async function runEval(flags: Flags, io: CliIo): Promise<number> {
  if (!flags.docs || !flags.queries) {
    io.err(USAGE[2]);
    return 2;
  }
  const docs = parseJsonlLines<EvalDoc>(readFileSync(flags.docs, 'utf8'), 'docs');
  const queries = parseJsonlLines<EvalQuery>(readFileSync(flags.queries, 'utf8'), 'queries');
  const { db } = await openDb({}); // a fresh in-memory store
  const run = await evaluate(db, docs, queries, { embedder: await embedderFor(flags), log: (l) => io.err(l) }).finally(() => db.close());
  if (run.refusals.asked) io.err(`unanswerable questions refused: ${run.refusals.refused}/${run.refusals.asked}`);
  io.err(`answerable questions wrongly refused: ${run.wrongRefusals}/${run.report.queries}`);
  io.out(JSON.stringify(run.report));
  return 0;
}
