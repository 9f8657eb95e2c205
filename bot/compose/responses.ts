import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Locale } from '../turn/types.ts';

export type ResponseKey =
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'answer_lead'
  | 'not_found'
  | 'handoff_requested'
  | 'handoff_queued'
  | 'handoff_after_hours'
  | 'handoff_queue_moved'
  | 'handoff_claimed'
  | 'handoff_timed_out'
  | 'rate_help'
  | 'rating_thanks'
  | 'quick_human'
  | 'quick_human_payload'
  | 'clarify'
  | 'complaint'
  | 'apology'
  | 'over_budget';

export type Responses = (key: ResponseKey, locale: Locale) => string;

const DEFAULTS = join(dirname(fileURLToPath(import.meta.url)), '../../prompts/responses.yaml');

function readTemplates(file: string): Record<string, Partial<Record<Locale, string>>> {
  if (!existsSync(file)) return {};
  const data = parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof data !== 'object' || data === null) throw new Error(`${file}: expected a mapping of response templates`);
  return data as Record<string, Partial<Record<Locale, string>>>;
}

/** The response templates: kefu's defaults, overridden by the bot's `responses.yaml`; `{name}` is the bot's name. */
export function loadResponses(botDir: string | undefined, botName: Record<Locale, string>): Responses {
  const templates = { ...readTemplates(DEFAULTS), ...(botDir ? readTemplates(join(botDir, 'responses.yaml')) : {}) };
  return (key, locale) => {
    const text = templates[key]?.[locale] ?? templates[key]?.en;
    if (text === undefined) throw new Error(`no response template '${key}'`);
    return text.replaceAll('{name}', botName[locale]);
  };
}
