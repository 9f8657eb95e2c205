/**
 * The `ground` stage: which help entry answers the customer, in named steps —
 *   chosen    a pressed "Did you mean …?" button names its entry: answer it;
 *   gather    the message with its slips of the keyboard put right (spelling.ts), the entry selector's
 *             guesses and the knowledge search's hits, one evidence row per entry;
 *   decide    answer / clarify / decline (relevance.ts);
 *   follow-up a message after another is read again with the customer's previous one, and the reading
 *             that holds is kept (follow-up.ts: "and to Hong Kong?", "那要多久"), unless it opens by
 *             changing the subject ("another thing, …", "另外问下");
 *   passages  the chosen entries' whole answers, in the customer's language, with their sources.
 */
import type { Knowledge, KnowledgeReader, Hit } from '../../knowledge/index.ts';
import { detectLocale } from '../turn/locale.ts';
import { textForModels } from '../turn/text-hygiene.ts';
import type { Locale, Passage, Stage, Turn } from '../turn/types.ts';
import { entryKey, type EntrySelector } from './entry-selector.ts';
import { chooseReading, opensNewMatter, ownReadingStands } from './follow-up.ts';
import { couldAnswer, DEFAULT_RELEVANCE, decideRelevance, type EntryEvidence, type RelevanceDecision, type RelevanceSettings } from './relevance.ts';

/** Decisions for which the bot answers from knowledge; for others (small talk, escalation) ground does nothing. */
const GROUNDED_DECISIONS = new Set(['answer', 'clarify']);

/** The payload of a "Did you mean …?" button: `entry:<key>`. */
export const ENTRY_PAYLOAD = 'entry:';

export interface GroundDeps {
  knowledge: Knowledge;
  /** The current entry selector (it is retrained when the knowledge changes); none: retrieval alone. */
  selector: () => EntrySelector | null;
  /** Help topics or entries each intent is about (`answers:` in the intent files). */
  intentAnswers?: Map<string, string[]>;
  settings?: Partial<RelevanceSettings>;
}

interface Gathered {
  decision: RelevanceDecision;
  evidence: EntryEvidence[];
  hits: Map<string, Hit>;
  text: string;
  /** The selector's probability that the message is about none of the entries. */
  outOfScope: number;
  /** Why the reading was not searched (its evidence is then empty). */
  skipped?: string;
}

