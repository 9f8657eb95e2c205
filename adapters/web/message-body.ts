import { findUnstorable, processedLength } from '../../bot/turn/text-hygiene.ts';
import { WebError } from './errors.ts';

/** A quick-reply payload: 1–200 characters, none of them a control character. */
const PAYLOAD = /^[^\p{Cc}]{1,200}$/u;

/** Checks a customer's message body (HTTP body or WebSocket frame) and says exactly what is wrong with it. */
export function parseMessageBody(body: unknown, maxTextLength: number): { text: string; clientMessageId: string; payload?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WebError(400, 'bad_request', 'the body must be a JSON object: {"text": "...", "clientMessageId": "..."}');
  }
  const { text, clientMessageId, payload } = body as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') throw new WebError(400, 'empty_text', '"text" must be a non-empty string');
  if (text.length > maxTextLength) {
    throw new WebError(413, 'message_too_long', `"text" has ${text.length} characters; the limit is ${maxTextLength}`);
  }
  const bad = findUnstorable(text);
  if (bad) throw new WebError(400, 'bad_text', `"text" contains ${bad.codePoint} at position ${bad.index}, which cannot be stored; remove it`);
  const processed = processedLength(text);
  if (processed > maxTextLength) {
    throw new WebError(413, 'message_too_long', `"text" becomes ${processed} characters once normalised (NFKC); the limit is ${maxTextLength}`);
  }
  if (typeof clientMessageId !== 'string' || !/^[\w.:-]{1,100}$/.test(clientMessageId)) {
    throw new WebError(400, 'bad_client_message_id', '"clientMessageId" must be 1–100 letters, digits, or . _ : -');
  }
  if (payload === undefined) return { text, clientMessageId };
  if (typeof payload !== 'string' || !PAYLOAD.test(payload)) {
    throw new WebError(400, 'bad_payload', '"payload", when given, must be a string of 1–200 characters without control characters');
  }
  return { text, clientMessageId, payload };
}
