/**
 * The bot's intent training data, as people write it: one YAML file per intent in `<bot>/intents/`
 * (plus `oos.yaml` for out-of-scope examples and `entities.yaml` for lists such as product names).
 * Every mistake is reported with the file and line it is on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export const OOS = 'oos';
export type DataLocale = 'zh' | 'en';
export const LOCALES: readonly DataLocale[] = ['zh', 'en'];

export interface AnnotatedEntity {
  type: string;
  value: string;
  start: number;
  end: number;
}

export interface IntentExample {
  text: string;
  intent: string;
  locale?: DataLocale;
  entities?: AnnotatedEntity[];
  /** Where it was written: `file:line`. */
  at?: string;
}

export interface IntentDefinition {
  name: string;
  description: Partial<Record<DataLocale, string>>;
  file: string;
  /** Help topics (`shipping`) or entries (`shipping#delivery-time`) that answer this intent. */
  answers?: string[];
}

export interface EntityListEntry {
  value: string;
  synonyms: string[];
}

export interface IntentData {
  intents: IntentDefinition[];
  examples: IntentExample[];
  /** Configured lists by entity type (e.g. `product`). */
  lists: Record<string, EntityListEntry[]>;
}

export class IntentDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'IntentDataError';
  }
}

const INTENT_KEYS = ['intent', 'description', 'answers', 'examples'];
const ENTITY_KEYS = ['lists'];
const NAME = /^[a-z][a-z0-9_]*$/;

/** Reads every `*.yaml`/`*.yml` file of an intents folder. */
export function loadIntentFolder(dir: string): IntentData {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    throw new IntentDataError(dir, 0, 'intents folder not found');
  }
  const sources = files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  return parseIntentSources(sources);
}

/** Parses intent files given as text (pure; `loadIntentFolder` does the reading). */
export function parseIntentSources(sources: { file: string; text: string }[]): IntentData {
  const data: IntentData = { intents: [], examples: [], lists: {} };
  const seen = new Map<string, string>();
  const seenText = new Map<string, string>();
  for (const { file, text } of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const line = err.linePos?.[0].line ?? 1;
      const hint = /^\s*-\s*[\[{]/.test(text.split(/\r?\n/)[line - 1] ?? '') ? ' (an example that starts with [ or { must be in quotes)' : '';
      throw new IntentDataError(file, line, `YAML syntax: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${hint}`);
    }
    const lineOf = (node: Node | null | undefined): number => (node?.range ? lines.linePos(node.range[0]).line : 1);
    const root = doc.contents;
    if (!isMap(root)) throw new IntentDataError(file, lineOf(root), 'expected a mapping with `intent:` and `examples:` (or `lists:` for entities)');
    const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    const isEntities = basename(file).replace(/\.ya?ml$/, '') === 'entities' || (keys.includes('lists') && !keys.includes('intent'));
    const allowed = isEntities ? ENTITY_KEYS : INTENT_KEYS;
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        const hint = closest(key, allowed);
        throw new IntentDataError(file, lineOf(pair.key as Node), `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${allowed.join(', ')}`);
      }
    }
    if (isEntities) {
      readLists(root.get('lists', true) as Node | undefined, file, lineOf, data.lists);
      continue;
    }
    const nameNode = root.get('intent', true) as Node | undefined;
    if (!isScalar(nameNode) || typeof nameNode.value !== 'string') throw new IntentDataError(file, lineOf(root), 'missing `intent: name`');
    const name = nameNode.value;
    if (!NAME.test(name)) throw new IntentDataError(file, lineOf(nameNode), `intent name '${name}' must be lower-case letters, digits and _ (e.g. order_status)`);
    if (seen.has(name)) throw new IntentDataError(file, lineOf(nameNode), `intent '${name}' is already defined in ${seen.get(name)}`);
    seen.set(name, file);
    const description = readDescription(root.get('description', true) as Node | undefined, file, lineOf);
    const answers = readAnswers(root.get('answers', true) as Node | undefined, file, lineOf);
    data.intents.push({ name, description, file, ...(answers ? { answers } : {}) });
    const examplesNode = root.get('examples', true) as Node | undefined;
    if (!examplesNode) throw new IntentDataError(file, lineOf(root), `intent '${name}' has no \`examples:\``);
    const groups: { locale?: DataLocale; node: Node }[] = [];
    if (isSeq(examplesNode)) groups.push({ node: examplesNode });
    else if (isMap(examplesNode)) {
      for (const pair of examplesNode.items) {
        const loc = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!(LOCALES as readonly string[]).includes(loc)) throw new IntentDataError(file, lineOf(pair.key as Node), `examples are grouped by language 'zh' or 'en', not '${loc}'`);
        groups.push({ locale: loc as DataLocale, node: pair.value as Node });
      }
    } else throw new IntentDataError(file, lineOf(examplesNode), '`examples:` must be a list, or lists under `zh:` and `en:`');
    let count = 0;
    for (const group of groups) {
      if (!isSeq(group.node)) throw new IntentDataError(file, lineOf(group.node), `examples${group.locale ? ` for '${group.locale}'` : ''} must be a list of sentences ("- ...")`);
      for (const item of group.node.items as Node[]) {
        const line = lineOf(item);
        if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number')) throw new IntentDataError(file, line, 'an example must be one sentence on one line');
        const raw = String(item.value).trim();
        if (!raw) throw new IntentDataError(file, line, 'empty example');
        const { text, entities, error } = parseAnnotations(raw);
        if (error) throw new IntentDataError(file, line, error);
        const key = text.toLowerCase();
        const other = seenText.get(key);
        if (other && other.split('@')[0] !== name) throw new IntentDataError(file, line, `example "${text}" is also an example of '${other.split('@')[0]}' (${other.split('@')[1]})`);
        seenText.set(key, `${name}@${file}:${line}`);
        data.examples.push({ text, intent: name, ...(group.locale ? { locale: group.locale } : {}), ...(entities.length ? { entities } : {}), at: `${file}:${line}` });
        count++;
      }
    }
    if (count === 0) throw new IntentDataError(file, lineOf(examplesNode), `intent '${name}' has no examples`);
  }
  return data;
}

