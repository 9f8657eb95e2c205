import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TurnContext,
  type ConversationReference,
} from 'botbuilder';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChannelBusy, ChatRefusal, type Channel, type ChannelContext } from '../../bot/turn/channel.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import type { ImageAttachment } from '../../bot/turn/types.ts';
import { downloadImage } from '../common/download.ts';
import { messageActivity, PAYLOAD_KEY } from './activity.ts';
import type { BotFrameworkSettings } from './settings.ts';

export const CHANNEL = 'botframework';

/**
 * Where a conversation lives: the Bot Framework channel (msteams, webchat, directline, emulator…), its
 * conversation id, and the service URL and bot account kefu answers through (a conversation reference).
 */
export type BotFrameworkRef = { channelId: string; conversationId: string; serviceUrl: string; botId: string; botName: string | null; tenantId: string | null };

/**
 * Microsoft Bot Framework (Teams, Web Chat / Direct Line, the Emulator) through botbuilder's CloudAdapter
 * on kefu's server at /botframework/messages (the Azure Bot's messaging endpoint). With an app id, every
 * request must carry a Bot Framework JWT the adapter validates; kefu's messages go out as proactive
 * messages to the stored conversation reference, so an agent's reply or a notice reaches the customer too.
 */
export function botFrameworkChannel(settings: BotFrameworkSettings): Channel<BotFrameworkRef> {
  const config = {
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(config, new ConfigurationServiceClientCredentialFactory(config)));
  const maxImageBytes = settings.maxImageBytes ?? 5 * 1024 * 1024;

  async function images(context: TurnContext): Promise<ImageAttachment[]> {
    const found: ImageAttachment[] = [];
    for (const a of context.activity.attachments ?? []) {
      if (!a.contentType?.startsWith('image/') || !a.contentUrl) continue;
      const bytes = await downloadImage(a.contentUrl, { maxBytes: maxImageBytes, timeoutMs: 10_000 }).catch(() => undefined);
      found.push(bytes ? { mime: a.contentType, bytes, name: a.name } : { mime: a.contentType, url: a.contentUrl, name: a.name });
    }
    return found;
  }

  async function routes(app: FastifyInstance, { chat }: ChannelContext) {
    async function hear(context: TurnContext) {
      const activity = context.activity;
      if (activity.type !== ActivityTypes.Message || !activity.from?.id) return;
      const reference = TurnContext.getConversationReference(activity);
      const ref: BotFrameworkRef = {
        channelId: activity.channelId,
        conversationId: activity.conversation.id,
        serviceUrl: activity.serviceUrl,
        botId: reference.bot?.id ?? activity.recipient.id,
        botName: reference.bot?.name ?? null,
        tenantId: activity.conversation.tenantId ?? null,
      };
      const text = activity.text ?? '';
      const payload = (activity.value as Record<string, unknown> | undefined)?.[PAYLOAD_KEY];
      const locale = activity.locale?.toLowerCase().startsWith('zh') ? 'zh' : detectLocale(text, 'en');
      const conversation = await chat.findOrStart({ channel: CHANNEL, ref, customerId: activity.from.id, locale });
      try {
        const receipt = await chat.receive({
          channel: CHANNEL,
          channelMessageId: `${activity.conversation.id}:${activity.id ?? activity.timestamp ?? Date.now()}`,
          conversationId: conversation.id,
          customerId: activity.from.id,
          text,
          payload: typeof payload === 'string' ? payload : undefined,
          images: await images(context),
          locale,
          receivedAt: new Date(),
        });
        void receipt.replies.catch(() => undefined); // the answer goes out through send(), as a proactive message
      } catch (err) {
        if (!(err instanceof ChatRefusal)) throw err;
        await context.sendActivity(err.message);
      }
    }

    app.post('/messages', async (req: FastifyRequest, reply: FastifyReply) => {
      await adapter.process({ body: req.body as Record<string, unknown>, headers: req.headers as Record<string, string>, method: req.method }, botResponse(reply), hear);
      return reply;
    });
  }

  return {
    name: CHANNEL,
    prefix: '/botframework',
    routes,
    // Teams takes about seven messages a second into one conversation
    pace: { key: (ref) => ref.conversationId, minTimeMs: 150 },
    async send(ref, message) {
      const reference: Partial<ConversationReference> = {
        channelId: ref.channelId,
        serviceUrl: ref.serviceUrl,
        conversation: { id: ref.conversationId, isGroup: false, conversationType: '', name: '', tenantId: ref.tenantId ?? undefined },
        bot: { id: ref.botId, name: ref.botName ?? '' },
      };
      try {
        await adapter.continueConversationAsync(settings.appId ?? '', reference, async (context) => {
          await context.sendActivity(messageActivity(message, settings.publicUrl));
        });
      } catch (err) {
        throw slowDown(err) ?? err;
      }
    },
  };
}

/** The connector's 429 as ChannelBusy, with its Retry-After (seconds) or a second. */
function slowDown(err: unknown): ChannelBusy | undefined {
  const e = err as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } } };
  if (e?.statusCode !== 429) return undefined;
  const seconds = Number(e.response?.headers?.get?.('retry-after'));
  return new ChannelBusy('the Bot Framework connector asked kefu to slow down (429)', Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
}

/** botbuilder's response interface over fastify's reply: the adapter sets the status and body, then ends. */
function botResponse(reply: FastifyReply) {
  let status = 200;
  let body: unknown;
  return {
    socket: reply.raw.socket,
    status: (code: number) => (status = code),
    header: (name: string, value: unknown) => reply.header(name, value),
    send: (content: unknown) => (body = content),
    end: () => reply.code(status).send(typeof body === 'string' ? { error: body } : (body ?? '')),
  };
}
