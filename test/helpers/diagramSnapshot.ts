import type { DiagramModel } from '../../src/replay/diagram/model';

/** Everything a view reads of a diagram model, as plain data (the messages compared by content). */
export function diagramSnapshot(m: DiagramModel) {
  m.update();
  const pairs = [...m.byPair].filter(([, p]) => p.arrows.length + p.routine.length > 0).map(([k, p]) => [k, [...p.arrows].map((a) => a.msgId), [...p.routine].map((a) => a.msgId)] as const);
  return {
    arrows: [...m.arrows],
    routineArrows: [...m.routineArrows],
    pending: m.pending,
    marks: [...m.marks],
    routineMarks: [...m.routineMarks],
    lanes: m.lanes.map((l) => ({ ...l, segments: [...l.segments] })),
    calls: [...m.calls.values()].map((c) => ({ call: c.call, request: c.request.id, answer: c.answer?.id ?? null })).sort((a, b) => a.call - b.call),
    pairs: pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    partitions: m.partitions.map((p) => ({ ...p, groups: [...p.groups] })),
    framesRead: m.framesRead,
  };
}
