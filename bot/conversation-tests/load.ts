/** The conversation tests of a folder: every `*.yaml` file in it (and its subfolders), in name order. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConversationTests, type ConversationTest } from './format.ts';

export function loadConversationTests(path: string): ConversationTest[] {
  if (statSync(path).isFile()) return parseConversationTests(path, readFileSync(path, 'utf8'));
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => parseConversationTests(join(path, f), readFileSync(join(path, f), 'utf8')));
}
