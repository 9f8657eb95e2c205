import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS_DIR, loadPromptLibrary } from '../../../bot/generate/prompt-library.ts';
import { renderPrompt } from '../../../bot/generate/render.ts';

const library = loadPromptLibrary();
const SCENARIOS = ['order-status', 'returns', 'complaint', 'finance'];

describe('prompt library', () => {
  it('has the scenario templates, each with an id and a version', () => {
    for (const id of [...SCENARIOS, 'answer', 'support-check']) {
      const t = library.byId(id);
      expect(t, id).toBeDefined();
      expect(t!.version).toBeGreaterThanOrEqual(1);
    }
  });

  it.each(SCENARIOS.flatMap((id) => (['en', 'zh'] as const).map((locale) => [id, locale] as const)))('%s renders in %s with its few-shot examples, numbered passages and the language rule', (id, locale) => {
    const t = library.byId(id)!;
    const messages = renderPrompt(library, { template: id, version: t.version, locale, botName: locale === 'zh' ? '流明小铺' : 'Lumen & Co.', question: 'Q?', passages: ['first passage', 'second passage'] });
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain(locale === 'zh' ? '流明小铺' : 'Lumen & Co.');
    expect(messages[0]!.content).toContain(locale === 'zh' ? '用简体中文回答' : 'Write in English');
    expect(messages[0]!.content).toContain('[1]');
    const shots = t.examples[locale];
    expect(messages).toHaveLength(1 + 2 * shots.length + 1);
    expect(messages[2]!).toEqual({ role: 'assistant', content: shots[0]!.answer });
    expect(messages.at(-1)!.content).toMatch(/\[1\] first passage\s+\[2\] second passage/);
    // the examples speak the customer's language
    if (locale === 'zh') expect(shots[0]!.answer).toMatch(/[\u4e00-\u9fff]/);
    else expect(shots[0]!.answer).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('complaint examples acknowledge, confirm, remedy and promise a follow-up', () => {
    const t = library.byId('complaint')!;
    expect(t.examples.en[0]!.answer).toMatch(/sorry[\s\S]*arrived broken[\s\S]*replacement[\s\S]*follow up/i);
    expect(t.examples.zh[0]!.answer).toMatch(/抱歉[\s\S]*碎了[\s\S]*补发[\s\S]*跟进/);
  });

  it('finance carries the risk disclosure in both languages and its examples never promise returns', () => {
    const t = library.byId('finance')!;
    expect(t.disclosure).toEqual({ zh: '理财有风险，投资需谨慎。', en: expect.stringMatching(/risk/i) });
    expect(t.examples.zh[0]!.answer).toContain('理财有风险，投资需谨慎');
    expect(t.examples.en[0]!.answer).toContain(t.disclosure!.en);
    expect(t.examples.en[0]!.answer).not.toMatch(/guaranteed (return|profit)/i);
  });

  it('chooses the template by intent, the general answer otherwise', () => {
    expect(library.forIntent('order_status').id).toBe('order-status');
    expect(library.forIntent('return_item').id).toBe('returns');
    expect(library.forIntent('complaint').id).toBe('complaint');
    expect(library.forIntent('wealth_product').id).toBe('finance');
    expect(library.forIntent('discount_coupon').id).toBe('answer');
    expect(library.forIntent(null).id).toBe('answer');
  });

  it('renders the same messages from the same inputs, and refuses another version than the trace names', () => {
    const inputs = { template: 'returns', version: 1, locale: 'en' as const, botName: 'X', question: 'return?', passages: ['p'] };
    expect(renderPrompt(library, inputs)).toEqual(renderPrompt(library, structuredClone(inputs)));
    expect(() => renderPrompt(library, { ...inputs, version: 99 })).toThrow(/version 1, not 99/);
  });

  it("a bot's own file replaces kefu's, and a broken one is reported with its file name", () => {
    const bot = mkdtempSync(join(tmpdir(), 'kefu-prompts-'));
    try {
      mkdirSync(join(bot, 'prompts'));
      const own = readFileSync(join(DEFAULT_PROMPTS_DIR, 'returns.yaml'), 'utf8').replace('version: 1', 'version: 7');
      writeFileSync(join(bot, 'prompts', 'returns.yaml'), own);
      expect(loadPromptLibrary(bot).byId('returns')!.version).toBe(7);
      writeFileSync(join(bot, 'prompts', 'broken.yaml'), 'id: broken\nversion: 1\nrole: {en: x}\n');
      expect(() => loadPromptLibrary(bot)).toThrow(/broken\.yaml: role\.zh must be a text/);
    } finally {
      rmSync(bot, { recursive: true, force: true });
    }
  });
});
