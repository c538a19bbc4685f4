import { describe, expect, it } from 'vitest';
import { groupColumns, groupLayout, NODE_R, VIEW_H, VIEW_W } from '../../src/ui/layout';
import { CUT_ZONE, dropAction, dropZones, zoneAt } from '../../src/ui/members/partitionDrop';

const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('partitioning by dragging a node', () => {
  it('a whole network offers one zone, the cut-off strip right of the ring', () => {
    const zones = dropZones([0, 0, 0, 0, 0]);
    expect(zones).toEqual([CUT_ZONE]);
    expect(zoneAt(zones, VIEW_W - 50, VIEW_H / 2)).toBe(CUT_ZONE);
    // The ring itself is not a target: a drag that ends there changes nothing.
    expect(zoneAt(zones, VIEW_W / 2, VIEW_H / 2)).toBeNull();
  });

  it('dropping a node in the cut-off zone splits it from the rest; dragging it back heals', () => {
    const cut = dropAction(ids, [0, 0, 0, 0, 0], 'n3', CUT_ZONE);
    expect(cut).toEqual({ kind: 'partition', groups: [['n1', 'n2', 'n4', 'n5'], ['n3']] });
    // After that partition the network numbers the groups 1 and 2 in that order.
    const groups = [1, 1, 2, 1, 1];
    const zones = dropZones(groups);
    expect(zones.map((z) => z.group)).toEqual([1, 2]);
    expect(dropAction(ids, groups, 'n3', zones[0])).toEqual({ kind: 'heal' });
    // Dropping a node where it already is does nothing.
    expect(dropAction(ids, groups, 'n3', zones[1])).toBeNull();
  });

  it('moves a node between groups and keeps the columns in their places', () => {
    const groups = [1, 1, 2, 1, 1];
    const zones = dropZones(groups);
    expect(dropAction(ids, groups, 'n1', zones[1])).toEqual({
      kind: 'partition',
      groups: [
        ['n2', 'n4', 'n5'],
        ['n1', 'n3'],
      ],
    });
    // An isolated node (a third group) can be dragged into either of the others.
    const three = [1, 1, 2, 1, 3];
    const z3 = dropZones(three);
    expect(z3.map((z) => z.label)).toEqual(['group A', 'group B', 'group C']);
    expect(dropAction(ids, three, 'n5', z3[1])).toEqual({
      kind: 'partition',
      groups: [
        ['n1', 'n2', 'n4'],
        ['n3', 'n5'],
      ],
    });
  });

  it('columns cover the view, wider for bigger groups', () => {
    const cols = groupColumns([1, 1, 1, 1, 1, 1, 1, 2, 3]);
    expect(cols[0].x0).toBe(0);
    expect(cols[cols.length - 1].x1).toBeCloseTo(VIEW_W);
    expect(cols[0].x1 - cols[0].x0).toBeGreaterThan(2 * (cols[1].x1 - cols[1].x0));
  });

  it('lays out up to nine nodes, whole or cut into groups, inside the view and without overlaps', () => {
    const splits: number[][] = [];
    for (let n = 3; n <= 9; n++) {
      splits.push(Array(n).fill(0));
      for (let k = 1; k < n; k++) splits.push(Array.from({ length: n }, (_, i) => (i < k ? 1 : 2)));
      splits.push(Array.from({ length: n }, (_, i) => (i === 0 ? 3 : i % 2 === 0 ? 1 : 2)));
    }
    for (const groups of splits) {
      const names = groups.map((_, i) => `n${i + 1}`);
      const pos = [...groupLayout(names, groups).values()];
      expect(pos).toHaveLength(names.length);
      for (const p of pos) {
        expect(p.x - NODE_R).toBeGreaterThanOrEqual(0);
        expect(p.x + NODE_R).toBeLessThanOrEqual(VIEW_W);
        expect(p.y - NODE_R).toBeGreaterThanOrEqual(0);
        expect(p.y + NODE_R).toBeLessThanOrEqual(VIEW_H);
      }
      for (let i = 0; i < pos.length; i++)
        for (let j = i + 1; j < pos.length; j++)
          expect(
            Math.hypot(pos[i].x - pos[j].x, pos[i].y - pos[j].y),
            `${groups.join(',')}: ${i} and ${j}`,
          ).toBeGreaterThan(2 * NODE_R);
    }
  });
});
