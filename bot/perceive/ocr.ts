/**
 * OCR of customers' images, off the main thread: a pool of worker processes (`ocr-worker.ts`; processes, not
 * threads — see there), each holding one PP-OCRv4 model, started on the first image (most kefu processes never
 * see one). Every read has a time limit; a worker past it is killed (the only way to stop a model mid-run) and a
 * fresh one takes its place.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OcrLine, OcrRequest, OcrResponse } from './ocr-messages.ts';


export interface OcrReader {
  /** The lines of text in the image, top to bottom; rejects after the time limit or when the image cannot be read. */
  read(bytes: Uint8Array): Promise<OcrLine[]>;
  /** Ends the workers (they keep the process alive until then). */
  close(): Promise<void>;
}

export interface OcrOptions {
  /** Worker processes (default 1: OCR shares the machine with the turns). */
  workers?: number;
  /** The most time one image may take, queueing excluded (default 15 s). */
  timeoutMs?: number;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  resolve(lines: OcrLine[]): void;
  reject(err: Error): void;
}

interface Slot {
  worker: ChildProcess;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export class OcrTimeout extends Error {}

export function createOcrReader(opts: OcrOptions = {}): OcrReader {
  const size = Math.max(1, opts.workers ?? 1);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    // a JavaScript entry that loads the TypeScript worker through tsx (a dependency of kefu); 'advanced'
    // serialisation carries the image bytes as bytes
    const entry = fileURLToPath(new URL('./ocr-worker.mjs', import.meta.url));
    const slot: Slot = { worker: fork(entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }) };
    slot.worker.on('message', (m: OcrResponse) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      finish(slot);
      if ('lines' in m) job.resolve(m.lines);
      else job.reject(new Error(`the image could not be read: ${m.error}`));
    });
    slot.worker.on('error', (err) => replace(slot, err));
    slot.worker.on('exit', (code) => replace(slot, new Error(`the OCR worker exited with ${code}`)));
    slots.push(slot);
    return slot;
  }

  function finish(slot: Slot) {
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    pump();
  }

  /** A worker that failed or ran out of time: its job is rejected and a fresh worker will take its place. */
  function replace(slot: Slot, err: Error) {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.worker.removeAllListeners();
    slot.worker.kill('SIGKILL');
    job?.reject(err);
    pump();
  }

  function pump() {
    if (closed) return;
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.job) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => replace(slot, new OcrTimeout(`OCR took longer than ${timeoutMs} ms`)), timeoutMs);
      try {
        slot.worker.send({ id: job.id, bytes: job.bytes } satisfies OcrRequest);
      } catch (err) {
        replace(slot, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  return {
    read(bytes) {
      if (closed) return Promise.reject(new Error('the OCR reader is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, bytes, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the OCR reader is closed'));
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.worker.removeAllListeners();
          clearTimeout(slot.timer);
          slot.job?.reject(new Error('the OCR reader is closed'));
          const exited = new Promise((resolve) => slot.worker.once('exit', resolve));
          slot.worker.kill('SIGKILL');
          return slot.worker.exitCode === null && slot.worker.signalCode === null ? exited : undefined;
        }),
      );
    },
  };
}
