/**
 * `kefu intents …`: train the bot's intent model into the store, evaluate a train/test split, and test
 * the bot's own examples by cross-validation.
 *
 *   kefu intents train [--bot FOLDER] [--data DIR]
 *   kefu intents eval --train TRAIN.jsonl --test TEST.jsonl [--negatives FILE | --no-negatives] [--embeddings NAME | --no-embeddings]
 *   kefu intents test [--bot FOLDER] [--folds N] [--embeddings NAME | --no-embeddings]
 */
import { parseArgs } from 'node:util';
import { openDb } from '../store/open.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';
import { botIdOf } from '../bot-config.ts';
import { botEmbeddingOptions, intentsDirOf, trainAndStore } from '../intents/bot-model.ts';
import { crossValidate } from '../intents/cross-validate.ts';
import { IntentDataError, loadIntentFolder } from '../../training/intents/dataset.ts';
import { evalLine, trainAndTest } from '../../training/intents/holdout.ts';
import { readLabelledJsonl } from '../../training/intents/jsonl.ts';
import { DEFAULT_EMBEDDER, loadEmbedder } from '../../training/intents/embedders.ts';
import type { TrainOptions } from '../../training/intents/train.ts';
import { defaultNegatives, readNegatives } from '../../training/intents/negatives.ts';


const OPTIONS = {
  bot: { type: 'string' },
  data: { type: 'string' },
  train: { type: 'string' },
  test: { type: 'string' },
  folds: { type: 'string' },
  negatives: { type: 'string' },
  'no-negatives': { type: 'boolean' },
  embeddings: { type: 'string' },
  'no-embeddings': { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const USAGE = [
  'usage: kefu intents train [--bot FOLDER] [--data DIR]',
  '       kefu intents eval --train TRAIN.jsonl --test TEST.jsonl [--negatives FILE | --no-negatives] [--embeddings NAME | --no-embeddings]',
  '       kefu intents test [--bot FOLDER] [--folds N] [--embeddings NAME | --no-embeddings]',
];

export async function intentsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    const { values: flags } = parseArgs({ args: rest, options: OPTIONS });
    if (sub === 'train') return await train(flags, io);
    if (sub === 'eval') return await evaluate(flags, io);
    if (sub === 'test') return await test(flags, io);
  } catch (err) {
    io.err(err instanceof IntentDataError ? `error: ${err.message}` : `error: ${(err as Error).message}`);
    return 1;
  }
  for (const line of USAGE) io.err(line);
  return 2;
}

function negativesOf(flags: Flags): string[] {
  if (flags['no-negatives']) return [];
  return flags.negatives ? readNegatives(flags.negatives) : defaultNegatives();
}

/**
 * `--embeddings NAME` uses that embedder (use-lite, the default, or use-lite-pieces); `--no-embeddings`
 * none.
 */
async function embeddingsOf(flags: Flags): Promise<Pick<TrainOptions, 'embedder' | 'embeddingWeight'>> {
  if (flags['no-embeddings']) return { embeddingWeight: 0 };
  return { embedder: await loadEmbedder(flags.embeddings ?? DEFAULT_EMBEDDER) };
}

async function train(flags: Flags, io: CliIo): Promise<number> {
  const botDir = flags.bot ?? 'examples/demo-shop';
  const { db } = await openDb(databaseOptions(flags.data));
  try {
    const t = await trainAndStore(db, botDir, negativesOf(flags));
    io.out(`trained ${botIdOf(botDir)} intent model v${t.version}: ${t.report.intents} intents, ${t.report.examples} examples (+${t.report.negatives} generic negatives) in ${t.report.seconds.toFixed(2)} s`);
    io.out(`calibration: temperature ${t.report.temperature.toFixed(3)}, out-of-scope below confidence ${t.report.oosThreshold.toFixed(3)}`);
    return 0;
  } finally {
    await db.close();
  }
}

async function evaluate(flags: Flags, io: CliIo): Promise<number> {
  const { train: trainFile, test: testFile } = flags;
  if (!trainFile || !testFile) {
    io.err(USAGE[1]!.trim());
    return 2;
  }
  const trainSet = readLabelledJsonl(trainFile);
  const testSet = readLabelledJsonl(testFile);
  const { metrics } = await trainAndTest(trainSet, testSet, { negatives: negativesOf(flags), ...(await embeddingsOf(flags)) });
  io.out(evalLine(metrics));
  return 0;
}

async function test(flags: Flags, io: CliIo): Promise<number> {
  const botDir = flags.bot ?? 'examples/demo-shop';
  const folds = Number(flags.folds ?? 5);
  const data = loadIntentFolder(intentsDirOf(botDir));
  const embeddings = flags.embeddings !== undefined || flags['no-embeddings'] ? await embeddingsOf(flags) : await botEmbeddingOptions(botDir);
  const report = await crossValidate(data.examples, { folds, negatives: negativesOf(flags), train: embeddings });
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  io.out(`${botIdOf(botDir)}: ${report.metrics.examples} examples, ${report.metrics.intents} intents, ${folds}-fold cross-validation`);
  io.out(`accuracy ${pct(report.metrics.accuracy)}, macro-F1 ${pct(report.metrics.macroF1)}, in-scope ${pct(report.metrics.inScopeAccuracy)}, out-of-scope recall ${pct(report.metrics.oosRecall)}`);
  io.out('worst intents (F1, precision, recall, examples):');
  for (const s of report.worst) io.out(`  ${s.intent.padEnd(24)} ${pct(s.f1).padStart(6)} ${pct(s.precision).padStart(6)} ${pct(s.recall).padStart(6)}  ${s.support}`);
  io.out('most frequent confusions (expected → predicted):');
  for (const c of report.confusions) io.out(`  ${c.gold} → ${c.predicted}: ${c.count}`);
  return 0;
}
