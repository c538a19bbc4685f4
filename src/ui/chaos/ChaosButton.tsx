import { lazy, Suspense, useState } from 'react';

// Chaos mode brings its runner, fault schedule and linearizability checker: load them only when asked for.
const ChaosPanel = lazy(() => import('./ChaosPanel').then((m) => ({ default: m.ChaosPanel })));

/** Opens chaos mode from the header. */
export function ChaosButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-chaos" title="Test the cluster under random faults and check every read level for linearizability">
        Chaos…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ChaosPanel onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
