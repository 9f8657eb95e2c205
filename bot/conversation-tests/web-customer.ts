/** The customer's side on the web channel: its HTTP API, as the chat widget calls it. */
import { randomUUID } from 'node:crypto';
import type { QuickReply, Turn } from '../turn/types.ts';
import type { CustomerConversation, CustomerSide, SeenButton, SeenTurn } from './customer-side.ts';

export interface WebTarget {
  /** kefu's address (the web channel serves /api). */
  url: string;
  /** The last finished turn of a conversation (KefuOptions.onTurn records them). */
  lastTurn(conversationId: string): Turn | undefined;
}

interface WebMessage {
  text: string;
  quickReplies: QuickReply[];
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A web button keeps its payload, which the widget sends with the label. */
type WebButton = SeenButton & { payload: string };

export function webCustomer(target: WebTarget): CustomerSide {
  return {
    channel: 'web',
    lastTurn: target.lastTurn,
    async open(locale): Promise<CustomerConversation> {
      const opened = await post(target.url, '/api/conversations', { locale });
      if (opened.status !== 201) throw new Error(`the web channel refused a new conversation (HTTP ${opened.status})`);
      const { conversationId, token } = opened.json as { conversationId: string; token: string };
      const send = async (body: Record<string, unknown>): Promise<SeenTurn> => {
        const sent = await post(target.url, `/api/conversations/${conversationId}/messages`, { ...body, clientMessageId: randomUUID() }, token);
        if (sent.status !== 200) throw new Error(`the web channel answered HTTP ${sent.status}: ${JSON.stringify(sent.json)}`);
        const replies = ((sent.json.replies as WebMessage[]) ?? []).map((m) => ({ text: m.text, buttons: m.quickReplies.map((q): WebButton => ({ label: q.label, payload: q.payload })) }));
        return { conversationId, replies };
      };
      return {
        say: (text) => send({ text }),
        press: (button) => send({ text: button.label, payload: (button as WebButton).payload }),
      };
    },
  };
}
