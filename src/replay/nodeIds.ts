/** The id after the highest `nK` in use: removed servers keep their ids, so one is never reused. */
export function nextNodeId(nodes: readonly { id: string }[]): string {
  let max = 0;
  for (const n of nodes) {
    const m = /^n(\d+)$/.exec(n.id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `n${max + 1}`;
}
