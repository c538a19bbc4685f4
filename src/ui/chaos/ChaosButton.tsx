import { useState } from 'react';
import { ChaosPanel } from './ChaosPanel';

/** Opens chaos mode from the header. */
export function ChaosButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-chaos" title="Test the cluster under random faults and check every read level for linearizability">
        Chaos…
      </button>
      {open && <ChaosPanel onClose={() => setOpen(false)} />}
    </>
  );
}
