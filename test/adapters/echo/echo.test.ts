/**
 * A channel is one folder and one line: the echo channel (test/adapters/echo/channel.ts) is added to kefu's
 * channel list below and carries the same conversation as the web channel, with the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import type { StoredMessage } from '../../../bot/turn/types.ts';
import { CONVERSATION_SCRIPT, type ScriptLine } from '../../helpers/conversation-script.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';
import { echoChannel, signEcho, type EchoEvent } from './channel.ts';

const SIGNING_SECRET = 'echo-signing-secret';
const echo = echoChannel(SIGNING_SECRET);
let kefu: Kefu;
beforeAll(async () => {
  kefu = await startKefu({ botDir: 'examples/demo-shop', port: 0, channels: [...channels(), echo.channel] });
});
afterAll(() => kefu?.close());

const postEvent = (event: EchoEvent, secret = SIGNING_SECRET) => {
  const body = JSON.stringify(event);
  return fetch(`${kefu.url}/echo/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-echo-signature': signEcho(secret, body) }, body });
};

function expectLine(line: ScriptLine, answer: { text: string; sources: { url?: string }[]; quickReplies: { label: string }[] }) {
  expect(answer.text).toMatch(line.answer);
  if (line.source) expect(answer.sources[0]?.url).toMatch(line.source);
  else {
    expect(answer.sources).toEqual([]);
    expect(answer.quickReplies[0]?.label).toMatch(/person|人工/);
  }
}

describe('the same conversation on two channels', () => {
  it('the web channel answers each line of the script', async () => {
    const s = await newSession(kefu.url, 'en');
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      const body = await (await postMessage(kefu.url, s, { text: line.text, clientMessageId: `s${i}` })).json();
      expectLine(line, body.reply);
    }
  });

  it('the echo channel starts the thread\'s conversation once, and its answers reach the thread through send()', async () => {
    const thread = `T-${Date.now()}`;
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      expect((await postEvent({ id: `${thread}-${i}`, thread, user: 'U42', text: line.text })).status).toBe(202);
      await expect.poll(() => echo.remote.get(thread)?.length ?? 0, { timeout: 10_000 }).toBe(i + 1);
      expectLine(line, echo.remote.get(thread)!.at(-1)!);
    }
    const messages = echo.remote.get(thread)!;
    const conversations = new Set(messages.map((m: StoredMessage) => m.conversationId));
    expect(conversations.size).toBe(1);
    const history = await kefu.chat.history([...conversations][0]!);
    expect(history.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(CONVERSATION_SCRIPT.map((l) => l.text));
  });

  it('the echo channel\'s own hooks guard only its routes: an unsigned event is refused, the web API is untouched', async () => {
    expect((await postEvent({ id: 'x', thread: 'x', user: 'U1', text: 'hi' }, 'wrong-secret')).status).toBe(401);
    expect((await fetch(`${kefu.url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(201);
    expect((await fetch(`${kefu.url}/echo/events`, { method: 'OPTIONS' })).headers.get('access-control-allow-origin')).toBeNull();
  });
});
