// The detector a company teaches with a few labelled pictures: MobileNetV2 features (image moderation's
// bundled model) + nearest neighbours, on parcel photos the suite renders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageModerator } from '../../../bot/compliance/image.ts';
import { mobileNetEmbedder, type ImageEmbedder } from '../../../bot/perceive/image-embedder.ts';
import { loadIssueTaxonomy } from '../../../bot/perceive/issues.ts';
import { learnFromFolder, readLearnedSet, writeLearnedSet } from '../../../bot/perceive/learned-examples.ts';
import { learnIssueDetector } from '../../../bot/perceive/learned-issues.ts';
import { parcelPhoto, type PhotoKind } from '../../helpers/photos.ts';

const taxonomy = loadIssueTaxonomy();
const dir = mkdtempSync(join(tmpdir(), 'kefu-learn-'));
const LABELS: Record<Exclude<PhotoKind, 'none'>, string> = { damaged: 'damaged_item', wrong_item: 'wrong_item', intact: 'none' };
let embedder: ImageEmbedder;
let dispose: () => void;

/** Four pictures of each kind (variants 0–3), in a folder per issue. */
async function writeExamples(root: string) {
  for (const [kind, issue] of Object.entries(LABELS)) {
    mkdirSync(join(root, issue), { recursive: true });
    for (let v = 0; v < 4; v++) writeFileSync(join(root, issue, `${kind}-${v}.jpg`), await parcelPhoto(kind as PhotoKind, v));
  }
}

beforeAll(async () => {
  const model = await loadImageModerator();
  dispose = model.dispose;
  embedder = mobileNetEmbedder(model);
  await writeExamples(join(dir, 'examples'));
}, 120_000);
afterAll(() => {
  dispose?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('an issue detector learned from a few labelled pictures', () => {
  it('learns four pictures each of a damaged box, a wrong item and an intact box, and classifies pictures it has not seen', async () => {
    const learned = await learnFromFolder(join(dir, 'examples'), { embedder, taxonomy });
    expect(learned.examples).toHaveLength(12);
    expect(learned.embedder).toBe('mobilenet-v2');
    const detector = learnIssueDetector(learned.examples);
    expect(detector.counts).toEqual({ damaged_item: 4, none: 4, wrong_item: 4 });
    for (const [kind, issue] of Object.entries(LABELS)) {
      for (const v of [4, 5]) {
        const found = detector.detect(await embedder.embed(await parcelPhoto(kind as PhotoKind, v)));
        expect({ kind, v, id: found?.id }).toEqual({ kind, v, id: issue });
      }
    }
  }, 120_000);

  it('keeps the learned set as JSON and, learning again, embeds only pictures it has not seen', async () => {
    const first = await learnFromFolder(join(dir, 'examples'), { embedder, taxonomy });
    const file = join(dir, 'data', 'vision-examples.json');
    await writeLearnedSet(file, first);
    const stored = readLearnedSet(file)!;
    expect(stored.examples.map((e) => e.file)).toEqual(first.examples.map((e) => e.file));
    expect(Array.from(stored.examples[0]!.vector)).toEqual(Array.from(first.examples[0]!.vector));
    let embedded = 0;
    const counting: ImageEmbedder = { name: embedder.name, embed: (b) => (embedded++, embedder.embed(b)) };
    writeFileSync(join(dir, 'examples', 'damaged_item', 'damaged-9.jpg'), await parcelPhoto('damaged', 9));
    const again = await learnFromFolder(join(dir, 'examples'), { embedder: counting, taxonomy, previous: stored });
    expect(again.examples).toHaveLength(13);
    expect(embedded).toBe(1);
  }, 120_000);

  it('refuses a folder that is not an issue of the taxonomy, and skips a picture the intake refuses', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(join(bad, 'broken_boxes'), { recursive: true });
    await expect(learnFromFolder(bad, { embedder, taxonomy })).rejects.toThrow('"broken_boxes" is not an issue of the taxonomy');
    const skipping = join(dir, 'skipping');
    mkdirSync(join(skipping, 'damaged_item'), { recursive: true });
    writeFileSync(join(skipping, 'damaged_item', 'empty.jpg'), '');
    writeFileSync(join(skipping, 'damaged_item', 'box.jpg'), await parcelPhoto('damaged', 1));
    const learned = await learnFromFolder(skipping, { embedder, taxonomy });
    expect(learned.examples.map((e) => e.file)).toEqual(['damaged_item/box.jpg']);
    expect(learned.skipped).toEqual([expect.stringMatching(/^damaged_item\/empty\.jpg: /)]);
  }, 120_000);
});
