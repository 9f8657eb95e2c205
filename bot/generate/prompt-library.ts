/**
 * The prompt library: versioned prompt templates as data (`prompts/generation/*.yaml`, overridden file by
 * file by a bot's own `<bot>/prompts/*.yaml`), checked when loaded, and the template for an intent.
 * `grounding.yaml` holds the rules every answer prompt carries.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Locale } from '../turn/types.ts';

export const DEFAULT_PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts', 'generation');
const LOCALES: Locale[] = ['en', 'zh'];

export interface FewShot {
  passages: string[];
  question: string;
  answer: string;
}

export interface PromptTemplate {
  id: string;
  version: number;
  /** answer: a reply to the customer; classify: a label, reasoned first. */
  kind: 'answer' | 'classify';
  intents: string[];
  labels: string[];
  role: Record<Locale, string>;
  task: Record<Locale, string>;
  constraints: Record<Locale, string[]>;
  examples: Record<Locale, FewShot[]>;
  /** Words every answer must carry (a regulated answer's risk disclosure). */
  disclosure?: Record<Locale, string>;
}

export interface GroundingRules {
  version: number;
  rules: Record<Locale, string[]>;
}

export interface PromptLibrary {
  templates: PromptTemplate[];
  grounding: GroundingRules;
  /** The answer template for an intent: the scenario that lists it, else the general `answer`. */
  forIntent(intent: string | null | undefined): PromptTemplate;
  byId(id: string): PromptTemplate | undefined;
}

class PromptError extends Error {}

function localized(file: string, raw: Record<string, unknown>, key: string): Record<Locale, string> {
  const v = raw[key] as Record<string, unknown> | undefined;
  for (const l of LOCALES) if (typeof v?.[l] !== 'string' || !(v[l] as string).trim()) throw new PromptError(`${file}: ${key}.${l} must be a text`);
  return { en: v!.en as string, zh: v!.zh as string };
}

function lists(file: string, raw: Record<string, unknown>, key: string): Record<Locale, string[]> {
  const v = (raw[key] ?? { en: [], zh: [] }) as Record<string, unknown>;
  for (const l of LOCALES) if (!Array.isArray(v[l]) || (v[l] as unknown[]).some((x) => typeof x !== 'string')) throw new PromptError(`${file}: ${key}.${l} must be a list of texts`);
  return { en: v.en as string[], zh: v.zh as string[] };
}

function parseTemplate(file: string, raw: Record<string, unknown>): PromptTemplate {
  if (typeof raw.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(raw.id)) throw new PromptError(`${file}: id must be lower-case letters, digits and dashes`);
  if (!Number.isInteger(raw.version) || (raw.version as number) < 1) throw new PromptError(`${file}: version must be a whole number from 1`);
  const kind = raw.kind ?? 'answer';
  if (kind !== 'answer' && kind !== 'classify') throw new PromptError(`${file}: kind must be answer or classify`);
  const labels = (raw.labels ?? []) as string[];
  if (kind === 'classify' && (!Array.isArray(labels) || labels.length < 2)) throw new PromptError(`${file}: a classify template lists at least two labels`);
  const role = localized(file, raw, 'role');
  const task = localized(file, raw, 'task');
  const constraints = lists(file, raw, 'constraints');
  const examples = {} as Record<Locale, FewShot[]>;
  for (const l of LOCALES) {
    const list = (raw.examples as Record<string, unknown> | undefined)?.[l];
    if (!Array.isArray(list) || !list.length) throw new PromptError(`${file}: examples.${l} needs at least one example`);
    examples[l] = list.map((e: Record<string, unknown>, i) => {
      if (!Array.isArray(e?.passages) || typeof e.question !== 'string' || typeof e.answer !== 'string') throw new PromptError(`${file}: examples.${l}[${i}] needs passages, question and answer`);
      return { passages: e.passages.map(String), question: e.question, answer: e.answer };
    });
  }
  return {
    id: raw.id,
    version: raw.version as number,
    kind,
    intents: Array.isArray(raw.intents) ? raw.intents.map(String) : [],
    labels,
    role,
    task,
    constraints,
    examples,
    ...(raw.disclosure !== undefined ? { disclosure: localized(file, raw, 'disclosure') } : {}),
  };
}

function readYamlFiles(dir: string): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = join(dir, name);
    const raw = parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null) throw new PromptError(`${file}: expected a mapping`);
    files.set(name, { ...(raw as Record<string, unknown>), __file: file });
  }
  return files;
}

/** Loads kefu's templates and the bot's own (`<bot>/prompts/`, a file of the same name replaces kefu's). */
export function loadPromptLibrary(botDir?: string, dir = DEFAULT_PROMPTS_DIR): PromptLibrary {
  const files = new Map([...readYamlFiles(dir), ...(botDir ? readYamlFiles(join(botDir, 'prompts')) : [])]);
  const groundingRaw = files.get('grounding.yaml');
  if (!groundingRaw) throw new PromptError(`${dir}: grounding.yaml is missing`);
  files.delete('grounding.yaml');
  const grounding: GroundingRules = { version: Number(groundingRaw.version) || 1, rules: lists(String(groundingRaw.__file), groundingRaw, 'rules') };
  const templates = [...files.values()].map((raw) => parseTemplate(String(raw.__file), raw));
  const byId = new Map(templates.map((t) => [t.id, t]));
  const general = byId.get('answer');
  if (!general) throw new PromptError(`${dir}: the general template 'answer' is missing`);
  const byIntent = new Map<string, PromptTemplate>();
  for (const t of templates.filter((t) => t.kind === 'answer')) {
    for (const intent of t.intents) {
      const other = byIntent.get(intent);
      if (other) throw new PromptError(`intent '${intent}' is listed by two templates: ${other.id} and ${t.id}`);
      byIntent.set(intent, t);
    }
  }
  return {
    templates,
    grounding,
    forIntent: (intent) => (intent && byIntent.get(intent)) || general,
    byId: (id) => byId.get(id),
  };
}
