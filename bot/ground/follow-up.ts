/**
 * How a message that follows another is read: alone, or together with the customer's previous message.
 * Both readings are scored; the one read with the previous message wins when it settles what the
 * message alone did not, and when the message alone points at an entry that the context does not
 * support ("Do you ship to Macau?" → "how many days would that take?" is about shipping abroad, not
 * delivery times in general). A message that names a new matter of its own keeps its own reading when
 * the two messages together still support it ("能寄到日本吗" → "那进口税谁出" is about customs duties).
 * A message that opens by saying it changes the subject ("another thing, …", "另外问下，…") is read alone.
 * Pure.
 */
import type { EntryEvidence, RelevanceDecision } from './relevance.ts';

export interface Reading {
  decision: RelevanceDecision;
  evidence: EntryEvidence[];
}

/**
 * The selector's probability, read with the context, under which the message's own answer is taken to
 * be a misreading of an elliptical follow-up. Chosen on the demo shop's dev follow-ups: own answers the
 * context still supported kept 0.14–0.24, misread ones 0.08 or less (0.1–0.12 alike).
 */
export const KEEPS_OWN_READING = 0.1;

/**
 * How customers open a message that leaves the previous matter: "unrelated, but …", "one more thing",
 * "换个问题", "另外问下", "对了". Matched at the start of the message only, where such words change the
 * subject; inside a sentence ("is that different for another thing I bought?") they do not.
 */
const NEW_MATTER = [
  /^(?:oh[, ]+|ok(?:ay)?[, ]+|and[, ]+|also[, ]+|actually[, ]+)*(?:another (?:thing|question)|one more (?:thing|question)|(?:a |one )?(?:different|separate|other|unrelated) (?:thing|question|topic|matter)|unrelated|on another note|by the way|btw|while i'?m (?:here|at it)|never ?mind|forget (?:that|it|about that)|changing the subject|on a different note|switching topics?)\b/i,
  /^(?:哦|嗯|好的?|那|还有)?[，,。\s]*(?:另外(?:[，,\s]|问|想问|还想|再问|还有|一个问题|有个问题)|换个(?:问题|话题)|换一个问题|还有个?(?:问题|事)|另一个问题|顺便(?:问|说)|对了|再问(?:一?下|个|你)|还想问|还有一件事|算了|不说这个了?|先不说这个|别的问题|其他问题|题外话|跟这个没关系|和这个无关)/,
];

/** Whether the message opens by leaving the previous matter for a new one (then it is read alone). */
export function opensNewMatter(text: string): boolean {
  const start = text.trim();
  return NEW_MATTER.some((re) => re.test(start));
}

export function chooseReading(alone: Reading, withPrevious: Reading, keepsOwnAt = KEEPS_OWN_READING): 'alone' | 'with previous' {
  const own = alone.decision.outcome === 'answer' ? alone.decision.entries[0]!.key : null;
  if (withPrevious.decision.outcome !== 'answer') return 'alone';
  if (!own) return 'with previous';
  if (withPrevious.decision.entries[0]!.key === own) return 'alone';
  const support = withPrevious.evidence.find((e) => e.key === own)?.selector ?? 0;
  return support < keepsOwnAt ? 'with previous' : 'alone';
}

/**
 * Whether the message's own answer `own` (an entry the selector knows) stands against the reading with
 * the previous message whatever that reading's knowledge search finds: the selector, reading both
 * messages, still gives it `keepsOwnAt` or more (chooseReading then keeps the message's own reading).
 */
export function ownReadingStands(own: string, withPrevious: { ranking: { key: string; confidence: number }[] }, keepsOwnAt = KEEPS_OWN_READING): boolean {
  return (withPrevious.ranking.find((g) => g.key === own)?.confidence ?? 0) >= keepsOwnAt;
}
