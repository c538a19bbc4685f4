import { ensureSyntaxTree } from '@codemirror/language';
import type { Diagnostic } from '@codemirror/lint';
import type { EditorState } from '@codemirror/state';
import { parseScenario, ScenarioError } from '../../drive/scenario/parse';

const VALUES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

/** Where step `i` of the top-level "steps" array is in the document, from the JSON syntax tree. */
function stepRange(state: EditorState, i: number): { from: number; to: number } | null {
  const tree = ensureSyntaxTree(state, state.doc.length, 200);
  const top = tree?.topNode.getChild('Object');
  if (!top) return null;
  for (const prop of top.getChildren('Property')) {
    const key = prop.getChild('PropertyName');
    if (!key || state.sliceDoc(key.from, key.to) !== '"steps"') continue;
    const arr = prop.getChild('Array');
    let k = 0;
    for (let el = arr?.firstChild ?? null; el; el = el.nextSibling) {
      if (!VALUES.has(el.name)) continue;
      if (k++ === i) return { from: el.from, to: el.to };
    }
  }
  return null;
}

/**
 * parseScenario's own message, placed on the step it names (or on the first line): the editor
 * checks exactly what `npm run scenario` would, so no second schema can drift from it.
 */
export function lintScenario(state: EditorState): Diagnostic[] {
  const text = state.doc.toString();
  try {
    parseScenario(text);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const m = /^step (\d+)/.exec(e.message);
    const at = (m && stepRange(state, Number(m[1]))) ?? syntaxErrorAt(e.message, text) ?? { from: 0, to: state.doc.line(1).to };
    return [{ from: at.from, to: Math.max(at.to, at.from), severity: 'error', message: e.message }];
  }
}

/** JSON.parse says "… at position N" (V8): point there. */
function syntaxErrorAt(message: string, text: string): { from: number; to: number } | null {
  const m = /position (\d+)/.exec(message);
  if (!m) return null;
  const p = Math.min(Number(m[1]), text.length);
  return { from: p, to: Math.min(p + 1, text.length) };
}
