/**
 * A text model kefu writes answers with: an OpenAI-compatible server (openai-model.ts) or a GGUF file in
 * this process (llama-model.ts). One interface: the answer streams as an async iterable of text pieces, the
 * request carries its deadline as an AbortSignal (aborting stops the model and ends the iteration with the
 * signal's reason), and `adapter` names the LoRA adapter to answer with (none: the base model).
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelRequest {
  messages: ChatMessage[];
  /** The LoRA adapter's name (vLLM: the served model name of the adapter); undefined: the base model. */
  adapter?: string;
  maxTokens?: number;
  /** 0: greedy. */
  temperature?: number;
  signal: AbortSignal;
}

export interface TextModel {
  /** For the trace: 'openai-compatible' or 'llama'. */
  readonly provider: string;
  /** The base model's name (the server's model id or the GGUF file's name). */
  readonly model: string;
  generate(req: ModelRequest): AsyncIterable<string>;
  /** Resolves when the model and these adapters can answer; rejects with a reason a person can act on. */
  health(adapters?: string[]): Promise<void>;
  close(): Promise<void>;
}

/** The model could not answer: a server error, a refused request, a dropped connection, a bad adapter. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The whole answer of a streamed generation. */
export async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of stream) text += piece;
  return text;
}
