/**
 * Test fixtures made by code, so no binary blob is committed: a minimal PDF, a ZIP writer (for DOCX),
 * an XLSX through exceljs, and a tiny ONNX "sentence encoder" with its tokenizer for transformers.js.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { onnxModel } from '../../training/onnx-model.ts';

/** A one-page PDF with one text line per entry (Helvetica), with a correct xref table. */
export function makePdf(lines: string[], title = 'Test PDF'): Uint8Array {
  const esc = (s: string) => s.replace(/([\\()])/g, '\\$1');
  const content = `BT /F1 12 Tf 72 720 Td 16 TL ${lines.map((l) => `(${esc(l)}) Tj T*`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Title (${esc(title)}) >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of stored (uncompressed) entries. */
export function makeZip(files: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    parts.push(local, nameBytes, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

/** A DOCX with headings (Heading1/Heading2 styles), paragraphs and one table. */
export function makeDocx(body: ({ heading: string; level: 1 | 2 } | { text: string } | { table: string[][] })[]): Uint8Array {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const para = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${x(text)}</w:t></w:r></w:p>`;
  const xml = body
    .map((b) => {
      if ('heading' in b) return para(b.heading, `Heading${b.level}`);
      if ('text' in b) return para(b.text);
      return `<w:tbl>${b.table.map((row) => `<w:tr>${row.map((c) => `<w:tc>${para(c)}</w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`;
    })
    .join('');
  return makeZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${xml}</w:body></w:document>`,
  });
}

export async function makeXlsx(sheets: Record<string, string[][]>): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

// --- a tiny ONNX encoder: Gather(word table, input_ids) → last_hidden_state ---

/** An ONNX model whose output for each token is its row of `table` (mean pooling happens in transformers.js). */
export function makeOnnxEncoder(table: number[][]): Uint8Array {
  const dim = table[0]!.length;
  return onnxModel({
    name: 'tiny-encoder',
    nodes: [{ op: 'Gather', inputs: ['word_table', 'input_ids'], outputs: ['last_hidden_state'] }],
    initializers: [{ name: 'word_table', dims: [table.length, dim], data: Float32Array.from(table.flat()) }],
    inputs: [
      { name: 'input_ids', type: 'int64', dims: ['batch', 'sequence'] },
      { name: 'attention_mask', type: 'int64', dims: ['batch', 'sequence'] },
    ],
    outputs: [{ name: 'last_hidden_state', type: 'float32', dims: ['batch', 'sequence', dim] }],
    opset: 13,
  });
}

/**
 * Writes `<dir>/<name>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}`: a word-level
 * vocabulary where synonyms share a vector, so meaning can be checked without real weights.
 */
export function writeTinyModel(dir: string, name: string, concepts: string[][]): void {
  const vocab: Record<string, number> = { '[PAD]': 0, '[UNK]': 1 };
  const table: number[][] = [];
  const dim = concepts.length + 1;
  const row = (hot: number, value = 1) => Array.from({ length: dim }, (_, i) => (i === hot ? value : 0));
  // Unknown words barely move the mean: a text's vector is the mix of the concepts it names.
  table.push(row(dim - 1, 0.01), row(dim - 1, 0.01));
  concepts.forEach((words, c) => {
    for (const w of words) {
      vocab[w] = table.length;
      table.push(row(c));
    }
  });
  const folder = join(dir, name);
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  writeFileSync(join(folder, 'onnx', 'model.onnx'), makeOnnxEncoder(table));
  writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: dim }));
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64, unk_token: '[UNK]', pad_token: '[PAD]' }));
  writeFileSync(
    join(folder, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [
        { id: 0, content: '[PAD]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
        { id: 1, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      ],
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
    }),
  );
}
