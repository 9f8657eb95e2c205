/**
 * The `generation:` section of bot.yaml: which model writes answers, if any. Each mistake is reported
 * naming the setting, at start-up; secrets (API keys) come from the environment, named by `apiKeyEnv`.
 *
 *   generation:
 *     provider: openai-compatible      # or llama (a GGUF file in this process); none / left out: grounded answers only
 *     baseURL: http://127.0.0.1:8000/v1
 *     model: qwen2.5-7b-instruct        # openai-compatible: the server's model name
 *     modelPath: models/base.gguf        # llama: the base model, relative to the bot folder
 *     adapter: shop-support              # the bot's LoRA adapter (vLLM: its served name); none: the base model
 *     adapters: { returns: shop-returns }  # per intent family (the prompt template's id)
 *     adapterFiles: { shop-support: models/shop-support.gguf }  # llama: each adapter's GGUF file
 *     threads: 4                         # llama: CPU threads (default half the cores)
 *     deadlineMs: 6000                   # after this the grounded composer answers instead
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface GenerationSettings {
  provider: 'openai-compatible' | 'llama';
  baseURL?: string;
  model?: string;
  apiKey?: string;
  modelPath?: string;
  adapter?: string;
  adapters: Record<string, string>;
  adapterFiles: Record<string, string>;
  deadlineMs: number;
  maxTokens: number;
  maxConcurrent: number;
  retries: number;
  /** Ask the model, by a majority of this many samples, whether the passages answer the question first (0: don't). */
  supportSamples: number;
  /** llama: CPU threads per context (undefined: half the cores). */
  threads?: number;
}

export class GenerationSettingsError extends Error {
  constructor(setting: string, problem: string) {
    super(`bot.yaml generation.${setting}: ${problem}`);
  }
}

const KNOWN = new Set(['provider', 'baseURL', 'model', 'apiKeyEnv', 'modelPath', 'adapter', 'adapters', 'adapterFiles', 'deadlineMs', 'maxTokens', 'maxConcurrent', 'retries', 'supportSamples', 'threads']);

function text(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !v.trim()) throw new GenerationSettingsError(key, 'must be a non-empty text');
  return v.trim();
}

function count(raw: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new GenerationSettingsError(key, `must be a whole number from ${min} to ${max}`);
  return v;
}

function names(raw: Record<string, unknown>, key: string): Record<string, string> {
  const v = raw[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string' || !x)) throw new GenerationSettingsError(key, 'must map names to texts, e.g. { returns: shop-returns }');
  return v as Record<string, string>;
}

/** The settings, or null when no model is configured; `env` gives the API key named by apiKeyEnv. */
export function parseGenerationSettings(value: unknown, botDir: string, env: NodeJS.ProcessEnv = process.env): GenerationSettings | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new GenerationSettingsError('', 'must be a mapping');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw new GenerationSettingsError(key, `unknown setting (known: ${[...KNOWN].join(', ')})`);
  const provider = text(raw, 'provider') ?? 'none';
  if (provider === 'none') return null;
  if (provider !== 'openai-compatible' && provider !== 'llama') throw new GenerationSettingsError('provider', `'${provider}' is not one of openai-compatible, llama, none`);

  const settings: GenerationSettings = {
    provider,
    adapter: text(raw, 'adapter'),
    adapters: names(raw, 'adapters'),
    adapterFiles: {},
    deadlineMs: count(raw, 'deadlineMs', 6000, 100, 120_000),
    maxTokens: count(raw, 'maxTokens', 400, 1, 8192),
    maxConcurrent: count(raw, 'maxConcurrent', 4, 1, 1000),
    retries: count(raw, 'retries', 2, 0, 10),
    supportSamples: count(raw, 'supportSamples', 0, 0, 15),
  };
  const resolvePath = (p: string) => (isAbsolute(p) ? p : join(botDir, p));
  if (provider === 'openai-compatible') {
    settings.baseURL = text(raw, 'baseURL');
    if (!settings.baseURL) throw new GenerationSettingsError('baseURL', 'is needed for provider openai-compatible (e.g. http://127.0.0.1:8000/v1)');
    try {
      if (!/^https?:$/.test(new URL(settings.baseURL).protocol)) throw new Error();
    } catch {
      throw new GenerationSettingsError('baseURL', `'${settings.baseURL}' is not an http(s) URL`);
    }
    settings.model = text(raw, 'model');
    if (!settings.model) throw new GenerationSettingsError('model', 'is needed for provider openai-compatible (the server\'s model name)');
    const keyEnv = text(raw, 'apiKeyEnv');
    if (keyEnv) {
      settings.apiKey = env[keyEnv];
      if (!settings.apiKey) throw new GenerationSettingsError('apiKeyEnv', `the environment variable ${keyEnv} is not set`);
    }
  } else {
    const modelPath = text(raw, 'modelPath');
    if (!modelPath) throw new GenerationSettingsError('modelPath', 'is needed for provider llama (a GGUF file)');
    settings.modelPath = resolvePath(modelPath);
    if (!existsSync(settings.modelPath)) throw new GenerationSettingsError('modelPath', `no model file at ${settings.modelPath}`);
    settings.model = modelPath;
    if (raw.threads !== undefined) settings.threads = count(raw, 'threads', 1, 1, 256);
    for (const [name, file] of Object.entries(names(raw, 'adapterFiles'))) {
      const path = resolvePath(file);
      if (!existsSync(path)) throw new GenerationSettingsError(`adapterFiles.${name}`, `no adapter file at ${path}`);
      settings.adapterFiles[name] = path;
    }
    for (const [setting, name] of [['adapter', settings.adapter], ...Object.entries(settings.adapters).map(([family, n]) => [`adapters.${family}`, n])] as [string, string | undefined][]) {
      if (name && !settings.adapterFiles[name]) throw new GenerationSettingsError(setting, `adapter '${name}' is not in adapterFiles`);
    }
  }
  return settings;
}

/** The adapter for an intent family: the family's own, else the bot's, else none (the base model). */
export function adapterFor(settings: GenerationSettings, family: string): string | undefined {
  return settings.adapters[family] ?? settings.adapter;
}
