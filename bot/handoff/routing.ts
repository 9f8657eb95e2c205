import type { Locale } from '../turn/types.ts';

/**
 * Teams and their skills (handoff.teams in bot.yaml): a handoff goes to the first team whose skills fit
 * the conversation — the intent the bot recognised, the customer's language, the channel. A skill a team
 * does not list fits anything; a team that lists none takes every handoff the teams before it did not.
 */
export interface TeamSkills {
  name: string;
  intents?: string[];
  languages?: Locale[];
  channels?: string[];
}

export interface HandoffFacts {
  intent: string | null;
  locale: Locale;
  channel: string;
}

const fits = (listed: string[] | undefined, value: string | null) => !listed || (value !== null && listed.includes(value));

/** The team a handoff goes to: the first that fits, else `fallback` (handoff.team), else none (any agent). */
export function teamFor(teams: TeamSkills[], facts: HandoffFacts, fallback?: string): string | undefined {
  return teams.find((t) => fits(t.intents, facts.intent) && fits(t.languages, facts.locale) && fits(t.channels, facts.channel))?.name ?? fallback;
}

/** handoff.teams from bot.yaml; an error names the setting that is wrong. */
export function parseTeams(raw: unknown): TeamSkills[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Error('handoff.teams must be a list of teams ({ name, intents?, languages?, channels? })');
  return raw.map((t, i) => {
    const where = `handoff.teams[${i}]`;
    if (!t || typeof t !== 'object' || typeof (t as { name?: unknown }).name !== 'string' || !(t as { name: string }).name.trim()) {
      throw new Error(`${where} needs a name`);
    }
    const team = t as Record<string, unknown>;
    const list = (key: string): string[] | undefined => {
      const v = team[key];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${where}.${key} must be a list of names`);
      return v as string[];
    };
    const languages = list('languages');
    const unknown = languages?.find((l) => l !== 'zh' && l !== 'en');
    if (unknown) throw new Error(`${where}.languages: "${unknown}" is not a language kefu speaks (zh, en)`);
    return { name: team.name as string, intents: list('intents'), languages: languages as Locale[] | undefined, channels: list('channels') };
  });
}
