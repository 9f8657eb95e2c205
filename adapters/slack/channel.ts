import { App, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { ChatRefusal, type Channel, type ChannelContext } from '../../bot/turn/channel.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import type { ImageAttachment } from '../../bot/turn/types.ts';
import { downloadImage } from '../common/download.ts';
import { serveSlackDesk } from './agent-desk.ts';
import { QUICK_REPLY_ACTION, slackMessage } from './format.ts';
import { FastifyReceiver } from './receiver.ts';
import type { SlackSettings } from './settings.ts';

export const CHANNEL = 'slack';

/**
 * Where a conversation lives in Slack: a direct-message channel (the whole DM is one conversation) or a
 * thread in a channel where the bot was mentioned.
 */
export type SlackRef = { channel: string; thread?: string };

/** What kefu reads of a customer's Slack message. */
interface CustomerMessage {
  ref: SlackRef;
  user: string;
  text: string;
  /** Unique per Slack message (or button press): a redelivery is a duplicate. */
  id: string;
  payload?: string;
  files?: { mimetype?: string; url_private_download?: string; name?: string }[];
}

/**
 * The Slack channel, through Bolt (`@slack/bolt`) on kefu's own server at /slack/events (set it as the
 * app's Request URL for events and for interactivity), or over Socket Mode when an app-level token is set
 * (Bolt's SocketModeReceiver: kefu opens a WebSocket to Slack, no public URL needed). kefu answers direct messages in the DM and
 * mentions in the message's thread; quick replies are buttons whose press sends their payload. With an
 * agent channel configured, a team works handoffs from that channel (agent-desk.ts).
 */
/** Slack's requests reach kefu at its own route (signed), or over the socket kefu opens to Slack (Socket Mode). */
function receiverFor(settings: SlackSettings, clientOptions: { slackApiUrl: string } | undefined): Receiver {
  if (settings.appToken) return new SocketModeReceiver({ appToken: settings.appToken, logLevel: LogLevel.WARN, installerOptions: { clientOptions } });
  if (!settings.signingSecret) throw new Error('the Slack channel needs its signing secret (KEFU_SLACK_SIGNING_SECRET), or an app-level token (KEFU_SLACK_APP_TOKEN) for Socket Mode');
  return new FastifyReceiver(settings.signingSecret);
}

export function slackChannel(settings: SlackSettings): Channel<SlackRef> {
  const clientOptions = settings.apiUrl ? { slackApiUrl: settings.apiUrl } : undefined;
  const receiver = receiverFor(settings, clientOptions);
  const app = new App({
    token: settings.botToken,
    receiver,
    deferInitialization: true,
    logLevel: LogLevel.WARN,
    clientOptions,
  });
  const maxImageBytes = settings.maxImageBytes ?? 5 * 1024 * 1024;

  /** The images a customer shared; one that cannot be fetched (or is too large) is kept by its address, so nothing is lost. */
  async function images(files: CustomerMessage['files'] = []): Promise<ImageAttachment[]> {
    const shared: ImageAttachment[] = [];
    for (const f of files.filter((f) => f.mimetype?.startsWith('image/') && f.url_private_download)) {
      const url = f.url_private_download!;
      // a shared file is private: Slack serves it only with the bot token
      const bytes = await downloadImage(url, { maxBytes: maxImageBytes, timeoutMs: 10_000, headers: { authorization: `Bearer ${settings.botToken}` } }).catch(() => undefined);
      shared.push(bytes ? { mime: f.mimetype!, bytes, name: f.name } : { mime: f.mimetype!, url, name: f.name });
    }
    return shared;
  }

  async function routes(fastify: FastifyInstance, { chat, openDesk }: ChannelContext) {
    await app.init(); // asks Slack who the bot is (auth.test): a wrong token stops kefu at start, not at the first message
    const agents = settings.agents;
    if (agents) {
      if (!openDesk) throw new Error('the Slack agent channel needs a bot that opens agent desks');
      const stop = serveSlackDesk(app, openDesk({ name: CHANNEL, teams: agents.teams }), agents.channel, (err) => fastify.log.error({ err }, 'slack agent desk'));
      fastify.addHook('onClose', stop);
    }

    async function hear(m: CustomerMessage) {
      const locale = detectLocale(m.text, 'en');
      const conversation = await chat.findOrStart({ channel: CHANNEL, ref: m.ref, customerId: m.user, locale });
      try {
        const receipt = await chat.receive({
          channel: CHANNEL,
          channelMessageId: m.id,
          conversationId: conversation.id,
          customerId: m.user,
          text: m.text,
          payload: m.payload,
          images: await images(m.files),
          locale,
          receivedAt: new Date(),
        });
        void receipt.replies.catch(() => undefined); // the answer reaches Slack through send()
      } catch (err) {
        if (!(err instanceof ChatRefusal)) throw err;
        await app.client.chat.postMessage({ channel: m.ref.channel, thread_ts: m.ref.thread, text: err.message });
      }
    }

    app.event('message', async ({ event }) => {
      const e = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; channel: string; ts: string; files?: CustomerMessage['files'] };
      // direct messages only (a channel reaches kefu by mentioning it); not edits, joins or bots' own posts
      if (e.channel_type !== 'im' || e.bot_id || !e.user || (e.subtype && e.subtype !== 'file_share')) return;
      await hear({ ref: { channel: e.channel }, user: e.user, text: e.text ?? '', id: `${e.channel}:${e.ts}`, files: e.files });
    });

    app.event('app_mention', async ({ event, context }) => {
      if (!event.user || event.channel === settings.agents?.channel) return; // agents talk to customers through the desk
      const text = event.text.replaceAll(`<@${context.botUserId}>`, '').trim();
      await hear({ ref: { channel: event.channel, thread: event.thread_ts ?? event.ts }, user: event.user, text, id: `${event.channel}:${event.ts}`, files: (event as { files?: CustomerMessage['files'] }).files });
    });

    app.action(new RegExp(`^${QUICK_REPLY_ACTION}`), async ({ ack, body, action }) => {
      await ack();
      const press = body as { user: { id: string }; channel?: { id: string }; message?: { ts: string; thread_ts?: string }; container?: { channel_id?: string } };
      const button = action as { text?: { text: string }; value?: string; action_ts?: string };
      const channel = press.channel?.id ?? press.container?.channel_id;
      if (!channel || !press.message) return;
      const ref: SlackRef = channel.startsWith('D') ? { channel } : { channel, thread: press.message.thread_ts ?? press.message.ts };
      await hear({ ref, user: press.user.id, text: button.text?.text ?? '', payload: button.value, id: `${channel}:${press.message.ts}:press:${button.action_ts ?? ''}` });
    });

    if (receiver instanceof FastifyReceiver) {
      await fastify.register(receiver.routes);
    } else {
      // opens the socket (apps.connections.open): a wrong app token stops kefu at start, and tries no more
      await app.start().catch(async (err: unknown) => {
        await app.stop().catch(() => undefined);
        throw err;
      });
      fastify.addHook('onClose', async () => app.stop());
    }
  }

  return {
    name: CHANNEL,
    prefix: '/slack',
    routes,
    // Slack takes about one message a second into a channel (its chat.postMessage limit)
    pace: { key: (ref) => ref.channel, minTimeMs: 1000 },
    async send(ref, message) {
      await app.client.chat.postMessage({ channel: ref.channel, thread_ts: ref.thread, ...slackMessage(message, settings.publicUrl) });
    },
  };
}
