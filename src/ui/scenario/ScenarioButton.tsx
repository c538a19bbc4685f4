import { LazyDialogButton } from '../LazyDialogButton';

// The editor brings CodeMirror's JSON mode and linter: loaded only when asked for.
const load = () => import('./ScenarioEditor').then((m) => m.ScenarioEditor);

/** Opens the scenario editor from the header. */
export function ScenarioButton() {
  return (
    <LazyDialogButton what="The scenario editor" load={load} testId="open-scenario-editor" title="Write and run a scenario file">
      Scenario…
    </LazyDialogButton>
  );
}
