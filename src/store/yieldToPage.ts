/**
 * Let the page handle input and draw, then go on: for work done in slices (a restore's replay, a
 * chaos run). A posted message, not `setTimeout(…, 0)`: a chain of timeouts set from timeouts is
 * held back at least 4 ms each after the fifth (the HTML timer clamp), which left a restore's
 * 12 ms slices a quarter idle (12–13 % of a 30-minute run's restore in a CPU profile). The page
 * still draws between slices whenever a frame is due.
 */
export function yieldToPage(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
