import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What a user's clone runs or reads: it must name nothing outside the repository. */
const RUN_TIME = ['bot', 'adapters', 'knowledge', 'training', 'prompts', 'web', 'bin', 'examples', 'docs', 'README.md', 'package.json'];
const OUTSIDE = /\.\.\/shared|shared\/data|shared\/DESIGN/;

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

describe('the repository is self-contained', () => {
  it('names no file outside it in run-time code, data, docs or the README (only benches and tests read ../shared)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const offenders = RUN_TIME.flatMap((p) => files(join(root, p)))
      .filter((f) => /\.(ts|js|mjs|cjs|json|ya?ml|md|txt|html)$/.test(f))
      .filter((f) => OUTSIDE.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length + 1));
    expect(offenders).toEqual([]);
  });
});
