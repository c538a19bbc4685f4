export type { CheckInfo, CheckOptions, CheckOutcome, CheckResult, Model, Operation, PartitionReport } from './types';
export { checkOperations, describeFailure, DEFAULT_BUDGET } from './check';
export {
  casRegister,
  registerStep,
  type RegisterInput,
  type RegisterOperation,
  type RegisterOutput,
  type Value,
} from './models/casRegister';
export { kvStore, type KvInput, type KvOperation, type KvOutput } from './models/kvStore';
export { registerKv, type KeyedRegisterInput } from './models/registerKv';
export { partitionByKey } from './models/partitionByKey';
export { parseJepsenEtcdLog, parseKvEdn } from './parse';
