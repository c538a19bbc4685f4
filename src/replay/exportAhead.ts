import type { ServerNode } from '../cluster/server';
import type { DatabaseImage } from '../db/database';

/**
 * A checkpoint keeps each node's database as its last export with the plain writes since
 * (NodeDatabase.image): the exports themselves are made here, in the last EXPORT_LEAD_MS before a
 * checkpoint is due, one node per EXPORT_SLOT_MS of simulated time (a frame, as the page plays), so
 * no frame makes more than one. Taken all at the checkpoint, nine exports of about 2 ms each in
 * Chrome made one frame a simulated second 7–17 ms long (9 nodes, 50 writes/s).
 *
 * A node is exported when the checkpoint would export it anyway (its image could not keep what
 * came since as pending), or, at most once between two checkpoints, when EXPORT_AHEAD_AT or more
 * writes would be pending: below that, applying them again costs a restored node little, and the
 * export is left for later. A 9-node run at
 * 50 writes/s (30 simulated s, headless) made 270 exports at its checkpoints; 135 with this at 64,
 * 77 at 128. What a fork pays for it: each node it opens applies its pending writes again (headless,
 * 9-node run, fork and a read on every node, 60 in turns): +1–5 ms at 64, +7–8 at 128.
 */
export const EXPORT_LEAD_MS = 250;
export const EXPORT_SLOT_MS = 16;
export const EXPORT_AHEAD_AT = 64;

export class ExportsAhead {
  /** Nodes exported here since the last checkpoint. */
  private done = new Set<string>();
  private nextSlot = 0;

  /** At `now`, with a checkpoint due at `due`: export the database that most needs it, if any; the export made. */
  step(now: number, due: number, servers: ReadonlyMap<string, ServerNode>): DatabaseImage | null {
    if (now < due - EXPORT_LEAD_MS || now < this.nextSlot) return null;
    this.nextSlot = now + EXPORT_SLOT_MS;
    let pick: [string, ServerNode] | null = null;
    let need = 0;
    for (const entry of servers) {
      const db = entry[1].db;
      if (!db) continue;
      const changes = db.changesSinceImage;
      // A node whose image could not defer comes first, exported here or not before: the
      // checkpoint would export it (a table created, a setting changed, or past MAX_PENDING).
      const n = changes > 0 && db.pendingSinceImage === 0 ? Infinity : changes >= EXPORT_AHEAD_AT && !this.done.has(entry[0]) ? changes : 0;
      if (n > need) [pick, need] = [entry, n];
    }
    if (!pick) return null;
    this.done.add(pick[0]);
    return pick[1].db?.image() ?? null;
  }

  /** A checkpoint was taken: every node may be exported once again before the next. */
  checkpointed(): void {
    this.done.clear();
  }
}
