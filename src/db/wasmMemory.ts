import type { SqlJsConfig, SqlJsStatic } from 'sql.js';

/**
 * The WebAssembly memory each loaded sql.js module runs in, where it is known. sql.js does not hand
 * it out; a module loaded through `capturingConfig` has it caught as its wasm is instantiated. Known,
 * it lets a SQL function read its arguments itself (functions.ts), so one function serves every
 * connection instead of sql.js wrapping a new one for each (in Chrome each wrap compiles a small
 * wasm module: about a third of opening a database there).
 */
const memories = new WeakMap<SqlJsStatic, WebAssembly.Memory>();

export function memoryOf(SQL: SqlJsStatic): WebAssembly.Memory | undefined {
  return memories.get(SQL);
}

export function rememberMemory(SQL: SqlJsStatic, memory: WebAssembly.Memory): void {
  memories.set(SQL, memory);
}

/** The one Memory an instance exports (the minified build names it with a letter). */
function exportedMemory(instance: WebAssembly.Instance): WebAssembly.Memory | null {
  return Object.values(instance.exports).find((e): e is WebAssembly.Memory => e instanceof WebAssembly.Memory) ?? null;
}

/**
 * A sql.js config that instantiates the already compiled `module` itself (Emscripten's
 * `instantiateWasm` hook) and passes the instance's memory to `caught`. A failure to instantiate
 * goes to `failed`: Emscripten's own promise would wait for good.
 */
export function capturingConfig(module: WebAssembly.Module, caught: (memory: WebAssembly.Memory | null) => void, failed: (e: unknown) => void): SqlJsConfig {
  const instantiateWasm = (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
    WebAssembly.instantiate(module, imports).then((instance) => {
      caught(exportedMemory(instance));
      done(instance, module);
    }, failed);
    return {};
  };
  // sql.js's typings leave the hook out.
  return { instantiateWasm } as unknown as SqlJsConfig;
}
