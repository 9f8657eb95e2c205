import { describe, expect, it } from 'vitest';
import { addScaled, scores, softmaxInPlace, trainSoftmax } from '../../../training/intents/softmax.ts';
import { trainOneVsRestSvm } from '../../../training/intents/svm.ts';
import { fitVectorizer, vectorize } from '../../../training/intents/vectorizer.ts';

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

  it('one-vs-rest SVM separates two topics and generalises to an unseen word combination', () => {
    const model = trainOneVsRestSvm(rows, labels, 2, vectorizer.vocab.size, { C: 1 });
    const z = (text: string) => scores(model, vectorize(vectorizer, text));
    expect([z('apple'), z('sky'), z('a very red apple'), z('the sky at night')].map((s) => (s[0]! > s[1]! ? 0 : 1))).toEqual([0, 1, 0, 1]);
    // each class's own margin: positive for its topic, negative for the other
    expect(z('red apple')[0]!).toBeGreaterThan(0);
    expect(z('red apple')[1]!).toBeLessThan(0);
  });

  it('summing two linear models scores like adding their scores', () => {
    const a = trainSoftmax(rows, labels, 2, vectorizer.vocab.size, { epochs: 5 });
    const b = trainOneVsRestSvm(rows, labels, 2, vectorizer.vocab.size);
    const x = vectorize(vectorizer, 'green sky');
    const expected = scores(a, x).map((v, k) => v + 0.5 * scores(b, x)[k]!);
    const summed = scores(addScaled({ ...a, weights: a.weights.slice(), bias: a.bias.slice() }, b, 0.5), x);
    for (let k = 0; k < 2; k++) expect(summed[k]!).toBeCloseTo(expected[k]!, 5);
  });

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
