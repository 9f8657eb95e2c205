/**
 * Self-consistency for classification prompts: the model reasons before it labels (reasoning prompts keep
 * their chain of thought on `Reasoning:` lines), several samples are drawn, and the label most of them end
 * on wins. Only the label leaves this file; the reasoning is never shown to a customer.
 */
import { collect, type ChatMessage, type TextModel } from './model.ts';

/** The label on the last `Answer:` line (or `答案：`), if it is one of `labels`. */
export function finalLabel(text: string, labels: string[]): string | undefined {
  const answers = [...text.matchAll(/(?:answer|答案)\s*[:：]\s*([^\n]+)/gi)];
  const last = answers.at(-1)?.[1]?.trim().toLowerCase().replace(/[.。]$/, '');
  return labels.find((l) => l.toLowerCase() === last);
}

export interface Vote {
  /** The majority label; undefined when no sample gave a label. */
  label?: string;
  votes: Record<string, number>;
  samples: number;
}

/** The label most samples agree on (a tie goes to the label listed first). */
export function majority(labels: (string | undefined)[], order: string[]): Vote {
  const votes: Record<string, number> = {};
  for (const l of labels) if (l) votes[l] = (votes[l] ?? 0) + 1;
  const best = order.filter((l) => votes[l]).sort((a, b) => votes[b]! - votes[a]!)[0];
  return { ...(best ? { label: best } : {}), votes, samples: labels.length };
}

export async function selfConsistentLabel(
  model: TextModel,
  req: { messages: ChatMessage[]; adapter?: string; signal: AbortSignal; maxTokens?: number },
  labels: string[],
  samples: number,
): Promise<Vote> {
  const texts = await Promise.all(Array.from({ length: samples }, () => collect(model.generate({ ...req, temperature: 0.7 }))));
  return majority(texts.map((t) => finalLabel(t, labels)), labels);
}
