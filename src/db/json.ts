/**
 * JSON text of a value that may hold bigints (exact 64-bit integers, see values.ts): a bigint is
 * written as its digits, a JSON number as rqlite writes an int64. For any value without a bigint
 * the text is exactly JSON.stringify's (a property test holds it to that).
 *
 * `replace` sees every value before it is written (JSON.stringify's replacer without the key).
 */
export function toJson(value: unknown, space = 0, replace?: (v: unknown) => unknown): string {
  return write(value, ' '.repeat(space), '', replace) ?? 'undefined';
}

function write(input: unknown, gap: string, indent: string, replace?: (v: unknown) => unknown): string | undefined {
  let v = input;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
  if (replace) v = replace(v);
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) return JSON.stringify(v);
  const inner = indent + gap;
  const open = gap ? `\n${inner}` : '';
  const close = gap ? `\n${indent}` : '';
  const sep = gap ? `,\n${inner}` : ',';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => write(x, gap, inner, replace) ?? 'null');
    return `[${open}${items.join(sep)}${close}]`;
  }
  const items: string[] = [];
  for (const k of Object.keys(v)) {
    const s = write((v as Record<string, unknown>)[k], gap, inner, replace);
    if (s !== undefined) items.push(`${JSON.stringify(k)}:${gap ? ' ' : ''}${s}`);
  }
  return items.length === 0 ? '{}' : `{${open}${items.join(sep)}${close}}`;
}
