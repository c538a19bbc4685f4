import type { ChaosOp } from '../../drive/chaos/types';
import type { ReadLevel } from '../../cluster/types';
import type { KeyedRegisterInput } from '../linearizability/models/registerKv';
import type { RegisterOutput } from '../linearizability/models/casRegister';
import type { Operation } from '../linearizability/types';

export type RegisterOp = Operation<KeyedRegisterInput, RegisterOutput> & {
  /** The ChaosOp this came from, so a verdict can point back at the timeline. */
  id: number;
};

/**
 * One client operation as a keyed-register operation, or null when it constrains nothing (a read
 * that saw nothing, a write that certainly did not happen). An UPDATE that touched no row found
 * the key absent, which is exactly a read of nil; an unknown UPDATE is taken as a write, which can
 * only make the check more permissive, never report a false anomaly.
 */
export function toRegisterOp(op: ChaosOp): RegisterOp | null {
  const { outcome, req, key } = op;
  if (outcome.status === 'fail') return null;
  const base = { id: op.id, clientId: op.client, call: op.call, return: op.return };
  if (outcome.status === 'unknown') {
    if (req.f === 'read') return null;
    const input: KeyedRegisterInput =
      req.f === 'cas' ? { key, f: 'cas', from: req.from, to: req.value } : { key, f: 'write', value: req.value };
    return { ...base, input, output: { status: 'unknown' }, return: Infinity };
  }
  switch (req.f) {
    case 'read':
      return { ...base, input: { key, f: 'read' }, output: { status: 'ok', value: outcome.value ?? null } };
    case 'upsert':
      return { ...base, input: { key, f: 'write', value: req.value }, output: { status: 'ok' } };
    case 'update':
      return (outcome.rows ?? 0) > 0
        ? { ...base, input: { key, f: 'write', value: req.value }, output: { status: 'ok' } }
        : { ...base, input: { key, f: 'read' }, output: { status: 'ok', value: null } };
    case 'cas':
      return {
        ...base,
        input: { key, f: 'cas', from: req.from, to: req.value },
        output: (outcome.rows ?? 0) > 0 ? { status: 'ok' } : { status: 'fail' },
      };
  }
}

/**
 * The sub-history that a level answers for: every write (whatever level the reads use, writes go
 * through the log) and only the reads made at `level`.
 */
export function levelHistory(history: readonly ChaosOp[], level: ReadLevel): RegisterOp[] {
  const out: RegisterOp[] = [];
  for (const op of history) {
    if (op.req.f === 'read' && op.req.level !== level) continue;
    const r = toRegisterOp(op);
    if (r) out.push(r);
  }
  return out;
}
