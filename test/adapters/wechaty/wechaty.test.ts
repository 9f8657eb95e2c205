/**
 * WeChat through wechaty, end to end with wechaty-puppet-mock: mock contacts write to kefu's account in a
 * private chat and in a group, and what kefu says comes back through the puppet.
 */
import { PNG } from 'pngjs';
import { FileBox } from 'file-box';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { channels } from '../../../adapters/index.ts';
import { wechatyChannel } from '../../../adapters/wechaty/channel.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import type { Channel } from '../../../bot/turn/channel.ts';
import { CONVERSATION_SCRIPT } from '../../helpers/conversation-script.ts';

interface Said {
  talkerId: string;
  listenerId?: string;
  roomId?: string;
  text?: string;
}

const mocker = new mock.Mocker();
const puppet = new PuppetMock({ mocker });
const [account, customer, bystander] = mocker.createContacts(3) as [mock.ContactMock, mock.ContactMock, mock.ContactMock];
const room = mocker.createRoom({ topic: 'Demo shop fans', memberIdList: [account.id, customer.id, bystander.id] });
/** What kefu's account said, in order. */
const saidByKefu: Said[] = [];
let kefu: Kefu;

beforeAll(async () => {
  puppet.on('message', ({ messageId }) => {
    const said = mocker.messagePayload(messageId) as Said;
    if (said.talkerId === account.id) saidByKefu.push(said);
  });
  const channel = wechatyChannel({ wechaty: { name: 'kefu-test', puppet } });
  kefu = await startKefu({ botDir: 'examples/demo-shop', port: 0, channels: [...channels(), channel as unknown as Channel] });
  mocker.login(account);
  for (let i = 0; i < 100 && !(await (await fetch(`${kefu.url}/wechat-bot/status`)).json()).loggedIn; i++) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await kefu?.close();
});

const toCustomer = () => saidByKefu.filter((s) => s.listenerId === customer.id);
const untilSaid = async (count: number, which = toCustomer) => {
  await expect.poll(() => which().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return which();
};

describe('WeChat through wechaty', () => {
  it('carries the conversation script in a private chat, with the same answers as the web chat', async () => {
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      customer.say(line.text).to(account);
      const answer = (await untilSaid(i + 1)).at(-1)!;
      expect(answer.text).toMatch(line.answer);
      if (line.source) expect(answer.text).toMatch(line.locale === 'zh' ? /来源/ : /Sources/);
      else expect(answer.text).toMatch(/person|人工/);
    }
  });

  it('in a group answers only when @-mentioned, in the group, without the mention in what it reads', async () => {
    const inRoom = () => saidByKefu.filter((s) => s.roomId === room.id);
    bystander.say('anyone know a good sushi place?').to(room);
    customer.say(`@${account.payload.name} 退货政策是什么？`, [account]).to(room);
    const [answer] = await untilSaid(1, inRoom);
    expect(answer!.text).toMatch(/15/);
    await new Promise((r) => setTimeout(r, 500));
    expect(inRoom()).toHaveLength(1); // the bystander's message was not for kefu
    const conversation = await kefu.chat.findOrStart({ channel: 'wechat', ref: { contact: customer.id, room: room.id }, customerId: customer.id, locale: 'zh' });
    expect((await kefu.chat.history(conversation.id)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['退货政策是什么？']);
  });

  it('an image is read with its bytes, and an agent\'s reply reaches the private chat', async () => {
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(90);
    const before = toCustomer().length;
    customer.say(FileBox.fromBase64(PNG.sync.write(png).toString('base64'), 'parcel.png')).to(account);
    await untilSaid(before + 1);
    const [row] = await kefu.db.query<{ attachments: { mime: string }[] }>(
      `select m.attachments from messages m join conversations c on c.id = m.conversation_id
       where c.channel = 'wechat' and c.customer_id = $1 and jsonb_array_length(m.attachments) > 0`,
      [customer.id],
    );
    expect(row!.attachments).toEqual([expect.objectContaining({ mime: 'image/png' })]);

    const conversation = await kefu.chat.findOrStart({ channel: 'wechat', ref: { contact: customer.id }, customerId: customer.id, locale: 'zh' });
    await kefu.outbox.send(conversation, { author: 'agent', text: '您好，我是客服小李。' });
    expect(toCustomer().at(-1)?.text).toBe('您好，我是客服小李。');
  });
});
