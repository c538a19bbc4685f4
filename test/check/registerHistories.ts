/** Small hand-made register histories for the linearizability checker's unit tests. */
import type {
  KeyedRegisterInput,
  Operation,
  RegisterOperation,
  RegisterOutput,
  Value,
} from '../../src/check/linearizability';

export const op = (
  clientId: number,
  call: number,
  ret: number,
  input: RegisterOperation['input'],
  output: RegisterOutput,
): RegisterOperation => ({
  clientId,
  call,
  return: ret,
  input,
  output,
});
export const w = (c: number, call: number, ret: number, value: Value) =>
  op(c, call, ret, { f: 'write', value }, { status: 'ok' });
export const r = (c: number, call: number, ret: number, value: Value) =>
  op(c, call, ret, { f: 'read' }, { status: 'ok', value });

export type KOp = Operation<KeyedRegisterInput, RegisterOutput>;
export const kw = (key: string, call: number, ret: number, value: Value): KOp => ({
  clientId: 0,
  call,
  return: ret,
  input: { key, f: 'write', value },
  output: { status: 'ok' },
});
export const kr = (key: string, call: number, ret: number, value: Value): KOp => ({
  clientId: 1,
  call,
  return: ret,
  input: { key, f: 'read' },
  output: { status: 'ok', value },
});

/** n concurrent writes of one key, then a read of a value nobody wrote: illegal, but only after trying every order. */
export function hardKey(key: string, n: number): KOp[] {
  const out: KOp[] = [];
  for (let i = 0; i < n; i++) out.push({ ...kw(key, 0, 1000, i), clientId: i });
  out.push(kr(key, 2000, 2001, -1));
  return out;
}
