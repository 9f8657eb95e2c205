/**
 * A prompt template made into chat messages for one question: a system message (role, task, the template's
 * constraints, the grounding rules for answers), the template's few-shot examples in the customer's language
 * as earlier exchanges, then the numbered passages and the question. The same inputs always give the same
 * messages, so a turn's prompt can be made again from its trace (`PromptInputs` is stored there).
 */
import type { Locale } from '../turn/types.ts';
import type { ChatMessage } from './model.ts';
import type { PromptLibrary, PromptTemplate } from './prompt-library.ts';

export interface PromptInputs {
  template: string;
  version: number;
  locale: Locale;
  botName: string;
  question: string;
  passages: string[];
}

const LABELS: Record<Locale, { passages: string; question: string; constraints: string; none: string }> = {
  en: { passages: 'Passages:', question: 'Customer question:', constraints: 'Rules:', none: '(no passages)' },
  zh: { passages: '资料：', question: '客户问题：', constraints: '要求：', none: '（没有资料）' },
};

/** The passages numbered from 1 and the question, as one user message. */
export function questionMessage(locale: Locale, passages: string[], question: string): string {
  const l = LABELS[locale];
  const numbered = passages.length ? passages.map((p, i) => `[${i + 1}] ${p.trim()}`).join('\n\n') : l.none;
  return `${l.passages}\n${numbered}\n\n${l.question} ${question.trim()}`;
}

export function systemMessage(library: PromptLibrary, template: PromptTemplate, locale: Locale, botName: string): string {
  const rules = [...template.constraints[locale], ...(template.kind === 'answer' ? library.grounding.rules[locale] : [])];
  const text = [template.role[locale], template.task[locale], `${LABELS[locale].constraints}\n${rules.map((r) => `- ${r}`).join('\n')}`].join('\n\n');
  return text.replaceAll('{name}', botName);
}

export function renderPrompt(library: PromptLibrary, inputs: PromptInputs): ChatMessage[] {
  const template = library.byId(inputs.template);
  if (!template) throw new Error(`no prompt template '${inputs.template}'`);
  if (template.version !== inputs.version) throw new Error(`prompt template '${inputs.template}' is version ${template.version}, not ${inputs.version}`);
  const shots = template.examples[inputs.locale].flatMap((e): ChatMessage[] => [
    { role: 'user', content: questionMessage(inputs.locale, e.passages, e.question) },
    { role: 'assistant', content: e.answer.replaceAll('{name}', inputs.botName) },
  ]);
  return [
    { role: 'system', content: systemMessage(library, template, inputs.locale, inputs.botName) },
    ...shots,
    { role: 'user', content: questionMessage(inputs.locale, inputs.passages, inputs.question) },
  ];
}
