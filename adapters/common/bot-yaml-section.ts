/**
 * One channel's section of bot.yaml's `channels:` — the non-secret settings (which channels are on, ids,
 * addresses); secrets stay in the environment. A section reads as:
 *   absent                          the environment alone decides, as without bot.yaml
 *   `false` or `enabled: false`     off, whatever the environment says
 *   `true` or a mapping             on: the channel's secrets must then be in the environment
 * A misspelt key or a value of the wrong kind stops kefu at start with the setting's full name.
 */

export type SettingKind = 'string' | 'boolean' | 'number' | 'strings';
type Value<K extends SettingKind> = K extends 'string' ? string : K extends 'boolean' ? boolean : K extends 'number' ? number : string[];
export type Section<Known extends Record<string, SettingKind>> = { [k in keyof Known]?: Value<Known[k]> };

const KIND_WORDS: Record<SettingKind, string> = { string: 'a text', boolean: 'true or false', number: 'a number', strings: 'a list of texts' };

const fits = (kind: SettingKind, v: unknown) =>
  kind === 'strings' ? Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim()) : kind === 'string' ? typeof v === 'string' && v.trim() !== '' : typeof v === kind && (kind !== 'number' || Number.isFinite(v));

/** The section of channel `name` in `channels` (bot.yaml), checked against the settings the channel knows. */
export function channelSection<Known extends Record<string, SettingKind>>(channels: Record<string, unknown>, name: string, known: Known): undefined | 'off' | Section<Known> {
  const raw = channels[name];
  const where = `bot.yaml channels.${name}`;
  if (raw === undefined || raw === null) return undefined;
  if (raw === false) return 'off';
  if (raw === true) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where} must be true, false or a mapping of settings`);
  const entries = Object.entries(raw as Record<string, unknown>);
  const section: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (key === 'enabled') {
      if (typeof value !== 'boolean') throw new Error(`${where}.enabled must be true or false`);
      if (!value) return 'off';
      continue;
    }
    const kind = known[key];
    if (!kind) throw new Error(`${where}.${key} is not a setting of this channel (its settings: enabled, ${Object.keys(known).join(', ')})`);
    if (!fits(kind, value)) throw new Error(`${where}.${key} must be ${KIND_WORDS[kind]}`);
    section[key] = kind === 'string' ? (value as string).trim() : value;
  }
  return section as Section<Known>;
}

/** The names channels go by in bot.yaml's `channels:`; another name is refused at start. */
export function checkChannelNames(channels: unknown, names: string[]): Record<string, unknown> {
  if (channels === undefined || channels === null) return {};
  if (typeof channels !== 'object' || Array.isArray(channels)) throw new Error('bot.yaml channels must be a mapping of channel names to their settings');
  for (const key of Object.keys(channels)) {
    if (!names.includes(key)) throw new Error(`bot.yaml channels.${key} is not a channel kefu has (its channels: ${names.join(', ')})`);
  }
  return channels as Record<string, unknown>;
}

/** The secret `variable` from the environment, required because `where` is on. */
export function requiredSecret(env: NodeJS.ProcessEnv, variable: string, why: string): string {
  const value = env[variable];
  if (!value) throw new Error(`${why}: set ${variable} in the environment`);
  return value;
}

/** `value` when it is an http(s) address; else an error naming `setting`. */
export function httpAddress(value: string | undefined, setting: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`${setting} must be an http(s) address, not '${value}'`);
  return value;
}
