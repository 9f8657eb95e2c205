/**
 * Reply and URL templates: `{slot}` is a slot's value, `{result.field}` a field of the last action's
 * JSON result (dots reach into objects). Checked at load (every name known, braces balanced) and filled
 * in at run time. Pure functions.
 */

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The names a template uses, or an error saying what is wrong with it. */
export function placeholders(template: string): { names: string[] } | { error: string } {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1]!.trim();
    if (!/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/.test(name)) return { error: `'{${m[1]}}' is not a slot or result field name` };
    names.push(name);
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(rest)) return { error: `unbalanced '{' or '}' in '${template}'` };
  return { names };
}

/** The value at a dotted path of the result (`result.carrier` → result.carrier). */
export function resultField(result: unknown, path: string): unknown {
  let value: unknown = result;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export interface TemplateValues {
  slots: Record<string, string>;
  result?: unknown;
}

function valueOf(name: string, values: TemplateValues): string {
  if (name.startsWith('result.')) {
    const v = resultField(values.result, name.slice('result.'.length));
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return values.slots[name] ?? '';
}

/** A reply template filled in. */
export function fill(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => valueOf(name.trim(), values));
}

/** A URL path template filled in, each value URL-encoded so a slot can never change the path's shape. */
export function fillPath(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(valueOf(name.trim(), values)));
}

/** A JSON body whose string values are templates. */
export function fillBody(body: unknown, values: TemplateValues): unknown {
  if (typeof body === 'string') return fill(body, values);
  if (Array.isArray(body)) return body.map((b) => fillBody(b, values));
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, fillBody(v, values)]));
  return body;
}
