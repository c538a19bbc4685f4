import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tourSteps } from './tourSteps';
import { runSql, shownText, SHOTS, startApp, typeSql, type App } from './harness';

let app: App;
let page: Page;
const { waitForPaused, nextStep } = tourSteps(() => page);


async function startTour(id: string): Promise<void> {
  await page.selectOption('[data-testid=tour-picker]', id);
  await page.waitForSelector(`[data-testid=tour-panel][data-tour=${id}]`);
  // Fast playback: the tour still stops at every step.
  await page.selectOption('[data-testid=speed]', '5');
}


/** Each node's database hash, read from the Share popover (opened and closed again). */
async function fingerprint(p: Page): Promise<Record<string, string>> {
  const open = (await p.locator('[data-testid=session-popover]').count()) > 0;
  if (!open) await p.click('[data-testid=share]');
  const cells = await p.locator('[data-testid^=db-hash-]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid')!.slice(8), e.textContent ?? '']));
  if (!open) await p.click('[data-testid=share]');
  return Object.fromEntries(cells);
}


describe('teaching mode in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ ready: '[data-testid=cluster-view] svg', context: { acceptDownloads: true } });
    page = app.page;
  });

  afterAll(() => app?.close());

  it('tour 1: a replicated state machine, with the learner typing the INSERT', async () => {
    // A first visit is offered tour 1 in one click.
    await page.click('[data-testid=welcome-start]');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=rsm]');
    expect(await page.locator('[data-testid=welcome-hint]').count()).toBe(0);
    await startTour('rsm');
    await app.shot('t1-start');
    await nextStep();
    await nextStep();
    await waitForPaused();
    await app.shot('t1-log');
    await nextStep();
    await nextStep();
    expect(await page.getAttribute('[data-testid=tour-task]', 'data-done')).toBe('false');
    // A typo is explained, and not taken as done.
    await typeSql(page, "INSERT INTO fruits VALUES('apple', 3)");
    await page.waitForSelector('[data-testid=tour-note]', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=tour-note]')).toContain('no such table');
    expect(await page.getAttribute('[data-testid=tour-panel]', 'data-step')).toBe('4');
    expect(await page.getAttribute('[data-testid=tour-task]', 'data-done')).toBe('false');
    await app.shot('t1-typo');
    await typeSql(page, "INSERT INTO fruit VALUES('apple', 3)");
    // Doing the asked action moves the tour on by itself, once its answer is in.
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '5', null, { timeout: 30_000 });
    await waitForPaused();
    await app.shot('t1-identical');
    const answers = await page.locator('[data-testid=result-table]').allInnerTexts();
    expect(answers.slice(-3).every((a) => a.includes('apple'))).toBe(true);
    await nextStep();
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 2: leader election, with the learner killing the leader', async () => {
    await startTour('election');
    await nextStep();
    await waitForPaused();
    await app.shot('t2-candidates');
    for (let k = 0; k < 5; k++) await nextStep();
    await app.shot('t2-task');
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    expect(leader).toBeTruthy();
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '7');
    await waitForPaused();
    await app.shot('t2-new-leader');
    const next = await page.getAttribute('[data-testid=status-line]', 'data-leader');
    expect(next).toBeTruthy();
    expect(next).not.toBe(leader);
    await nextStep();
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 4: leader crash and log repair, with the learner crashing and restarting', async () => {
    await startTour('crash');
    await nextStep();
    await waitForPaused();
    await nextStep();
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    await nextStep();
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '4');
    await waitForPaused();
    await nextStep();
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=np-restart]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '6');
    await waitForPaused();
    await app.shot('t4-conflict');
    await nextStep();
    await waitForPaused();
    await app.shot('t4-repaired');
    const commits = await page.locator('[data-testid^=log-n]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-last')));
    expect(new Set(commits).size).toBe(1);
    await nextStep();
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 7: read consistency, using "do it for me"', async () => {
    await startTour('reads');
    for (let k = 0; k < 3; k++) await nextStep();
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '4', null, { timeout: 30_000 });
    await waitForPaused();
    await nextStep();
    await nextStep();
    await waitForPaused();
    await app.shot('t7-reads');
    const results = await page.locator('[data-testid=result-entry]').allInnerTexts();
    expect(results.some((r) => r.includes('old'))).toBe(true);
    expect(results.some((r) => r.includes('new'))).toBe(true);
    await nextStep();
  });

  it('tour 4: Play inside "crash the old leader", then "do it for me", crashes the old leader, not the new one', async () => {
    await startTour('crash');
    for (let k = 0; k < 3; k++) await nextStep();
    await waitForPaused();
    const old = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    await page.selectOption('[data-testid=speed]', '1');
    await page.click('[data-testid=play]');
    await page.waitForTimeout(5000);
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '4', null, { timeout: 30_000 });
    await waitForPaused();
    expect(await page.getAttribute(`[data-testid=node-${old}]`, 'data-role')).toBe('down');
    expect(await page.innerText('[data-testid=tour-panel]')).toContain(`${old} still has ‘lost’`);
    await app.shot('t4-play-then-do-it');
    await page.click('[data-testid=tour-exit]');
  });

  it('tour 5: a scrub to t=0 inside a step, then Next, still lands on a true step', async () => {
    await startTour('partition');
    for (let k = 0; k < 4; k++) await nextStep();
    await waitForPaused();
    const box = (await page.locator('[data-testid=timeline] svg.timeline-marks').boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + box.height / 2);
    await page.click('[data-testid=tour-next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '5');
    await waitForPaused();
    const leader = await page.getAttribute('[data-testid=status-line]', 'data-leader');
    expect(leader).toBeTruthy();
    expect(await page.innerText('[data-testid=tour-panel]')).toContain(`set “to” to ${leader}`);
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '6', null, { timeout: 30_000 });
    await app.shot('t5-after-scrub');
    await page.click('[data-testid=tour-exit]');
  });

  it('tour 3: the learner’s INSERT is never shown as from a discarded future', async () => {
    await startTour('replication');
    await nextStep();
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '2');
    for (let k = 0; k < 3; k++) await nextStep();
    expect(await page.locator('.result-entry.forgotten').count()).toBe(0);
    expect(await page.innerText('[data-testid=sql-results]')).not.toContain('discarded');
  });

  it('a reload mid-tour resumes the tour at the same step, and its text is still true', async () => {
    await startTour('crash');
    for (let k = 0; k < 3; k++) await nextStep();
    await waitForPaused();
    const old = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    const title = await page.innerText('[data-testid=tour-step-title]');
    const text = await page.locator('[data-testid=tour-panel] > p').allInnerTexts();
    expect(text.join(' ')).toContain(`Crash ${old}`);
    await page.reload();
    await page.waitForSelector('[data-testid=tour-panel][data-tour=crash]', { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid=tour-panel]', 'data-step')).toBe('3');
    expect(await page.innerText('[data-testid=tour-step-title]')).toBe(title);
    expect(await page.locator('[data-testid=tour-panel] > p').allInnerTexts()).toEqual(text);
    // True, not only the same: the server the text names still leads (cut off, it does not know yet).
    expect(await page.getAttribute('[data-testid=status-line]', 'data-leader')).toBe(old);
    expect(await page.locator('[data-testid=tour-drift]').count()).toBe(0);
    await app.shot('t4-after-reload');
    // And the tour goes on from there: its task crashes the server it remembered.
    await page.selectOption('[data-testid=speed]', '5');
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '4', null, { timeout: 30_000 });
    await waitForPaused();
    expect(await page.getAttribute(`[data-testid=node-${old}]`, 'data-role')).toBe('down');
    expect(await page.innerText('[data-testid=tour-panel]')).toContain(`${old} still has ‘lost’`);
    await page.click('[data-testid=tour-exit]');
  });

  it('tour 11: the learner hands leadership over, and a TimeoutNow starts the election', async () => {
    await startTour('transfer');
    await nextStep();
    await waitForPaused();
    const old = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    const heir = ['n1', 'n2', 'n3'].find((n) => n !== old)!;
    await page.click(`[data-testid=node-${heir}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-transfer]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '2', null, { timeout: 30_000 });
    await waitForPaused();
    expect(await page.getAttribute('[data-testid=status-line]', 'data-leader')).toBe(heir);
    const text = await page.innerText('[data-testid=tour-panel]');
    expect(text).toContain(`sent it TimeoutNow`);
    expect(text).toContain(`${old} stopped taking new writes, checked that ${heir}’s log`);
    await page.click('[data-testid=tab-events]');
    expect(await shownText(page, '[data-testid=event-list]')).toContain(`${old} tells ${heir} to start an election now`);
    await app.shot('t11-timeoutnow');
    await nextStep();
    expect(await page.innerText('[data-testid=tour-panel]')).toMatch(/heartbeat every \d+ ms; election timeouts are drawn from \d+–\d+ ms/);
    await page.click('[data-testid=tour-exit]');
  });

  it('a shared link and an exported file replay to the identical cluster state', async () => {
    await page.click('[data-testid=new-cluster]');
    await page.fill('[data-testid=nc-nodes]', '5');
    await page.fill('[data-testid=nc-seed]', '11');
    await page.click('[data-testid=nc-create]');
    await page.selectOption('[data-testid=speed]', '2');
    if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
    await page.waitForFunction(() => !!document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader'), null, { timeout: 30_000 });
    await runSql(page, 'CREATE TABLE city(name TEXT, pop INTEGER)');
    await runSql(page, "INSERT INTO city VALUES('Lyon', 522000), ('Nantes', 320000)");
    // Crash n2 while paused (acting on the moment on screen), then go on.
    await page.click('[data-testid=play]');
    await page.click('[data-testid=node-n2]');
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    await page.click('[data-testid=play]');
    await runSql(page, "INSERT INTO city VALUES('Lille', 236000)");
    await page.click('[data-testid=play]');
    const original = await fingerprint(page);
    const clock = await page.innerText('[data-testid=clock]');
    await app.shot('s0-before-share');
    expect(Object.values(original).filter((h) => h !== 'down').length, JSON.stringify(original)).toBe(4);
    await page.click('[data-testid=share]');
    const url = await page.inputValue('[data-testid=share-url]');
    expect(url).toContain('#run=');
    await app.shot('s1-share');
    await page.click('[data-testid=share]');

    // The link, opened in another tab.
    const other = await app.newPage();
    await other.goto(url);
    await other.waitForSelector('[data-testid=cluster-view] svg');
    expect(await other.innerText('[data-testid=clock]')).toBe(clock);
    expect(await fingerprint(other)).toEqual(original);
    await app.shot('s2-opened-link', other);
    await other.close();

    // The exported file, imported into a fresh cluster.
    await page.click('[data-testid=share]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-run]')]);
    const file = join(SHOTS, 'exported-run.json');
    await download.saveAs(file);
    await page.click('[data-testid=share]');
    await page.click('[data-testid=new-cluster]');
    await page.click('[data-testid=nc-create]');
    await page.click('[data-testid=share]');
    await page.setInputFiles('[data-testid=import-run]', file);
    await page.waitForSelector('[data-testid=notice]');
    expect(await page.innerText('[data-testid=notice]')).toContain('Imported');
    expect(await page.innerText('[data-testid=clock]')).toBe(clock);
    expect(await fingerprint(page)).toEqual(original);

    // A hostile file is refused with a reason, and nothing changes.
    const bad = join(SHOTS, 'hostile-run.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { inputs: { action: { node?: string } }[]; frame: number };
    parsed.frame = 1e12;
    writeFileSync(bad, JSON.stringify(parsed));
    await page.click('[data-testid=share]');
    await page.setInputFiles('[data-testid=import-run]', bad);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('not a raftlite run'));
    await app.shot('s3-hostile-refused');
    expect(await page.innerText('[data-testid=clock]')).toBe(clock);
    // The refused import left the popover open.
    expect(await fingerprint(page)).toEqual(original);
    await page.click('[data-testid=share]');
    expect(await page.locator('[data-testid=session-popover]').count()).toBe(0);
  });

  it('the scenario editor lints, runs a scenario in the page, and downloads what it recorded', async () => {
    await page.click('[data-testid=open-scenario-editor]');
    await page.click('[data-testid=scenario-input]');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{ "nodes": 3, "steps": [ { "waitFor": "leader" }, { "kil": "n1" } ] }');
    await page.waitForSelector('.cm-lintRange-error');
    await page.hover('.cm-lintRange-error');
    await page.waitForSelector('.cm-tooltip-lint');
    expect(await page.innerText('.cm-tooltip-lint')).toContain('step 1: unknown step');
    await app.shot('e1-lint');
    await page.selectOption('[data-testid=scenario-example]', '04-leader-crash');
    await page.click('[data-testid=scenario-run]');
    await page.waitForSelector('[data-testid=scenario-results]');
    expect(await page.locator('[data-testid=scenario-results] li[data-ok=false]').count()).toBe(0);
    await app.shot('e2-ran');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=scenario-download-recorded]')]);
    const file = join(SHOTS, 'recorded-scenario.json');
    await download.saveAs(file);
    await page.click('[data-testid=scenario-close]');
    const headless = JSON.parse(execSync(`npm run --silent scenario -- ${file}`, { encoding: 'utf8' })) as { nodes: { id: string; dbHash: string | null }[] };
    const page2 = await fingerprint(page);
    expect(Object.fromEntries(headless.nodes.map((n) => [n.id, n.dbHash ?? 'down']))).toEqual(page2);
    await app.shot('e3-after-scenario');
  });

  it('survives a reload', async () => {
    const clock = await page.innerText('[data-testid=clock]');
    await page.waitForTimeout(1500);
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.innerText('[data-testid=notice]')).toContain('Restored');
    expect(await page.innerText('[data-testid=clock]')).toBe(clock);
    await app.shot('s4-restored');
    expect(app.pageErrors).toEqual([]);
  });
});

