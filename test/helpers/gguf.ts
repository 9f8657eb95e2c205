/**
 * Writes GGUF files (version 3, the format llama.cpp reads) for tests: a tiny llama-architecture model with a
 * small SentencePiece-style vocabulary (control tokens, the 256 byte tokens, a few words) and seeded random
 * float32 weights, and LoRA adapters for it (`general.type: adapter`, `<tensor>.lora_a` / `.lora_b`). No model
 * can be downloaded here; these are enough for node-llama-cpp to load, evaluate and adapt.
 */
import { writeFileSync } from 'node:fs';

const enum T {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  STRING = 8,
  ARRAY = 9,
}
const GGML_F32 = 0;
const ALIGNMENT = 32;

type Value = { type: T.UINT32 | T.INT32 | T.FLOAT32; value: number } | { type: T.STRING; value: string } | { type: T.ARRAY; of: T.STRING | T.FLOAT32 | T.INT32; value: (string | number)[] };
export interface Tensor {
  name: string;
  /** ggml order: ne[0] is the fastest-varying (a row's length). */
  dims: number[];
  data: Float32Array;
}

const u32 = (value: number): Value => ({ type: T.UINT32, value });
const f32 = (value: number): Value => ({ type: T.FLOAT32, value });
const str = (value: string): Value => ({ type: T.STRING, value });

class Writer {
  private parts: Buffer[] = [];
  length = 0;
  push(b: Buffer) {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  string(s: string) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad() {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  value(v: Value) {
    if (v.type === T.STRING) return this.string(v.value);
    if (v.type !== T.ARRAY) return v.type === T.UINT32 ? this.u32(v.value) : v.type === T.INT32 ? this.i32(v.value) : this.f32(v.value);
    this.u32(v.of);
    this.u64(v.value.length);
    for (const x of v.value) {
      if (v.of === T.STRING) this.string(x as string);
      else if (v.of === T.FLOAT32) this.f32(x as number);
      else this.i32(x as number);
    }
  }
  bytes() {
    return Buffer.concat(this.parts);
  }
}

export function writeGguf(file: string, metadata: Record<string, Value>, tensors: Tensor[]) {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    w.string(key);
    w.u32(value.type);
    w.value(value);
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.data.length !== t.dims.reduce((a, b) => a * b, 1)) throw new Error(`${t.name}: ${t.data.length} values for dims ${t.dims}`);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    offset += Math.ceil((t.data.length * 4) / ALIGNMENT) * ALIGNMENT;
  }
  w.pad();
  for (const t of tensors) {
    w.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad();
  }
  writeFileSync(file, w.bytes());
}

