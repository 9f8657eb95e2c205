/**
 * Loads the guard's rules from disk — kefu's defaults in prompts/compliance, then the bot's own
 * `<botDir>/compliance/` (policy.yaml, lexicons/*.txt, rules/*.yaml), then terms trainers added in the
 * database — and reloads them when any file changes, so trainers edit without a restart. The file
 * poll runs on an unref'd timer (it never keeps the process alive); `close()` stops it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Db } from '../turn/database.ts';
import { createGuard, type CategoryPolicy, type Guard, type GuardRules } from './guard.ts';
import { parseLexiconFile, type LexiconTerm } from './lexicon.ts';
import type { PatternRuleSpec } from './pattern-rules.ts';
import type { Action, LocalizedText } from './rules.ts';

export const DEFAULT_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts', 'compliance');

export interface LoadGuardOptions {
  /** The bot's folder; its `compliance/` subfolder adds to and overrides the defaults. */
  botDir?: string;
  /** When given, terms in the `compliance_terms` table are added to the lexicon. */
  db?: Db;
  /** Defaults folder (prompts/compliance). */
  rulesDir?: string;
  /** How often to look for changed files, in ms (default 2000; 0 turns reloading off). */
  pollMs?: number;
  onReload?: (info: { lexiconSize: number; error?: Error }) => void;
}

interface PolicyFile {
  categories?: Record<string, Partial<CategoryPolicy>>;
  personalData?: { in?: Action; out?: Action };
  packs?: string[];
  facts?: Record<string, number>;
  unmaskRoles?: string[];
  texts?: Record<string, LocalizedText>;
}

interface PackFile {
  pack?: string;
  rules?: (Partial<PatternRuleSpec> & { id: string; patterns: string[] })[];
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(dir, f));
}

function readYaml<T>(file: string): T | undefined {
  return existsSync(file) ? ((parseYaml(readFileSync(file, 'utf8')) ?? {}) as T) : undefined;
}

/** `abuse.zh.txt` → abuse; `custom.txt` → custom. */
function categoryOf(file: string): string {
  return basename(file, '.txt').split('.')[0]!;
}

/** Every file the rules come from: what the reload poll watches. */
export function ruleFiles(rulesDir: string, botDir?: string): string[] {
  const files: string[] = [];
  for (const dir of [rulesDir, ...(botDir ? [join(botDir, 'compliance')] : [])]) {
    files.push(join(dir, 'policy.yaml'), join(dir, 'refusals.yaml'));
    files.push(...listFiles(dir, '.txt'), ...listFiles(join(dir, 'lexicons'), '.txt'), ...listFiles(join(dir, 'rules'), '.yaml'));
  }
  return files;
}

