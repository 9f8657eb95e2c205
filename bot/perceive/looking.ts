/**
 * Looking at a picture (not reading it): the image embedding, then what zero-shot CLIP and the learned
 * detector make of it, as evidence for `evidence.ts`. Each part is optional; with none, a picture gives no
 * evidence. A failure to look is reported, never thrown: the turn goes on with what the text said.
 */
import type { Evidence } from './evidence.ts';
import type { ImageEmbedder } from './image-embedder.ts';
import type { IssueDetector } from './learned-issues.ts';
import type { ZeroShot } from './clip.ts';

export interface ImageLooker {
  look(bytes: Uint8Array): Promise<{ evidence: Evidence[]; failed?: string }>;
}

export interface LookingParts {
  embedder: ImageEmbedder;
  /** CLIP zero-shot over the taxonomy (only when the embedder is CLIP's). */
  zeroShot?: ZeroShot;
  detector?: IssueDetector;
}

/** `parts` may load on first use (models are loaded when the first picture comes). */
export function createImageLooker(parts: () => Promise<LookingParts | undefined>): ImageLooker {
  let loaded: Promise<LookingParts | undefined> | undefined;
  return {
    async look(bytes) {
      try {
        const p = await (loaded ??= parts());
        if (!p || (!p.zeroShot && !p.detector)) return { evidence: [] };
        const vector = await p.embedder.embed(bytes);
        const evidence: Evidence[] = [];
        const zero = p.zeroShot?.rank(vector)[0];
        if (zero) evidence.push({ by: 'clip', id: zero.id, confidence: zero.confidence });
        const learned = p.detector?.detect(vector);
        if (learned) evidence.push({ by: 'learned', id: learned.id, confidence: learned.confidence });
        return { evidence };
      } catch (err) {
        return { evidence: [], failed: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
