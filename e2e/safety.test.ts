import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

let app: App;
let page: Page;

const frameOf = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-frame'));
/** Where the timeline's cursor stands, in % of the strip (its layer is moved, the line drawn once). */
const cursorX = async () =>
  Number(/translateX\(([-\d.e]+)%\)/.exec((await page.getAttribute('[data-testid=timeline-cursor]', 'style')) ?? '')?.[1] ?? NaN);

describe('the safety monitor and the broken modes in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });

  afterAll(() => app?.close());

  it('shows every property holding on a correct cluster', async () => {
    // A first visit opens paused (firstVisit.test.ts): the monitor has nothing to check until Play.
    if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
    await page.click('[data-testid=tab-safety]');
    await page.waitForSelector('[data-testid=safety-panel]');
    expect(await page.locator('[data-testid=safety-invariant][data-state=holds]').count()).toBe(5);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=safety-panel]')?.getAttribute('data-checked')) > 0);
    expect(await page.locator('[data-testid=broken-badge]').count()).toBe(0);
    await app.shot('safety-01-holding');
  });

  it('turns a broken mode on from the New-cluster dialog and keeps a badge up while it is on', async () => {
    await page.click('[data-testid=new-cluster]');
    await page.check('[data-testid=nc-unsafeDoubleVote]');
    await app.shot('safety-02-dialog');
    await page.click('[data-testid=nc-create]');
    await page.waitForSelector('[data-testid=broken-badge]');
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    await page.waitForSelector('[data-testid=safety-broken-note]');
    // The switch is saved with the session, so a reload restores the broken cluster, badge and all.
    await page.waitForFunction(() => localStorage.getItem('raftlite:run')?.includes('"unsafeDoubleVote":true'), undefined, { timeout: 10_000 });
    await page.reload();
    await page.waitForSelector('[data-testid=broken-badge]');
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    // The restored-session notice covers the bottom of the page: dismiss it.
    await page.click('[data-testid=notice]');
  });

  it('catches Figure 8 with the rule off and jumps back to where it broke', async () => {
    await page.click('[data-testid=tab-safety]');
    await page.click('[data-testid=safety-demo-unsafeCommitOldTerms]');
    await page.waitForSelector('[data-testid=safety-panel][data-violated=true]', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('commit rule off');
    const broken = page.locator('[data-testid=safety-invariant][data-state=violated]');
    const names = await broken.evaluateAll((els) => els.map((e) => e.getAttribute('data-invariant')));
    expect(names).toEqual(['Leader Completeness', 'State Machine Safety']);
    expect(await page.innerText('[data-testid=violation-badge]')).toContain('Leader Completeness');
    expect(await page.locator('[data-testid=timeline] .marker-violation').count()).toBeGreaterThan(0);
    const text = await broken.first().innerText();
    expect(text).toContain('lacks committed entry 3');
    await app.shot('safety-03-caught');

    const frame = await frameOf();
    const x = await cursorX();
    const event = Number(/event (\d+)/.exec(text)![1]);
    await broken.first().locator('[data-testid=safety-jump]').click();
    await page.waitForFunction((f) => Number(document.querySelector('[data-testid=status-line]')?.getAttribute('data-frame')) < f, frame);
    expect(await cursorX()).toBeLessThan(x);
    // The view now stands on the step that logged the event the monitor named.
    expect(Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'))).toBeGreaterThanOrEqual(event);
    expect(await page.locator('[data-testid=safety-invariant][data-invariant="Leader Completeness"]').getAttribute('data-state')).toBe('violated');

    // One step back, the monitor had not seen it yet: the property still held.
    await page.click('[data-testid=step-back]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Leader Completeness"][data-state=holds]');
    expect(await page.locator('[data-testid=safety-jump-later]').count()).toBeGreaterThan(0);
    await page.click('[data-testid=step-forward]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Leader Completeness"][data-state=violated]');
    await app.shot('safety-04-jumped');
  });

  it('catches two leaders in one term when a node may vote twice', async () => {
    await page.click('[data-testid=safety-demo-unsafeDoubleVote]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Election Safety"][data-state=violated]', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    expect(await page.innerText('[data-testid=safety-panel]')).toContain('are both leader in term 1');
    await app.shot('safety-05-double-vote');
    await page.click('[data-testid=theme]');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await app.shot('safety-06-dark');
    expect(app.pageErrors).toEqual([]);
  });
});
