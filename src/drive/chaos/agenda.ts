import type { Host } from '../host';

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

  constructor(private readonly host: Host) {}

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
