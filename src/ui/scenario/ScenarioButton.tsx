import { useState } from 'react';
import { ScenarioEditor } from './ScenarioEditor';

/** Opens the scenario editor from the header. */
export function ScenarioButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-scenario-editor" title="Write and run a scenario file">
        Scenario…
      </button>
      {open && <ScenarioEditor onClose={() => setOpen(false)} />}
    </>
  );
}
