import { Parser } from 'htmlparser2';

/**
 * The fields of a WeChat XML message: the text of each child of the root `<xml>`, CDATA or plain. Nested
 * elements (e.g. an event's `<ScanCodeInfo>`) are flattened by their own names. Entities are not expanded
 * beyond XML's five, and no DTD is read: a hostile document cannot pull in files or blow up in size.
 */
export function parseWechatXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const open: string[] = [];
  let sawRoot = false;
  const parser = new Parser(
    {
      onopentag(name) {
        if (open.length === 0) sawRoot = name === 'xml';
        open.push(name);
      },
      ontext(text) {
        if (open.length >= 2) fields[open.at(-1)!] = (fields[open.at(-1)!] ?? '') + text;
      },
      onclosetag() {
        open.pop();
      },
    },
    { xmlMode: true, recognizeCDATA: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  if (!sawRoot) throw new Error('not a WeChat message: the root element must be <xml>');
  return fields;
}

/** CDATA that cannot be closed early by the text inside it. */
const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** A WeChat XML message: strings as CDATA, numbers as they are. */
export function wechatXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
