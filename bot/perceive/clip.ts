/**
 * CLIP through `@huggingface/transformers`, from a local model folder only (never downloaded): the image
 * embedding of a customer's picture, and zero-shot matching of it against the issue taxonomy.
 *
 *   texts      each issue's CLIP prompts ("a photo of a damaged parcel") and "a photo of <its English label>"
 *   embed      the texts once, when the model is opened; each image when it comes
 *   match      cosine similarity × CLIP's logit scale, softmax over all texts, summed per issue
 */
import { basename, dirname, resolve } from 'node:path';
import type { IssueTaxonomy } from './issues.ts';

/** CLIP's learned temperature: trained CLIP models end at (or are clamped to) 100. */
const LOGIT_SCALE = 100;

export interface ClipModel {
  /** What made the embeddings ("clip:<folder name>"), kept with learned examples. */
  name: string;
  embedImage(bytes: Uint8Array): Promise<Float32Array>;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
}

export interface IssueScore {
  id: string;
  /** The share of the softmax over all candidate texts that the issue's texts took (0…1). */
  confidence: number;
}

function unit(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const norm = Math.hypot(...out) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** Opens the CLIP model in `folder` (config.json, tokenizer, preprocessor, onnx/text_model.onnx, onnx/vision_model.onnx). */
export async function openClip(folder: string): Promise<ClipModel> {
  const hf = await import('@huggingface/transformers');
  const full = resolve(folder);
  hf.env.allowRemoteModels = false;
  hf.env.allowLocalModels = true;
  hf.env.localModelPath = `${dirname(full)}/`;
  const id = basename(full);
  const [tokenizer, processor, textModel, visionModel] = await Promise.all([
    hf.AutoTokenizer.from_pretrained(id),
    hf.AutoProcessor.from_pretrained(id),
    hf.CLIPTextModelWithProjection.from_pretrained(id, { dtype: 'fp32' }),
    hf.CLIPVisionModelWithProjection.from_pretrained(id, { dtype: 'fp32' }),
  ]);
  return {
    name: `clip:${id}`,
    async embedImage(bytes) {
      const image = await hf.RawImage.fromBlob(new Blob([new Uint8Array(bytes)]));
      const inputs = await processor(image);
      const { image_embeds } = await visionModel(inputs);
      return unit(image_embeds.data as Float32Array);
    },
    async embedTexts(texts) {
      const inputs = tokenizer(texts, { padding: true, truncation: true });
      const { text_embeds } = await textModel(inputs);
      const width = text_embeds.dims.at(-1) as number;
      const data = text_embeds.data as Float32Array;
      return texts.map((_, i) => unit(data.subarray(i * width, (i + 1) * width)));
    },
  };
}

/** The candidate texts of each issue, in taxonomy order. */
export function issueTexts(taxonomy: IssueTaxonomy): { id: string; text: string }[] {
  return taxonomy.issues.flatMap((issue) => [...issue.prompts, `a photo of ${issue.label.en}`].map((text) => ({ id: issue.id, text })));
}

export interface ZeroShot {
  /** Every issue, most likely first. */
  rank(imageEmbedding: Float32Array): IssueScore[];
}

/** Embeds the taxonomy's texts once; then ranks issues for any image embedding. */
export async function zeroShotIssues(clip: ClipModel, taxonomy: IssueTaxonomy): Promise<ZeroShot> {
  const texts = issueTexts(taxonomy);
  const embedded = await clip.embedTexts(texts.map((t) => t.text));
  return {
    rank(image) {
      const logits = embedded.map((t) => LOGIT_SCALE * dot(unit(image), t));
      const top = Math.max(...logits);
      const exp = logits.map((l) => Math.exp(l - top));
      const total = exp.reduce((a, b) => a + b, 0);
      const byIssue = new Map<string, number>();
      texts.forEach((t, i) => byIssue.set(t.id, (byIssue.get(t.id) ?? 0) + exp[i]! / total));
      return [...byIssue].map(([id, confidence]) => ({ id, confidence })).sort((a, b) => b.confidence - a.confidence);
    },
  };
}
