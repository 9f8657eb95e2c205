/**
 * Photo-like pictures of parcels and products the tests render (SVG → JPEG with sharp), no text in them:
 *   intact       a closed brown box with its tape
 *   damaged      a brown box crushed in at a corner, torn open with a dark gash
 *   wrong_item   a bright blue sweater where a brown box or a grey mug was expected
 *   none         a sunlit room: a sofa and a window (nothing about an order)
 * `variant` moves the camera: background, size, position and tilt change, so no two pictures are alike.
 */
import sharp from 'sharp';

export type PhotoKind = 'intact' | 'damaged' | 'wrong_item' | 'none';

const BACKGROUNDS = ['#d9d4cc', '#c8c2b8', '#e6e1d8', '#bfb8ad', '#d3cfc6', '#cbc5bb', '#e0dbd2', '#b9b3a9'];

function scene(kind: PhotoKind, variant: number, width: number, height: number): string {
  const bg = BACKGROUNDS[variant % BACKGROUNDS.length]!;
  const s = 0.8 + ((variant * 37) % 9) / 20; // size 0.8 … 1.2
  const cx = width / 2 + (((variant * 53) % 11) - 5) * 8;
  const cy = height / 2 + (((variant * 29) % 7) - 3) * 8;
  const tilt = ((variant * 17) % 21) - 10;
  const w = 150 * s;
  const h = 110 * s;
  const at = `transform="translate(${cx} ${cy}) rotate(${tilt})"`;
  const floor = `<rect y="${height * 0.7}" width="${width}" height="${height * 0.3}" fill="#8d7b68" opacity="0.35"/>`;
  const shadow = `<ellipse cx="${cx}" cy="${cy + h / 2 + 6}" rx="${w / 1.8}" ry="${h / 8}" fill="#000" opacity="0.2"/>`;
  let body: string;
  if (kind === 'intact') {
    body = `<g ${at}><rect x="${-w / 2}" y="${-h / 2}" width="${w}" height="${h}" fill="#b5834f"/><rect x="${-w / 2}" y="${-h / 2}" width="${w}" height="${h * 0.18}" fill="#a27242"/><rect x="${-w * 0.06}" y="${-h / 2}" width="${w * 0.12}" height="${h}" fill="#d8c9a3"/></g>`;
  } else if (kind === 'damaged') {
    body = `<g ${at}><polygon points="${-w / 2},${-h / 2} ${w * 0.1},${-h / 2} ${w * 0.5},${-h * 0.1} ${w * 0.35},${h / 2} ${-w / 2},${h / 2}" fill="#a8753f"/><polygon points="${w * 0.1},${-h / 2} ${w * 0.5},${-h * 0.1} ${w * 0.2},${-h * 0.05}" fill="#6b4a28"/><path d="M ${-w * 0.35} ${-h * 0.1} L ${-w * 0.1} ${h * 0.05} L ${-w * 0.2} ${h * 0.2} L ${w * 0.1} ${h * 0.3}" stroke="#2b1d10" stroke-width="${10 * s}" fill="none"/><polygon points="${-w * 0.3},${h * 0.05} ${-w * 0.05},${h * 0.35} ${-w * 0.25},${h * 0.4}" fill="#3a2716"/></g>`;
  } else if (kind === 'wrong_item') {
    body = `<g ${at}><path d="M ${-w / 2} ${-h / 3} L ${-w / 5} ${-h / 2} L ${w / 5} ${-h / 2} L ${w / 2} ${-h / 3} L ${w * 0.42} ${-h * 0.05} L ${w * 0.3} ${-h * 0.12} L ${w * 0.3} ${h / 2} L ${-w * 0.3} ${h / 2} L ${-w * 0.3} ${-h * 0.12} L ${-w * 0.42} ${-h * 0.05} Z" fill="#1e5bd8"/><path d="M ${-w / 8} ${-h / 2} Q 0 ${-h / 3} ${w / 8} ${-h / 2}" stroke="#0d3a99" stroke-width="6" fill="none"/></g>`;
  } else {
    body = `<rect x="${width * 0.6}" y="${height * 0.1}" width="${width * 0.3}" height="${height * 0.35}" fill="#dff3ff" stroke="#fff" stroke-width="6"/><g ${at}><rect x="${-w * 0.8}" y="${-h * 0.2}" width="${w * 1.6}" height="${h * 0.6}" rx="18" fill="#5f8f5a"/><rect x="${-w * 0.8}" y="${-h * 0.55}" width="${w * 1.6}" height="${h * 0.45}" rx="18" fill="#6fa369"/></g>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${bg}"/>${floor}${kind === 'none' ? '' : shadow}${body}</svg>`;
}

export async function parcelPhoto(kind: PhotoKind, variant = 0, width = 320, height = 240): Promise<Uint8Array> {
  return new Uint8Array(await sharp(Buffer.from(scene(kind, variant, width, height))).jpeg({ quality: 88 }).toBuffer());
}
