import type { MonitoredCluster, MonitoredServer } from '../../src/check/safety';
import { PersistentState } from '../../src/raft/log';
import type { Entry, Role } from '../../src/raft/types';

type Observer = Parameters<MonitoredCluster['observe']>[0];

/** A server whose log, term and role a test sets by hand. */
export class HandBuiltServer implements MonitoredServer {
  readonly proc: { storage: PersistentState; raft: { role: Role; term: number } | null };
  /** Its database, reduced to the content hash the monitor compares; null: none (down). */
  db: { hash(): string } | null = null;

  /** Give the server a database whose content hashes to `hash`. */
  holding(hash: string): this {
    this.db = { hash: () => hash };
    return this;
  }

  constructor(readonly id: string, voters: string[]) {
    this.proc = { storage: new PersistentState({ voters, learners: [] }), raft: { role: 'follower', term: 0 } };
  }

  /** Replace the log with these entries (index 1 onwards). */
  setLog(entries: Entry[]): this {
    this.proc.storage.entries = [...entries];
    this.proc.storage.edits++;
    return this;
  }

  /** Become leader of `term` (the persisted term follows, as in Raft). */
  lead(term: number): this {
    this.proc.storage.term = term;
    this.proc.raft = { role: 'leader', term };
    return this;
  }

  follow(term: number): this {
    this.proc.storage.term = term;
    this.proc.raft = { role: 'follower', term };
    return this;
  }
}

/**
 * A cluster of hand-built servers for the safety monitor: a test puts the servers in a state no
 * correct run reaches, then calls `event()` (the monitor checks after each event, as it does in a
 * Cluster) or `apply()` (a server applied an entry to its state machine).
 */
export class HandBuiltCluster implements MonitoredCluster {
  readonly world = { now: 0, eventCount: 0 };
  readonly servers = new Map<string, HandBuiltServer>();
  private observers: Observer[] = [];

  constructor(ids: string[] = ['n1', 'n2', 'n3']) {
    for (const id of ids) this.servers.set(id, new HandBuiltServer(id, ids));
  }

  observe(o: Observer): void {
    this.observers.push(o);
  }

  server(id: string): HandBuiltServer {
    const s = this.servers.get(id);
    if (!s) throw new Error(`no server ${id}`);
    return s;
  }

  /** One event happened: the clock moves on and the observers look at the new state. */
  event(): void {
    this.world.now += 1;
    this.world.eventCount += 1;
    for (const o of this.observers) o.onEvent?.();
  }

  apply(id: string, entry: Entry): void {
    for (const o of this.observers) o.onApply?.(this.server(id), entry);
  }
}

/** A command entry; `data` tells two commands at the same index and term apart. */
export function entry(index: number, term: number, data: string): Entry {
  return { index, term, kind: 'command', data };
}

/** Entries 1.. with these terms and data `${term}:${index}` (or the given data). */
export function log(...spec: ([number, string] | number)[]): Entry[] {
  return spec.map((s, i) => (typeof s === 'number' ? entry(i + 1, s, `${s}:${i + 1}`) : entry(i + 1, s[0], s[1])));
}
