/**
 * HTML → blocks, for help-centre pages and for DOCX (which mammoth turns into simple HTML). The page is
 * parsed by htmlparser2, a forgiving HTML parser (an unclosed `<p>` or `<li>` ends where the next one
 * starts, `>` inside attribute values, comments and entities are read as a browser reads them); then the
 * tree is walked: headings (an `id` is the anchor), paragraphs, lists, tables (header row kept; a table
 * inside a cell is that cell's text), and text standing loose in containers. Scripts, styles, navigation
 * and the head are dropped; `<b>`/`<strong>` stay `**bold**`. The walk keeps its own stack, so no nesting
 * depth can overflow the call stack.
 *
 * Tree builders spend time on every element in proportion to how deep it sits (parse5 and htmlparser2
 * alike: 30,000 nested `<div>`s took 12 s and 0.3 s here, and four times as many take sixteen times as
 * long), so a page nested deeper than any real page (MAX_NESTING) is refused before it is built; the check
 * runs htmlparser2's tokenizer alone, in linear time.
 */
import { DomUtils, parseDocument, Tokenizer } from 'htmlparser2';
import type { Block, ParsedDocument } from '../types.ts';
import { slugify } from './slug.ts';

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;

const { isTag, isText, hasChildren } = DomUtils;

const DROPPED = new Set(['script', 'style', 'nav', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'select', 'button']);
const TEXT_BLOCK = new Set(['p', 'pre', 'dt', 'dd', 'figcaption', 'caption', 'summary']);
/** Elements that flow inside a line of text; every other element starts and ends a block. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'img', 'ins', 'kbd', 'label',
  'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);
const BOLD = new Set(['b', 'strong']);
/** Placeholders for the start and end of bold text while whitespace is collapsed. */
const BOLD_START = '\u0001';
const BOLD_END = '\u0002';

/** Deeper than any real page: browsers stop nesting at 512. */
const MAX_NESTING = 1000;

export function parseHtml(html: string, fallbackTitle: string): ParsedDocument {
  if (nestedDeeperThan(html, MAX_NESTING)) throw new Error(`elements nested more than ${MAX_NESTING} deep`);
  const document = parseDocument(html);
  const blocks: Block[] = [];
  let loose = '';
  const flushLoose = () => {
    const text = finishText(loose);
    if (text) blocks.push({ kind: 'text', text });
    loose = '';
  };

  // pre-order walk; `null` marks the end of a block container, a string is text to add (bold marks)
  const stack: (Node | string | null)[] = [...document.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node === null) {
      flushLoose();
      continue;
    }
    if (typeof node === 'string') {
      loose += node;
      continue;
    }
    if (isText(node)) {
      loose += node.data;
      continue;
    }
    if (!isTag(node)) continue; // comments, doctype
    const tag = node.name;
    if (DROPPED.has(tag)) continue;
    if (tag === 'br') {
      loose += '\n';
      continue;
    }
    if (INLINE.has(tag)) {
      if (BOLD.has(tag)) {
        stack.push(BOLD_END);
        loose += BOLD_START;
      }
      pushChildren(stack, node.children);
      continue;
    }
    flushLoose();
    if (/^h[1-6]$/.test(tag)) {
      const text = textOf(node);
      if (text) blocks.push({ kind: 'heading', level: Number(tag[1]), text, anchor: attr(node, 'id') || slugify(text) });
    } else if (TEXT_BLOCK.has(tag)) {
      const text = tag === 'pre' ? rawText(node).replace(/^\n|\n$/g, '') : textOf(node);
      if (text.trim()) blocks.push({ kind: 'text', text });
    } else if (tag === 'ul' || tag === 'ol' || tag === 'li') {
      const items = tag === 'li' ? [textOf(node, LISTS)] : listItems(node);
      const prev = blocks[blocks.length - 1];
      // list items outside a list (sloppy exports) join the list just before them
      if (tag === 'li' && prev?.kind === 'list' && !prev.ordered) prev.items.push(...items.filter(Boolean));
      else if (items.some(Boolean)) blocks.push({ kind: 'list', ordered: tag === 'ol', items: items.filter(Boolean) });
    } else if (tag === 'table') {
      const table = readTable(node);
      if (table) blocks.push(table);
    } else {
      stack.push(null);
      pushChildren(stack, node.children);
    }
  }
  flushLoose();

  const firstH1 = blocks.find((b) => b.kind === 'heading' && b.level === 1) as { text: string } | undefined;
  const titleElement = findFirst(document.children, 'title');
  return { title: firstH1?.text || (titleElement ? textOf(titleElement) : '') || fallbackTitle, blocks };
}

