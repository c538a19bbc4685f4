import { Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { LoadBoundary, useRetryableLazy } from './LoadBoundary';

interface Props {
  /** What the dialog is, for the notice if its code cannot be fetched ("Chaos mode"). */
  what: string;
  /** The dialog's code, fetched when it is first opened (a dynamic import). */
  load: () => Promise<ComponentType<{ onClose(): void }>>;
  testId: string;
  title: string;
  children: ReactNode;
}

/**
 * A header button that opens a dialog whose code loads only when it is first opened (chaos mode,
 * the scenario editor): if that code cannot be fetched, a notice says so, the dialog stays closed,
 * and the next press tries again.
 */
export function LazyDialogButton({ what, load, testId, title, children }: Props) {
  const [open, setOpen] = useState(false);
  const { Part: Dialog, retry } = useRetryableLazy(what, load);
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid={testId} title={title}>
        {children}
      </button>
      {open && (
        <LoadBoundary
          onFail={() => {
            setOpen(false);
            retry();
          }}
        >
          <Suspense fallback={null}>
            <Dialog onClose={() => setOpen(false)} />
          </Suspense>
        </LoadBoundary>
      )}
    </>
  );
}
