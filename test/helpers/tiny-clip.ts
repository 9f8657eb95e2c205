/**
 * Writes a tiny CLIP model folder for tests, in the layout `@huggingface/transformers` loads: config.json,
 * preprocessor_config.json, tokenizer.json, tokenizer_config.json, onnx/text_model.onnx and
 * onnx/vision_model.onnx. Its weights are chosen so the outcome is known:
 *   image_embeds  the image's mean colour (r, g, b), pixels scaled to 0…1 on an 8 × 8 copy
 *   text_embeds   the sum of its words' colours (the `words` option); any other word adds a faint grey
 * So "a photo of a red parcel" (red → [1, 0, 0]) is the closest text to a red picture.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnxModel } from '../../training/onnx-model.ts';

const FLOAT = 1; // ONNX's element type, for Cast

export type Rgb = [number, number, number];

const UNKNOWN_WORD: Rgb = [0.05, 0.05, 0.05];

export function writeTinyClip(dir: string, words: Record<string, Rgb>): string {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const vocab: Record<string, number> = { '[UNK]': 0, '[PAD]': 1 };
  for (const w of Object.keys(words)) vocab[w.toLowerCase()] = Object.keys(vocab).length;
  const rows: number[] = [...UNKNOWN_WORD, 0, 0, 0, ...Object.values(words).flat()];

  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'clip', architectures: ['CLIPModel'], projection_dim: 3, text_config: { hidden_size: 3 }, vision_config: { image_size: 8, patch_size: 8 } }));
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify({ image_processor_type: 'CLIPImageProcessor', do_resize: true, size: { shortest_edge: 8 }, do_center_crop: true, crop_size: { height: 8, width: 8 }, do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: [0, 0, 0], image_std: [1, 1, 1], do_convert_rgb: true, resample: 2 }),
  );
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [
        { id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
        { id: 1, content: '[PAD]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      ],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    }),
  );
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'CLIPTokenizer', model_max_length: 16, pad_token: '[PAD]', unk_token: '[UNK]' }));

  // text: Gather the words' rows, zero the padding (× attention mask), sum over the sequence
  writeFileSync(
    join(dir, 'onnx', 'text_model.onnx'),
    onnxModel({
      name: 'tiny-clip-text',
      initializers: [
        { name: 'words', dims: [rows.length / 3, 3], data: Float32Array.from(rows) },
        { name: 'last', dims: [1], data: { int64: [2] } },
        { name: 'sequence', dims: [1], data: { int64: [1] } },
      ],
      inputs: [
        { name: 'input_ids', type: 'int64', dims: ['batch', 'sequence'] },
        { name: 'attention_mask', type: 'int64', dims: ['batch', 'sequence'] },
      ],
      outputs: [{ name: 'text_embeds', type: 'float32', dims: ['batch', 3] }],
      nodes: [
        { op: 'Gather', inputs: ['words', 'input_ids'], outputs: ['rows'], attributes: { axis: 0 } },
        { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask'], attributes: { to: FLOAT } },
        { op: 'Unsqueeze', inputs: ['mask', 'last'], outputs: ['mask3'] },
        { op: 'Mul', inputs: ['rows', 'mask3'], outputs: ['kept'] },
        { op: 'ReduceSum', inputs: ['kept', 'sequence'], outputs: ['text_embeds'], attributes: { keepdims: 0 } },
      ],
    }),
  );
  // vision: the mean of each colour channel
  writeFileSync(
    join(dir, 'onnx', 'vision_model.onnx'),
    onnxModel({
      name: 'tiny-clip-vision',
      initializers: [],
      inputs: [{ name: 'pixel_values', type: 'float32', dims: ['batch', 3, 8, 8] }],
      outputs: [{ name: 'image_embeds', type: 'float32', dims: ['batch', 3] }],
      nodes: [{ op: 'ReduceMean', inputs: ['pixel_values'], outputs: ['image_embeds'], attributes: { axes: [2, 3], keepdims: 0 } }],
    }),
  );
  return dir;
}
