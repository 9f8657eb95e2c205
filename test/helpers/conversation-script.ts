/**
 * One conversation every channel must carry the same way: what the customer says, and what the bot's
 * answer must show (its source, or an honest "don't know" with a person offered).
 */
export interface ScriptLine {
  text: string;
  locale: 'zh' | 'en';
  /** The answer's first source, or null: no source and a human offered. */
  source: RegExp | null;
  answer: RegExp;
}

export const CONVERSATION_SCRIPT: ScriptLine[] = [
  { text: 'How long does delivery take?', locale: 'en', source: /^\/help\/en\/shipping#delivery-time$/, answer: /business days/ },
  { text: '退货政策是什么？', locale: 'zh', source: /^\/help\/zh\/returns#/, answer: /15/ },
  { text: 'Can you recommend a good sushi restaurant in Paris?', locale: 'en', source: null, answer: /don't know/ },
];
