import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { csvField } from '../compliance/audit.ts';
import { readImageFolder, type BatchResult } from '../perceive/batch.ts';
import { loadIssueTaxonomy } from '../perceive/issues.ts';
import { createOcrReader } from '../perceive/ocr.ts';
import { loadImageModerator, type ImageFeatures, type ImageModerator } from '../compliance/image.ts';
import { readBotYaml } from '../bot-config.ts';
import { openClip } from '../perceive/clip.ts';
import { clipEmbedder, mobileNetEmbedder } from '../perceive/image-embedder.ts';
import { learnFromFolder, readLearnedSet, writeLearnedSet } from '../perceive/learned-examples.ts';
import { leaveOneOut } from '../perceive/learned-issues.ts';
import { learnedFileIn, setUpLooker, visionSettings } from '../perceive/setup-vision.ts';
import type { CliIo } from './io.ts';
import { progressBar } from './progress-bar.ts';

const USAGE = 'usage: kefu vision batch DIR --out results.csv [--workers N] [--bot FOLDER] [--data FOLDER] [--clip FOLDER]\n       kefu vision learn DIR [--data FOLDER] [--clip FOLDER] [--bot FOLDER]';

export const BATCH_CSV_COLUMNS = ['file', 'issue', 'confidence', 'error_code', 'text', 'issue_found', 'refused', 'ms', 'found_by'] as const;

function toCsv(results: BatchResult[]): string {
  const lines = [BATCH_CSV_COLUMNS.join(',')];
  for (const r of results) lines.push([r.file, r.issue, r.confidence.toFixed(2), r.errorCode, r.text, r.issue ? 'yes' : 'no', r.refused, r.ms, r.by].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** The summary printed at the end: how many were read, found an issue, were refused; each issue's count; speed. */
export function batchSummary(results: BatchResult[], seconds: number): string[] {
  const read = results.filter((r) => !r.refused);
  const withIssue = read.filter((r) => r.issue);
  const counts = new Map<string, number>();
  for (const r of withIssue) counts.set(r.issue, (counts.get(r.issue) ?? 0) + 1);
  return [
    `${results.length} file(s): ${read.length} read, ${withIssue.length} with an issue, ${read.filter((r) => r.text).length} with text, ${results.length - read.length} refused`,
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([issue, n]) => `  ${issue.padEnd(18)} ${n}`),
    ...results.filter((r) => r.refused).map((r) => `  refused ${r.file}: ${r.refused}`),
    `${seconds.toFixed(1)} s, ${(results.length / Math.max(seconds, 0.001)).toFixed(2)} images/s`,
  ];
}

/**
 * `kefu vision batch DIR --out results.csv [--workers N] [--bot FOLDER] [--data FOLDER] [--clip FOLDER]`: reads
 * every image in DIR as a turn would (intake, OCR, issue, error code), writes one CSV line per file, and prints
 * a summary. The picture itself is looked at as the bot would with that bot folder's `vision:` settings, the
 * data directory's learned set (`kefu vision learn`) and a CLIP folder; with none of them, the issue comes from
 * the text alone.
 */
export async function visionCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, dir, ...rest] = argv;
  if (sub === 'learn' && dir && !dir.startsWith('-')) return learnCommand(dir, rest, io);
  if (sub !== 'batch' || !dir || dir.startsWith('-')) {
    io.err(USAGE);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, workers: { type: 'string' }, bot: { type: 'string' }, data: { type: 'string' }, clip: { type: 'string' } } });
  if (!values.out) {
    io.err(`--out is required\n${USAGE}`);
    return 2;
  }
  const workers = values.workers === undefined ? Math.min(2, availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
    io.err(`--workers must be a whole number from 1 to 16, not '${values.workers}'`);
    return 2;
  }
  const taxonomy = loadIssueTaxonomy(values.bot);
  const ocr = createOcrReader({ workers, timeoutMs: 60_000 });
  let moderator: Promise<ImageModerator & ImageFeatures> | undefined;
  const settings = values.bot ? visionSettings(values.bot, readBotYaml(values.bot).vision) : {};
  const clip = values.clip ?? settings.clip ?? (process.env.KEFU_CLIP_MODEL || undefined);
  const looker = setUpLooker({
    settings: { ...settings, ...(clip ? { clip } : {}) },
    taxonomy,
    dataDir: values.data ?? (process.env.KEFU_DATA_DIR || './data'),
    features: () => (moderator ??= loadImageModerator()),
    progress: (step) => io.err(step),
  });
  const bar = progressBar();
  const started = performance.now();
  try {
    const results = await readImageFolder(dir, { ocr, taxonomy, ...(looker ? { looker } : {}), concurrency: workers, onProgress: bar.update });
    bar.done();
    await writeFile(values.out, toCsv(results));
    for (const line of batchSummary(results, (performance.now() - started) / 1000)) io.out(line);
    io.out(`results: ${values.out}`);
    return 0;
  } finally {
    await ocr.close();
    (await moderator)?.dispose();
  }
}

/**
 * `kefu vision learn DIR [--data FOLDER] [--clip FOLDER] [--bot FOLDER]`: learns the labelled pictures in DIR
 * (a folder per issue id, `none/` for no issue) into the data directory's `vision-examples.json`, which the bot
 * uses when it starts there; prints the count per issue and the leave-one-out accuracy.
 */
async function learnCommand(dir: string, rest: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: rest, options: { data: { type: 'string' }, clip: { type: 'string' }, bot: { type: 'string' } } });
  const taxonomy = loadIssueTaxonomy(values.bot);
  const file = learnedFileIn(values.data ?? (process.env.KEFU_DATA_DIR || './data'));
  const clipFolder = values.clip ?? process.env.KEFU_CLIP_MODEL;
  const moderator = clipFolder ? undefined : await loadImageModerator();
  try {
    const embedder = clipFolder ? clipEmbedder(await openClip(clipFolder)) : mobileNetEmbedder(moderator!);
    const bar = progressBar();
    let learned;
    try {
      learned = await learnFromFolder(dir, { embedder, taxonomy, previous: readLearnedSet(file), onProgress: bar.update });
    } catch (err) {
      bar.done();
      io.err((err as Error).message);
      return 2;
    }
    bar.done();
    await writeLearnedSet(file, learned);
    const counts = new Map<string, number>();
    for (const e of learned.examples) counts.set(e.issue, (counts.get(e.issue) ?? 0) + 1);
    io.out(`${learned.examples.length} picture(s) learned with ${learned.embedder}`);
    for (const [issue, n] of [...counts].sort()) io.out(`  ${issue.padEnd(18)} ${n}`);
    for (const s of learned.skipped) io.out(`  skipped ${s}`);
    if (counts.size >= 2) {
      const loo = leaveOneOut(learned.examples);
      io.out(`leave-one-out: ${loo.right}/${loo.total} right (${Math.round((100 * loo.right) / Math.max(1, loo.total))}%)`);
      for (const w of loo.wrong) io.out(`  ${learned.examples[w.index]!.file}: taken for ${w.found}`);
    }
    io.out(`learned set: ${file}`);
    return 0;
  } finally {
    moderator?.dispose();
  }
}
