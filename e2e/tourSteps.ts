import type { Page } from 'playwright-core';

/** Driving a guided tour from an end-to-end test. */
export function tourSteps(page: () => Page) {
  const stepOf = async () => Number(await page().getAttribute('[data-testid=tour-panel]', 'data-step'));

  /** The tour has played up to where its step's scenario ended, and the cluster is paused there. */
  async function waitForPaused(): Promise<void> {
    await page().waitForFunction(
      () =>
        document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-playing') === 'false' &&
        !!document.querySelector('[data-testid=play]')?.textContent?.includes('Play'),
      null,
      { timeout: 60_000 },
    );
  }

  /** Wait until the tour has stopped playing at the current step, then press Next (or Finish). */
  async function nextStep(): Promise<void> {
    const before = await stepOf();
    await waitForPaused();
    await page().click('[data-testid=tour-next]');
    await page().waitForFunction((b) => {
      const p = document.querySelector('[data-testid=tour-panel]');
      return !p || Number(p.getAttribute('data-step')) !== b;
    }, before);
  }

  return { stepOf, waitForPaused, nextStep };
}
