/**
 * The customer's side on a WeChat Official Account: a follower's message is posted as WeChat's servers post
 * it (signed XML); they see the passive reply in the HTTP answer and whatever kefu sends through the
 * customer-service API (the local stand-in of WeChat's API). WeChat shows no buttons: the customer types
 * the label kefu lists.
 */
import type { CustomerConversation, CustomerSide, SeenTurn } from '../../../../bot/conversation-tests/customer-side.ts';
import type { Conversation } from '../../../../bot/turn/types.ts';
import type { SentByApi } from '../../../adapters/wechat-oa/fake-wechat.ts';
import type { wechatServer } from '../../../adapters/wechat-oa/wechat-oa-client.ts';
import type { TurnWatch } from './turn-watch.ts';
import { readWechatText } from './wechat-reading.ts';

export function wechatOaCustomer(opts: { wechat: ReturnType<typeof wechatServer>; api: { sent: SentByApi[] }; watch: TurnWatch }): CustomerSide {
  let n = 0;
  return {
    channel: 'WeChat Official Account',
    lastTurn: opts.watch.lastTurn,
    async open(): Promise<CustomerConversation> {
      const openid = `o-follower-${++n}`;
      const here = (c: Conversation) => c.channel === 'wechat-oa' && (c.ref as { openid?: string }).openid === openid;
      let messages = 0;

      async function say(text: string): Promise<SeenTurn> {
        const before = opts.api.sent.length;
        const answered = opts.watch.answered(here);
        const { status, body, reply } = await opts.wechat.post({ openid, msgId: `${openid}-${++messages}`, text });
        if (status !== 200) throw new Error(`the account's URL answered HTTP ${status}: ${body}`);
        const t = await answered;
        const passive = reply?.Content !== undefined ? [reply.Content] : [];
        const byApi = opts.api.sent.slice(before).filter((m) => m.touser === openid).map((m) => m.text.content);
        return { conversationId: t.conversation.id, replies: [...passive, ...byApi].map(readWechatText) };
      }

      return { say, press: (button) => say(button.label) };
    },
  };
}
