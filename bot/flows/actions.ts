/**
 * Actions: HTTP calls to the company's own systems with the flow's slot values. Each call has a time-out;
 * only idempotent methods (GET, PUT, DELETE) are tried again after a failure. Whatever happens, the call
 * resolves to an outcome (definition.ts ActionOutcome) — never an exception — so the flow can apologise.
 */
import type { ActionDefinition, ActionOutcome, ServiceDefinition } from './definition.ts';
import { fillBody, fillPath, type TemplateValues } from './templates.ts';

export interface ActionResult {
  outcome: ActionOutcome;
  /** The parsed JSON body (null when there was none or it was not JSON). */
  result: unknown;
  /** The HTTP status, or why there is none ('timeout', 'network'). */
  status: number | 'timeout' | 'network';
  tries: number;
  /** Wall time of the call, retries included (benchmarks take it out of the turn's time). */
  ms: number;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

export interface ActionCaller {
  /** `deadline` (performance.now() time): no try runs past it, however the action's time-out and retries add up. */
  call(action: ActionDefinition, values: TemplateValues, deadline?: number): Promise<ActionResult>;
}

/** `selfUrl`: kefu's own address, for services whose URL starts with `self` (known once the server listens). */
export function createActionCaller(services: Map<string, ServiceDefinition>, selfUrl: () => string): ActionCaller {
  return {
    async call(action, values, deadline = Infinity) {
      const started = performance.now();
      const service = services.get(action.service)!;
      const base = service.url.startsWith('self') ? selfUrl() + service.url.slice('self'.length) : service.url;
      const url = base + fillPath(action.path, values);
      const body = action.body ? JSON.stringify(fillBody(action.body, values)) : undefined;
      const headers = { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...service.headers };
      const tries = IDEMPOTENT.has(action.method) ? 1 + action.retries : 1;
      let last: Omit<ActionResult, 'tries' | 'ms'> = { outcome: 'failed', result: null, status: 'network' };
      for (let i = 1; i <= tries; i++) {
        const timeoutMs = Math.min(action.timeoutMs, deadline - performance.now());
        if (timeoutMs < 1) return { ...last, tries: i - 1, ms: performance.now() - started };
        last = await once(url, action.method, timeoutMs, headers, body);
        if (last.outcome !== 'failed') return { ...last, tries: i, ms: performance.now() - started };
      }
      return { ...last, tries, ms: performance.now() - started };
    },
  };
}

async function once(url: string, method: string, timeoutMs: number, headers: Record<string, string>, body: string | undefined): Promise<Omit<ActionResult, 'tries' | 'ms'>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { method, headers, body, signal: abort.signal });
    const text = await res.text();
    let result: unknown = null;
    try {
      result = text ? JSON.parse(text) : null;
    } catch {
      result = null;
    }
    const outcome: ActionOutcome = res.ok ? 'ok' : res.status === 404 ? 'not_found' : res.status >= 400 && res.status < 500 ? 'rejected' : 'failed';
    return { outcome, result, status: res.status };
  } catch {
    return { outcome: 'failed', result: null, status: abort.signal.aborted ? 'timeout' : 'network' };
  } finally {
    clearTimeout(timer);
  }
}
