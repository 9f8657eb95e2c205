import { createHmac } from 'node:crypto';

/**
 * A request to kefu's Slack route signed the way Slack signs it: `v0=HMAC_SHA256(secret, "v0:" + ts + ":" + body)`,
 * optionally with another secret, an old timestamp, or marked as Slack's retry.
 */
export function signedSlackRequest(url: string, secret: string, body: string, contentType: string, opts: { secret?: string; at?: number; retry?: number } = {}) {
  const timestamp = String(opts.at ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', opts.secret ?? secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const headers: Record<string, string> = { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
  if (opts.retry) Object.assign(headers, { 'x-slack-retry-num': String(opts.retry), 'x-slack-retry-reason': 'http_timeout' });
  return fetch(url, { method: 'POST', headers, body });
}

/** An Events API envelope around one event. */
export const eventBody = (event: Record<string, unknown>) =>
  JSON.stringify({ type: 'event_callback', team_id: 'T0DEMO', api_app_id: 'A0KEFU', event_id: `Ev${String(event.ts)}`, event_time: 1, event });

/** An interactivity request: the form Slack posts when someone presses a button. */
export const interaction = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
