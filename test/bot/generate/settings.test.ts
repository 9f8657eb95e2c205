import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../../bot/generate/open-model.ts';
import { adapterFor, parseGenerationSettings } from '../../../bot/generate/settings.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fake-openai.ts';
import { writeTinyLlama, writeTinyLora } from '../../helpers/gguf.ts';

let dir: string;
let fake: FakeOpenAi;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-gen-settings-'));
  writeTinyLlama(join(dir, 'base.gguf'));
  writeTinyLora(join(dir, 'shop.gguf'), 5);
  writeFileSync(join(dir, 'not-a-model.gguf'), 'nothing here');
  fake = await startFakeOpenAi({ models: ['base-model', 'shop-returns'] });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const parse = (raw: unknown, env: NodeJS.ProcessEnv = {}) => parseGenerationSettings(raw, dir, env);
const server = { provider: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen' };

describe('generation settings in bot.yaml', () => {
  it('no section, or provider none, means grounded answers only', () => {
    expect(parse(undefined)).toBeNull();
    expect(parse({ provider: 'none' })).toBeNull();
  });

  it('reads an OpenAI-compatible server with its adapters and the API key from the environment', () => {
    const s = parse({ ...server, apiKeyEnv: 'LLM_KEY', adapter: 'shop', adapters: { returns: 'shop-returns' }, deadlineMs: 3000 }, { LLM_KEY: 'sk-test' })!;
    expect(s).toMatchObject({ provider: 'openai-compatible', baseURL: server.baseURL, model: 'qwen', apiKey: 'sk-test', deadlineMs: 3000, retries: 2, maxConcurrent: 4 });
    expect(adapterFor(s, 'returns')).toBe('shop-returns');
    expect(adapterFor(s, 'complaint')).toBe('shop');
  });

  it.each([
    [{ provider: 'gpt' }, /generation\.provider: 'gpt' is not one of/],
    [{ provider: 'openai-compatible', model: 'x' }, /generation\.baseURL: is needed/],
    [{ ...server, baseURL: 'ftp://x' }, /generation\.baseURL: 'ftp:\/\/x' is not an http/],
    [{ ...server, model: undefined }, /generation\.model: is needed/],
    [{ ...server, apiKeyEnv: 'MISSING_KEY' }, /generation\.apiKeyEnv: the environment variable MISSING_KEY is not set/],
    [{ ...server, deadlineMs: 'soon' }, /generation\.deadlineMs: must be a whole number/],
    [{ ...server, adapters: ['a'] }, /generation\.adapters: must map names/],
    [{ ...server, temperature: 1 }, /generation\.temperature: unknown setting/],
    [{ provider: 'llama', modelPath: 'missing.gguf' }, /generation\.modelPath: no model file at .*missing\.gguf/],
    [{ provider: 'llama', modelPath: 'base.gguf', adapter: 'shop' }, /generation\.adapter: adapter 'shop' is not in adapterFiles/],
    [{ provider: 'llama', modelPath: 'base.gguf', adapterFiles: { shop: 'nope.gguf' } }, /generation\.adapterFiles\.shop: no adapter file/],
  ])('names the setting that is wrong: %j', (raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });
});

describe('opening the model at start-up', () => {
  it('an unreachable server stops the start with the reason', async () => {
    await expect(openModel(parse({ ...server, baseURL: 'http://127.0.0.1:9/v1' })!)).rejects.toThrow(/bot\.yaml generation: the model server at http:\/\/127\.0\.0\.1:9\/v1 is unreachable/);
  });

  it('an adapter the server does not serve stops the start, naming it', async () => {
    await expect(openModel(parse({ ...server, baseURL: fake.baseURL, model: 'base-model', adapters: { orders: 'shop-orders' } })!)).rejects.toThrow(/does not serve 'shop-orders'/);
    const model = await openModel(parse({ ...server, baseURL: fake.baseURL, model: 'base-model', adapters: { returns: 'shop-returns' } })!);
    await model.close();
  });

  it('a GGUF file that is no model, or an adapter file that is no adapter, stops the start', async () => {
    await expect(openModel(parse({ provider: 'llama', modelPath: 'not-a-model.gguf' })!)).rejects.toThrow(/generation\.modelPath: the model .*not-a-model\.gguf could not be loaded/);
    await expect(openModel(parse({ provider: 'llama', modelPath: 'base.gguf', threads: 1, adapter: 'shop', adapterFiles: { shop: 'not-a-model.gguf' } })!)).rejects.toThrow(/adapter 'shop' .*does not load/);
    const model = await openModel(parse({ provider: 'llama', modelPath: 'base.gguf', threads: 1, adapter: 'shop', adapterFiles: { shop: 'shop.gguf' } })!);
    expect(model.provider).toBe('llama');
    await model.close();
  });
});
