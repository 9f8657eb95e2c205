import { describe, expect, it } from 'vitest';
import { isCancel, isCorrection, isNo, isQuestion, isYes } from '../../../bot/flows/words.ts';

describe('how a customer answers a flow, in Chinese and English', () => {
  it('yes and no', () => {
    for (const y of ['yes', 'Yes please', 'OK', 'sure.', '是', '是的', '好的', '确认', '没问题！']) expect(isYes(y), y).toBe(true);
    for (const n of ['no', 'No thanks', 'nope', '不', '不是', '不对', '不要了']) expect(isNo(n), n).toBe(true);
    for (const x of ['yes but', 'not sure', '是不是']) expect(isYes(x), x).toBe(false);
  });

  it('cancel is a short message of its own, not a question about cancelling', () => {
    for (const c of ['cancel', 'Cancel.', 'never mind', 'forget it', 'stop please', '算了', '取消', '算了，不查了', '不用了']) expect(isCancel(c), c).toBe(true);
    for (const c of ['how do I cancel my order?', 'cancel my order LM202611280042 and refund me', '取消订单要多久才退款？']) expect(isCancel(c), c).toBe(false);
  });

  it('a question, as opposed to an answer', () => {
    for (const q of ['How long does delivery take?', 'do you ship to Hong Kong', '退货政策是什么', '要几天？', '能寄到香港吗']) expect(isQuestion(q), q).toBe(true);
    for (const a of ['LM202611280042', '12 Harbour Road, Wan Chai, Hong Kong', '上海市浦东新区世纪大道 100 号', 'they are too small']) expect(isQuestion(a), a).toBe(false);
  });

  it('a correction of an earlier answer', () => {
    for (const c of ["no, it's LM202611280043", 'sorry, LM202611280043', 'actually LM202611280043', '不对，订单号是LM202611280043', '应该是LM202611280043']) expect(isCorrection(c), c).toBe(true);
    expect(isCorrection('I want to return LM202611280043')).toBe(false);
  });
});
