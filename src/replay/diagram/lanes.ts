import type { NodeView } from '../frames';
import type { Lane, LaneSegment } from './types';

interface MutableLane extends Lane {
  readonly segments: LaneSegment[];
}

function sameState(s: LaneSegment, v: NodeView): boolean {
  return s.alive === v.alive && s.role === v.role && s.term === v.term && s.membership === v.membership;
}

/** One lane per server ever seen in a frame, in order of appearance, cut where its state changes. */
export class LaneTracker {
  readonly lanes: MutableLane[] = [];
  private readonly byId = new Map<string, MutableLane>();

  /** Follow one server's view in frame `frame` (at `time`); returns true for a server seen first. */
  observe(v: NodeView, frame: number, time: number): boolean {
    let lane = this.byId.get(v.id);
    const isNew = lane === undefined;
    if (!lane) {
      lane = { id: v.id, col: this.lanes.length, from: time, segments: [] };
      this.lanes.push(lane);
      this.byId.set(v.id, lane);
    }
    const last = lane.segments[lane.segments.length - 1];
    if (!last || !sameState(last, v)) {
      lane.segments.push({ from: time, frame, alive: v.alive, role: v.role, term: v.term, membership: v.membership });
    }
    return isNew;
  }

  /** Forget every state seen after frame `keep` (and the lanes of servers first seen after it). */
  truncate(keep: number): void {
    for (const lane of this.lanes) while (lane.segments.length > 0 && lane.segments[lane.segments.length - 1].frame > keep) lane.segments.pop();
    // Lanes are in order of first appearance: the ones seen only after `keep` are at the end.
    while (this.lanes.length > 0 && this.lanes[this.lanes.length - 1].segments.length === 0) this.byId.delete(this.lanes.pop()!.id);
  }

  get(id: string): Lane | undefined {
    return this.byId.get(id);
  }
}

/** The segment of `lane` in force at frame `frame` (its state on screen then), or null before it existed. */
export function segmentAt(lane: Lane, frame: number): LaneSegment | null {
  const segs = lane.segments;
  let lo = 0;
  let hi = segs.length - 1;
  if (hi < 0 || segs[0].frame > frame) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].frame <= frame) lo = mid;
    else hi = mid - 1;
  }
  return segs[lo];
}
