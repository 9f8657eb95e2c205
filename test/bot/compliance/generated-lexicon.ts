/** Shared by the lexicon test and bench/compliance.bench.ts. */
/** A deterministic generated lexicon: `count` distinct terms, CJK and Latin, 2–8 characters. */
export function generatedTerms(count: number, seed = 7): string[] {
  let state = seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const terms = new Set<string>();
  while (terms.size < count) {
    const len = 2 + Math.floor(rand() * 7);
    let t = '';
    const cjk = rand() < 0.5;
    for (let i = 0; i < len; i++) t += cjk ? String.fromCharCode(0x4e00 + Math.floor(rand() * 3000)) : String.fromCharCode(97 + Math.floor(rand() * 26));
    terms.add(t);
  }
  return [...terms];
}
