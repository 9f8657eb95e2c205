import { startKefu, type Kefu, type KefuOptions } from '../../bot/app.ts';
import { channels } from '../../adapters/index.ts';

/** A kefu with the demo shop on an in-memory embedded database, on a free port. */
export function startDemo(opts: Pick<KefuOptions, 'flood' | 'onTurn' | 'vision' | 'dataDir'> = {}): Promise<Kefu> {
  return startKefu({ channels: channels(), botDir: 'examples/demo-shop', port: 0, host: '127.0.0.1', ...opts });
}

export interface Session {
  conversationId: string;
  token: string;
}

export async function newSession(url: string, locale?: 'zh' | 'en'): Promise<Session> {
  const res = await fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(locale ? { locale } : {}) });
  if (res.status !== 201) throw new Error(`POST /api/conversations → ${res.status}`);
  return (await res.json()) as Session;
}

export function postMessage(url: string, s: Session, body: unknown, token = s.token) {
  return fetch(`${url}/api/conversations/${s.conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
