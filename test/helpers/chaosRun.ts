import type { ReadLevel } from '../../src/cluster/types';
import { defaultChaosOptions, type ChaosOp, type ChaosRequest, type ChaosRun } from '../../src/drive/chaos/types';

/** A finished operation on key `a`: `value` is what a read returned. */
export function op(id: number, req: ChaosRequest, call: number, ret: number, value?: number | null): ChaosOp {
  return {
    id, client: id, key: 'a', req, node: 'n1', servedBy: 'n1', call, return: ret, gaveUpAt: null,
    outcome: req.f === 'read' ? { status: 'ok', value: value ?? null } : { status: 'ok', rows: 1 },
  };
}

/** Write 1, then write 2, then a read at `level` that still returns 1: a stale read. */
export function staleReadHistory(level: ReadLevel): ChaosOp[] {
  return [op(0, { f: 'upsert', value: 1 }, 0, 10), op(1, { f: 'upsert', value: 2 }, 20, 30), op(2, { f: 'read', level }, 40, 45, 1)];
}

/** The same operations with the read returning the latest value. */
export function freshReadHistory(level: ReadLevel): ChaosOp[] {
  return [op(0, { f: 'upsert', value: 1 }, 0, 10), op(1, { f: 'upsert', value: 2 }, 20, 30), op(2, { f: 'read', level }, 40, 45, 2)];
}

/** A chaos run that went well (safe, converged, one database) with this history; override what should not. */
export function chaosRun(history: ChaosOp[], levels: ReadLevel[], over: Partial<ChaosRun> = {}): ChaosRun {
  return {
    options: { ...defaultChaosOptions, levels },
    history,
    faults: [],
    faultsEnd: 50,
    converged: true,
    end: 100,
    nodes: [],
    hashesAgree: true,
    violations: [],
    events: 0,
    ...over,
  };
}
