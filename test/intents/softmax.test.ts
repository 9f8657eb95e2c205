import { describe, expect, it } from 'vitest';
import { scores, softmaxInPlace, trainSoftmax } from '../../training/intents/softmax.ts';
import { fitVectorizer, vectorize } from '../../training/intents/vectorizer.ts';

const texts = ['red apple', 'green apple', 'ripe apple', 'blue sky', 'grey sky', 'night sky'];
const labels = Int32Array.from([0, 0, 0, 1, 1, 1]);

describe('linear classifiers on TF-IDF vectors', () => {
  const { vectorizer, rows } = fitVectorizer(texts);

  for (const loss of ['log', 'hinge'] as const) {
    it(`${loss} loss separates two topics and generalises to an unseen word combination`, () => {
      const model = trainSoftmax(rows, labels, 2, vectorizer.vocab.size, { loss, epochs: 20, learningRate: 0.2 });
      const argmax = (text: string) => {
        const z = scores(model, vectorize(vectorizer, text));
        return z[0]! > z[1]! ? 0 : 1;
      };
      expect([argmax('apple'), argmax('sky'), argmax('a very red apple'), argmax('the sky at night')]).toEqual([0, 1, 0, 1]);
    });
  }

  it('L2-normalises each feature block', () => {
    const x = vectorize(vectorizer, 'red apple');
    const norm = Math.hypot(...x.val);
    // two blocks (words, characters), each of unit length
    expect(norm).toBeCloseTo(Math.SQRT2, 5);
  });

  it('softmax is stable for large logits and a temperature flattens it', () => {
    const p = softmaxInPlace(Float64Array.from([1000, 999]));
    expect(p[0]! + p[1]!).toBeCloseTo(1);
    const flat = softmaxInPlace(Float64Array.from([1000, 999]), 10);
    expect(flat[0]!).toBeLessThan(p[0]!);
  });
});
