/**
 * How a customer says yes, no, "cancel" or asks a question, in Chinese and English, read from the reading
 * form of their message (bot/turn/reading-form.ts). Pure functions.
 */
import { readingForm } from '../turn/reading-form.ts';

const bare = (text: string) => readingForm(text).replace(/[\s.,!?;:~'"()，。！？；：、…～]+/g, ' ').trim();

const YES_EN = /^(yes|yeah|yep|yup|y|sure|ok|okay|correct|right|confirm|confirmed|go ahead|do it|please do|that's right|that is right)( please| thanks| thank you)?$/;
const YES_ZH = /^(是|是的|对|对的|好|好的|确认|可以|嗯|嗯嗯|没问题|没错|行|确定)(的|吧|呀|啊)?$/;
const NO_EN = /^(no|nope|n|not really|don't|do not|wrong|that's wrong|incorrect)\b/;
const NO_ZH = /^(不|不是|不对|不要|否|错了|不用)/;
const CANCEL_EN = /^(cancel|stop|never mind|nevermind|forget it|forget about it|quit|exit)( it| that| this| please| thanks)*$/;
const CANCEL_ZH = /算了|取消|不用了|不要了|不查了|不办了|退出/;
const CORRECTION_EN = /^(no|nope|sorry|actually|oops|wait|correction|i mean|i meant|it's|it is|make that)\b/;
const CORRECTION_ZH = /^(不|错了|抱歉|应该是|是|订单号是|我说错了)/;
const QUESTION_EN = /^(how|what|when|where|why|which|who|can|could|do|does|did|is|are|will|would|should)\b/;
const QUESTION_ZH = /吗|呢|怎么|什么|多久|多长|几天|如何|哪|为什么|咋|能否|是否/;

export const isYes = (text: string) => YES_EN.test(bare(text)) || YES_ZH.test(bare(text).replace(/ /g, ''));
export const isNo = (text: string) => NO_EN.test(bare(text)) || NO_ZH.test(bare(text).replace(/ /g, ''));

/** "cancel", "never mind", "算了", "取消": the customer leaves the flow (a short message, not "how do I cancel an order?"). */
export function isCancel(text: string): boolean {
  const b = bare(text);
  return CANCEL_EN.test(b) || (CANCEL_ZH.test(b) && b.replace(/ /g, '').length <= 12 && !QUESTION_ZH.test(b));
}

/** A message that puts an earlier answer right: "no, it's …", "sorry, …", "不对，是 …". */
export function isCorrection(text: string): boolean {
  const b = bare(text);
  return CORRECTION_EN.test(b) || CORRECTION_ZH.test(b.replace(/ /g, ''));
}

/** A question rather than an answer: a question mark, an English question word first, a Chinese question word. */
export function isQuestion(text: string): boolean {
  const t = readingForm(text).trim();
  return /[?？]$/.test(t) || QUESTION_EN.test(bare(t)) || QUESTION_ZH.test(t);
}
