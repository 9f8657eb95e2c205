import type { DeskCustomerMessage, DeskHandoff, DeskRefusal } from '../../bot/turn/desk.ts';
import { escape } from './format.ts';

/** The buttons of a handoff's post in the agents' channel; a press comes back under these action ids with the handoff id as value. */
export const CLAIM_ACTION = 'kefu_desk_claim';
export const CLOSE_ACTION = 'kefu_desk_close';
/** What an agent writes in a handoff's thread to end it, as the Close button does. */
export const CLOSE_WORDS = ['close', '结束'];

const SECTION_CHARS = 3000;
const LANGUAGE = { zh: '中文', en: 'English' } as const;

const button = (action: string, label: string, handoffId: number, style: 'primary' | 'danger') => ({
  type: 'button',
  action_id: action,
  style,
  text: { type: 'plain_text', text: label },
  value: String(handoffId),
});

/** Where the handoff stands, in both languages (agents may read either). */
function stateLine(h: DeskHandoff): string {
  const who = escape(h.agentName ?? '?');
  switch (h.status) {
    case 'queued':
      return ':hourglass: Waiting for an agent · 等待接待';
    case 'timed_out':
      return ':envelope: Nobody came in time: the customer left a message · 无人及时接待，客户已留言';
    case 'claimed':
      return `:speech_balloon: Claimed by *${who}* · 已由 *${who}* 接待 — replies in this thread reach the customer; write \`close\` or \`结束\` to end · 在此帖回复即发给客户，写“结束”即结束`;
    case 'resolved':
      return `:white_check_mark: Closed${h.agentName ? ` by *${who}*` : ''} · 已结束`;
  }
}

/**
 * A handoff as a post in the agents' channel: who is waiting and why, the conversation's summary, where
 * it stands, and the button for the next step (Claim while it waits, Close while it is held). `text` is
 * the fallback notifications show.
 */
export function deskPost(h: DeskHandoff) {
  const head = `*Handoff #${h.handoffId}* 转人工 · ${escape(h.channel)} · ${LANGUAGE[h.locale]}${h.team ? ` · team 团队: ${escape(h.team)}` : ''} · reason 原因: ${escape(h.reason)}`;
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    ...(h.summary ? [{ type: 'section', text: { type: 'mrkdwn', text: escape(h.summary).slice(0, SECTION_CHARS) } }] : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: stateLine(h) }] },
  ];
  if (h.status === 'queued' || h.status === 'timed_out') blocks.push({ type: 'actions', elements: [button(CLAIM_ACTION, 'Claim · 接待', h.handoffId, 'primary')] });
  if (h.status === 'claimed') blocks.push({ type: 'actions', elements: [button(CLOSE_ACTION, 'Close · 结束', h.handoffId, 'danger')] });
  return { text: `Handoff #${h.handoffId} (${h.channel}): ${h.status}`, blocks };
}

/** A customer's message, mirrored into their handoff's thread. */
export function mirroredText(m: DeskCustomerMessage): string {
  const pictures = m.images ? ` [${m.images} image${m.images === 1 ? '' : 's'} · ${m.images} 张图片]` : '';
  return `*Customer 客户:* ${escape(m.text)}${pictures}`;
}

const REFUSALS: Record<DeskRefusal, string> = {
  taken: 'Another agent has already claimed it. · 已有其他客服接待。',
  not_yours: 'Only the agent who claimed it can do that; claim it first. · 只有接待的客服可以操作，请先接待。',
  closed: 'This handoff is closed. · 该会话已结束。',
  not_your_team: "This handoff belongs to another team. · 该会话属于其他团队。",
  no_such_handoff: 'kefu no longer knows this handoff. · 找不到该会话。',
  agent_disabled: 'Your kefu agent account is disabled; ask an admin. · 您的客服账号已停用，请联系管理员。',
  bad_text: 'Write 1 to 4000 characters. · 请输入 1 到 4000 个字符。',
};

/** Why an agent's action was refused, in both languages (shown only to them). */
export const refusalText = (why: DeskRefusal) => REFUSALS[why];

/** Slack's text with its three escaped characters read back, as the customer should see it. */
export const unescape = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
