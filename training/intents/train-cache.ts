import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEmbedder } from './embedders.ts';
import type { LabelledText } from './labelled-text.ts';
import { deserializeModel, embeddersOf, serializeModel, type IntentModel } from './model.ts';
import { trainIntentModelAsync, type TrainOptions, type TrainReport } from './train.ts';

/** The trainer's own source (this folder and the encoders beside it): a change to any of it trains anew. */
const TRAINER_DIRS = [fileURLToPath(new URL('.', import.meta.url)), fileURLToPath(new URL('..', import.meta.url))];
let trainerHash: string | undefined;

function trainerVersion(): string {
  if (trainerHash) return trainerHash;
  const hash = createHash('sha256');
  for (const dir of TRAINER_DIRS) {
    for (const f of readdirSync(dir).filter((f) => /\.(ts|mjs)$/.test(f)).sort()) hash.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  }
  return (trainerHash = hash.digest('hex'));
}

/** What a training run depends on: its examples, its options (an embedder by name) and the trainer's version. */
function trainingKey(examples: LabelledText[], opts: TrainOptions): string {
  const hash = createHash('sha256').update(trainerVersion());
  hash.update(JSON.stringify(opts, (key, value) => (key === 'embedder' && value ? `embedder:${value.name}` : value)));
  for (const e of examples) hash.update(`${e.intent}\0${e.text}\0`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Trains an intent model, or takes the one trained before on the same examples with the same options by
 * the same trainer from `cacheDir`, a folder of trained models shared by kefu instances that start on an
 * empty database again and again (the test suite, evaluations, benchmarks). Without `cacheDir` it only
 * trains. A model is written whole (to a temporary name, then renamed), so instances sharing the folder
 * never read half of one.
 */
export async function trainIntentModelCached(
  examples: LabelledText[],
  opts: TrainOptions,
  cacheDir: string | undefined,
): Promise<{ model: IntentModel; report: TrainReport }> {
  if (!cacheDir) return trainIntentModelAsync(examples, opts);
  const file = join(cacheDir, `${trainingKey(examples, opts)}.json`);
  try {
    const { model, report } = JSON.parse(readFileSync(file, 'utf8')) as { model: unknown; report: TrainReport };
    for (const name of embeddersOf(model)) await loadEmbedder(name);
    return { model: deserializeModel(model), report };
  } catch {
    // not trained yet (or unreadable): train it
  }
  const trained = await trainIntentModelAsync(examples, opts);
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(partial, JSON.stringify({ model: serializeModel(trained.model), report: trained.report }));
  renameSync(partial, file);
  return trained;
}
