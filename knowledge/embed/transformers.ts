/**
 * Any Hugging Face ONNX feature-extraction model through `@huggingface/transformers` 3.x, from a local
 * folder (`<localModelPath>/<model>/{config.json, tokenizer.json, onnx/model.onnx}`) or, where allowed,
 * the hub. Mean pooling and L2 normalisation, as sentence-embedding models expect.
 */
import type { Locale } from '../../bot/turn/types.ts';
import type { Embedder } from '../types.ts';

export interface TransformersEmbedderOptions {
  /** Model name: a folder under `localModelPath`, or a hub id when remote models are allowed. */
  model: string;
  localModelPath?: string;
  allowRemoteModels?: boolean;
  /** Languages the model serves (a multilingual model: ['zh', 'en']). */
  locales?: Locale[];
  /** Text prefixes some models want (e5: 'query: ' / 'passage: '). */
  prefix?: string;
  batchSize?: number;
  dtype?: 'fp32' | 'q8' | 'fp16';
}

export async function loadTransformersEmbedder(opts: TransformersEmbedderOptions): Promise<Embedder> {
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = opts.allowRemoteModels ?? false;
  env.allowLocalModels = true;
  if (opts.localModelPath) env.localModelPath = opts.localModelPath.endsWith('/') ? opts.localModelPath : `${opts.localModelPath}/`;
  const extractor = await pipeline('feature-extraction', opts.model, { dtype: opts.dtype ?? 'fp32' });
  const batchSize = opts.batchSize ?? 16;
  const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
  const dimensions = probe.dims[probe.dims.length - 1];
  return {
    id: `hf:${opts.model}`,
    dimensions,
    locales: opts.locales ?? ['en'],
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => `${opts.prefix ?? ''}${t}`);
        const tensor = await extractor(batch, { pooling: 'mean', normalize: true });
        out.push(...(tensor.tolist() as number[][]));
      }
      return out;
    },
  };
}
