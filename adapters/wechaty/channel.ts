import type { FastifyInstance } from 'fastify';
import { WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import { ChatRefusal, type Channel, type ChannelContext } from '../../bot/turn/channel.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import type { ImageAttachment } from '../../bot/turn/types.ts';
import { wechatText } from '../common/wechat-text.ts';
import type { WechatySettings } from './settings.ts';

export const CHANNEL = 'wechat';

/** Where a conversation lives: a contact's private chat, or one customer's thread in a group chat. */
export type WechatyRef = { contact: string; room?: string };

/**
 * WeChat through wechaty: the puppet and its token are configuration. kefu answers text and images in
 * private chats, and in group chats only when @-mentioned (answering with an @ back). The bot logs in
 * when kefu starts; GET /wechat-bot/status says whether it is logged in, or the QR code to scan.
 */
export function wechatyChannel(settings: WechatySettings): Channel<WechatyRef> & { bot: Wechaty } {
  const bot = WechatyBuilder.build(settings.wechaty);
  const maxImageBytes = settings.maxImageBytes ?? 5 * 1024 * 1024;
  let status: { loggedIn: boolean; user?: string; qrcode?: string } = { loggedIn: false };
  bot.on('scan', (qrcode) => void (status = { loggedIn: false, qrcode }));
  bot.on('login', (user) => void (status = { loggedIn: true, user: user.name() }));
  bot.on('logout', () => void (status = { loggedIn: false }));

  async function images(message: Message): Promise<ImageAttachment[]> {
    if (message.type() !== bot.Message.Type.Image) return [];
    const file = await message.toFileBox();
    const bytes = await file.toBuffer();
    return bytes.byteLength <= maxImageBytes ? [{ mime: file.mediaType || 'image/jpeg', bytes: new Uint8Array(bytes), name: file.name }] : [];
  }

  async function routes(app: FastifyInstance, { chat }: ChannelContext) {
    bot.on('message', async (message) => {
      try {
        if (message.self()) return;
        const type = message.type();
        if (type !== bot.Message.Type.Text && type !== bot.Message.Type.Image) return;
        const room = message.room();
        if (room && !(await message.mentionSelf())) return; // in a group, only what is said to kefu
        const talker = message.talker();
        const text = type === bot.Message.Type.Text ? (room ? await message.mentionText() : message.text()) : '';
        const ref: WechatyRef = room ? { contact: talker.id, room: room.id } : { contact: talker.id };
        const locale = detectLocale(text, 'zh');
        const conversation = await chat.findOrStart({ channel: CHANNEL, ref, customerId: talker.id, locale });
        try {
          const receipt = await chat.receive({
            channel: CHANNEL,
            channelMessageId: message.id,
            conversationId: conversation.id,
            customerId: talker.id,
            text,
            images: await images(message),
            locale: text ? locale : undefined,
            receivedAt: new Date(),
          });
          void receipt.replies.catch(() => undefined); // the answer goes out through send()
        } catch (err) {
          if (!(err instanceof ChatRefusal)) throw err;
          await message.say(err.message);
        }
      } catch (err) {
        app.log.error({ err }, 'wechaty message failed');
      }
    });
    app.get('/status', async () => status);
    app.addHook('onClose', async () => {
      await bot.stop();
    });
    await bot.start();
  }

  return {
    bot,
    name: CHANNEL,
    prefix: '/wechat-bot',
    routes,
    async send(ref, message, conversation) {
      const text = wechatText(message, conversation.locale, { publicUrl: settings.publicUrl, links: 'address' });
      const contact = await bot.Contact.find({ id: ref.contact });
      if (ref.room) {
        const room = await bot.Room.find({ id: ref.room });
        if (!room) throw new Error(`wechaty: room ${ref.room} not found`);
        await (contact ? room.say(text, contact) : room.say(text));
        return;
      }
      if (!contact) throw new Error(`wechaty: contact ${ref.contact} not found`);
      await contact.say(text);
    },
  };
}
