/**
 * An OpenAI-compatible chat-completions server (vLLM, Ollama, llama.cpp's server, hosted APIs) as a text
 * model, through the `openai` client. vLLM serves each LoRA adapter under its own model name, so a request
 * for an adapter asks for that name. Streams server-sent events; a refused or failed request (429, 5xx, a
 * dropped connection before the first token) is tried again after a back-off (the server's Retry-After
 * when it gives one) while the request's deadline allows; a Bottleneck limiter caps the requests in flight.
 */
import Bottleneck from 'bottleneck';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ModelError, sleep, type ModelRequest, type TextModel } from './model.ts';

export interface OpenAiModelOptions {
  baseURL: string;
  /** The base model's name on the server. */
  model: string;
  apiKey?: string;
  /** Requests in flight at once (default 4); more wait their turn. */
  maxConcurrent?: number;
  /** Tries after the first (default 2). */
  retries?: number;
  /** The first back-off, doubled each time (default 250 ms). */
  backoffMs?: number;
  /** One request's time-out, however long the deadline (default 30 s). */
  timeoutMs?: number;
}

/** Reads the server's Retry-After (seconds or an HTTP date) or retry-after-ms header. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function asModelError(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (err instanceof ModelError) return err;
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionError) return new ModelError(`the model server could not be reached: ${err.message}`, true);
  if (err instanceof APIError) {
    const retryable = err.status === 429 || err.status === 408 || (err.status ?? 0) >= 500;
    return new ModelError(`the model server answered ${err.status}: ${err.message}`, retryable, retryAfterMs(err.headers));
  }
  if (err instanceof Error) return new ModelError(`the model's answer broke off: ${err.message}`, true);
  return err;
}

export function openAiModel(opts: OpenAiModelOptions): TextModel {
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey ?? 'none', maxRetries: 0, timeout: opts.timeoutMs ?? 30_000 });
  const limiter = new Bottleneck({ maxConcurrent: opts.maxConcurrent ?? 4 });
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 250;

  /**
   * Holds one of the limiter's places until the returned function is called. A request whose deadline
   * passes while it waits stops waiting (its place, when it comes, is given back at once).
   */
  function place(signal: AbortSignal): Promise<() => void> {
    return new Promise((granted, refused) => {
      const onAbort = () => refused(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void limiter.schedule(
        () =>
          new Promise<void>((done) => {
            signal.removeEventListener('abort', onAbort);
            if (signal.aborted) done();
            else granted(done);
          }),
      );
    });
  }

  async function* once(req: ModelRequest): AsyncGenerator<string> {
    const stream = await client.chat.completions.create(
      {
        model: req.adapter ?? opts.model,
        messages: req.messages,
        stream: true,
        ...(req.maxTokens ? { max_tokens: req.maxTokens } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      },
      { signal: req.signal },
    );
    let finished = false;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta?.content) yield choice.delta.content;
      if (choice?.finish_reason) finished = true;
    }
    // a stream cut off without a finish reason is a dropped connection, not a short answer
    if (!finished) throw new ModelError('the connection dropped before the answer finished', true);
  }

  return {
    provider: 'openai-compatible',
    model: opts.model,
    async *generate(req) {
      const release = await place(req.signal);
      try {
        for (let attempt = 0; ; attempt++) {
          let yielded = false;
          try {
            for await (const piece of once(req)) {
              yielded = true;
              yield piece;
            }
            return;
          } catch (err) {
            const e = asModelError(err, req.signal);
            // text already given out cannot be taken back: only a request that gave nothing is tried again
            if (!(e instanceof ModelError) || !e.retryable || yielded || attempt >= retries) throw e;
            await sleep(e.retryAfterMs ?? backoffMs * 2 ** attempt, req.signal);
          }
        }
      } finally {
        release();
      }
    },
    async health(adapters = []) {
      try {
        const models = await client.models.list({ timeout: 5000 });
        const names = models.data.map((m) => m.id);
        const missing = [opts.model, ...adapters].filter((name) => !names.includes(name));
        if (missing.length) throw new ModelError(`the model server at ${opts.baseURL} does not serve ${missing.map((m) => `'${m}'`).join(', ')} (it serves: ${names.join(', ') || 'nothing'})`);
      } catch (err) {
        if (err instanceof ModelError) throw err;
        throw new ModelError(`the model server at ${opts.baseURL} is unreachable: ${(err as Error).message}`);
      }
    },
    async close() {
      await limiter.stop({ dropWaitingJobs: false });
    },
  };
}
