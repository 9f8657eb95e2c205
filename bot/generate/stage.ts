/**
 * compose with a model: when the turn answers from a help entry and a model is configured, the model writes
 * the answer from the entry's passages with the prompt template of the turn's intent, streaming drafts
 * through the output guard to channels that show them; everything else, and every answer the model cannot
 * give well, is the grounded composer's. In order:
 *   template   the prompt template for the intent (its id and version, and the prompt's inputs, go in the trace)
 *   support    optionally, the model judges by a majority of samples whether the passages answer the question
 *   write      the model streams its answer; what the stream guard passes is shown as a draft
 *   check      UNSUPPORTED → the customer is told and offered a person; an answer citing nothing it was
 *              given is rejected; the cited passages become the sources; a required disclosure is added;
 *              the answer's quality by the rules that can judge it goes in the trace
 *   fall back  a model error, a rejected answer or the deadline → the draft is withdrawn and the grounded
 *              composer answers; the trace says which provider answered and why
 */
import { createStreamGuard } from '../compliance/stream.ts';
import type { Guard } from '../compliance/guard.ts';
import { humanButton, offerHuman } from '../compose/grounded.ts';
import type { Responses } from '../compose/responses.ts';
import type { Reply, Stage, StageOutcome, Turn } from '../turn/types.ts';
import type { Drafts } from './drafts.ts';
import { checkAnswer, visibleSoFar, withDisclosure } from './grounding.ts';
import { judgeAnswer } from './quality.ts';
import type { TextModel } from './model.ts';
import type { PromptLibrary, PromptTemplate } from './prompt-library.ts';
import { renderPrompt, type PromptInputs } from './render.ts';
import { selfConsistentLabel } from './self-consistency.ts';
import { adapterFor, type GenerationSettings } from './settings.ts';

export interface ModelComposeDeps {
  /** The grounded composer: answers whatever the model does not. */
  grounded: Stage;
  model: TextModel;
  settings: GenerationSettings;
  library: PromptLibrary;
  responses: Responses;
  guard: Guard;
  botName: Record<'zh' | 'en', string>;
  drafts?: Drafts;
}

/** Why a model's answer was not used. */
class NotUsed extends Error {}

const deadlinePassed = (ms: number) => new NotUsed(`deadline of ${ms} ms passed`);

function wantsModel(turn: Turn): boolean {
  return turn.decision === 'answer' && turn.grounding === 'answer' && !!turn.passages?.length;
}

export function modelComposeStage(deps: ModelComposeDeps): Stage {
  const { model, settings, library } = deps;

  async function supported(turn: Turn, inputs: PromptInputs, adapter: string | undefined, signal: AbortSignal): Promise<Record<string, unknown> | null> {
    const check = library.byId('support-check');
    if (!settings.supportSamples || !check) return null;
    const messages = renderPrompt(library, { ...inputs, template: check.id, version: check.version });
    const vote = await selfConsistentLabel(model, { messages, adapter, signal, maxTokens: 200 }, check.labels, settings.supportSamples);
    return { prompt: `${check.id}@${check.version}`, ...vote };
  }

  /** Streams the model's answer, publishing what the stream guard passes as drafts; returns the whole text. */
  async function write(turn: Turn, inputs: PromptInputs, adapter: string | undefined, signal: AbortSignal, timing: { firstTokenMs?: number }): Promise<string> {
    const began = performance.now();
    const streamGuard = createStreamGuard(deps.guard, { locale: turn.locale });
    const draftId = `turn-${turn.messageId}`;
    let raw = '';
    let fed = '';
    let shown = '';
    for await (const piece of model.generate({ messages: renderPrompt(library, inputs), adapter, maxTokens: settings.maxTokens, temperature: 0, signal })) {
      timing.firstTokenMs ??= Math.round(performance.now() - began);
      raw += piece;
      const visible = visibleSoFar(raw);
      if (!deps.drafts || !visible.startsWith(fed) || visible.length === fed.length) continue;
      const released = streamGuard.push(visible.slice(fed.length));
      fed = visible;
      if (released && !streamGuard.stopped) {
        shown += released;
        deps.drafts.publish({ conversationId: turn.conversation.id, id: draftId, text: shown });
      }
    }
    if (signal.aborted) throw signal.reason;
    return raw;
  }

  function answerFrom(turn: Turn, template: PromptTemplate, raw: string): { reply: Reply; outcome: StageOutcome['decision']; cited: number[] } {
    const passages = turn.passages!;
    const check = checkAnswer(raw, passages.length);
    if (check.kind === 'rejected') throw new NotUsed(`answer rejected: ${check.reason}`);
    if (check.kind === 'unsupported') return { reply: offerHuman(turn, deps.responses), outcome: 'model: the passages do not answer it', cited: [] };
    const complaint = turn.understanding?.intent === 'complaint';
    const reply: Reply = {
      text: withDisclosure(check.text, template.disclosure?.[turn.locale]),
      sources: check.cited.map((n) => passages[n - 1]!.source),
      quickReplies: turn.understanding?.intent === 'ask_human' || complaint ? [humanButton(turn.locale, deps.responses)] : [],
    };
    return { reply, outcome: 'model answer', cited: check.cited };
  }

  return {
    name: 'compose',
    async run(turn) {
      if (!wantsModel(turn)) return deps.grounded.run(turn);
      const template = library.forIntent(turn.understanding?.intent);
      const adapter = adapterFor(settings, template.id);
      const inputs: PromptInputs = {
        template: template.id,
        version: template.version,
        locale: turn.locale,
        botName: deps.botName[turn.locale],
        question: turn.text,
        passages: turn.passages!.map((p) => p.text),
      };
      const about = { provider: model.provider, model: model.model, ...(adapter ? { adapter } : {}), prompt: { id: template.id, version: template.version, grounding: library.grounding.version }, inputs };
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(deadlinePassed(settings.deadlineMs)), settings.deadlineMs);
      const timing: { firstTokenMs?: number } = {};
      try {
        const support = await supported(turn, inputs, adapter, controller.signal);
        if (support && support.label === 'unsupported') {
          turn.drafts = [offerHuman(turn, deps.responses)];
          return { decision: 'model: the passages do not answer it', detail: { ...about, support } };
        }
        const raw = await write(turn, inputs, adapter, controller.signal, timing);
        const { reply, outcome, cited } = answerFrom(turn, template, raw);
        turn.drafts = [reply];
        const citations = cited.map((n, i) => ({ n: i + 1, passage: n, entry: turn.passages![n - 1]!.entry, title: turn.passages![n - 1]!.source.title }));
        const quality = judgeAnswer({ text: reply.text, locale: turn.locale, sources: reply.sources.length, disclosure: template.disclosure?.[turn.locale] });
        return { decision: outcome, detail: { ...about, ...timing, citations, quality, ...(support ? { support } : {}) } };
      } catch (err) {
        controller.abort(err);
        deps.drafts?.publish({ conversationId: turn.conversation.id, id: `turn-${turn.messageId}`, text: '', retracted: true });
        const fellBack = err instanceof Error ? err.message : String(err);
        const grounded = await deps.grounded.run(turn);
        const answer = turn.drafts[0];
        const quality = answer?.sources.length ? { quality: judgeAnswer({ text: answer.text, locale: turn.locale, sources: answer.sources.length }) } : {};
        return { decision: grounded.decision, detail: { ...grounded.detail, ...about, ...timing, ...quality, provider: 'grounded', fellBackFrom: model.provider, fellBack } };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
