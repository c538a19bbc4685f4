import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { lintScenario } from './scenarioLint';

interface Props {
  /** Replaces the document when it changes from outside (an example was loaded). */
  initial: string;
  onChange(text: string): void;
}

/** CodeMirror 6 for a scenario file: JSON highlighting and the scenario runner's own validation. */
export function ScenarioCodeEditor({ initial, onChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      doc: '',
      extensions: [
        basicSetup,
        json(),
        linter((ev) => lintScenario(ev.state), { delay: 300 }),
        lintGutter(),
        EditorView.updateListener.of((u) => u.docChanged && latest.current(u.state.doc.toString())),
        EditorView.contentAttributes.of({ 'data-testid': 'scenario-input', 'aria-label': 'Scenario JSON' }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== initial) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: initial } });
  }, [initial]);

  return <div className="scenario-code" ref={host} />;
}