/** Reads the rules from the defaults folder and the bot's folder (pure apart from reading files). */
export function readRules(rulesDir: string, botDir?: string, extraTerms: LexiconTerm[] = []): GuardRules {
  const dirs = [rulesDir, ...(botDir ? [join(botDir, 'compliance')] : [])];
  const rules: GuardRules = {
    lexicon: [],
    categories: {},
    rules: [],
    facts: {},
    texts: {},
    personalData: { in: 'mask', out: 'mask' },
    unmaskRoles: [],
  };
  let packs: string[] | undefined;
  /** Packs a bot adds are in force unless its own policy lists the packs it wants. */
  const botPacks = new Set<string>();
  let botListsPacks = false;
  const packRules = new Map<string, PatternRuleSpec[]>();

  for (const [index, dir] of dirs.entries()) {
    const isBot = index > 0;
    const policy = readYaml<PolicyFile>(join(dir, 'policy.yaml')) ?? {};
    if (isBot && policy.packs) botListsPacks = true;
    for (const [name, p] of Object.entries(policy.categories ?? {})) {
      rules.categories[name] = { ...(rules.categories[name] ?? { in: 'flag', out: 'block' }), ...p } as CategoryPolicy;
    }
    rules.personalData = { ...rules.personalData, ...policy.personalData };
    if (policy.packs) packs = policy.packs;
    Object.assign(rules.facts, policy.facts);
    if (policy.unmaskRoles) rules.unmaskRoles = policy.unmaskRoles;
    for (const [key, text] of Object.entries({ ...readYaml<Record<string, LocalizedText>>(join(dir, 'refusals.yaml')), ...policy.texts })) {
      rules.texts[key] = { ...rules.texts[key], ...text };
    }
    for (const file of [...listFiles(dir, '.txt'), ...listFiles(join(dir, 'lexicons'), '.txt')]) {
      rules.lexicon.push(...parseLexiconFile(readFileSync(file, 'utf8'), categoryOf(file)));
    }
    for (const file of listFiles(join(dir, 'rules'), '.yaml')) {
      const pack = readYaml<PackFile>(file) ?? {};
      const name = pack.pack ?? basename(file, '.yaml');
      if (isBot) botPacks.add(name);
      for (const r of pack.rules ?? []) {
        const bad = [...(r.patterns ?? []), ...(r.unless ?? [])].find((p) => typeof p !== 'string');
        if (!r.id || !Array.isArray(r.patterns) || bad !== undefined) {
          throw new Error(`${file}: rule ${r.id ?? '?'} needs an id and patterns written as strings (quote patterns containing ': ')`);
        }
      }
      const own: PatternRuleSpec[] = (pack.rules ?? []).map((r) => ({ ...r, family: r.family ?? 'claim', direction: r.direction ?? 'out', action: r.action ?? 'block' }));
      // A bot's pack with the same name replaces the rules of the same id and adds new ones.
      const merged = new Map((packRules.get(name) ?? []).map((r) => [r.id, r]));
      for (const r of own) merged.set(r.id, r);
      packRules.set(name, [...merged.values()]);
    }
  }
  const inForce = (name: string) => !packs || packs.includes(name) || (!botListsPacks && botPacks.has(name));
  for (const [name, list] of packRules) if (inForce(name)) rules.rules.push(...list);
  rules.lexicon.push(...extraTerms);
  return rules;
}

async function termsFromDb(db: Db): Promise<LexiconTerm[]> {
  try {
    return await db.query<LexiconTerm>('select term, category from compliance_terms order by id');
  } catch {
    return [];
  }
}

function signature(files: string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}:${s.mtimeMs}:${s.size}`;
      } catch {
        return `${f}:-`;
      }
    })
    .join('|');
}

/** The guard of a bot, kept up to date with its rule files. */
export async function loadGuard(opts: LoadGuardOptions = {}): Promise<Guard> {
  const rulesDir = opts.rulesDir ?? DEFAULT_RULES_DIR;
  const build = async () => createGuard(readRules(rulesDir, opts.botDir, opts.db ? await termsFromDb(opts.db) : []));
  let current = await build();
  let protectedTexts: readonly string[] = [];
  let seen = signature(ruleFiles(rulesDir, opts.botDir));
  let reloading: Promise<void> | undefined;

  async function reload(): Promise<void> {
    try {
      const next = await build();
      next.protect(protectedTexts);
      current = next;
      opts.onReload?.({ lexiconSize: next.lexiconSize });
    } catch (error) {
      // A broken edit keeps the last good rules in force; the error is reported.
      opts.onReload?.({ lexiconSize: current.lexiconSize, error: error as Error });
    }
  }

  const pollMs = opts.pollMs ?? 2000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (reloading) return;
          const now = signature(ruleFiles(rulesDir, opts.botDir));
          if (now === seen) return;
          seen = now;
          reloading = reload().finally(() => (reloading = undefined));
        }, pollMs)
      : undefined;
  timer?.unref();

  return {
    checkIn: (text, locale) => current.checkIn(text, locale),
    checkOut: (text, locale) => current.checkOut(text, locale),
    text: (key, locale) => current.text(key, locale),
    protect(texts) {
      protectedTexts = texts;
      current.protect(texts);
    },
    unmaskAllowed: (role) => current.unmaskAllowed(role),
    get lexiconSize() {
      return current.lexiconSize;
    },
    reload: () => {
      seen = signature(ruleFiles(rulesDir, opts.botDir));
      return reload();
    },
    close: () => {
      if (timer) clearInterval(timer);
    },
  };
}
