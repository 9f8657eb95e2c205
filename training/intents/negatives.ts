/**
 * Generic negative sentences for the out-of-scope class: text files with one sentence per line (`#` starts
 * a comment line). kefu ships its own, in English and Chinese (prompts/out-of-scope/*.txt); the
 * KEFU_INTENT_NEGATIVES environment variable names another file instead (set but empty: none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const GENERIC_NEGATIVES_DIR = join(import.meta.dirname, '..', '..', 'prompts', 'out-of-scope');

/** The generic negatives in force: the file KEFU_INTENT_NEGATIVES names, else kefu's own. */
export function defaultNegatives(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.KEFU_INTENT_NEGATIVES !== undefined) return env.KEFU_INTENT_NEGATIVES ? readNegatives(env.KEFU_INTENT_NEGATIVES) : [];
  return readdirSync(GENERIC_NEGATIVES_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => readNegatives(join(GENERIC_NEGATIVES_DIR, f)));
}

export function readNegatives(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}
