import { useStore } from './store';

/** Drive the store from requestAnimationFrame; returns a stop function. */
export function startPlayLoop(): () => void {
  let last = performance.now();
  let handle = 0;
  const frame = (now: number) => {
    useStore.getState().tick(now - last);
    last = now;
    handle = requestAnimationFrame(frame);
  };
  handle = requestAnimationFrame(frame);
  return () => cancelAnimationFrame(handle);
}
