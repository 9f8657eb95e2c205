/**
 * Images the tests make themselves: screenshot-like pictures rendered from SVG with sharp (Noto CJK fonts,
 * Chinese and English text, coloured error banners), and hostile files written byte by byte (a PNG that
 * claims 30,000 × 30,000 pixels, a GIF of many huge frames).
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ScreenshotSpec {
  /** A coloured banner across the top (an app's error bar), with its text. */
  banner?: { text: string; color: string };
  /** Lines of text under the banner. */
  lines?: string[];
  width?: number;
  height?: number;
}

/** A phone-app screenshot as PNG: white page, an optional coloured banner, dark text lines. */
export async function screenshot(spec: ScreenshotSpec): Promise<Uint8Array> {
  const width = spec.width ?? 720;
  const height = spec.height ?? 400;
  const font = 'font-family="Noto Sans CJK SC, sans-serif"';
  const banner = spec.banner
    ? `<rect x="0" y="30" width="${width}" height="72" fill="${spec.banner.color}"/><text x="24" y="78" font-size="32" fill="#ffffff" ${font}>${escapeXml(spec.banner.text)}</text>`
    : '';
  const lines = (spec.lines ?? []).map((line, i) => `<text x="24" y="${160 + i * 52}" font-size="28" fill="#202124" ${font}>${escapeXml(line)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/>${banner}${lines}</svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}

/** A photo-like picture: a flat colour with a darker patch (no text), as JPEG. */
export async function photo(color: string, patch = '#333333', width = 320, height = 240): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${color}"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 4}" fill="${patch}"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg().toBuffer());
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A decompression bomb: a few hundred bytes whose header claims `side` × `side` RGB pixels (all white once inflated). */
export function pngBomb(side = 30_000): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const rows = deflateSync(Buffer.alloc((side * 3 + 1) * 4, 0xff), { level: 9 }); // the first rows only: the rest never comes
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]));
}

/** A GIF bomb: `frames` frames of `side` × `side` pixels, each a handful of bytes. */
export function gifBomb(frames = 500, side = 10_000): Uint8Array {
  const u16 = (n: number) => [n & 0xff, n >> 8];
  const parts: number[] = [...Buffer.from('GIF89a', 'latin1'), ...u16(side), ...u16(side), 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff];
  for (let i = 0; i < frames; i++) {
    parts.push(0x2c, ...u16(0), ...u16(0), ...u16(side), ...u16(side), 0); // image descriptor
    parts.push(2, 2, 0x4c, 0x01, 0); // LZW code size 2, one sub-block: clear, one pixel, end
  }
  parts.push(0x3b);
  return new Uint8Array(parts);
}
