/**
 * The customer's side on Slack: a customer writes to kefu in a direct message (an Events API event signed
 * the way Slack signs it) and presses buttons (a block_actions interaction carrying the button's value);
 * what kefu posts to the local stand-in of Slack's Web API is what they see.
 */
import type { CustomerConversation, CustomerSide, SeenButton, SeenMessage, SeenTurn } from '../../../../bot/conversation-tests/customer-side.ts';
import type { Conversation } from '../../../../bot/turn/types.ts';
import type { Posted } from '../../../adapters/slack/fake-slack.ts';
import { eventBody, interaction, signedSlackRequest } from '../../../adapters/slack/signed-request.ts';
import type { TurnWatch } from './turn-watch.ts';

interface SlackStandIn {
  posted: Posted[];
}

/** A button as Slack shows it, with the message it is under. */
type SlackButton = SeenButton & { actionId: string; value: string; messageTs: string };

const unescape = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** What Slack shows of a posted message: its sections and the context under them (the sources), and its buttons. */
function seen(p: Posted): SeenMessage {
  const text = p.blocks
    .flatMap((b) => (b.type === 'section' ? [b.text?.text ?? ''] : b.type === 'context' ? (b.elements ?? []).map((e) => String((e as { text?: string }).text ?? '')) : []))
    .map(unescape)
    .join('\n');
  const buttons = p.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e): SlackButton => ({ label: (e.text as { text: string }).text, actionId: e.action_id!, value: e.value!, messageTs: p.ts }));
  return { text, buttons };
}

export function slackCustomer(opts: { url: string; signingSecret: string; slack: SlackStandIn; watch: TurnWatch }): CustomerSide {
  let n = 0;
  let clock = 1_800_000_000;
  const nextTs = () => `${clock++}.000200`;
  const signed = (body: string, contentType: string) => signedSlackRequest(`${opts.url}/slack/events`, opts.signingSecret, body, contentType);

  return {
    channel: 'Slack',
    lastTurn: opts.watch.lastTurn,
    async open(): Promise<CustomerConversation> {
      n++;
      const channel = `D0CONV${n}`;
      const user = `U0CUSTOMER${n}`;
      const here = (c: Conversation) => c.channel === 'slack' && (c.ref as { channel?: string }).channel === channel;

      async function turn(request: () => Promise<Response>): Promise<SeenTurn> {
        const before = opts.slack.posted.length;
        const answered = opts.watch.answered(here);
        const res = await request();
        if (res.status !== 200) throw new Error(`Slack's request was answered HTTP ${res.status}: ${await res.text()}`);
        const t = await answered;
        return { conversationId: t.conversation.id, replies: opts.slack.posted.slice(before).filter((p) => p.channel === channel).map(seen) };
      }

      return {
        say(text) {
          const ts = nextTs();
          return turn(() => signed(eventBody({ type: 'message', channel, channel_type: 'im', user, text, ts, event_ts: ts }), 'application/json'));
        },
        press(button) {
          const b = button as SlackButton;
          const press = {
            type: 'block_actions',
            user: { id: user },
            team: { id: 'T0DEMO' },
            api_app_id: 'A0KEFU',
            container: { type: 'message', message_ts: b.messageTs, channel_id: channel },
            channel: { id: channel },
            message: { ts: b.messageTs, text: '' },
            actions: [{ type: 'button', action_id: b.actionId, block_id: 'b1', text: { type: 'plain_text', text: b.label }, value: b.value, action_ts: nextTs() }],
            trigger_id: 'trigger',
          };
          return turn(() => signed(interaction(press), 'application/x-www-form-urlencoded'));
        },
      };
    },
  };
}
