/**
 * The answer model's state for `/healthz`: whether it and its adapters can answer now, checked at most once
 * per `everyMs` however often the health check is asked (a load balancer may ask every second). kefu answers
 * either way: while the model is down the grounded composer does.
 */
import type { TextModel } from './model.ts';

export function modelHealth(model: TextModel, adapters: string[], everyMs = 10_000): () => Promise<Record<string, unknown>> {
  let last: { at: number; state: Promise<Record<string, unknown>> } | undefined;
  const check = async () => {
    try {
      await model.health(adapters);
      return { provider: model.provider, model: model.model, ok: true };
    } catch (err) {
      return { provider: model.provider, model: model.model, ok: false, error: (err as Error).message };
    }
  };
  return async () => {
    if (!last || Date.now() - last.at >= everyMs) last = { at: Date.now(), state: check() };
    return { generation: await last.state };
  };
}
