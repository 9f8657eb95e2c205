/**
 * One issue for an image from what each way of seeing said. Pure.
 *   text      the taxonomy's words read in the image (OCR): when the text names an issue, it wins, since a
 *             screenshot that says "支付失败" is a payment failure whatever it looks like
 *   clip      zero-shot CLIP, when a model is configured
 *   learned   the detector taught with labelled pictures
 * Otherwise the picture's evidence decides: each source counts from its own threshold up; sources that agree
 * on an issue add up (1 − (1 − a)(1 − b)); the learned detector saying "no issue" (`none`) keeps its vote.
 */
import { NO_ISSUE } from './learned-issues.ts';

export type EvidenceSource = 'text' | 'clip' | 'learned';

export interface Evidence {
  by: EvidenceSource;
  /** An issue id, or `none` (the learned detector's pictures of no issue were closest). */
  id: string;
  confidence: number;
}

export interface IssueVerdict {
  id: string;
  confidence: number;
  /** The source that decided (for a combined verdict, the one that was surest). */
  by: EvidenceSource;
  /** The sources that pointed to it. */
  agreed: EvidenceSource[];
}

/** Below these, a source's say is not counted (zero-shot spreads over about ten issues; the learned detector's softmax over its few kinds, so 0.45 is well ahead of three). */
export const EVIDENCE_THRESHOLDS: Record<EvidenceSource, number> = { text: 0, clip: 0.5, learned: 0.45 };

export function decideIssue(evidence: Evidence[], thresholds = EVIDENCE_THRESHOLDS): IssueVerdict | undefined {
  const text = evidence.find((e) => e.by === 'text');
  const counted = evidence.filter((e) => e.confidence >= thresholds[e.by]);
  if (text) {
    const agreed = counted.filter((e) => e.id === text.id);
    return { id: text.id, by: 'text', agreed: agreed.map((e) => e.by), confidence: 1 - agreed.reduce((p, e) => p * (1 - e.confidence), 1) };
  }
  const byIssue = new Map<string, Evidence[]>();
  for (const e of counted) byIssue.set(e.id, [...(byIssue.get(e.id) ?? []), e]);
  const ranked = [...byIssue]
    .map(([id, es]) => ({ id, es, confidence: 1 - es.reduce((p, e) => p * (1 - e.confidence), 1) }))
    .sort((a, b) => b.confidence - a.confidence);
  const top = ranked[0];
  if (!top || top.id === NO_ISSUE) return undefined;
  const surest = [...top.es].sort((a, b) => b.confidence - a.confidence)[0]!;
  return { id: top.id, confidence: top.confidence, by: surest.by, agreed: top.es.map((e) => e.by) };
}
