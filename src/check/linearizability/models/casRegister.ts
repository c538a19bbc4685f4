import type { Model, Operation } from '../types';

/** A register's value; `null` is nil (never written, or a missing row). */
export type Value = string | number | null;

export type RegisterInput = { f: 'read' } | { f: 'write'; value: Value } | { f: 'cas'; from: Value; to: Value };

/**
 * Jepsen's completion types: `ok` happened (a read carries the value it saw); `fail` definitely did
 * not happen (a cas whose comparison failed, a rejected write); `unknown` may or may not have
 * happened (a timeout) and must come with `return = Infinity`.
 */
export type RegisterOutput = { status: 'ok'; value?: Value } | { status: 'fail' } | { status: 'unknown' };

/** The sequential register shared by `casRegister` and each key of `registerKv`. */
export function registerStep(state: Value, input: RegisterInput, output: RegisterOutput): [boolean, Value] {
  switch (input.f) {
    case 'read':
      // A failed or unknown read observed nothing and changed nothing.
      return [output.status !== 'ok' || output.value === state, state];
    case 'write':
      return [true, output.status === 'fail' ? state : input.value];
    case 'cas': {
      const matches = state === input.from;
      if (output.status === 'ok') return [matches, matches ? input.to : state];
      if (output.status === 'fail') return [!matches, state];
      return [true, matches ? input.to : state];
    }
  }
}

function show(v: Value | undefined): string {
  return v === null || v === undefined ? 'nil' : JSON.stringify(v);
}

export function describeRegisterOperation(input: RegisterInput, output: RegisterOutput): string {
  const outcome = output.status === 'ok' ? '' : ` (${output.status})`;
  switch (input.f) {
    case 'read':
      return output.status === 'ok' ? `read() -> ${show(output.value)}` : `read()${outcome}`;
    case 'write':
      return `write(${show(input.value)})${outcome}`;
    case 'cas':
      return `cas(${show(input.from)}, ${show(input.to)}) -> ${output.status}`;
  }
}

/** One compare-and-set register, initially nil (Porcupine's etcd model, Knossos' cas-register). */
export const casRegister: Model<Value, RegisterInput, RegisterOutput> = {
  init: () => null,
  step: registerStep,
  equal: (a, b) => a === b,
  describeOperation: describeRegisterOperation,
};

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>;
