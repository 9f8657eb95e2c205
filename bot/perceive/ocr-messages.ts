/** What ocr.ts and its worker process say to each other. */

export interface OcrLine {
  text: string;
  /** The recogniser's mean character confidence, 0–1. */
  confidence: number;
}

export interface OcrRequest {
  id: number;
  bytes: Uint8Array;
}

export type OcrResponse = { id: number; lines: OcrLine[] } | { id: number; error: string };
