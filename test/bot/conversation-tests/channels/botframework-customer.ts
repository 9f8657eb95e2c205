/**
 * The customer's side on the Bot Framework (Teams, Web Chat, the Emulator): a customer's message is an
 * activity posted to kefu's messaging endpoint as the channel posts it; a suggested action pressed is a
 * messageBack activity with the action's value; what kefu posts to the local stand-in of the channel's
 * connector service is what they see.
 */
import type { CustomerConversation, CustomerSide, SeenButton, SeenMessage, SeenTurn } from '../../../../bot/conversation-tests/customer-side.ts';
import type { Conversation } from '../../../../bot/turn/types.ts';
import type { PostedActivity } from '../../../adapters/botframework/fake-connector.ts';
import type { TurnWatch } from './turn-watch.ts';

type Action = NonNullable<PostedActivity['suggestedActions']>['actions'][number];
type SuggestedAction = SeenButton & { action: Action };

const seen = (a: PostedActivity): SeenMessage => ({ text: a.text ?? '', buttons: (a.suggestedActions?.actions ?? []).map((action): SuggestedAction => ({ label: action.title, action })) });

export function botFrameworkCustomer(opts: { url: string; connector: { url: string; posted: PostedActivity[] }; watch: TurnWatch }): CustomerSide {
  let n = 0;
  return {
    channel: 'Bot Framework',
    lastTurn: opts.watch.lastTurn,
    async open(locale): Promise<CustomerConversation> {
      const id = `conv-${++n}`;
      const user = `user-${n}`;
      const here = (c: Conversation) => c.channel === 'botframework' && (c.ref as { conversationId?: string }).conversationId === id;
      let activities = 0;

      async function turn(extra: Record<string, unknown>): Promise<SeenTurn> {
        const before = opts.connector.posted.length;
        const answered = opts.watch.answered(here);
        const res = await fetch(`${opts.url}/botframework/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `${id}-act-${++activities}`,
            timestamp: new Date().toISOString(),
            serviceUrl: opts.connector.url,
            channelId: 'emulator',
            from: { id: user, name: 'Customer' },
            conversation: { id },
            recipient: { id: 'kefu-bot', name: 'kefu' },
            locale: locale === 'zh' ? 'zh-CN' : 'en-US',
            ...extra,
          }),
        });
        if (res.status !== 200) throw new Error(`the messaging endpoint answered HTTP ${res.status}: ${await res.text()}`);
        const t = await answered;
        return { conversationId: t.conversation.id, replies: opts.connector.posted.slice(before).filter((a) => a.conversationId === id).map(seen) };
      }

      return {
        say: (text) => turn({ text }),
        // a messageBack action shows its displayText and sends its text and value
        press(button) {
          const { action } = button as SuggestedAction;
          return turn({ text: action.text ?? action.title, value: action.value });
        },
      };
    },
  };
}
