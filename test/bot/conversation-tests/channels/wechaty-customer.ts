/**
 * The customer's side on personal WeChat through wechaty: each conversation is a new mock contact of
 * wechaty-puppet-mock writing to kefu's account in a private chat; what kefu's account says to them through
 * the puppet is what they see. WeChat shows no buttons: the customer types the label kefu lists.
 */
import type { mock } from 'wechaty-puppet-mock';
import type { CustomerConversation, CustomerSide, SeenTurn } from '../../../../bot/conversation-tests/customer-side.ts';
import type { Conversation } from '../../../../bot/turn/types.ts';
import type { TurnWatch } from './turn-watch.ts';
import { readWechatText } from './wechat-reading.ts';

/** A message kefu's account said, as the puppet records it. */
export interface Said {
  talkerId: string;
  listenerId?: string;
  text?: string;
}

export function wechatyCustomer(opts: { mocker: mock.Mocker; account: mock.ContactMock; saidByKefu: Said[]; watch: TurnWatch }): CustomerSide {
  return {
    channel: 'WeChat (wechaty)',
    lastTurn: opts.watch.lastTurn,
    async open(): Promise<CustomerConversation> {
      const [contact] = opts.mocker.createContacts(1) as [mock.ContactMock];
      const here = (c: Conversation) => c.channel === 'wechat' && (c.ref as { contact?: string }).contact === contact.id;

      async function say(text: string): Promise<SeenTurn> {
        const before = opts.saidByKefu.length;
        const answered = opts.watch.answered(here);
        contact.say(text).to(opts.account);
        const t = await answered;
        const toThem = opts.saidByKefu.slice(before).filter((s) => s.listenerId === contact.id);
        return { conversationId: t.conversation.id, replies: toThem.map((s) => readWechatText(s.text ?? '')) };
      }

      return { say, press: (button) => say(button.label) };
    },
  };
}
