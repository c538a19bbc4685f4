import { useEffect, useRef } from 'react';
import { causeWords, ruleWords, subjectWords } from '../../replay/why';
import { useStore } from '../../store/store';
import { SECTION_LINKS, useWhy } from '../../store/why';
import { fmtTime } from '../format';
import { returnFocus } from './WhyButton';
import './WhyPanel.css';

/**
 * The answer to "why?": the rule that fired in plain words with its section of the paper, then the
 * causes, oldest first, each a button that moves time to it. Escape (or close) shuts it and gives
 * the focus back to the button that asked.
 */
export function WhyPanel() {
  const answer = useWhy((s) => s.answer);
  const target = useWhy((s) => s.target);
  const history = useWhy((s) => s.history);
  const close = useWhy((s) => s.close);
  const seekEvent = useStore((s) => s.seekEvent);
  const revision = useStore((s) => s.revision);
  const ref = useRef<HTMLElement>(null);
  const asked = useRef(revision);

  // A new run (a fork, a new cluster, a loaded one) has another history: the answer no longer holds.
  useEffect(() => {
    if (answer && revision !== asked.current) close();
    asked.current = revision;
  }, [revision, answer, close]);

  useEffect(() => {
    const el = ref.current;
    if (!answer || !el) return;
    // Focus without letting the browser scroll every ancestor (it shifted the whole page); the tab
    // shows the panel from its top, and the page scrolls only when the panel is out of sight (a phone).
    el.focus({ preventScroll: true });
    const body = el.closest('.tab-body');
    if (body) body.scrollTop = 0;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight - 40) el.scrollIntoView({ block: 'start' });
  }, [answer]);

  useEffect(() => {
    if (!answer) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Dialogs and the editor keep their own Escape.
      if (e.target instanceof Element && e.target.closest('[role=dialog], .cm-editor')) return;
      e.preventDefault();
      close();
      returnFocus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [answer, close]);

  if (!answer || !target || !history) return null;
  const shut = () => {
    close();
    returnFocus();
  };
  return (
    <section className="why-panel" ref={ref} tabIndex={-1} aria-labelledby="why-title" data-testid="why-panel">
      <div className="why-head">
        <h3 id="why-title">Why? <span className="why-subject">{subjectWords(target, history)}</span></h3>
        <button type="button" className="link-button" onClick={shut} data-testid="why-close">
          close
        </button>
      </div>
      {answer.rules.map((r, i) => {
        const w = ruleWords(r, history);
        const link = w.refs[0] ? SECTION_LINKS[w.refs[0]] : null;
        return (
          <p key={i} className={`why-rule${i === 0 ? ' first' : ''}`} data-testid="why-rule">
            {w.text}
            {' — '}
            {link ? (
              <a href={link.href} target="_blank" rel="noopener noreferrer" title={link.label} data-testid="why-section">
                {w.section}
              </a>
            ) : (
              w.section
            )}
          </p>
        );
      })}
      {answer.causes.length > 0 ? (
        <>
          <h4>Because of</h4>
          <ol className="why-causes" data-testid="why-causes">
            {answer.causes.map((c) => {
              const w = causeWords(c, history);
              return (
                <li key={c.seq}>
                  <button type="button" onClick={() => seekEvent(c.seq)} data-testid="why-cause" data-seq={c.seq} title="Move time to this event">
                    <span className="why-time">{fmtTime(c.time)}</span>
                    <span className="why-label">{w.label}</span>
                    <span className="why-text">
                      {w.text}
                      {w.detail && <small>{w.detail}</small>}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      ) : (
        <p className="muted">Nothing earlier in this run caused it.</p>
      )}
      <p className="why-past muted" data-testid="why-past">
        Its causal past: {answer.past.events.size} event{answer.past.events.size === 1 ? '' : 's'} and {answer.past.messages.size} message
        {answer.past.messages.size === 1 ? '' : 's'}, marked in the event list.
      </p>
    </section>
  );
}
