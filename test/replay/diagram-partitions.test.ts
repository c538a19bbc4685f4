import { readFileSync } from 'node:fs';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import type { PartitionSpan } from '../../src/replay/diagram/partitions';
import { runInPage } from '../helpers/pageRun';

let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await loadSqlJs();
});

function modelOf(file: string): DiagramModel {
  const { sim } = runInPage(SQL, readFileSync(`scenarios/${file}`, 'utf8'));
  return new DiagramModel(sourceOf(sim));
}

const spanAt = (spans: readonly PartitionSpan[], t: number) => spans.find((s) => s.from < t && (s.to === null || t < s.to));

describe("the diagram's partitions", () => {
  it('figure 8: each split cuts off the servers without a majority, isolations add to the split, the heal ends it', () => {
    const model = modelOf('06-figure8-unsafe.json');
    const cut = model.partitions.map((s) => [...s.cut].sort());
    expect(cut).toEqual([
      ['n1', 'n5'], // (a) n5 and n1 apart from the other three
      ['n1', 'n2', 'n3', 'n4', 'n5'], // n2 isolated as well: n3 and n4 alone are no majority either
      ['n2', 'n4'], // (c) n5, n1, n3 together
      ['n1', 'n2', 'n3', 'n4', 'n5'], // n1 isolated: no group of three left
      ['n1', 'n5'], // (d) n2, n3, n4 together
    ]);
    // One after the other, the last one ended by the heal.
    for (let i = 1; i < model.partitions.length; i++) expect(model.partitions[i - 1].to).toBe(model.partitions[i].from);
    const heal = [...model.marks].find((k) => k.detail.kind === 'heal')!;
    expect(model.partitions[model.partitions.length - 1].to).toBe(heal.time);
  });

  it('the groups are the network\'s: inside a split, a message between groups is dropped, one within a group is not', () => {
    for (const file of ['05-minority-partition.json', '06-figure8-unsafe.json', '16-prevote-on.json', '25-log-matching-unsafe.json']) {
      const model = modelOf(file);
      let checked = 0;
      for (const a of [...model.arrows, ...model.routineArrows]) {
        const span = spanAt(model.partitions, a.endAt);
        if (!span || a.end === 'pending' || (a.end === 'dropped' && a.reason !== 'partitioned')) continue;
        const apart = (span.groups.get(a.from) ?? 0) !== (span.groups.get(a.to) ?? 0);
        expect(a.end === 'dropped', `${file}: ${a.from}→${a.to} at ${a.endAt}`).toBe(apart);
        checked++;
      }
      expect(checked).toBeGreaterThan(5);
    }
  });

  it('a run without a split has none', () => {
    expect(modelOf('02-replication.json').partitions).toEqual([]);
  });
});
