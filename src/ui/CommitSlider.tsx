import { useState } from 'react';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  format(v: number): string;
  onCommit(v: number): void;
  testId?: string;
}

/**
 * A range input that reports only when let go: every change is a recorded input (and, while
 * paused, a fork), so intermediate positions while dragging must not reach the simulation.
 */
export function CommitSlider({ label, value, min, max, step, format, onCommit, testId }: Props) {
  const [draft, setDraft] = useState<number | null>(null);
  const shown = draft ?? value;
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  return (
    <label className="slider">
      {label} <b>{format(shown)}</b>
      <input
        type="range"
        min={min}
        max={max}
        step={step}
        value={shown}
        data-testid={testId}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={commit}
        onKeyUp={commit}
        onBlur={commit}
      />
    </label>
  );
}
