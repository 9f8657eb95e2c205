/**
 * Words of a text, Chinese included, from ICU's word segmenter (Intl.Segmenter, built into Node), for the
 * knowledge base's tokens and the intent classifier's features alike.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The longest piece handed to the segmenter at once. Its time grows much faster than the text past a few
 * thousand characters (72,000 took 15 s), so longer texts are segmented slice by slice: linear time.
 */
const SEGMENT_SLICE = 2000;
const SLICE_BREAK = /[\s\p{P}]/u;

/** The segmenter's pieces of `text`, slice by slice, each slice cut after a space or punctuation where one is near. */
export function* segments(text: string): Generator<Intl.SegmentData> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + SEGMENT_SLICE);
    if (end < text.length) {
      let cut = end;
      while (cut > end - 200 && !SLICE_BREAK.test(text[cut - 1]!)) cut--;
      end = cut > end - 200 ? cut : end;
      if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--; // never split a surrogate pair
    }
    yield* segmenter.segment(text.slice(start, end));
    start = end;
  }
}

/** The word-like pieces of `text` (letters, digits, Chinese words), in order. */
export function* words(text: string): Generator<string> {
  for (const s of segments(text)) if (s.isWordLike) yield s.segment;
}
