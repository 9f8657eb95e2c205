/**
 * Personal data: find and mask Chinese mobile numbers, 18-digit resident ID numbers (checksum
 * validated), bank card numbers (Luhn validated, known card-number prefixes), e-mail addresses and
 * phone numbers in other formats. Masks keep a hint (138****5678) so a person can still tell
 * numbers apart. Pure functions: no I/O.
 */

export type PersonalDataKind = 'mobile-cn' | 'resident-id' | 'bank-card' | 'email' | 'phone';

export interface PersonalDataHit {
  kind: PersonalDataKind;
  /** Rule id for the trace and the audit log: `pii.<kind>`. */
  ruleId: string;
  start: number;
  end: number;
  /** The masked form that replaces the value. */
  masked: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character of an 18-digit resident ID number, plus a plausible birth date. */
export function validResidentId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]!.toUpperCase()) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of payment cards (UnionPay 62, Visa 4, Mastercard 51–55/2221–2720, Amex 34/37, JCB 35, Discover 6011/65, Maestro 50/56–69). */
function cardPrefix(digits: string): boolean {
  if (/^(4|5[0-9]|6|3[47]|35)/.test(digits)) return true;
  const four = Number(digits.slice(0, 4));
  return four >= 2221 && four <= 2720;
}

function maskDigits(value: string, keepStart: number, keepEnd: number): string {
  const total = (value.match(/[\dXx]/g) ?? []).length;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[\dXx]/.test(ch)) {
      seen++;
      out += seen <= keepStart || seen > total - keepEnd ? ch : '*';
    } else out += ch;
  }
  return out;
}

function maskEmail(value: string): string {
  const at = value.indexOf('@');
  const local = value.slice(0, at);
  return `${local[0]}***${value.slice(at)}`;
}

interface Detector {
  kind: PersonalDataKind;
  pattern: RegExp;
  accept(value: string): boolean;
  mask(value: string): string;
}

const digitsOf = (v: string) => v.replace(/\D/g, '');

/** In priority order: where two detectors claim overlapping text, the earlier one wins. */
const DETECTORS: Detector[] = [
  {
    kind: 'email',
    pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    accept: () => true,
    mask: maskEmail,
  },
  {
    kind: 'resident-id',
    pattern: /(?<![\dA-Za-z])\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?![\dA-Za-z])/g,
    accept: (v) => validResidentId(v.replace(/[ -]/g, '')),
    mask: (v) => maskDigits(v, 3, 4),
  },
  {
    kind: 'bank-card',
    pattern: /(?<![\d-]|\d[ -])\d{4}(?:[ -]?\d{1,7}){1,4}(?![\d-])/g,
    accept: (v) => {
      const d = digitsOf(v);
      return (d.length >= 14 || d.startsWith('4')) && d.length >= 13 && d.length <= 19 && cardPrefix(d) && luhnValid(d);
    },
    mask: (v) => maskDigits(v, 4, 4),
  },
  {
    kind: 'mobile-cn',
    pattern: /(?<!\d|\d[ -])(?:\+86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g,
    accept: () => true,
    mask: (v) => maskDigits(v, v.replace(/[ -]/g, '').length > 11 ? 5 : 3, 4),
  },
  {
    kind: 'phone',
    // International (+44 20 7946 0958), parenthesised area code ((021) 6123 4567), Chinese landline (010-12345678).
    pattern: /(?<![\d+]|\d[ -])(?:\+\d{1,3}[ -]?(?:\(\d{1,4}\)[ -]?)?\d{1,4}(?:[ -]?\d{2,4}){1,4}|\(0?\d{2,4}\)[ -]?\d{3,4}[ -]?\d{4}|0\d{2,3}-\d{7,8}(?:-\d{1,5})?|400[ -]?\d{3}[ -]?\d{4})(?!\d)/g,
    accept: (v) => {
      const n = digitsOf(v).length;
      return n >= 8 && n <= 15;
    },
    mask: (v) => maskDigits(v, v.startsWith('+') ? 2 : 3, 4),
  },
];

/** Every piece of personal data in `text`, non-overlapping, in text order. */
export function findPersonalData(text: string): PersonalDataHit[] {
  const taken: PersonalDataHit[] = [];
  for (const detector of DETECTORS) {
    for (const m of text.matchAll(detector.pattern)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (!detector.accept(m[0])) continue;
      if (taken.some((t) => start < t.end && t.start < end)) continue;
      taken.push({ kind: detector.kind, ruleId: `pii.${detector.kind}`, start, end, masked: detector.mask(m[0]) });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** `text` with every piece of personal data replaced by its masked form. */
export function maskPersonalData(text: string): { text: string; hits: PersonalDataHit[] } {
  const hits = findPersonalData(text);
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += text.slice(at, hit.start) + hit.masked;
    at = hit.end;
  }
  return { text: out + text.slice(at), hits };
}

/** Roles that may see personal data unmasked in a live conversation (stored text is always masked). */
export const DEFAULT_UNMASK_ROLES: readonly string[] = ['supervisor', 'compliance'];

export function unmaskAllowed(role: string, allowedRoles: readonly string[] = DEFAULT_UNMASK_ROLES): boolean {
  return allowedRoles.includes(role);
}

/** What an agent with `role` is shown of a live message: the original if the role allows it, else masked. */
export function textForRole(original: string, role: string, allowedRoles: readonly string[] = DEFAULT_UNMASK_ROLES): string {
  return unmaskAllowed(role, allowedRoles) ? original : maskPersonalData(original).text;
}

/** The inbox's `redact` hook: text with personal data masked, before anything is stored. */
export function redactPersonalData(text: string): string {
  return maskPersonalData(text).text;
}
