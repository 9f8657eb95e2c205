/**
 * Generic negative sentences for the out-of-scope class: a text file with one sentence per line.
 * Default: KEFU_INTENT_NEGATIVES, else the CLINC150 Wikipedia sentences when the shared data is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_NEGATIVES = '../shared/data/clinc150/all_wiki_sents.txt';

export function defaultNegativesFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  if (env.KEFU_INTENT_NEGATIVES !== undefined) return env.KEFU_INTENT_NEGATIVES || null;
  const shared = resolve(cwd, SHARED_NEGATIVES);
  return existsSync(shared) ? shared : null;
}

export function readNegatives(file: string | null): string[] {
  if (!file) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}