export function groundStage(deps: GroundDeps): Stage {
  const settings = { ...DEFAULT_RELEVANCE, ...deps.settings };

  /**
   * `onlyAnswers`: the reading is of use only when answered (and, with `against`, only when it overrides
   * that answer of the message alone); when no search result could make it so, the search is skipped.
   */
  async function gather(knowledge: KnowledgeReader, text: string, locale: Locale, turn: Turn, opts: { onlyAnswers?: boolean; against?: string } = {}): Promise<Gathered> {
    const selector = deps.selector();
    const read = selector ? selector.read(textForModels(text)) : textForModels(text);
    const guessing = selector ? selector.select(read) : Promise.resolve({ ranking: [], outOfScope: 0 });
    if (opts.onlyAnswers && selector) {
      const guess = await guessing;
      const skipped = !couldAnswer(guess, selector.otherDocuments, settings)
        ? 'no answer possible'
        : opts.against && selector.entries.has(opts.against) && ownReadingStands(opts.against, guess)
          ? 'the message alone keeps its answer'
          : null;
      if (skipped) return { decision: { outcome: 'decline', entries: [] }, evidence: [], hits: new Map(), text, outOfScope: guess.outOfScope, skipped };
    }
    const [guess, found] = await Promise.all([guessing, knowledge.search(read, { locale, limit: 5 })]);
    const hits = new Map(found.map((h) => [entryKey(h.docId), h]));
    const keys = new Set([...guess.ranking.map((g) => g.key), ...hits.keys()]);
    // a document the selector was not trained on (no questions of its own) is judged by retrieval alone
    const known = (key: string) => !!selector?.entries.has(key);
    const evidence: EntryEvidence[] = [...keys].map((key) => ({
      key,
      selector: known(key) ? (guess.ranking.find((g) => g.key === key)?.confidence ?? 0) : (hits.get(key)?.score ?? 0),
      retrieval: hits.get(key)?.score ?? 0,
      intent: intentAgreement(key, turn, deps.intentAnswers),
    }));
    return { decision: decideRelevance(evidence, guess.outOfScope, settings), evidence, hits, text, outOfScope: guess.outOfScope };
  }

  return {
    name: 'ground',
    async run(turn) {
      if (turn.decision && !GROUNDED_DECISIONS.has(turn.decision)) return { decision: `skipped (${turn.decision})` };
      const locale = detectLocale(turn.text, turn.locale);
      // one version of the knowledge base for the whole turn (read with the turn's context): its searches and the answers they choose
      const knowledge = await deps.knowledge.reader(turn.knowledgeVersion);
      const chosen = turn.inbound.payload?.startsWith(ENTRY_PAYLOAD) ? turn.inbound.payload.slice(ENTRY_PAYLOAD.length) : null;
      if (chosen) {
        turn.passages = await passagesFor(knowledge, [chosen], new Map(), locale, deps);
        turn.grounding = turn.passages.length ? 'answer' : 'decline';
        return { decision: turn.grounding, detail: { chosen } };
      }
      if (!turn.text.trim()) {
        turn.passages = [];
        turn.grounding = 'decline';
        return { decision: 'decline' };
      }
      const alone = await gather(knowledge, turn.text, locale, turn);
      let g = alone;
      let withContext: Gathered | null = null;
      const previous = previousQuestion(turn);
      const newMatter = !!previous && opensNewMatter(turn.text);
      if (previous && !newMatter) {
        // the reading with the previous message is only ever taken as an answer that overrides the message's
        // own (chooseReading), so it is not searched for when the selector leaves no room for one
        const own = alone.decision.outcome === 'answer' ? alone.decision.entries[0]!.key : undefined;
        withContext = await gather(knowledge, `${previous} ${turn.text}`, locale, turn, { onlyAnswers: true, against: own });
        if (chooseReading(alone, withContext) === 'with previous') g = withContext;
      }
      turn.grounding = g.decision.outcome;
      turn.passages = g.decision.outcome === 'decline' ? [] : await passagesFor(knowledge, g.decision.entries.map((e) => e.key), g.hits, locale, deps);
      if (!turn.passages.length) turn.grounding = 'decline';
      return {
        decision: turn.grounding,
        detail: {
          locale,
          ...(g.text !== turn.text ? { readWith: 'previous message' } : newMatter ? { readAlone: 'opens a new matter' } : {}),
          entries: g.decision.entries.map((e) => ({ entry: e.key, score: e.score, selector: round(e.selector), retrieval: e.retrieval, ...(e.intent ? { intent: e.intent } : {}) })),
          readings: { alone: readingTrace(alone), ...(withContext ? { withPrevious: readingTrace(withContext) } : {}) },
        },
      };
    },
  };
}

/** The customer's message before this one, when the bot has not been told something new since. */
function previousQuestion(turn: Turn): string | null {
  const before = [...turn.history].reverse().find((m) => m.direction === 'in' && m.author === 'customer');
  return before?.text ?? null;
}

function intentAgreement(key: string, turn: Turn, answers?: Map<string, string[]>): EntryEvidence['intent'] {
  const u = turn.understanding;
  if (!answers || !u?.intent || u.outOfScope || u.ambiguous) return 0;
  const topics = answers.get(u.intent);
  if (!topics?.length) return 0;
  return topics.some((t) => key === t || key.startsWith(`${t}#`)) ? 1 : -1;
}

/** The entries' answers in the customer's language (the other language when an entry has only that). */
async function passagesFor(knowledge: KnowledgeReader, keys: string[], hits: Map<string, Hit>, locale: Locale, deps: GroundDeps): Promise<Passage[]> {
  const entries = deps.selector()?.entries;
  const docIdOf = (key: string) => {
    const ids = entries?.get(key)?.docIds;
    return ids?.[locale] ?? hits.get(key)?.docId ?? Object.values(ids ?? {})[0] ?? key;
  };
  const wanted = keys.map(docIdOf);
  const docs = await knowledge.documents(wanted);
  const byId = new Map(docs.map((d) => [d.docId, d]));
  return keys.flatMap((key, i) => {
    const doc = byId.get(wanted[i]!);
    if (!doc) return [];
    return [{ text: doc.text, score: hits.get(key)?.score ?? 0, source: doc.source, entry: key, ...(doc.question ? { question: doc.question } : {}) }];
  });
}

/** A reading's evidence for the trace: its outcome, the out-of-scope probability and every entry weighed (the selector's five and the search's five). */
function readingTrace(g: Gathered) {
  const top = [...g.evidence].sort((a, b) => b.selector - a.selector || b.retrieval - a.retrieval);
  return { outcome: g.decision.outcome, ...(g.skipped ? { skipped: g.skipped } : {}), outOfScope: round(g.outOfScope), evidence: top.map((e) => ({ entry: e.key, selector: round(e.selector), retrieval: round(e.retrieval), intent: e.intent })) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
