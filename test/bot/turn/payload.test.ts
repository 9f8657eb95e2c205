import { describe, expect, it } from 'vitest';
import { labelKey, payloadAsWords, typedButton } from '../../../bot/turn/payload.ts';
import type { QuickReply, StoredMessage } from '../../../bot/turn/types.ts';

describe('a quick reply\'s payload', () => {
  it('is read as the customer\'s words when it is plain words, and left to the stages when it is a machine payload', () => {
    expect(payloadAsWords("I'd like to talk to a person")).toBe("I'd like to talk to a person");
    expect(payloadAsWords('我要转人工')).toBe('我要转人工');
    expect(payloadAsWords('entry:shipping#delivery-time')).toBeUndefined();
    expect(payloadAsWords('rating:4')).toBeUndefined();
    expect(payloadAsWords('  ')).toBeUndefined();
    expect(payloadAsWords(undefined)).toBeUndefined();
  });
});

type Msg = Pick<StoredMessage, 'direction' | 'quickReplies'>;
const customer = (): Msg => ({ direction: 'in', quickReplies: [] });
const bot = (...buttons: QuickReply[]): Msg => ({ direction: 'out', quickReplies: buttons });
const track: QuickReply = { label: 'Track an order', payload: 'flow:track_order' };
const yes: QuickReply = { label: '是', payload: 'yes' };
const person: QuickReply = { label: 'Talk to a person', payload: "I'd like to talk to a person" };

describe('a label typed on a channel without buttons', () => {
  it('is the same label whatever its case, width and spaces', () => {
    expect(labelKey('  TRACK  an order ')).toBe(labelKey('Track an order'));
    expect(labelKey('Ｔｒａｃｋ　ａｎ　ｏｒｄｅｒ')).toBe(labelKey('Track an order')); // full-width letters and space
    expect(labelKey('查询 订单')).toBe(labelKey('查询订单'));
    expect(labelKey('Track an order!')).not.toBe(labelKey('Track an order'));
  });

  it('presses the button the bot offered since the customer last wrote, in either language', () => {
    expect(typedButton('track AN order', [customer(), bot(track, person)])).toEqual(track);
    expect(typedButton(' 是 ', [customer(), bot(), bot(yes)])).toEqual(yes);
    // an older message of the same reply still counts: the customer has not written since
    expect(typedButton('talk to a person', [customer(), bot(person), bot()])).toEqual(person);
  });

  it('is plain text when no such button was offered, or it was offered before the customer last wrote', () => {
    expect(typedButton('Track an order please', [customer(), bot(track)])).toBeUndefined();
    expect(typedButton('Track an order', [bot(track), customer()])).toBeUndefined();
    expect(typedButton('Track an order', [])).toBeUndefined();
    expect(typedButton('  ', [customer(), bot({ label: ' ', payload: 'x' })])).toBeUndefined();
  });
});
