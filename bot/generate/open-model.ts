/**
 * The text model bot.yaml's `generation:` names, checked before kefu serves anyone: an unreachable server,
 * a model or adapter the server does not serve, or a GGUF file that will not load stops the start with the
 * setting named.
 */
import type { TextModel } from './model.ts';
import { openAiModel } from './openai-model.ts';
import type { GenerationSettings } from './settings.ts';

/** Every adapter the settings name. */
export function adaptersOf(settings: GenerationSettings): string[] {
  return [...new Set([settings.adapter, ...Object.values(settings.adapters)].filter((a): a is string => !!a))];
}

export async function openModel(settings: GenerationSettings): Promise<TextModel> {
  const adapters = adaptersOf(settings);
  let model: TextModel;
  if (settings.provider === 'openai-compatible') {
    model = openAiModel({ baseURL: settings.baseURL!, model: settings.model!, apiKey: settings.apiKey, maxConcurrent: settings.maxConcurrent, retries: settings.retries, timeoutMs: settings.deadlineMs });
  } else {
    // loaded only when configured: node-llama-cpp's native part is large
    const { loadLlamaModel } = await import('./llama-model.ts');
    model = await loadLlamaModel({ modelPath: settings.modelPath!, adapterFiles: settings.adapterFiles, threads: settings.threads }).catch((err: Error) => {
      throw new Error(`bot.yaml generation.modelPath: the model ${settings.modelPath} could not be loaded: ${err.message}`);
    });
  }
  try {
    await model.health(adapters);
  } catch (err) {
    await model.close();
    throw new Error(`bot.yaml generation: ${(err as Error).message}`);
  }
  return model;
}
