// Zero-shot issues with CLIP through @huggingface/transformers, on a tiny CLIP the test writes: its image
// embedding is the mean colour, its text embedding the sum of the colours of the words it knows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTexts, openClip, zeroShotIssues, type ClipModel } from '../../../bot/perceive/clip.ts';
import { loadIssueTaxonomy } from '../../../bot/perceive/issues.ts';
import { clipEmbedder } from '../../../bot/perceive/image-embedder.ts';
import { learnIssueDetector } from '../../../bot/perceive/learned-issues.ts';
import { photo } from '../../helpers/images.ts';
import { writeTinyClip } from '../../helpers/tiny-clip.ts';

const taxonomy = loadIssueTaxonomy();
const dir = mkdtempSync(join(tmpdir(), 'kefu-clip-'));
let clip: ClipModel;
beforeAll(async () => {
  // "damaged" (in "a photo of a damaged parcel") is red; "differs" (in "a photo of a product that differs from the order") is blue
  clip = await openClip(writeTinyClip(join(dir, 'tiny-clip'), { damaged: [1, 0, 0], differs: [0, 0, 1] }));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zero-shot issues with CLIP', () => {
  it('asks about each issue with its prompts and its English label', () => {
    const texts = issueTexts(taxonomy);
    expect(texts).toContainEqual({ id: 'damaged_item', text: 'a photo of a damaged parcel' });
    expect(texts).toContainEqual({ id: 'wrong_item', text: 'a photo of wrong item' });
  });

  it('embeds a picture as the model computes it (the tiny model: its mean colour, unit length)', async () => {
    const red = await clip.embedImage(await photo('#e00000', '#e00000'));
    expect(Array.from(red).map((x) => Math.round(x * 100) / 100)).toEqual([1, 0, 0]);
  });

  it('ranks the damaged-item issue first for a red picture and the wrong-item issue first for a blue one', async () => {
    const zeroShot = await zeroShotIssues(clip, taxonomy);
    const red = zeroShot.rank(await clip.embedImage(await photo('#d01010', '#c00000')));
    const blue = zeroShot.rank(await clip.embedImage(await photo('#1010d0', '#0000c0')));
    expect(red[0]).toMatchObject({ id: 'damaged_item' });
    expect(red[0]!.confidence).toBeGreaterThan(0.9);
    expect(blue[0]).toMatchObject({ id: 'wrong_item' });
    // a grey picture is as close to every text: no issue stands out
    const grey = zeroShot.rank(await clip.embedImage(await photo('#808080', '#808080')));
    expect(grey[0]!.confidence).toBeLessThan(0.5);
  });

  it("the CLIP embedding also feeds the learned detector (one model for both)", async () => {
    const embed = clipEmbedder(clip);
    expect(embed.name).toBe('clip:tiny-clip');
    const examples = [
      { issue: 'damaged_item', vector: await embed.embed(await photo('#c03000', '#c03000')) },
      { issue: 'wrong_item', vector: await embed.embed(await photo('#2040c0', '#2040c0')) },
      { issue: 'none', vector: await embed.embed(await photo('#20b040', '#20b040')) },
    ];
    const detector = learnIssueDetector(examples);
    expect(detector.detect(await embed.embed(await photo('#e02010', '#e02010')))?.id).toBe('damaged_item');
    expect(detector.detect(await embed.embed(await photo('#30c050', '#30c050')))?.id).toBe('none');
  });
});
