/**
 * Intent recognition, side by side with node-nlp (NLP.js NlpManager) trained on the same data in the same
 * run: BANKING77 (a seeded 80/20 dev split of its training file) and CLINC150 (train → val, with the
 * out-of-scope rows). Prints accuracy, in-scope accuracy, out-of-scope recall/precision, training time
 * and prediction latency — kefu as `kefu intents eval` runs it (the USE-lite sentence encoder, its
 * encoding counted in the training time and the latency), with the cheaper word pieces, and with n-grams
 * only — then kefu's training time on the full 10,003 BANKING77 examples.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import { OOS } from '../training/intents/dataset.ts';
import { loadEmbedder } from '../training/intents/embedders.ts';
import { loadSentenceEncoder } from '../training/intents/sentence-encoder.ts';
import { median, scorePredictions, type Scored } from '../training/intents/evaluate.ts';
import { evalLine, trainAndTest, type HoldoutResult } from '../training/intents/holdout.ts';
import { readNegatives } from '../training/intents/negatives.ts';
import { seededRandom, shuffle } from '../training/intents/softmax.ts';
import { trainIntentModelAsync } from '../training/intents/train.ts';
import type { LabelledText } from '../training/intents/labelled-text.ts';

const DATA = '../shared/data';

interface Task {
  name: string;
  train: LabelledText[];
  test: LabelledText[];
}

function banking77(): Task & { all: LabelledText[] } {
  const rows = parse(readFileSync(`${DATA}/banking77/train.csv`), { columns: true }) as { text: string; category: string }[];
  const all = rows.map((r) => ({ text: r.text, intent: r.category }));
  const order = Array.from(all.keys());
  shuffle(order, seededRandom(42));
  const dev = Math.round(all.length * 0.2);
  return { name: 'BANKING77 (80/20 dev split of train)', train: order.slice(dev).map((i) => all[i]!), test: order.slice(0, dev).map((i) => all[i]!), all };
}

function clinc150(): Task {
  const d = JSON.parse(readFileSync(`${DATA}/clinc150/data_full_train_val.json`, 'utf8')) as Record<string, [string, string][]>;
  const rows = (split: string) => d[split]!.map(([text, intent]) => ({ text, intent }));
  return { name: 'CLINC150 (train → val + oos_val)', train: [...rows('train'), ...rows('oos_train')], test: [...rows('val'), ...rows('oos_val')] };
}

async function nodeNlp(train: LabelledText[], test: LabelledText[]): Promise<HoldoutResult> {
  const require = createRequire(import.meta.url);
  const { NlpManager } = require('node-nlp') as { NlpManager: new (o: object) => any };
  const manager = new NlpManager({ languages: ['en'], forceNER: false, autoSave: false, nlu: { log: false }, sentiment: false });
  const started = performance.now();
  for (const e of train) manager.addDocument('en', e.text, e.intent);
  await manager.train();
  const trainSeconds = (performance.now() - started) / 1000;
  const times: number[] = [];
  const results: Scored[] = [];
  for (const e of test) {
    const t0 = performance.now();
    const r = await manager.process('en', e.text);
    times.push(performance.now() - t0);
    results.push({ gold: e.intent, predicted: !r.intent || r.intent === 'None' ? OOS : r.intent });
  }
  return { ...scorePredictions(results), trainSeconds, p50PredictMs: median(times) };
}

const pct = (x: number | null) => (x === null ? '   —  ' : `${(x * 100).toFixed(2).padStart(6)}`);

function row(system: string, m: HoldoutResult): string {
  return `  ${system.padEnd(9)} acc ${pct(m.accuracy)}  in-scope ${pct(m.inScopeAccuracy)}  oos recall ${pct(m.oosRecall)}  oos precision ${pct(m.oosPrecision)}  macro-F1 ${pct(m.macroF1)}  train ${m.trainSeconds.toFixed(1).padStart(6)} s  p50 ${m.p50PredictMs.toFixed(3)} ms`;
}

export async function run(): Promise<void> {
  if (!existsSync(`${DATA}/banking77/train.csv`)) {
    console.log('shared data not found (../shared/data): skipped');
    return;
  }
  const negatives = readNegatives(`${DATA}/clinc150/all_wiki_sents.txt`);
  const bank = banking77();
  for (const task of [bank, clinc150()]) {
    console.log(`\n${task.name}: ${task.train.length} training examples, ${task.test.length} test examples`);
    // a fresh vector cache for each measured run, so every encoding is counted
    const kefu = (await trainAndTest(task.train, task.test, { negatives, embedder: await loadSentenceEncoder() })).metrics;
    console.log(row('kefu', kefu));
    console.log(`  kefu eval line: ${evalLine(kefu)}`);
    console.log(row('pieces', (await trainAndTest(task.train, task.test, { negatives, embedder: await loadEmbedder('use-lite-pieces') })).metrics));
    console.log(row('n-grams', (await trainAndTest(task.train, task.test, { negatives, embeddingWeight: 0 })).metrics));
    const nlp = await nodeNlp(task.train, task.test);
    console.log(row('node-nlp', nlp));
    console.log(
      `  kefu / node-nlp: accuracy ${(kefu.accuracy / nlp.accuracy).toFixed(3)}×, training time ${(kefu.trainSeconds / nlp.trainSeconds).toFixed(2)}×, p50 latency ${(kefu.p50PredictMs / nlp.p50PredictMs).toFixed(2)}×`,
    );
  }
  const { report } = await trainIntentModelAsync(bank.all, { negatives, embedder: await loadSentenceEncoder() });
  console.log(`\nkefu training on all ${report.examples} BANKING77 examples, encoding included: ${report.seconds.toFixed(1)} s`);
}
