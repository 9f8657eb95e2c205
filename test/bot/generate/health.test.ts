import { describe, expect, it } from 'vitest';
import { modelHealth } from '../../../bot/generate/health.ts';
import { openAiModel } from '../../../bot/generate/openai-model.ts';
import { startFakeOpenAi } from '../../helpers/fake-openai.ts';

describe('answer model health', () => {
  it('says the model is up, then down with the reason once the server stops; asks the server at most once per interval', async () => {
    const fake = await startFakeOpenAi({ models: ['m', 'shop'] });
    const model = openAiModel({ baseURL: fake.baseURL, model: 'm' });
    let asked = 0;
    const counted = { ...model, health: (a?: string[]) => (asked++, model.health(a)) };
    const health = modelHealth(counted, ['shop'], 1500);
    expect(await health()).toEqual({ generation: { provider: 'openai-compatible', model: 'm', ok: true } });
    await health();
    expect(asked).toBe(1);
    await fake.close();
    await new Promise((r) => setTimeout(r, 1600));
    expect(await health()).toEqual({ generation: { provider: 'openai-compatible', model: 'm', ok: false, error: expect.stringMatching(/unreachable/) } });
    expect(asked).toBe(2);
  });
});
