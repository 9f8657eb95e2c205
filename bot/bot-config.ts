import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Locale } from './turn/types.ts';

/** A bot's folder: `bot.yaml` (id, name per language, default locale) plus content folders. */
export interface BotConfig {
  id: string;
  dir: string;
  name: Record<Locale, string>;
  defaultLocale: Locale;
}

/** The parsed `bot.yaml` (or `bot.yml`) of a bot folder; empty when there is none. */
export function readBotYaml(dir: string): Record<string, unknown> {
  for (const name of ['bot.yaml', 'bot.yml']) {
    const file = join(dir, name);
    if (existsSync(file)) return ((parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>);
  }
  return {};
}

/** The bot's id: `id:` in its bot.yaml, else the folder name. */
export function botIdOf(dir: string): string {
  const id = readBotYaml(dir).id;
  return typeof id === 'string' && id ? id : basename(resolve(dir));
}

export function loadBotConfig(dir: string): BotConfig {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new Error(`bot folder not found: ${abs}`);
  const file = join(abs, 'bot.yaml');
  const raw = readBotYaml(abs);
  const id = typeof raw.id === 'string' ? raw.id : basename(abs);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) throw new Error(`${file}: id '${id}' must be lower-case letters, digits and dashes`);
  const name = (raw.name ?? {}) as Partial<Record<Locale, string>>;
  const fallback = typeof raw.name === 'string' ? raw.name : id;
  return {
    id,
    dir: abs,
    name: { en: name.en ?? fallback, zh: name.zh ?? name.en ?? fallback },
    defaultLocale: raw.defaultLocale === 'zh' ? 'zh' : 'en',
  };
}
