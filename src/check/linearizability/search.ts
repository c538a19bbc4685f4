import { VisitedCache, hashString, zobrist } from './cache';
import { buildEntryList, lift, unlift, type EntryList } from './entries';
import type { CheckResult, Model, Operation } from './types';

/**
 * Wing & Gong's search with Lowe's memoisation, as in Porcupine: walk the list of call/return
 * entries; at a call, try to linearize that operation now (lift it out of the list and restart
 * from the head); at a return, the operation returning there had to be linearized already, so
 * backtrack (unlift the most recent choice and try the entry after it).
 *
 * The search can be paused and resumed (`run(steps)`), so that the caller can share a step budget
 * between partitions the way Porcupine runs them side by side: one easy illegal partition then
 * decides the history even when another partition would take forever.
 */
export class PartitionSearch<S, I, O> {
  result: CheckResult = 'unknown';
  steps = 0;
  /** Operation indices of the longest linearized prefix, in order. */
  longest: number[] = [];
  /** Operation indices that were candidates right after `longest`, and all failed. */
  stuck: number[] = [];

  private readonly list: EntryList;
  private readonly cache: VisitedCache<S>;
  private readonly bits: Uint32Array;
  private readonly z: Int32Array;
  private readonly stateKey: ((s: S) => number) | null;
  private readonly stackEntry: Int32Array;
  private readonly stackState: S[];
  private top = 0;
  private state: S;
  private setHash = 0;
  private entry: number;
  private bestLen = -1;

  constructor(
    private readonly model: Model<S, I, O>,
    private readonly history: Operation<I, O>[],
  ) {
    this.list = buildEntryList(history);
    const n = this.list.n;
    this.cache = new VisitedCache<S>(n, (a, b) => model.equal(a, b));
    this.bits = new Uint32Array(this.cache.words);
    this.z = new Int32Array(n);
    for (let i = 0; i < n; i++) this.z[i] = zobrist(i);
    const hash = model.hash;
    this.stateKey = hash ? (s: S): number => hashString(hash.call(model, s)) : null;
    this.stackEntry = new Int32Array(n);
    this.stackState = new Array<S>(n);
    this.state = model.init();
    this.entry = this.list.next[0];
    if (this.entry === -1) this.result = 'ok';
  }

  /** Search for at most `budget` more steps; the result stays 'unknown' if that was not enough. */
  run(budget: number): CheckResult {
    if (this.result !== 'unknown') return this.result;
    const { list, model, history, cache, bits, z, stateKey, stackEntry, stackState } = this;
    const { next, match, op } = list;
    let { top, state, setHash, entry } = this;
    const limit = this.steps + budget;
    let steps = this.steps;
    while (next[0] !== -1 && steps < limit) {
      steps++;
      if (match[entry] !== -1) {
        const id = op[entry];
        const [legal, after] = model.step(state, history[id].input, history[id].output);
        if (legal) {
          bits[id >>> 5] |= 1 << (id & 31);
          setHash ^= z[id];
          const key = stateKey ? setHash ^ Math.imul(stateKey(after), 0x9e3779b1) : setHash;
          if (cache.add(bits, key, after)) {
            stackEntry[top] = entry;
            stackState[top] = state;
            top++;
            state = after;
            lift(list, entry);
            entry = next[0];
            continue;
          }
          bits[id >>> 5] &= ~(1 << (id & 31));
          setHash ^= z[id];
        }
        entry = next[entry];
        continue;
      }
      if (top > this.bestLen) this.recordLongest(top, entry);
      if (top === 0) {
        this.result = 'illegal';
        break;
      }
      top--;
      entry = stackEntry[top];
      state = stackState[top];
      const id = op[entry];
      bits[id >>> 5] &= ~(1 << (id & 31));
      setHash ^= z[id];
      unlift(list, entry);
      entry = next[entry];
    }
    Object.assign(this, { top, state, setHash, entry, steps });
    if (next[0] === -1) {
      this.result = 'ok';
      this.longest = Array.from(stackEntry.subarray(0, top), (e) => op[e]);
      this.stuck = [];
    }
    return this.result;
  }

  /** Called at a dead end: `deadEnd` is the return entry that could not be passed. */
  private recordLongest(top: number, deadEnd: number): void {
    const { next, match, op } = this.list;
    this.bestLen = top;
    this.longest = Array.from(this.stackEntry.subarray(0, top), (e) => op[e]);
    this.stuck = [];
    for (let e = next[0]; e !== deadEnd; e = next[e]) if (match[e] !== -1) this.stuck.push(op[e]);
  }
}
