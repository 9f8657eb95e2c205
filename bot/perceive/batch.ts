/**
 * Reads a folder of customers' images the way a turn does: intake (typed by bytes, limits, cleaned), OCR,
 * the issue (from the text, and from the picture itself when a looker is given: CLIP, the learned detector)
 * and the error code. One result per file, in file-name order; a refused or unreadable
 * file is a result too (with why), never a crash. Images are read `concurrency` at a time (the OCR pool's size).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { takeInImage } from './intake.ts';
import type { IssueTaxonomy } from './issues.ts';
import { decideIssue, type EvidenceSource } from './evidence.ts';
import type { ImageLooker } from './looking.ts';
import type { OcrReader } from './ocr.ts';
import { errorCodeIn, textEvidence } from './read-issue.ts';

export interface BatchResult {
  file: string;
  /** The top issue's id, '' when none. */
  issue: string;
  confidence: number;
  /** What found the issue ('' when none): the text, CLIP or the learned detector. */
  by: EvidenceSource | '';
  errorCode: string;
  /** The text found, lines joined by ' / '. */
  text: string;
  /** Why the file was not read ('' when it was): the intake's refusal or the OCR's failure. */
  refused: string;
  ms: number;
}

export interface BatchOptions {
  ocr: OcrReader;
  taxonomy: IssueTaxonomy;
  /** Looks at the picture too (CLIP, the learned detector); without one, the issue comes from the text only. */
  looker?: ImageLooker;
  concurrency?: number;
  onProgress?: (p: { done: number; total: number; path: string }) => void;
}

async function readOne(dir: string, file: string, opts: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const result = (r: Partial<BatchResult>): BatchResult => ({ file, issue: '', confidence: 0, by: '', errorCode: '', text: '', refused: '', ms: Math.round(performance.now() - started), ...r });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(join(dir, file)));
  } catch (err) {
    return result({ refused: `unreadable file: ${(err as Error).message}` });
  }
  const intake = await takeInImage(bytes);
  if (!intake.ok) return result({ refused: `${intake.reason}: ${intake.message}` });
  let text: string;
  try {
    text = (await opts.ocr.read(intake.image.bytes)).map((l) => l.text).join(' / ');
  } catch (err) {
    return result({ refused: `ocr: ${(err as Error).message}` });
  }
  const looked = opts.looker ? await opts.looker.look(intake.image.bytes) : { evidence: [] };
  const verdict = decideIssue([...textEvidence(text, opts.taxonomy), ...looked.evidence]);
  return result({ text, issue: verdict?.id ?? '', confidence: verdict?.confidence ?? 0, by: verdict?.by ?? '', errorCode: errorCodeIn(text) ?? '' });
}

/** Every file in `dir` (not its subfolders), read; hidden files are skipped. */
export async function readImageFolder(dir: string, opts: BatchOptions): Promise<BatchResult[]> {
  const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const results: BatchResult[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await readOne(dir, files[i]!, opts);
      opts.onProgress?.({ done: ++done, total: files.length, path: files[i]! });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, lane));
  return results;
}
