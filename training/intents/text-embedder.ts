/** A text embedder the intent classifier reads dense features from (embedders.ts lists them by name). */
export interface TextEmbedder {
  name: string;
  dim: number;
  /** The text's vector (L2-normalised), or null when it has none (e.g. no known word, or not prepared). */
  embed(text: string): Float32Array | null;
  /** Computes the vectors of these texts, for `embed` to return (asynchronous encoders only). */
  prepare?(texts: string[]): Promise<void>;
}
