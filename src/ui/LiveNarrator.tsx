import { useEffect, useState } from 'react';
import type { Frame } from '../replay/frames';
import { getSim, useStore } from '../store/store';
import { leaderOf } from './hooks';

/** At most one sentence this often, so a screen reader keeps up; what came in between is summed up. */
const EVERY_MS = 2000;

function facts(f: Frame) {
  const leader = leaderOf(f);
  return {
    leader,
    term: f.nodes.find((n) => n.id === leader)?.term ?? 0,
    down: f.nodes.filter((n) => !n.alive).map((n) => n.id),
    split: new Set(f.net.groups).size > 1,
    commit: f.nodes.find((n) => n.id === leader)?.commitIndex ?? 0,
  };
}

/** What changed between two moments, in words, most important first. */
export function narrate(a: ReturnType<typeof facts>, b: ReturnType<typeof facts>): string[] {
  const out: string[] = [];
  for (const id of b.down) if (!a.down.includes(id)) out.push(`${id} crashed.`);
  for (const id of a.down) if (!b.down.includes(id)) out.push(`${id} restarted.`);
  if (b.split && !a.split) out.push('The network is partitioned.');
  if (!b.split && a.split) out.push('The network is healed.');
  if (b.leader && (b.leader !== a.leader || b.term !== a.term)) out.push(`${b.leader} is the leader in term ${b.term}.`);
  else if (!b.leader && a.leader) out.push('No leader.');
  if (b.leader && b.commit > a.commit) out.push(b.commit - a.commit === 1 ? `Entry ${b.commit} committed.` : `Entries up to ${b.commit} committed.`);
  return out;
}

/** A polite live region telling a screen reader what matters: elections, crashes, commits, partitions. */
export function LiveNarrator() {
  const [text, setText] = useState('');
  useEffect(() => {
    let current = '';
    let pending: ReturnType<typeof setTimeout> | undefined;
    // The same sentence again ("n1 crashed." twice) would change nothing in the region and go
    // unheard: empty it first, then say it.
    const say = (t: string) => {
      clearTimeout(pending);
      if (t === current) {
        setText('');
        pending = setTimeout(() => setText(t), 100);
      } else setText(t);
      current = t;
    };
    let last: ReturnType<typeof facts> | null = null;
    let run: unknown = null;
    const tick = () => {
      const st = useStore.getState();
      const sim = getSim();
      if (!sim) return;
      const now = facts(sim.frames.get(Math.min(st.frame, sim.frames.length - 1)));
      // A new run (a new cluster, a tour, a loaded file: new options) starts a new story rather
      // than telling the difference from the old one. A fork (Play or an action in the past) goes
      // on with the same story: counting it as new swallowed a crash pressed just after Play.
      if (last && st.options === run) {
        const said = narrate(last, now);
        if (said.length > 0) say(said.join(' '));
      }
      last = now;
      run = st.options;
    };
    const id = setInterval(tick, EVERY_MS);
    return () => {
      clearInterval(id);
      clearTimeout(pending);
    };
  }, []);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="live-narration">
      {text}
    </div>
  );
}