/** `answers: [shipping, returns#return-window]`: help topics or entries, as a list of names. */
function readAnswers(node: Node | undefined, file: string, lineOf: (n: Node | null | undefined) => number): string[] | undefined {
  if (!node) return undefined;
  if (!isSeq(node)) throw new IntentDataError(file, lineOf(node), '`answers:` must be a list of help topics or entries, e.g. [shipping, returns#return-window]');
  return node.items.map((item) => {
    const value = isScalar(item) ? String(item.value) : '';
    if (!/^[\w/-]+(#[\w-]+)?$/.test(value)) throw new IntentDataError(file, lineOf(item as Node), `'${value}' is not a help topic or entry (topic or topic#anchor)`);
    return value;
  });
}

function readDescription(node: Node | undefined, file: string, lineOf: (n: Node | null | undefined) => number): Partial<Record<DataLocale, string>> {
  if (!node) return {};
  if (isScalar(node)) return { en: String(node.value) };
  if (!isMap(node)) throw new IntentDataError(file, lineOf(node), '`description:` is a sentence, or one sentence under each of `zh:` and `en:`');
  const out: Partial<Record<DataLocale, string>> = {};
  for (const pair of node.items) {
    const loc = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(LOCALES as readonly string[]).includes(loc)) throw new IntentDataError(file, lineOf(pair.key as Node), `description languages are 'zh' and 'en', not '${loc}'`);
    out[loc as DataLocale] = String(isScalar(pair.value) ? pair.value.value : '');
  }
  return out;
}

function readLists(node: Node | undefined, file: string, lineOf: (n: Node | null | undefined) => number, into: Record<string, EntityListEntry[]>): void {
  if (!isMap(node)) throw new IntentDataError(file, lineOf(node), '`lists:` maps an entity type (e.g. product) to a list of values');
  for (const pair of node.items) {
    const type = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!NAME.test(type)) throw new IntentDataError(file, lineOf(pair.key as Node), `entity type '${type}' must be lower-case letters, digits and _`);
    const seq = pair.value as Node;
    if (!isSeq(seq)) throw new IntentDataError(file, lineOf(seq ?? (pair.key as Node)), `list '${type}' must be a list of values`);
    const entries: EntityListEntry[] = (into[type] ??= []);
    for (const item of seq.items as Node[]) {
      if (isScalar(item)) entries.push({ value: String(item.value), synonyms: [] });
      else if (isMap(item)) {
        const value = item.get('value');
        const synonyms = item.get('synonyms', true) as Node | undefined;
        if (typeof value !== 'string') throw new IntentDataError(file, lineOf(item), 'a list entry is a value, or `value:` with `synonyms:`');
        if (synonyms !== undefined && !isSeq(synonyms)) throw new IntentDataError(file, lineOf(synonyms), '`synonyms:` must be a list');
        entries.push({ value, synonyms: synonyms ? (synonyms.items as Node[]).map((s) => String(isScalar(s) ? s.value : '')).filter(Boolean) : [] });
      } else throw new IntentDataError(file, lineOf(item), 'a list entry is a value, or `value:` with `synonyms:`');
    }
  }
}

/** `[A1234](order_number)` → text with the annotation removed and the entity's span. */
export function parseAnnotations(raw: string): { text: string; entities: AnnotatedEntity[]; error?: string } {
  const entities: AnnotatedEntity[] = [];
  let text = '';
  let rest = raw;
  const pattern = /\[([^\[\]]+)\]\(([a-z][a-z0-9_]*)\)/;
  for (;;) {
    const m = pattern.exec(rest);
    if (!m) break;
    text += rest.slice(0, m.index);
    entities.push({ type: m[2]!, value: m[1]!, start: text.length, end: text.length + m[1]!.length });
    text += m[1];
    rest = rest.slice(m.index + m[0].length);
  }
  text += rest;
  if (/\]\(/.test(text)) return { text, entities, error: `entity annotation is written [text](type), with a lower-case type: "${raw}"` };
  return { text, entities };
}

function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of options) {
    const d = editDistance(word, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
