import { lazy, Suspense, useState } from 'react';

// The editor brings CodeMirror's JSON mode and linter: load it only when asked for.
const ScenarioEditor = lazy(() => import('./ScenarioEditor').then((m) => ({ default: m.ScenarioEditor })));

/** Opens the scenario editor from the header. */
export function ScenarioButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-scenario-editor" title="Write and run a scenario file">
        Scenario…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ScenarioEditor onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
