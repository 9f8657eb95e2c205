/**
 * Looking at pictures, as a bot configures it (bot.yaml):
 *
 *   vision:
 *     clip: models/clip-vit-base-patch32   # a local CLIP folder (or env KEFU_CLIP_MODEL); never downloaded
 *     examples: vision                     # labelled pictures, a folder per issue (default: vision/ if the bot has one)
 *
 * The embedder is CLIP's when a CLIP folder is set, else the MobileNetV2 features of image moderation. The
 * examples are learned when the first picture comes (vectors kept in `vision-examples.json` in the data
 * directory, so a restart embeds only new pictures); without an examples folder, a set learned by
 * `kefu vision learn` into the data directory is used. Nothing configured: undefined, the text alone decides.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ImageFeatures } from '../compliance/image.ts';
import { openClip, zeroShotIssues } from './clip.ts';
import { clipEmbedder, mobileNetEmbedder, type ImageEmbedder } from './image-embedder.ts';
import type { IssueTaxonomy } from './issues.ts';
import { LEARNED_FILE, learnFromFolder, readLearnedSet, writeLearnedSet, type LearnedSet } from './learned-examples.ts';
import { learnIssueDetector } from './learned-issues.ts';
import { createImageLooker, type ImageLooker } from './looking.ts';

export interface VisionSettings {
  /** A CLIP model folder. */
  clip?: string;
  /** Labelled pictures, a folder per issue id (`none` for no issue). */
  examples?: string;
}

/** bot.yaml's `vision:` section (paths relative to the bot folder), then KEFU_CLIP_MODEL, then the default examples folder. */
export function visionSettings(botDir: string, section: unknown, env: NodeJS.ProcessEnv = process.env): VisionSettings {
  const s = (section ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(s)) if (key !== 'clip' && key !== 'examples') throw new Error(`bot.yaml vision: unknown setting "${key}" (clip, examples)`);
  const path = (v: unknown, key: string) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.trim()) throw new Error(`bot.yaml vision.${key} must be a folder`);
    return isAbsolute(v) ? v : join(botDir, v);
  };
  const clip = path(s.clip, 'clip') ?? (env.KEFU_CLIP_MODEL || undefined);
  const examples = path(s.examples, 'examples') ?? (existsSync(join(botDir, 'vision')) ? join(botDir, 'vision') : undefined);
  return { ...(clip ? { clip } : {}), ...(examples ? { examples } : {}) };
}

export interface LookerSetup {
  settings: VisionSettings;
  taxonomy: IssueTaxonomy;
  /** Where the learned set is kept; undefined: in memory only. */
  dataDir?: string;
  /** Image moderation's model, loaded on demand. */
  features: () => Promise<ImageFeatures>;
  progress?: (step: string) => void;
}

export function learnedFileIn(dataDir: string): string {
  return join(dataDir, LEARNED_FILE);
}

/** The looker the perceive stage uses, or undefined when nothing is configured (no CLIP, no examples, no learned set). */
export function setUpLooker(setup: LookerSetup): ImageLooker | undefined {
  const { settings, taxonomy, dataDir } = setup;
  const file = dataDir ? learnedFileIn(dataDir) : undefined;
  if (!settings.clip && !settings.examples && !(file && existsSync(file))) return undefined;
  const progress = setup.progress ?? (() => undefined);
  return createImageLooker(async () => {
    const clip = settings.clip ? await openClip(settings.clip) : undefined;
    const embedder: ImageEmbedder = clip ? clipEmbedder(clip) : mobileNetEmbedder(await setup.features());
    const previous = file ? readLearnedSet(file) : undefined;
    let learned: LearnedSet | undefined = previous;
    if (settings.examples) {
      const fresh = await learnFromFolder(settings.examples, { embedder, taxonomy, previous });
      for (const s of fresh.skipped) progress(`vision example skipped: ${s}`);
      if (file) await writeLearnedSet(file, fresh);
      learned = fresh;
    }
    if (learned && learned.embedder !== embedder.name) {
      progress(`the learned pictures were embedded by ${learned.embedder}, not ${embedder.name}: run kefu vision learn again`);
      learned = undefined;
    }
    if (learned) progress(`vision: learned ${learned.examples.length} labelled picture(s) with ${embedder.name}`);
    return {
      embedder,
      ...(clip ? { zeroShot: await zeroShotIssues(clip, taxonomy) } : {}),
      ...(learned?.examples.length ? { detector: learnIssueDetector(learned.examples) } : {}),
    };
  });
}