const LISTS = new Set(['ul', 'ol']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements that a start tag of the same name closes (`<li>` after `<li>`), so that they never nest in each other. */
const SIBLING_CLOSED = new Set(['li', 'p', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'thead', 'tbody', 'tfoot']);

/**
 * Whether elements nest deeper than `limit`, read by htmlparser2's tokenizer alone (linear time): start tags
 * open an element (but void ones, and those a start tag of the same name closes), end tags close back to theirs.
 */
function nestedDeeperThan(html: string, limit: number): boolean {
  const open: string[] = [];
  let name = '';
  let deeper = false;
  const ignore = () => undefined;
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        name = html.slice(start, end).toLowerCase();
      },
      onopentagend() {
        if (VOID.has(name) || deeper) return;
        if (SIBLING_CLOSED.has(name) && open.at(-1) === name) open.pop();
        open.push(name);
        deeper = open.length > limit;
      },
      onselfclosingtag() {
        this.onopentagend(0);
      },
      onclosetag(start, end) {
        const at = open.lastIndexOf(html.slice(start, end).toLowerCase());
        if (at >= 0) open.length = at;
      },
      onattribdata: ignore,
      onattribentity: ignore,
      onattribend: ignore,
      onattribname: ignore,
      oncdata: ignore,
      oncomment: ignore,
      ondeclaration: ignore,
      onend: ignore,
      onprocessinginstruction: ignore,
      ontext: ignore,
      ontextentity: ignore,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return deeper;
}

/** A list's items in order; an item's nested list follows it, indented two spaces a level. */
function listItems(list: Element): string[] {
  const items: string[] = [];
  const stack: { node: Element; depth: number }[] = [{ node: list, depth: 0 }];
  const later = (nodes: Element[], depth: number) => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push({ node: nodes[i]!, depth });
  };
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (node.name === 'li') {
      const text = textOf(node, LISTS);
      if (text) items.push(`${'  '.repeat(depth)}${text.replace(/\n/g, ' ')}`);
      later(elementsBelow(node, (el) => LISTS.has(el.name)), depth + 1);
    } else later(elementsBelow(node, (el) => el.name === 'li' || LISTS.has(el.name)), depth); // a list, or a list straight inside one (invalid, common)
  }
  return items;
}

/** The elements below `root` that `match`, not looking inside a matched one (nor inside dropped ones). */
function elementsBelow(root: Element, match: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (!isTag(node) || DROPPED.has(node.name)) continue;
    if (match(node)) out.push(node);
    else pushChildren(stack, node.children);
  }
  return out;
}

function readTable(table: Element): Block | undefined {
  const rows: string[][] = [];
  let headerFromTh: string[] | undefined;
  // rows of this table only: a table inside a cell stays that cell's text
  for (const tr of elementsBelow(table, (el) => el.name === 'tr' || el.name === 'table')) {
    if (tr.name !== 'tr') continue;
    const cells = elementsBelow(tr, (el) => el.name === 'td' || el.name === 'th');
    if (!cells.length) continue;
    const row = cells.map((c) => textOf(c).replace(/\n+/g, ' '));
    if (!headerFromTh && rows.length === 0 && cells.every((c) => c.name === 'th')) headerFromTh = row;
    else rows.push(row);
  }
  const header = headerFromTh ?? rows.shift();
  if (!header) return undefined;
  return { kind: 'table', header, rows };
}

/** The text of an element: whitespace collapsed as a browser does, `<br>` and block ends as line breaks, bold kept. */
function textOf(root: Element, skip: ReadonlySet<string> = new Set()): string {
  let out = '';
  const stack: (Node | string)[] = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node === 'string') {
      out += node;
      continue;
    }
    if (isText(node)) out += node.data;
    if (!isTag(node) || DROPPED.has(node.name) || skip.has(node.name)) continue;
    if (node.name === 'br') {
      out += '\n';
      continue;
    }
    const block = !INLINE.has(node.name);
    const bold = BOLD.has(node.name);
    stack.push(block ? '\n' : bold ? BOLD_END : '');
    pushChildren(stack, node.children);
    if (block) out += '\n';
    else if (bold) out += BOLD_START;
  }
  return finishText(out);
}

/** Collapses whitespace (line breaks kept), turns the bold placeholders into `**`, trims. */
function finishText(text: string): string {
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(new RegExp(`${BOLD_START}( ?)([^${BOLD_START}${BOLD_END}]*?)( ?)${BOLD_END}`, 'g'), (_, a: string, inner: string, b: string) =>
      inner.trim() ? `${a}**${inner.trim()}**${b}` : `${a}${b}`,
    )
    .replace(new RegExp(`[${BOLD_START}${BOLD_END}]`, 'g'), '')
    .trim();
}

/** The text as written, for `<pre>`. */
function rawText(root: Element): string {
  let out = '';
  const stack: Node[] = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (isText(node)) out += node.data;
    else if (isTag(node) && node.name === 'br') out += '\n';
    else if (isTag(node) && !DROPPED.has(node.name)) pushChildren(stack, node.children);
  }
  return out;
}

function findFirst(roots: readonly Node[], tag: string): Element | undefined {
  const stack: Node[] = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (isTag(node) && node.name === tag) return node;
    if (hasChildren(node)) pushChildren(stack, node.children);
  }
  return undefined;
}

function attr(el: Element, name: string): string | undefined {
  return el.attribs[name]?.trim() || undefined;
}

/** Pushes children so that they pop in document order. */
function pushChildren<T>(stack: (Node | T)[], children: readonly Node[]): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
}
