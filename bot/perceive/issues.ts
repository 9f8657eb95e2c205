/**
 * The issue taxonomy (`prompts/vision/issues.yaml`, or a bot's own `issues.yaml`): what a customer's image can
 * show, with labels, the words that point to each issue, the query it stands for and what the bot says it saw.
 * Read and checked once; a mistake in the file names the issue and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Locale } from '../turn/types.ts';

export type Bilingual = Record<Locale, string>;

export interface Issue {
  id: string;
  label: Bilingual;
  description: Bilingual;
  words: string[];
  query: Bilingual;
  seen: Bilingual;
  prompts: string[];
  /** An issue others narrow down (an app error): found only when the text names no other issue. */
  general: boolean;
}

export interface IssueTaxonomy {
  issues: Issue[];
  said: { text_only: Bilingual; nothing: Bilingual; unreadable: Bilingual; error_code: Bilingual };
}

export const DEFAULT_TAXONOMY_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../prompts/vision/issues.yaml');

function bilingual(value: unknown, where: string): Bilingual {
  const v = value as Partial<Bilingual> | undefined;
  if (typeof v?.en !== 'string' || typeof v?.zh !== 'string') throw new Error(`${where} needs an "en" and a "zh" text`);
  return { en: v.en, zh: v.zh };
}

function strings(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((w) => typeof w !== 'string' || w.trim() === '')) throw new Error(`${where} must be a list of texts`);
  return value as string[];
}

function flag(value: unknown, where: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`${where} must be true or false`);
  return value;
}

/** Checks a parsed taxonomy and returns it typed. */
export function parseIssueTaxonomy(data: unknown, file = 'issues.yaml'): IssueTaxonomy {
  const root = data as { issues?: unknown; said?: Record<string, unknown> } | null;
  if (!root || !Array.isArray(root.issues) || root.issues.length === 0) throw new Error(`${file}: expected "issues:", a list of issues`);
  const seenIds = new Set<string>();
  const issues = root.issues.map((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(r.id)) throw new Error(`${file}: issue ${i + 1} needs an id of lower-case letters, digits and _`);
    if (seenIds.has(r.id)) throw new Error(`${file}: issue "${r.id}" is listed twice`);
    seenIds.add(r.id);
    const at = `${file}: issue "${r.id}"`;
    return {
      id: r.id,
      label: bilingual(r.label, `${at} label`),
      description: bilingual(r.description, `${at} description`),
      words: strings(r.words, `${at} words`),
      query: bilingual(r.query, `${at} query`),
      seen: bilingual(r.seen, `${at} seen`),
      prompts: strings(r.prompts, `${at} prompts`),
      general: flag(r.general, `${at} general`),
    };
  });
  const said = root.said ?? {};
  return {
    issues,
    said: {
      text_only: bilingual(said.text_only, `${file}: said.text_only`),
      nothing: bilingual(said.nothing, `${file}: said.nothing`),
      unreadable: bilingual(said.unreadable, `${file}: said.unreadable`),
      error_code: bilingual(said.error_code, `${file}: said.error_code`),
    },
  };
}

/** The bot's own `issues.yaml` when it has one, else kefu's. */
export function loadIssueTaxonomy(botDir?: string): IssueTaxonomy {
  const own = botDir ? join(botDir, 'issues.yaml') : undefined;
  const file = own && existsSync(own) ? own : DEFAULT_TAXONOMY_FILE;
  return parseIssueTaxonomy(parse(readFileSync(file, 'utf8')), file);
}
