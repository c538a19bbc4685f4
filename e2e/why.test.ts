import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCellPoint, runSql as runInConsole, startApp, type App } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical findings inside the "why?" panel. */
async function panelAxe(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Found = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Element, o: object): Promise<{ violations: Found[] }> } }).axe;
    const r = await axe.run(document.querySelector('[data-testid=why-panel]')!, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

let app: App;
let page: Page;

const frameOf = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-frame'));

async function runSql(sql: string): Promise<void> {
  const answer = await runInConsole(page, sql);
  expect(answer.state, answer.text).toBe('ok');
}

describe('"Why?" in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'why', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
    // A first visit opens paused at 0 ms: start the cluster so it elects a leader.
    if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
  });

  afterAll(() => app?.close());

  it('explains a committed log cell: a majority and the current-term rule; a cause moves time', async () => {
    await page.waitForFunction(() => !!document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader'), undefined, { timeout: 30_000 });
    await page.selectOption('[data-testid=speed]', '2');
    await runSql('CREATE TABLE t(v)');
    await runSql("INSERT INTO t VALUES ('a')");
    if ((await page.innerText('[data-testid=play]')).includes('Pause')) await page.click('[data-testid=play]');
    await page.click('[data-testid=tab-events]');
    // The last committed cell of a follower.
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    const follower = ['n1', 'n2', 'n3', 'n4', 'n5'].find((n) => n !== leader)!;
    const commit = Number(await page.getAttribute(`[data-testid=log-${follower}]`, 'data-commit'));
    expect(commit).toBeGreaterThanOrEqual(3);
    const cell = await logCellPoint(page, follower, commit);
    await page.mouse.click(cell.x, cell.y);
    await page.click('[data-testid=log-why]');
    const panel = page.locator('[data-testid=why-panel]');
    await panel.waitFor();
    const rule = await page.locator('[data-testid=why-rule]').first().innerText();
    // "commitIndex moved to 3: n1, n2, n4 hold index 3 (a majority of 5) and entry 3 is from the current term 1 — Figure 2, …"
    const m = /commitIndex moved to (\d+): ((?:n\d, )*n\d) hold index \1 \(a majority of 5\) and entry \1 is from the current term (\d+)/.exec(rule);
    expect(m, rule).not.toBeNull();
    const holders = m![2].split(', ');
    expect(holders.length).toBeGreaterThanOrEqual(3);
    expect(holders).toContain(leader);
    expect(rule).toContain('Figure 2, Rules for Servers, Leaders; §5.4.2');
    expect(await page.getAttribute('[data-testid=why-section] >> nth=0', 'href')).toContain('raft.pdf#page=');
    // The panel took the focus; the causes are marked in the event list.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('why-panel');
    expect(await page.locator('.event-list .ev-cause').count()).toBeGreaterThan(0);
    await app.shot('why-01-commit');
    // Readable and well-formed in both themes.
    expect(await panelAxe()).toEqual([]);
    await page.click('[data-testid=theme]');
    expect(await panelAxe()).toEqual([]);
    await app.shot('why-01-commit-other-theme');
    await page.click('[data-testid=theme]');
    await page.locator('[data-testid=why-panel]').focus();

    // A cause moves time there: to an acknowledgement, earlier than the moment on screen.
    const before = await frameOf();
    const causes = page.locator('[data-testid=why-cause]');
    expect(await causes.count()).toBeGreaterThanOrEqual(3);
    const ack = causes.filter({ hasText: 'acknowledgement' }).first();
    const seq = Number(await ack.getAttribute('data-seq'));
    await ack.click();
    await page.waitForFunction((f) => Number(document.querySelector('[data-testid=status-line]')?.getAttribute('data-frame')) < f, before);
    expect(Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'))).toBeGreaterThanOrEqual(seq);
    await app.shot('why-02-moved');

    // Escape closes the panel and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('log-why');
    expect(app.pageErrors).toEqual([]);
  });

  it('explains an election from the event list and a role from the node panel, by keyboard', async () => {
    const row = page.locator('.event-list li.ev', { hasText: 'becomes leader' }).first();
    // The list draws the rows its panel shows; older ones are a press of "Show earlier events" away.
    while ((await row.count()) === 0) await page.click('[data-testid=events-earlier]');
    await row.locator('[data-testid=ev-why]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=why-panel]').waitFor();
    expect(await page.locator('[data-testid=why-rule]').first().innerText()).toMatch(/won term \d+: (n\d, )*n\d voted for it/);
    expect(await page.locator('[data-testid=why-cause]', { hasText: 'election started by' }).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=why-panel]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('ev-why');

    // The leader's role, from its node panel.
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-why]');
    expect(await page.locator('[data-testid=why-rule]').first().innerText()).toContain(`${leader} won term`);
    await page.click('[data-testid=why-close]');
    await page.locator('[data-testid=why-panel]').waitFor({ state: 'detached' });
  });

  it('explains a broken property by the chain that broke it (Figure 8, current-term rule off)', async () => {
    await page.click('[data-testid=tab-safety]');
    await page.click('[data-testid=safety-demo-unsafeCommitOldTerms]');
    await page.waitForSelector('[data-testid=safety-panel][data-violated=true]', { timeout: 30_000 });
    await page.locator('[data-testid=safety-why]').first().click();
    await page.locator('[data-testid=why-panel]').waitFor();
    const rules = await page.locator('[data-testid=why-rule]').allInnerTexts();
    expect(rules[0]).toContain('Leader Completeness broke');
    expect(rules.some((r) => /commitIndex moved to \d+: .*, but entry \d+ is from term \d+, not the current term \d+/.test(r))).toBe(true);
    expect(rules.some((r) => / won term \d+: /.test(r))).toBe(true);
    await app.shot('why-03-violation');
    await page.keyboard.press('Escape');
    expect(app.pageErrors).toEqual([]);
  });
});
