/**
 * A GGUF model in this process through node-llama-cpp (CPU build unless a GPU is found): the base model
 * plus LoRA adapters by name. Each adapter answers from a context of its own, made on first use and made
 * again when its file changes on disk (a retrained adapter copied over the old one); `setAdapter` points a
 * name at another file. Either way the next answer uses it, without a restart. One answer at a time per
 * context (a small model on a CPU gains nothing from more); requests wait their turn.
 */
import { createHash as hash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { getLlama, LlamaChatSession, type ChatHistoryItem, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { ModelError, type ChatMessage, type TextModel } from './model.ts';

export interface LlamaModelOptions {
  modelPath: string;
  /** Adapter name → LoRA GGUF file. */
  adapterFiles?: Record<string, string>;
  contextSize?: number;
  /**
   * CPU threads per context (default half the cores, at least 1). llama.cpp's threads spin while they wait,
   * so more threads than free cores makes it slower, not faster: on a busy 2-core machine one thread answers
   * a tiny model's prompt in milliseconds, two take seconds.
   */
  threads?: number;
}

export interface LlamaTextModel extends TextModel {
  /** Uses `filePath` for the adapter `name` from the next answer on (undefined: removes the adapter). */
  setAdapter(name: string, filePath: string | undefined): Promise<void>;
}

/** A callback-fed stream of text as an async iterable: the bridge from node-llama-cpp's onTextChunk. */
function pieces() {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(text: string) {
      queue.push(text);
      notify();
    },
    end(err?: unknown) {
      if (finished) return;
      finished = true;
      failure = err;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) yield queue.shift()!;
        else if (finished) {
          if (failure !== undefined) throw failure;
          return;
        } else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** The chat messages as node-llama-cpp's history, and the last user message to prompt with. */
function asHistory(messages: ChatMessage[]): { history: ChatHistoryItem[]; prompt: string } {
  const last = messages.at(-1);
  if (last?.role !== 'user') throw new ModelError('the prompt must end with a user message');
  const history = messages.slice(0, -1).map((m): ChatHistoryItem => (m.role === 'system' ? { type: 'system', text: m.content } : m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] }));
  return { history, prompt: last.content };
}

export async function loadLlamaModel(opts: LlamaModelOptions): Promise<LlamaTextModel> {
  const llama = await getLlama({ build: 'never', logLevel: 'error' as never });
  const model: LlamaModel = await llama.loadModel({ modelPath: opts.modelPath });
  const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / 2));
  const files = new Map(Object.entries(opts.adapterFiles ?? {}));
  const contexts = new Map<string, Promise<LlamaContext>>();
  const turns = new Map<string, Promise<unknown>>();

  /** When each adapter's context was made from its file: the file's modification time then. */
  const madeFrom = new Map<string, number>();
  const modified = (file: string) => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return -1;
    }
  };

  /**
   * node-llama-cpp keeps each adapter it loaded by its path until the model is closed, so a changed file is
   * loaded through a link of its own (named by the file's modification time) to be read afresh.
   */
  let links: string | undefined;
  function versioned(file: string, version: number): string {
    links ??= mkdtempSync(join(tmpdir(), 'kefu-lora-'));
    const link = join(links, `${hash('sha1').update(resolve(file)).digest('hex').slice(0, 12)}-${Math.round(version)}.gguf`);
    try {
      symlinkSync(resolve(file), link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return link;
  }

  function contextFor(adapter: string | undefined): Promise<LlamaContext> {
    const key = adapter ?? '';
    const file = adapter === undefined ? undefined : files.get(adapter);
    let context = contexts.get(key);
    if (context && file && madeFrom.get(key) !== modified(file)) {
      // the adapter file was replaced: answers from here on use the new one
      void context.then((c) => c.dispose(), () => undefined);
      context = undefined;
    }
    if (!context) {
      if (adapter !== undefined && !file) return Promise.reject(new ModelError(`no LoRA adapter named '${adapter}' (known: ${[...files.keys()].join(', ') || 'none'})`));
      const version = file ? modified(file) : 0;
      context = model.createContext({ contextSize: opts.contextSize ?? 4096, sequences: 1, threads, ...(file ? { lora: { adapters: [{ filePath: versioned(file, version) }] } } : {}) });
      context.catch(() => contexts.delete(key));
      contexts.set(key, context);
      if (file) madeFrom.set(key, version);
    }
    return context;
  }

  /** Runs `work` after the context's earlier answers (one at a time per adapter). */
  function inTurn<T>(adapter: string | undefined, work: () => Promise<T>): Promise<T> {
    const key = adapter ?? '';
    const run = (turns.get(key) ?? Promise.resolve()).then(work, work);
    turns.set(key, run.catch(() => undefined));
    return run;
  }

  return {
    provider: 'llama',
    model: basename(opts.modelPath),
    generate(req) {
      const out = pieces();
      const { history, prompt } = asHistory(req.messages);
      // a deadline that passes while the answer waits its turn ends it at once
      const onAbort = () => out.end(req.signal.reason);
      req.signal.addEventListener('abort', onAbort, { once: true });
      inTurn(req.adapter, async () => {
        if (req.signal.aborted) throw req.signal.reason;
        const context = await contextFor(req.adapter);
        const sequence = context.getSequence();
        const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
        try {
          session.setChatHistory(history);
          await session.prompt(prompt, {
            maxTokens: req.maxTokens ?? 400,
            temperature: req.temperature ?? 0,
            signal: req.signal,
            onTextChunk: (text) => out.push(text),
          });
        } finally {
          session.dispose();
          sequence.dispose();
        }
      }).finally(() => req.signal.removeEventListener('abort', onAbort)).then(
        () => out.end(),
        (err) => out.end(req.signal.aborted ? req.signal.reason : err instanceof ModelError ? err : new ModelError(`the local model failed: ${(err as Error).message}`)),
      );
      return out;
    },
    async health(adapters = []) {
      const unknown = adapters.filter((a) => !files.has(a));
      if (unknown.length) throw new ModelError(`no LoRA adapter file for ${unknown.map((a) => `'${a}'`).join(', ')}`);
      // every adapter loads: a file that is not a LoRA for this model is found now, not at a customer's question
      for (const a of [undefined, ...adapters]) await contextFor(a).catch((err: Error) => {
        throw new ModelError(`${a === undefined ? 'the model' : `adapter '${a}' (${files.get(a)})`} does not load: ${err.message}`);
      });
    },
    async setAdapter(name, filePath) {
      const old = contexts.get(name);
      contexts.delete(name);
      if (filePath) files.set(name, filePath);
      else files.delete(name);
      // answers already writing with the old context finish first
      await inTurn(name, async () => (await old?.catch(() => undefined))?.dispose());
    },
    async close() {
      for (const c of contexts.values()) await (await c.catch(() => undefined))?.dispose();
      await model.dispose();
      if (links) rmSync(links, { recursive: true, force: true });
    },
  };
}
