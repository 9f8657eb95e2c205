/**
 * perceive: what is in the customer's images. For each image, in order:
 *   read      its text, by OCR off the main thread (`ocr.ts`), personal data masked like the message's
 *   look      at the same time, what the picture looks like: zero-shot CLIP and the learned detector (`looking.ts`)
 *   issue     one issue from the evidence (`evidence.ts`): the text's when it names one, else the picture's
 *   code      an error code shown in it
 *   join      the issue's query and the image's text join the customer's message (`turn.text`), so intent
 *             recognition, entities and the knowledge search see them; `turn.seen` and the trace keep them apart
 */
import type { Locale, SeenImage, Stage, Turn } from '../turn/types.ts';
import { decideIssue, type Evidence } from './evidence.ts';
import type { IssueTaxonomy } from './issues.ts';
import type { ImageLooker } from './looking.ts';
import type { OcrReader } from './ocr.ts';
import { errorCodeIn, textEvidence } from './read-issue.ts';

export interface PerceiveDeps {
  ocr: OcrReader;
  taxonomy: IssueTaxonomy;
  /** Masks personal data in the text read (compliance); identity when not given. */
  redact?: (text: string) => string;
  /** Looks at the picture itself (CLIP, learned detector); without it, only the text tells the issue. */
  looker?: ImageLooker;
}

/** How much of an image's text joins the message (the models read a message's opening and close). */
const MAX_JOINED_CHARS = 600;

async function see(bytes: Uint8Array, index: number, deps: PerceiveDeps): Promise<SeenImage> {
  const redact = deps.redact ?? ((t: string) => t);
  const [read, looked] = await Promise.all([
    deps.ocr.read(bytes).then(
      (lines) => ({ text: redact(lines.map((l) => l.text).join('\n')) }),
      (err: unknown) => ({ text: '', unreadable: err instanceof Error ? err.message : String(err) }),
    ),
    deps.looker?.look(bytes) ?? { evidence: [] as Evidence[], failed: undefined },
  ]);
  const seen: SeenImage = { index, text: read.text, ...('unreadable' in read ? { unreadable: read.unreadable } : {}) };
  const evidence = [...textEvidence(read.text, deps.taxonomy), ...looked.evidence];
  const verdict = decideIssue(evidence);
  const issue = verdict && deps.taxonomy.issues.find((i) => i.id === verdict.id);
  if (verdict && issue) seen.issue = { id: issue.id, label: issue.label, confidence: verdict.confidence, by: verdict.by };
  if (evidence.length) seen.evidence = evidence.map((e) => ({ ...e, confidence: Math.round(e.confidence * 100) / 100 }));
  if (looked.failed) seen.lookFailed = looked.failed;
  const code = errorCodeIn(read.text);
  if (code) seen.errorCode = code;
  return seen;
}

/** The customer's message with what their images add: each issue's query, then the images' text. */
export function joinedText(customerText: string, seen: SeenImage[], taxonomy: IssueTaxonomy, locale: Locale): string {
  const queries = seen.flatMap((s) => (s.issue ? [taxonomy.issues.find((i) => i.id === s.issue!.id)!.query[locale]] : []));
  const texts = seen.map((s) => s.text.replace(/\s+/g, ' ').trim().slice(0, MAX_JOINED_CHARS)).filter(Boolean);
  return [customerText.trim(), ...new Set(queries), ...texts].filter(Boolean).join('\n');
}

export function perceiveStage(deps: PerceiveDeps): Stage {
  return {
    name: 'perceive',
    async run(turn: Turn) {
      const images = turn.inbound.images.map((image, index) => ({ image, index })).filter(({ image }) => image.bytes);
      if (images.length === 0) return { decision: 'no images' };
      const customerText = turn.text;
      turn.seen = await Promise.all(images.map(({ image, index }) => see(image.bytes!, index, deps)));
      turn.text = joinedText(customerText, turn.seen, deps.taxonomy, turn.locale);
      const issues = turn.seen.flatMap((s) => (s.issue ? [s.issue.id] : []));
      return {
        decision: issues.length ? `issue ${[...new Set(issues)].join(', ')}` : turn.seen.some((s) => s.text) ? 'text read' : 'nothing seen',
        detail: {
          customerText,
          images: turn.seen.map((s) => ({
            index: s.index,
            text: s.text,
            ...(s.issue ? { issue: s.issue.id, label: s.issue.label, confidence: Math.round(s.issue.confidence * 100) / 100, by: s.issue.by } : {}),
            ...(s.evidence ? { evidence: s.evidence } : {}),
            ...(s.lookFailed ? { lookFailed: s.lookFailed } : {}),
            ...(s.errorCode ? { errorCode: s.errorCode } : {}),
            ...(s.unreadable ? { unreadable: s.unreadable } : {}),
          })),
        },
      };
    },
  };
}
