import { describe, expect, it } from 'vitest';
import { parseTeams, teamFor } from '../../../bot/handoff/routing.ts';

const teams = parseTeams([
  { name: 'billing', intents: ['invoice', 'refund'] },
  { name: 'zh-wechat', languages: ['zh'], channels: ['wechat', 'wechat-oa'] },
  { name: 'english', languages: ['en'] },
]);

describe('routing a handoff to a team by its skills', () => {
  it('goes to the first team whose listed skills all fit the intent, language and channel', () => {
    expect(teamFor(teams, { intent: 'refund', locale: 'zh', channel: 'web' })).toBe('billing');
    expect(teamFor(teams, { intent: 'track_order', locale: 'zh', channel: 'wechat-oa' })).toBe('zh-wechat');
    expect(teamFor(teams, { intent: null, locale: 'en', channel: 'slack' })).toBe('english');
  });

  it('falls back to handoff.team, or to any agent, when no team fits', () => {
    expect(teamFor(teams, { intent: 'track_order', locale: 'zh', channel: 'web' }, 'general')).toBe('general');
    expect(teamFor(teams, { intent: 'track_order', locale: 'zh', channel: 'web' })).toBeUndefined();
    expect(teamFor([], { intent: 'refund', locale: 'en', channel: 'web' }, 'general')).toBe('general');
  });

  it('refuses a wrong setting with a message naming it', () => {
    expect(() => parseTeams({ name: 'x' })).toThrow(/handoff.teams must be a list/);
    expect(() => parseTeams([{ intents: ['refund'] }])).toThrow(/handoff.teams\[0\] needs a name/);
    expect(() => parseTeams([{ name: 'x', languages: ['fr'] }])).toThrow(/handoff.teams\[0\].languages: "fr"/);
    expect(() => parseTeams([{ name: 'x', channels: 'web' }])).toThrow(/handoff.teams\[0\].channels must be a list/);
  });
});
