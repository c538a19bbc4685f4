import { useEffect, useRef } from 'react';
import { basicSetup } from 'codemirror';
import { sql, SQLite } from '@codemirror/lang-sql';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';

/** The Run button lives outside the editor; it asks the editor to run what it holds. */
import { RUN_EVENT } from './runEvent';

interface Props {
  schema: Record<string, string[]>;
  /**
   * What was sent, oldest first, for ↑/↓: the console's entries themselves, not a list of their
   * texts (mapping a long class session's 20,000 entries on every request and answer was a twentieth
   * of the page's CPU while a class wrote).
   */
  history: readonly { readonly sql: string }[];
  onRun(text: string): boolean;
}

/** CodeMirror 6 with SQLite highlighting, table/column completion, Ctrl/Cmd+Enter to run, ↑/↓ history. */
export function SqlEditor({ schema, history, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  // Handlers live in refs so the editor is built once but always sees the latest props.
  const latest = useRef({ history, onRun, cursor: -1 });
  useEffect(() => {
    latest.current.history = history;
    latest.current.onRun = onRun;
  }, [history, onRun]);

  useEffect(() => {
    const replace = (v: EditorView, text: string) => v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text }, selection: { anchor: text.length } });
    const run = (v: EditorView) => {
      const text = v.state.doc.toString().trim();
      if (text && latest.current.onRun(text)) {
        latest.current.cursor = -1;
        replace(v, '');
      }
      return true;
    };
    const browse = (dir: -1 | 1) => (v: EditorView) => {
      const line = v.state.doc.lineAt(v.state.selection.main.head).number;
      if (dir === -1 && line !== 1) return false;
      if (dir === 1 && line !== v.state.doc.lines) return false;
      const h = latest.current.history;
      if (h.length === 0) return false;
      let c = latest.current.cursor === -1 ? h.length : latest.current.cursor;
      c += dir;
      if (c < 0) c = 0;
      if (c >= h.length) {
        latest.current.cursor = -1;
        replace(v, '');
        return true;
      }
      latest.current.cursor = c;
      replace(v, h[c].sql);
      return true;
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: 'CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)',
        extensions: [
          Prec.highest(
            keymap.of([
              { key: 'Mod-Enter', run },
              { key: 'Shift-Enter', run },
              { key: 'ArrowUp', run: browse(-1) },
              { key: 'ArrowDown', run: browse(1) },
            ]),
          ),
          basicSetup,
          language.current.of(sql({ dialect: SQLite, upperCaseKeywords: true })),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'data-testid': 'sql-input', 'aria-label': 'SQL' }),
        ],
      }),
    });
    view.current = v;
    const onButton = () => run(v);
    document.addEventListener(RUN_EVENT, onButton);
    return () => {
      document.removeEventListener(RUN_EVENT, onButton);
      v.destroy();
    };
  }, []);

  const schemaKey = JSON.stringify(schema);
  useEffect(() => {
    view.current?.dispatch({
      effects: language.current.reconfigure(sql({ dialect: SQLite, upperCaseKeywords: true, schema: JSON.parse(schemaKey) as Record<string, string[]> })),
    });
  }, [schemaKey]);

  return <div className="sql-editor" ref={host} />;
}
