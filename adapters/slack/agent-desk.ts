import type { App } from '@slack/bolt';
import type { AgentDesk, DeskAnswer, DeskUpdates } from '../../bot/turn/desk.ts';
import { CLAIM_ACTION, CLOSE_ACTION, CLOSE_WORDS, deskPost, mirroredText, refusalText, unescape } from './desk-format.ts';

/** How often the desk looks for what to show even when no change was signalled (a lost signal, a failed post). */
const LOOK_EVERY_MS = 15_000;

/** A post is a message in the agents' channel: `channel/ts`. */
const postIdOf = (channel: string, ts: string) => `${channel}/${ts}`;
const placeOf = (postId: string) => {
  const [channel, ts] = postId.split('/');
  return { channel: channel!, ts: ts! };
};

/**
 * Agents in Slack: a team works handoffs from one Slack channel instead of the console. Each handoff (from
 * any customer channel) is posted there with a Claim button; the agent who claims it answers in the post's
 * thread, and their replies reach the customer on the customer's own channel; what the customer writes
 * next is mirrored into the thread; the Close button, or `close` / `结束` in the thread, ends it. The rules
 * (one claimer, teams, what the customer hears) are the bot's (`AgentDesk`); this file only speaks Slack.
 * Returns the function that stops showing updates.
 */
export function serveSlackDesk(app: App, desk: AgentDesk, agentChannel: string, onError: (err: unknown) => void): () => Promise<void> {
  async function nameOf(user: string, fallback?: string): Promise<string> {
    const info = await app.client.users.info({ user }).catch(() => undefined);
    const u = info?.user as { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined;
    return u?.profile?.display_name || u?.profile?.real_name || u?.real_name || fallback || u?.name || user;
  }

  async function show(answer: DeskAnswer, user: string) {
    if (!answer.ok) await app.client.chat.postEphemeral({ channel: agentChannel, user, text: refusalText(answer.why) });
    const h = answer.handoff;
    if (h?.postId) await app.client.chat.update({ ...placeOf(h.postId), ...deskPost(h) });
  }

  const pressed = (act: (handoffId: number, agent: { id: string; name: string }) => Promise<DeskAnswer>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: unknown; action: unknown }) => {
      await ack();
      const press = body as { user: { id: string; name?: string; username?: string } };
      const handoffId = Number((action as { value?: string }).value);
      if (!Number.isInteger(handoffId)) return;
      const agent = { id: press.user.id, name: await nameOf(press.user.id, press.user.name ?? press.user.username) };
      await show(await act(handoffId, agent), press.user.id);
    };
  app.action(CLAIM_ACTION, pressed((id, agent) => desk.claim(id, agent)));
  app.action(CLOSE_ACTION, pressed((id, agent) => desk.close(id, agent)));

  // an agent writing in a handoff's thread: words for the customer, or the end
  app.event('message', async ({ event, context }) => {
    const e = event as { channel: string; thread_ts?: string; ts: string; user?: string; bot_id?: string; subtype?: string; text?: string };
    if (e.channel !== agentChannel || !e.thread_ts || e.thread_ts === e.ts || !e.user || e.bot_id || e.subtype) return;
    // the receiver answers Slack within its 3 s, so a redelivery means the answer was lost, not the message
    if (context.retryNum) return;
    const handoff = await desk.byPost(postIdOf(e.channel, e.thread_ts));
    if (!handoff) return;
    const text = unescape(e.text ?? '').trim();
    const agent = { id: e.user, name: e.user }; // an agent acting here has claimed already: their account has their name
    const answer = CLOSE_WORDS.includes(text.toLowerCase()) ? await desk.close(handoff.handoffId, agent) : await desk.reply(handoff.handoffId, agent, text);
    if (!answer.ok || answer.handoff.status === 'resolved') await show(answer, e.user);
  });

  async function showUpdates(u: DeskUpdates) {
    for (const h of u.toPost) {
      const post = await app.client.chat.postMessage({ channel: agentChannel, ...deskPost(h) });
      await desk.posted(h.handoffId, postIdOf(agentChannel, post.ts!));
    }
    for (const h of u.changed) if (h.postId) await app.client.chat.update({ ...placeOf(h.postId), ...deskPost(h) });
    for (const m of u.customerSaid) {
      const { channel, ts } = placeOf(m.postId);
      await app.client.chat.postMessage({ channel, thread_ts: ts, text: mirroredText(m) });
    }
  }

  // one look at a time in this process; a change signalled during a look brings one more
  let looking: Promise<void> | undefined;
  let again = false;
  const look = () => {
    if (looking) {
      again = true;
      return;
    }
    looking = (async () => {
      do {
        again = false;
        await showUpdates(await desk.updates()).catch(onError);
      } while (again);
    })().finally(() => (looking = undefined));
  };
  const stopWatching = desk.watch(look);
  const timer = setInterval(look, LOOK_EVERY_MS);
  timer.unref();
  look();
  return async () => {
    stopWatching();
    clearInterval(timer);
    // a look waiting on Slack (its client retries for minutes) does not hold kefu's closing for long
    await Promise.race([looking, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  };
}
