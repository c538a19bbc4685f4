import type { Model, Operation } from '../types';
import { describeRegisterOperation, registerStep, type RegisterInput, type RegisterOutput, type Value } from './casRegister';
import { partitionByKey } from './partitionByKey';

/**
 * Independent registers named by key, as the SQL cluster's chaos mode records them: one row per
 * key, `SELECT v` is a read (nil when the row is absent), an upsert is a write, an
 * `UPDATE … WHERE v = ?` is a cas. Keys never interact, so each key is its own partition and its
 * state is that one register's value.
 */
export type KeyedRegisterInput = RegisterInput & { key: string };

export const registerKv: Model<Value, KeyedRegisterInput, RegisterOutput> = {
  init: () => null,
  step: registerStep,
  equal: (a, b) => a === b,
  partition: (history: Operation<KeyedRegisterInput, RegisterOutput>[]) => partitionByKey(history, (i) => i.key),
  describeOperation: (input, output) => `[${input.key}] ${describeRegisterOperation(input, output)}`,
};
