/**
 * A WeChat message as the customer reads it: WeChat shows no buttons, so kefu lists them as lines under
 * "You can reply:" / "您可以回复：" (adapters/common/wechat-text.ts); those lines are the labels the customer
 * can type back.
 */
import type { SeenMessage } from '../../../../bot/conversation-tests/customer-side.ts';

const OPTIONS = /(?:^|\n\n)(?:You can reply:|您可以回复：)\n((?:· .*(?:\n|$))+)$/;

export function readWechatText(text: string): SeenMessage {
  const options = OPTIONS.exec(text);
  const labels = options ? options[1]!.split('\n').filter(Boolean).map((line) => line.slice(2)) : [];
  return { text, buttons: labels.map((label) => ({ label })) };
}
