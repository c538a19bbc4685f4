import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { capturingConfig, rememberMemory } from './wasmMemory';

let loading: Promise<SqlJsStatic> | null = null;
let loaded: SqlJsStatic | null = null;

/**
 * sql.js's wasm, compiled: fetched from `wasmUrl` in the browser, read from the package in Node.
 * Null where neither works (then sql.js finds and loads it itself, its memory unknown).
 */
async function compiledWasm(wasmUrl?: string): Promise<WebAssembly.Module | null> {
  try {
    if (wasmUrl) {
      const res = await fetch(wasmUrl);
      if (!res.ok) return null;
      // A server that does not say application/wasm cannot stream it: compiled from the bytes.
      return res.headers.get('content-type')?.startsWith('application/wasm')
        ? await WebAssembly.compileStreaming(res)
        : await WebAssembly.compile(await res.arrayBuffer());
    }
    // Node, without importing its modules here (this file is also the page's).
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    if (!node) return null;
    const { createRequire } = node('node:module') as typeof import('node:module');
    const { readFileSync } = node('node:fs') as typeof import('node:fs');
    const path = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    return await WebAssembly.compile(readFileSync(path));
  } catch {
    return null;
  }
}

async function load(wasmUrl?: string): Promise<SqlJsStatic> {
  const module = await compiledWasm(wasmUrl);
  if (!module) return initSqlJs(wasmUrl ? { locateFile: () => wasmUrl } : undefined);
  let memory: WebAssembly.Memory | null = null;
  let fail: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const SQL = await Promise.race([initSqlJs(capturingConfig(module, (m) => (memory = m), fail)), failed]);
  if (memory) rememberMemory(SQL, memory);
  return SQL;
}

/** Load sql.js once. In the browser pass the wasm URL that Vite emitted; Node finds it itself. */
export function loadSqlJs(wasmUrl?: string): Promise<SqlJsStatic> {
  loading ??= load(wasmUrl).then((m) => (loaded = m));
  return loading;
}

export function getSqlJs(): SqlJsStatic {
  if (!loaded) throw new Error('sql.js is not loaded yet: await loadSqlJs() first');
  return loaded;
}
