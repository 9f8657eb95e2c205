/** The flows' own lines (prompts/flows.yaml): cancelled, failed, gave up, resume, the yes/no buttons. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Locale } from '../turn/types.ts';

export type FlowMessageKey =
  | 'flow_cancelled'
  | 'flow_declined'
  | 'flow_failed'
  | 'flow_gave_up'
  | 'flow_resume'
  | 'flow_updated'
  | 'flow_confirm_again'
  | 'quick_yes'
  | 'quick_no'
  | 'quick_cancel';

export type FlowMessages = (key: FlowMessageKey, locale: Locale) => string;

const FILE = join(dirname(fileURLToPath(import.meta.url)), '../../prompts/flows.yaml');

export function loadFlowMessages(): FlowMessages {
  const templates = parse(readFileSync(FILE, 'utf8')) as Record<string, Partial<Record<Locale, string>>>;
  return (key, locale) => {
    const text = templates[key]?.[locale] ?? templates[key]?.en;
    if (text === undefined) throw new Error(`no flow message '${key}' in prompts/flows.yaml`);
    return text;
  };
}
