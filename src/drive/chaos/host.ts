import type { Cluster } from '../../cluster/cluster';
import { operate, type OperatorAction } from '../../cluster/operate';
import type { Answer, ClientOp } from '../../cluster/types';

/**
 * The operator actions chaos mode takes, shaped like the page's recorded inputs so that a host
 * over the page's simulation can pass them straight through (and record them for replay).
 */
export type HostAction = OperatorAction;

/**
 * What the chaos driver runs on: a cluster it may look at, and a way to move time and act on it.
 * Headless, that is the bare Cluster; in the page it is the visualized simulation, whose every step
 * leaves a frame and whose every action is a recorded input. The driver never schedules anything
 * inside the world (no `world.at`): its own agenda runs between world steps, so both hosts see the
 * same queue and the same seed gives the same run in both.
 */
export interface ChaosHost {
  readonly cluster: Cluster;
  /** Process one queued world item (a delivery, a timer, a request deadline). */
  step(): void;
  /** Let the clock reach `time` with nothing to process in between. */
  advanceTo(time: number): void;
  request(node: string, body: ClientOp, sql: string, done: (a: Answer) => void): void;
  /** Carry out an action; a sentence when the cluster refused it. */
  act(action: HostAction): string | null;
}

/** The operator action on a bare cluster, with the same refusals as the page's inputs. */
export function actOn(c: Cluster, a: HostAction): string | null {
  return operate(c, a).error;
}

export function clusterHost(cluster: Cluster): ChaosHost {
  return {
    cluster,
    step: () => void cluster.world.stepOne(),
    advanceTo: (time) => {
      cluster.world.now = Math.max(cluster.world.now, time);
    },
    request: (node, body, _sql, done) => void cluster.request(node, body, done),
    act: (action) => actOn(cluster, action),
  };
}

interface Job {
  time: number;
  rank: number;
  seq: number;
  fn: () => void;
}

/**
 * The driver's own timetable (clients' next requests, fault ticks). `run` interleaves it with the
 * world: world items at or before a job's time go first, then the job.
 */
export class Agenda {
  private jobs: Job[] = [];
  private seq = 0;

  constructor(private readonly host: ChaosHost) {}

  /**
   * `rank` orders jobs due at the same moment. Jobs are often added from answers, and a page host
   * hands over several answers of one step in a different order than the headless host; ranking
   * by client instead of by arrival keeps both runs the same.
   */
  at(time: number, fn: () => void, rank = 0): void {
    this.jobs.push({ time, rank, seq: this.seq++, fn });
  }

  private next(): Job | undefined {
    let best: Job | undefined;
    for (const j of this.jobs) {
      if (!best || j.time < best.time || (j.time === best.time && (j.rank < best.rank || (j.rank === best.rank && j.seq < best.seq)))) best = j;
    }
    return best;
  }

  /** Run world and agenda together until `done()` or until the clock would pass `until`. */
  run(done: () => boolean, until: number): boolean {
    const world = this.host.cluster.world;
    while (!done()) {
      const job = this.next();
      const jobTime = job ? job.time : Infinity;
      const worldTime = world.nextTime();
      // Nothing left anywhere (or nothing before the bound): only the clock moves.
      if (Math.min(jobTime, worldTime) > until || (jobTime === Infinity && worldTime === Infinity)) break;
      if (worldTime <= jobTime) {
        this.host.step();
      } else if (job) {
        this.jobs.splice(this.jobs.indexOf(job), 1);
        this.host.advanceTo(job.time);
        job.fn();
      }
    }
    if (done()) return true;
    this.host.advanceTo(until);
    return false;
  }

  advance(ms: number): void {
    this.run(() => false, this.host.cluster.now + ms);
  }
}
