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
 * A file is read by the knowledge base's Markdown reader (knowledge/parse/markdown.ts): the entries are
 * the very blocks the knowledge base indexes, grouped by heading and checked for the format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../turn/types.ts';
import { HEADING_ANCHOR, parseMarkdown } from '../../knowledge/parse/markdown.ts';
import type { Block } from '../../knowledge/types.ts';

export interface HelpEntry {
  /** `lang/stem#anchor`, e.g. `en/shipping#delivery-time`. */
  id: string;
  lang: Locale;
  /** The file's `# ` title. */
  topic: string;
  /** The `## ` heading without its `{#anchor}`. */
  question: string;
  anchor: string;
  /** The entry's body as parsed blocks, without its heading and its phrasings. */
  blocks: Block[];
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

interface OpenEntry {
  question: string;
  anchor: string;
  line: number;
  blocks: Block[];
  phrasings: string[];
}

/** Parses one topic file into its entries; throws HelpArticleError listing every format problem. */
export function parseHelpArticle(markdown: string, opts: HelpArticleOptions): HelpEntry[] {
  const source = `${opts.lang}/${opts.stem}.md`;
  const doc = parseMarkdown(markdown, opts.stem);
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const problems: string[] = [...(doc.warnings ?? [])];
  let topic: string | undefined;
  let current: OpenEntry | undefined;
  const done: OpenEntry[] = [];
  let headings = 0;

  for (const block of doc.blocks) {
    if (block.kind === 'heading' && block.level === 1) {
      if (topic !== undefined) problems.push(`line ${block.line}: a second "# " title ("${lines[block.line! - 1]!.trim()}"); one topic per file`);
      else if (current || done.length) problems.push(`line ${block.line}: the "# " title must come before the first entry`);
      else topic = block.text;
      continue;
    }
    if (block.kind === 'heading' && block.level === 2) {
      headings++;
      if (current) done.push(current);
      current = undefined;
      const heading = lines[block.line! - 1]!.trim();
      const anchor = HEADING_ANCHOR.exec(heading)?.[1];
      if (anchor === undefined) {
        problems.push(`line ${block.line}: heading "${heading}" has no {#anchor}; write it as "## Question? {#some-id}"`);
        continue;
      }
      if (!ANCHOR.test(anchor)) problems.push(`line ${block.line}: anchor "{#${anchor}}" must be lower-case ASCII letters, digits and hyphens`);
      if (!block.text) problems.push(`line ${block.line}: heading has an anchor but no question text`);
      current = { question: block.text, anchor, line: block.line!, blocks: [], phrasings: [] };
      continue;
    }
    if (!current) continue; // the topic's introduction belongs to no entry
    if (block.kind === 'phrasings') current.phrasings.push(...block.items);
    else current.blocks.push(block);
  }
  if (current) done.push(current);

  if (topic === undefined) problems.push('no "# Topic" title line');
  else if (!topic) problems.push('the "# " title is empty');
  if (headings === 0 && topic !== undefined) problems.push('no "## Question {#anchor}" entries');

  const seen = new Map<string, number>();
  for (const e of done) {
    const first = seen.get(e.anchor);
    if (first !== undefined) problems.push(`line ${e.line}: anchor "{#${e.anchor}}" already used on line ${first}`);
    else seen.set(e.anchor, e.line);
    if (!e.blocks.length) problems.push(`line ${e.line}: entry "${e.question}" has no body`);
  }

  if (problems.length) throw new HelpArticleError(source, problems);
  return done.map((e) => ({
    id: `${opts.lang}/${opts.stem}#${e.anchor}`,
    lang: opts.lang,
    topic: topic!,
    question: e.question,
    anchor: e.anchor,
    blocks: e.blocks,
    phrasings: e.phrasings,
  }));
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
