/**
 * A bot's intent model from its YAML: read `<bot>/intents/`, train, and keep versions in the store.
 * `loadRecognizer` gives the running bot the newest version, training one first when the store has none
 * or when the YAML changed since the newest was trained from it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { botIdOf, readBotYaml } from '../bot-config.ts';
import type { Db } from '../turn/database.ts';
import { loadIntentFolder, type IntentData } from '../../training/intents/dataset.ts';
import type { IntentModel } from '../../training/intents/model.ts';
import { defaultNegatives } from '../../training/intents/negatives.ts';
import { DEFAULT_EMBEDDER, loadEmbedder } from '../../training/intents/embedders.ts';
import type { TrainOptions, TrainReport } from '../../training/intents/train.ts';
import { trainIntentModelCached } from '../../training/intents/train-cache.ts';
import { loadNewestIntentModel, saveIntentModel } from './model-store.ts';
import { createRecognizer, type IntentRecognizer } from './recognizer.ts';

/**
 * `intents: {embeddings: …}` in bot.yaml: an embedder name (`use-lite` for the sentence encoder,
 * `use-lite-pieces`), `none`, or absent for the default (DEFAULT_EMBEDDER, the sentence encoder).
 */
export function intentEmbeddingsOf(botDir: string): string | null {
  const value = (readBotYaml(botDir).intents as { embeddings?: unknown } | undefined)?.embeddings;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`${join(botDir, 'bot.yaml')}: intents.embeddings must be a name or none`);
  return value;
}

/** Training options for the bot's embeddings setting. */
export async function botEmbeddingOptions(botDir: string): Promise<TrainOptions> {
  const name = intentEmbeddingsOf(botDir) ?? DEFAULT_EMBEDDER;
  if (name === 'none') return { embeddingWeight: 0 };
  try {
    return { embedder: await loadEmbedder(name) };
  } catch (err) {
    throw new Error(`${join(botDir, 'bot.yaml')}: intents.embeddings: ${(err as Error).message}`);
  }
}

export function intentsDirOf(botDir: string): string {
  return join(botDir, 'intents');
}

/** A fingerprint of the intent files (names and contents) and of the embeddings setting. */
export function intentDataHash(botDir: string): string {
  const dir = intentsDirOf(botDir);
  const hash = createHash('sha256');
  hash.update(`embeddings:${intentEmbeddingsOf(botDir) ?? DEFAULT_EMBEDDER}\0`);
  for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) hash.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface BotTraining {
  data: IntentData;
  model: IntentModel;
  report: TrainReport;
  dataHash: string;
}

/** Trains the bot's intent model (or takes the same training from `trainingCache`, a folder; see train-cache.ts). */
export async function trainBot(botDir: string, negatives: string[] = defaultNegatives(), trainingCache?: string): Promise<BotTraining> {
  const data = loadIntentFolder(intentsDirOf(botDir));
  const { model, report } = await trainIntentModelCached(data.examples, { negatives, ...(await botEmbeddingOptions(botDir)) }, trainingCache);
  return { data, model, report, dataHash: intentDataHash(botDir) };
}

export async function trainAndStore(db: Db, botDir: string, negatives?: string[], trainingCache?: string): Promise<BotTraining & { version: number }> {
  const training = await trainBot(botDir, negatives, trainingCache);
  const version = await saveIntentModel(db, botIdOf(botDir), training.model, training.dataHash, { ...training.report });
  return { ...training, version };
}

export async function loadRecognizer(db: Db, botDir: string, trainingCache?: string): Promise<IntentRecognizer> {
  const botId = botIdOf(botDir);
  const data = loadIntentFolder(intentsDirOf(botDir));
  const stored = await loadNewestIntentModel(db, botId);
  if (stored && stored.dataHash === intentDataHash(botDir)) return createRecognizer(stored.model, { version: stored.version, lists: data.lists });
  const trained = await trainAndStore(db, botDir, undefined, trainingCache);
  return createRecognizer(trained.model, { version: trained.version, lists: trained.data.lists });
}
