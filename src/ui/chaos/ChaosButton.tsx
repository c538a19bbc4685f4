import { LazyDialogButton } from '../LazyDialogButton';

// Chaos mode brings its runner, fault schedule and linearizability checker: loaded only when asked for.
const load = () => import('./ChaosPanel').then((m) => m.ChaosPanel);

/** Opens chaos mode from the header. */
export function ChaosButton() {
  return (
    <LazyDialogButton what="Chaos mode" load={load} testId="open-chaos" title="Test the cluster under random faults and check every read level for linearizability">
      Chaos…
    </LazyDialogButton>
  );
}