/** A seeded generator of normally distributed numbers (mulberry32 + Box–Muller). */
export function gaussian(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

const filled = (n: number, rand: () => number, scale: number) => Float32Array.from({ length: n }, () => rand() * scale);
const ones = (n: number) => new Float32Array(n).fill(1);

export const TINY = { embd: 64, ff: 128, heads: 4, layers: 2, context: 2048 };
const WORDS = ['▁the', '▁order', '▁ok', '▁yes', '▁no', '▁return', '▁days', '▁[1]', '.', '▁is', '▁your', '▁we', '订单', '退货', '天'];

/** The vocabulary: <unk>, <s>, </s>, the 256 byte tokens, single ASCII letters and a few words. */
export function tinyVocabulary() {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  for (const ch of '▁abcdefghijklmnopqrstuvwxyz') {
    tokens.push(ch);
    types.push(1);
  }
  for (const word of WORDS) {
    tokens.push(word);
    types.push(1);
  }
  return { tokens, types, scores: tokens.map((t, i) => (types[i] === 1 ? -i / 100 : 0)) };
}

/** Writes the tiny base model; the same seed gives the same file. Returns its vocabulary size. */
export function writeTinyLlama(file: string, seed = 1): number {
  const { embd, ff, heads, layers, context } = TINY;
  const vocab = tinyVocabulary();
  const n = vocab.tokens.length;
  const rand = gaussian(seed);
  const tensors: Tensor[] = [
    { name: 'token_embd.weight', dims: [embd, n], data: filled(embd * n, rand, 1) },
    { name: 'output_norm.weight', dims: [embd], data: ones(embd) },
    { name: 'output.weight', dims: [embd, n], data: filled(embd * n, rand, 0.3) },
  ];
  for (let i = 0; i < layers; i++) {
    const s = 1 / Math.sqrt(embd);
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${i}.attn_q.weight`, dims: [embd, embd], data: filled(embd * embd, rand, s) },
      { name: `blk.${i}.attn_k.weight`, dims: [embd, embd], data: filled(embd * embd, rand, s) },
      { name: `blk.${i}.attn_v.weight`, dims: [embd, embd], data: filled(embd * embd, rand, s) },
      { name: `blk.${i}.attn_output.weight`, dims: [embd, embd], data: filled(embd * embd, rand, s) },
      { name: `blk.${i}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${i}.ffn_gate.weight`, dims: [embd, ff], data: filled(embd * ff, rand, s) },
      { name: `blk.${i}.ffn_up.weight`, dims: [embd, ff], data: filled(embd * ff, rand, s) },
      { name: `blk.${i}.ffn_down.weight`, dims: [ff, embd], data: filled(ff * embd, rand, 1 / Math.sqrt(ff)) },
    );
  }
  writeGguf(
    file,
    {
      'general.architecture': str('llama'),
      'general.type': str('model'),
      'general.name': str('kefu-tiny-llama'),
      'general.alignment': u32(ALIGNMENT),
      'llama.context_length': u32(context),
      'llama.embedding_length': u32(embd),
      'llama.block_count': u32(layers),
      'llama.feed_forward_length': u32(ff),
      'llama.attention.head_count': u32(heads),
      'llama.attention.head_count_kv': u32(heads),
      'llama.attention.layer_norm_rms_epsilon': f32(1e-5),
      'llama.rope.dimension_count': u32(embd / heads),
      'llama.rope.freq_base': f32(10000),
      'llama.vocab_size': u32(n),
      'tokenizer.ggml.model': str('llama'),
      'tokenizer.ggml.tokens': { type: T.ARRAY, of: T.STRING, value: vocab.tokens },
      'tokenizer.ggml.scores': { type: T.ARRAY, of: T.FLOAT32, value: vocab.scores },
      'tokenizer.ggml.token_type': { type: T.ARRAY, of: T.INT32, value: vocab.types },
      'tokenizer.ggml.unknown_token_id': u32(0),
      'tokenizer.ggml.bos_token_id': u32(1),
      'tokenizer.ggml.eos_token_id': u32(2),
    },
    tensors,
  );
  return n;
}

/** Writes a LoRA adapter of rank `rank` on the output projection (and the first layer's queries) of the tiny model. */
export function writeTinyLora(file: string, seed: number, rank = 4, alpha = 8) {
  const { embd } = TINY;
  const n = tinyVocabulary().tokens.length;
  const rand = gaussian(seed);
  writeGguf(
    file,
    {
      'general.architecture': str('llama'),
      'general.type': str('adapter'),
      'general.name': str(`kefu-tiny-lora-${seed}`),
      'general.alignment': u32(ALIGNMENT),
      'adapter.type': str('lora'),
      'adapter.lora.alpha': f32(alpha),
    },
    [
      // W' = W + (alpha / rank) · B·A, in ggml's shapes: lora_a [in, rank], lora_b [rank, out]
      { name: 'output.weight.lora_a', dims: [embd, rank], data: filled(embd * rank, rand, 0.5) },
      { name: 'output.weight.lora_b', dims: [rank, n], data: filled(rank * n, rand, 0.5) },
      { name: 'blk.0.attn_q.weight.lora_a', dims: [embd, rank], data: filled(embd * rank, rand, 0.2) },
      { name: 'blk.0.attn_q.weight.lora_b', dims: [rank, embd], data: filled(rank * embd, rand, 0.2) },
    ],
  );
}
