import type { SimEvent } from '../simulation';

/**
 * A stretch of time during which the network was split: the servers cut off from a majority, and
 * when it started and ended (drawn as shaded bands over their lanes).
 */
export interface PartitionSpan {
  readonly from: number;
  /** The frame of the event that split the network: shown from this frame on. */
  readonly frame: number;
  /** When a heal or a new split ended it; null while it lasts. */
  to: number | null;
  toFrame: number | null;
  /** The servers not in a group holding a majority of the servers known then (all of them, if no group does). */
  readonly cut: readonly string[];
  /** Server → group number, as the network keeps it (unlisted servers are group 0, together). */
  readonly groups: ReadonlyMap<string, number>;
}

type Split = Extract<SimEvent, { kind: 'partition' | 'heal' }>;

/** The servers that `groups` leaves without a majority of the voters (every one, if no group holds one). */
function cutOff(groups: ReadonlyMap<string, number>, servers: readonly Server[]): string[] {
  const voters = new Map<number, number>();
  let total = 0;
  for (const s of servers) {
    if (!s.voter) continue;
    const g = groups.get(s.id) ?? 0;
    voters.set(g, (voters.get(g) ?? 0) + 1);
    total++;
  }
  let major: number | null = null;
  for (const [g, n] of voters) if (n * 2 > total) major = g;
  return servers.filter((s) => (groups.get(s.id) ?? 0) !== major).map((s) => s.id);
}

/** A server of the run at the moment of a split (a removed one is not counted). */
export interface Server {
  readonly id: string;
  readonly voter: boolean;
}

/**
 * The run's partitions, from its partition and heal events, exactly as the network applies them:
 * a partition replaces the groups, an isolation adds one more group of one, a heal joins it all.
 */
export class PartitionTracker {
  readonly spans: PartitionSpan[] = [];

  /** Follow a partition or heal event of frame `frame`; `servers`: the servers the run has then. */
  observe(e: Split, frame: number, servers: readonly Server[]): void {
    const open = this.open();
    if (open) {
      open.to = e.time;
      open.toFrame = frame;
    }
    if (e.kind === 'heal') return;
    let groups: Map<string, number>;
    if (e.isolated !== undefined) {
      groups = new Map(open?.groups ?? []);
      groups.set(e.isolated, Math.max(0, ...groups.values()) + 1);
    } else {
      groups = new Map();
      e.groups.forEach((g, i) => g.forEach((id) => groups.set(id, i + 1)));
    }
    this.spans.push({ from: e.time, frame, to: null, toFrame: null, cut: cutOff(groups, servers), groups });
  }

  /** Forget every change after frame `keep`. */
  truncate(keep: number): void {
    while (this.spans.length > 0 && this.spans[this.spans.length - 1].frame > keep) this.spans.pop();
    const last = this.spans[this.spans.length - 1];
    if (last && last.toFrame !== null && last.toFrame > keep) {
      last.to = null;
      last.toFrame = null;
    }
  }

  private open(): PartitionSpan | undefined {
    const last = this.spans[this.spans.length - 1];
    return last && last.toFrame === null ? last : undefined;
  }
}
