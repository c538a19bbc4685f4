import { Suspense, useState } from 'react';
import { LoadBoundary, useRetryableLazy } from '../LoadBoundary';

/** Opens chaos mode from the header. */
export function ChaosButton() {
  const [open, setOpen] = useState(false);
  // Chaos mode brings its runner, fault schedule and linearizability checker: loaded only when asked for.
  const { Part: ChaosPanel, retry } = useRetryableLazy('Chaos mode', () => import('./ChaosPanel').then((m) => m.ChaosPanel));
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-chaos" title="Test the cluster under random faults and check every read level for linearizability">
        Chaos…
      </button>
      {open && (
        <LoadBoundary
          onFail={() => {
            setOpen(false);
            retry();
          }}
        >
          <Suspense fallback={null}>
            <ChaosPanel onClose={() => setOpen(false)} />
          </Suspense>
        </LoadBoundary>
      )}
    </>
  );
}
