import type { ClientOp, ReadLevel } from '../cluster/types';

/** Split a script on semicolons that are not inside quotes or comments. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
      cur += ch;
    } else if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      cur += '\n';
    } else if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** rqlite's unified endpoint sends a request to the read path only when every statement reads. */
export function isRead(sql: string): boolean {
  return /^\s*(select|pragma|explain|with\b[\s\S]*\bselect\b(?![\s\S]*\b(insert|update|delete)\b))/i.test(sql);
}

export interface RequestSettings {
  level: ReadLevel;
  transaction: boolean;
  queue: boolean;
  timeout: number;
}

export function buildOp(script: string, s: RequestSettings): ClientOp | null {
  const statements = splitStatements(script).map((sql) => ({ sql }));
  if (statements.length === 0) return null;
  if (statements.every((st) => isRead(st.sql))) {
    return { op: 'query', req: { statements, level: s.level, timeout: s.timeout, freshness: s.level === 'none' ? 0 : undefined } };
  }
  return { op: 'execute', req: { statements, transaction: s.transaction, queue: s.queue, timeout: s.timeout } };
}
