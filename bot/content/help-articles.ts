/**
 * Help-centre articles: one Markdown file per topic, one entry per `## Question {#anchor}` heading.
 *
 *   # Shipping                                   ← the topic (exactly one per file)
 *   ## How long does delivery take? {#delivery-time}
 *   Also asked:                                  ← optional: other ways customers ask it
 *   - when will my parcel arrive
 *   body paragraphs, lists, tables …             ← the entry's body, up to the next `##`
 *
 * The anchor is an explicit ASCII id, the same for the same entry in every language, so an entry's id
 * is `<lang>/<file-stem>#<anchor>` (e.g. `zh/shipping#delivery-time`). Files live in `<dir>/{en,zh}/*.md`.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../turn/types.ts';
import { LIST_ITEM, PHRASINGS_MARKER } from '../../knowledge/parse/markdown.ts';

export interface HelpEntry {
  /** `lang/stem#anchor`, e.g. `en/shipping#delivery-time`. */
  id: string;
  lang: Locale;
  /** The file's `# ` title. */
  topic: string;
  /** The `## ` heading without its `{#anchor}`. */
  question: string;
  anchor: string;
  /** The entry's Markdown, trimmed, without its heading and its phrasings. */
  body: string;
  /** Other ways customers ask this question: the "Also asked:" / "其他问法：" list under the heading. */
  phrasings: string[];
}

export interface HelpArticleOptions {
  lang: Locale;
  stem: string;
}

/** Thrown when a help article breaks the format; `problems` lists every one found, with line numbers. */
export class HelpArticleError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem(s) in help article\n  ${problems.join('\n  ')}`);
    this.name = 'HelpArticleError';
  }
}

const ANCHOR = /^[a-z0-9][a-z0-9-]*$/;
const ENTRY_HEADING = /^##\s+(.*?)\s*\{#([^}]*)\}\s*$/;
const FENCE = /^\s*(```|~~~)/;

interface OpenEntry {
  question: string;
  anchor: string;
  line: number;
  lines: string[];
}

/** Parses one topic file into its entries; throws HelpArticleError listing every format problem. */
export function parseHelpArticle(markdown: string, opts: HelpArticleOptions): HelpEntry[] {
  const source = `${opts.lang}/${opts.stem}.md`;
  const problems: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let topic: string | undefined;
  let current: OpenEntry | undefined;
  const done: OpenEntry[] = [];
  let inFence = false;
  let headings = 0;

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && /^#\s/.test(line)) {
      if (topic !== undefined) problems.push(`line ${lineNo}: a second "# " title ("${line.trim()}"); one topic per file`);
      else if (current || done.length) problems.push(`line ${lineNo}: the "# " title must come before the first entry`);
      else topic = line.replace(/^#\s+/, '').trim();
      return;
    }
    if (!inFence && /^##\s/.test(line)) {
      headings++;
      if (current) done.push(current);
      current = undefined;
      const m = ENTRY_HEADING.exec(line);
      if (!m) {
        problems.push(`line ${lineNo}: heading "${line.trim()}" has no {#anchor}; write it as "## Question? {#some-id}"`);
        return;
      }
      const [, question, anchor] = m;
      if (!ANCHOR.test(anchor)) problems.push(`line ${lineNo}: anchor "{#${anchor}}" must be lower-case ASCII letters, digits and hyphens`);
      if (!question) problems.push(`line ${lineNo}: heading has an anchor but no question text`);
      current = { question, anchor, line: lineNo, lines: [] };
      return;
    }
    if (current) current.lines.push(line);
  });
  if (current) done.push(current);

  if (inFence) problems.push('a code fence is never closed');
  if (topic === undefined) problems.push('no "# Topic" title line');
  else if (!topic) problems.push('the "# " title is empty');
  if (headings === 0 && topic !== undefined) problems.push('no "## Question {#anchor}" entries');

  const seen = new Map<string, number>();
  for (const e of done) {
    const first = seen.get(e.anchor);
    if (first !== undefined) problems.push(`line ${e.line}: anchor "{#${e.anchor}}" already used on line ${first}`);
    else seen.set(e.anchor, e.line);
    if (!e.lines.join('\n').trim()) problems.push(`line ${e.line}: entry "${e.question}" has no body`);
  }

  if (problems.length) throw new HelpArticleError(source, problems);
  return done.map((e) => ({
    id: `${opts.lang}/${opts.stem}#${e.anchor}`,
    lang: opts.lang,
    topic: topic!,
    question: e.question,
    anchor: e.anchor,
    ...splitPhrasings(e.lines),
  }));
}

/** An entry's lines → its phrasings list (marker line, then list items) and the rest, its body. */
function splitPhrasings(lines: string[]): { body: string; phrasings: string[] } {
  const at = lines.findIndex((l, i) => PHRASINGS_MARKER.test(l) && LIST_ITEM.test(lines[i + 1] ?? ''));
  if (at < 0) return { body: lines.join('\n').trim(), phrasings: [] };
  let end = at + 1;
  while (end < lines.length && LIST_ITEM.test(lines[end])) end++;
  const phrasings = lines.slice(at + 1, end).map((l) => LIST_ITEM.exec(l)![1].trim()).filter(Boolean);
  return { body: [...lines.slice(0, at), ...lines.slice(end)].join('\n').trim(), phrasings };
}

export const HELP_LANGS: readonly Locale[] = ['en', 'zh'];

/** Reads `<dir>/{en,zh}/*.md` (files in name order) into entries; a missing language folder is an error. */
export function loadHelpCenter(dir: string): HelpEntry[] {
  const entries: HelpEntry[] = [];
  for (const lang of HELP_LANGS) {
    const files = readdirSync(join(dir, lang))
      .filter((f) => f.endsWith('.md'))
      .sort();
    for (const file of files) {
      const markdown = readFileSync(join(dir, lang, file), 'utf8');
      entries.push(...parseHelpArticle(markdown, { lang, stem: file.slice(0, -'.md'.length) }));
    }
  }
  return entries;
}
