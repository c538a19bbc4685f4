import {
  Component,
  lazy,
  useState,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';
import { LoadFailed, loadPart } from '../store/loadPart';
import { useStore } from '../store/store';

interface Props {
  onFail: () => void;
  children: ReactNode;
}

/**
 * Around a lazy part (see store/loadPart.ts): a LoadFailed becomes a notice and `onFail` (close it,
 * so it can be asked for again). Anything else thrown goes on up: a bug is not a failed load.
 */
export class LoadBoundary extends Component<Props, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown) {
    if (!(error instanceof LoadFailed)) return;
    useStore.getState().setNotice(error.message);
    this.props.onFail();
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    if (error instanceof LoadFailed) return null;
    throw error;
  }
}

/**
 * A lazy component that can be asked for again after its code failed to load: React keeps a failed
 * `lazy` failed for good, so `retry` makes a new one.
 */
export function useRetryableLazy<P extends object>(
  what: string,
  load: () => Promise<ComponentType<P>>,
): { Part: LazyExoticComponent<ComponentType<P>>; retry: () => void } {
  const make = () => lazy(() => loadPart(what, load).then((c) => ({ default: c })));
  const [Part, setPart] = useState(make);
  return { Part, retry: () => setPart(make) };
}
