/**
 * Bytes → text for text formats, refusing what is not text: binary content, and encodings kefu
 * cannot read. UTF-8 (with or without BOM), UTF-16 with a BOM, and GB18030/GBK (common for Chinese
 * files) are read.
 */
export type Decoded = { text: string } | { reason: string };

const MAGIC: [string, number[]][] = [
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a ZIP archive (DOCX/XLSX?)', [0x50, 0x4b, 0x03, 0x04]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['an executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['a gzip archive', [0x1f, 0x8b]],
];

export function sniffBinary(bytes: Uint8Array): string | undefined {
  for (const [name, magic] of MAGIC) if (magic.every((b, i) => bytes[i] === b)) return name;
  return undefined;
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  const magic = sniffBinary(bytes);
  if (magic) return { reason: `binary content: the file is ${magic}, not text` };
  const sample = bytes.subarray(0, 65536);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return { reason: 'binary content: the file contains NUL bytes, not text' };
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  if (control > sample.length * 0.01) return { reason: 'binary content: too many control characters for text' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    // Not UTF-8: try GB18030, accepted only when the result reads as Chinese text.
  }
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    if (looksLikeChinese(text)) return { text };
  } catch {
    // fall through
  }
  return { reason: 'unreadable encoding: not valid UTF-8, UTF-16 (with BOM) or GB18030 text; save the file as UTF-8' };
}

/** Accepted as GB18030 only when Chinese characters make up a good share of the text (Latin-1 text decodes to scattered ones). */
function looksLikeChinese(text: string): boolean {
  let han = 0;
  let odd = 0;
  let visible = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    visible++;
    const c = ch.codePointAt(0)!;
    if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if (c >= 0x80 && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xffef)) odd++;
  }
  return visible > 0 && han >= visible * 0.2 && odd <= visible * 0.02;
}
