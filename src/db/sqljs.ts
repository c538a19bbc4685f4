import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;
let loaded: SqlJsStatic | null = null;

/** Load sql.js once. In the browser pass the wasm URL that Vite emitted; Node finds it itself. */
export function loadSqlJs(wasmUrl?: string): Promise<SqlJsStatic> {
  loading ??= initSqlJs(wasmUrl ? { locateFile: () => wasmUrl } : undefined).then((m) => (loaded = m));
  return loading;
}

export function getSqlJs(): SqlJsStatic {
  if (!loaded) throw new Error('sql.js is not loaded yet: await loadSqlJs() first');
  return loaded;
}
