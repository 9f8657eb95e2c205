/**
 * The bot says what it saw before it answers: "I can see a payment error, code 1024." in front of the
 * turn's first drafted message, in the customer's language, with the sentences of `prompts/vision/issues.yaml`.
 * It wraps the compose stage, so whatever composes the answer, the customer hears what their image showed.
 */
import type { Locale, SeenImage, Stage } from '../turn/types.ts';
import type { IssueTaxonomy } from './issues.ts';

const QUOTED_CHARS = 80;

/** One sentence an image gets: its issue (with the error code), else the start of its text, else that nothing was made out. */
function sentenceFor(seen: SeenImage, taxonomy: IssueTaxonomy, locale: Locale): string {
  const issue = seen.issue && taxonomy.issues.find((i) => i.id === seen.issue!.id);
  if (issue) {
    const code = seen.errorCode ? taxonomy.said.error_code[locale].replace('{code}', seen.errorCode) : '';
    return issue.seen[locale].replace('{code}', code);
  }
  const text = seen.text.replace(/\s+/g, ' ').trim();
  if (text) return taxonomy.said.text_only[locale].replace('{text}', text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text);
  return (seen.unreadable ? taxonomy.said.unreadable : taxonomy.said.nothing)[locale];
}

/** What the bot saw in the turn's images, one sentence each (the same sentence once). */
export function whatWasSeen(seen: SeenImage[], taxonomy: IssueTaxonomy, locale: Locale): string {
  return [...new Set(seen.map((s) => sentenceFor(s, taxonomy, locale)))].join(locale === 'zh' ? '' : ' ');
}

export function sayingWhatWasSeen(compose: Stage, taxonomy: IssueTaxonomy): Stage {
  return {
    ...compose,
    async run(turn) {
      const outcome = await compose.run(turn);
      const first = turn.drafts[0];
      if (!turn.seen?.length || !first) return outcome;
      const saw = whatWasSeen(turn.seen, taxonomy, turn.locale);
      turn.drafts[0] = { ...first, text: `${saw}\n\n${first.text}` };
      return { ...outcome, detail: { ...outcome.detail, saw } };
    },
  };
}
