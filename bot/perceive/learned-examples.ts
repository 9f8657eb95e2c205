/**
 * Labelled pictures → the learned set: a folder per issue (`<dir>/<issue-id>/*.jpg`, `none/` for pictures with
 * no issue), each picture taken in as a customer's would be (intake) and embedded. The set is kept as JSON
 * (`vision-examples.json` in the data directory) with the embedder's name and each picture's hash, so
 * learning again embeds only new pictures, and a set made by another model is never mixed in.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImageEmbedder } from './image-embedder.ts';
import { takeInImage } from './intake.ts';
import type { IssueTaxonomy } from './issues.ts';
import { NO_ISSUE, type LabelledVector } from './learned-issues.ts';

export const LEARNED_FILE = 'vision-examples.json';

export interface LearnedExample extends LabelledVector {
  /** Folder/file name, as learned. */
  file: string;
  sha256: string;
}

export interface LearnedSet {
  embedder: string;
  examples: LearnedExample[];
}

interface StoredSet {
  version: 1;
  embedder: string;
  examples: { issue: string; file: string; sha256: string; vector: string }[];
}

export function readLearnedSet(file: string): LearnedSet | undefined {
  if (!existsSync(file)) return undefined;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSet;
  return {
    embedder: stored.embedder,
    examples: stored.examples.map((e) => {
      const raw = Buffer.from(e.vector, 'base64');
      return { issue: e.issue, file: e.file, sha256: e.sha256, vector: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) };
    }),
  };
}

export async function writeLearnedSet(file: string, set: LearnedSet): Promise<void> {
  const stored: StoredSet = {
    version: 1,
    embedder: set.embedder,
    examples: set.examples.map((e) => ({ issue: e.issue, file: e.file, sha256: e.sha256, vector: Buffer.from(e.vector.buffer, e.vector.byteOffset, e.vector.byteLength).toString('base64') })),
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(stored));
}

export interface LearnOptions {
  embedder: ImageEmbedder;
  taxonomy: IssueTaxonomy;
  /** A set learned before: its vectors are reused for unchanged pictures embedded by the same model. */
  previous?: LearnedSet;
  onProgress?: (p: { done: number; total: number; path: string }) => void;
}

/** Learns every picture under `dir`; a folder that is not an issue of the taxonomy (or `none`) is an error naming it. Refused pictures are skipped and listed. */
export async function learnFromFolder(dir: string, opts: LearnOptions): Promise<LearnedSet & { skipped: string[] }> {
  const known = new Set([...opts.taxonomy.issues.map((i) => i.id), NO_ISSUE]);
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const unknown = folders.filter((f) => !known.has(f));
  if (unknown.length) throw new Error(`${dir}: ${unknown.map((f) => `"${f}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not an issue of the taxonomy (${[...known].join(', ')})`);
  const files = (
    await Promise.all(folders.map(async (issue) => (await readdir(join(dir, issue), { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => ({ issue, file: `${issue}/${e.name}` }))))
  ).flat();
  const reusable = new Map(opts.previous?.embedder === opts.embedder.name ? opts.previous.examples.map((e) => [e.sha256, e.vector]) : []);
  const examples: LearnedExample[] = [];
  const skipped: string[] = [];
  let done = 0;
  for (const { issue, file } of files) {
    const bytes = new Uint8Array(await readFile(join(dir, file)));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let vector = reusable.get(sha256);
    if (!vector) {
      const taken = await takeInImage(bytes);
      if (taken.ok) vector = await opts.embedder.embed(taken.image.bytes);
      else skipped.push(`${file}: ${taken.message}`);
    }
    if (vector) examples.push({ issue, file, sha256, vector });
    opts.onProgress?.({ done: ++done, total: files.length, path: file });
  }
  return { embedder: opts.embedder.name, examples, skipped };
}
