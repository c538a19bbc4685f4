import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSql as runInConsole, shownText, startApp, type App } from './harness';

let app: App;
let page: Page;

const leaderOf = () => page.getAttribute('[data-testid=status-line]', 'data-leader');
const seqOf = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'));

async function waitForLeader(other?: string): Promise<string> {
  await page.waitForFunction(
    (not) => {
      const l = document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader');
      return !!l && l !== not;
    },
    other ?? '',
    { timeout: 30_000 },
  );
  return (await leaderOf())!;
}

async function runSql(sql: string, state: 'ok' | 'error' = 'ok'): Promise<void> {
  const answer = await runInConsole(page, sql);
  expect(answer.state, answer.text).toBe(state);
}

async function ensurePlaying(): Promise<void> {
  if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
}

describe('raftlite in Chromium', () => {
  beforeAll(async () => {
    app = await startApp();
    page = app.page;
  });

  afterAll(() => app?.close());

  it('loads and elects a leader', async () => {
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.locator('[data-testid^=node-n]').count()).toBe(5);
    // A first visit opens paused (firstVisit.test.ts): Play starts it.
    await ensurePlaying();
    const leader = await waitForLeader();
    expect(await page.getAttribute(`[data-testid=node-${leader}]`, 'data-role')).toBe('leader');
    await app.shot('01-leader');
  });

  it('runs CREATE TABLE, INSERT and SELECT from the console', async () => {
    await page.selectOption('[data-testid=speed]', '2');
    await runSql('CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT)');
    await runSql("INSERT INTO fruit(name) VALUES ('apple'), ('pear')");
    await page.selectOption('[data-testid=sql-level]', 'strong');
    await runSql('SELECT name FROM fruit ORDER BY id');
    const table = page.locator('[data-testid=result-table]').last();
    expect(await table.innerText()).toContain('pear');
    await page.click('[data-testid=tab-tables]');
    await page.waitForSelector('[data-testid=table-browser] table');
    await app.shot('02-sql');
  });

  it('the editor completes the tables and columns of the cluster’s database', async () => {
    // What the editor offers for `text` (asked with Ctrl+Space), the editor emptied after.
    const completions = async (text: string) => {
      await page.click('.sql-console .cm-content');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(text);
      await page.keyboard.press('Control+Space');
      // The schema is read when the page is next idle after an answer (SqlConsole): the list waits for it.
      const offered = await page.waitForSelector('.cm-tooltip-autocomplete').then((el) => el.innerText());
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      return offered;
    };
    expect(await completions('SELECT na FROM fru')).toContain('fruit');
    // A column of that table, after its name and a dot.
    expect(await completions('SELECT fruit.na')).toContain('name');
  });

  it('refuses runaway SQL with a clear error and keeps going', async () => {
    await runSql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', 'error');
    expect(await shownText(page, '[data-testid=result-entry] >> nth=-1')).toContain('recursive query without LIMIT refused');
    await runSql('SELECT length(zeroblob(2000000000))', 'error');
    expect(await shownText(page, '[data-testid=result-entry] >> nth=-1')).toContain('at most 10 MB');
    // The cluster carries on: the next statement runs as usual.
    await runSql("INSERT INTO fruit(name) VALUES ('plum')");
    await app.shot('02b-runaway-refused');
  });

  it('elects a new leader after the leader is killed', async () => {
    await ensurePlaying();
    const old = await waitForLeader();
    await page.click(`[data-testid=node-${old}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    // The view redraws on the next animation frame, so wait for it rather than read at once.
    await page.waitForSelector(`[data-testid=node-${old}][data-role=down]`, { timeout: 10_000 });
    const next = await waitForLeader(old);
    expect(next).not.toBe(old);
    await app.shot('03-new-leader');
    await page.click('[data-testid=np-restart]');
  });

  it('partitions and heals the network', async () => {
    await ensurePlaying();
    await page.click('[data-testid=tab-network]');
    await page.click('[data-testid=net-split]');
    await page.waitForSelector('[data-testid^=cut-]');
    await page.waitForTimeout(1500);
    await app.shot('04-partitioned');
    await page.click('[data-testid=net-heal]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 0);
    await waitForLeader();
    await app.shot('05-healed');
  });

  it('steps back and forth one event at a time', async () => {
    await page.click('[data-testid=play]');
    await page.waitForFunction(() => document.querySelector('[data-testid=play]')?.textContent?.includes('Play'));
    const start = await seqOf();
    await page.click('[data-testid=step-back]');
    await page.click('[data-testid=step-back]');
    const back = await seqOf();
    expect(back).toBeLessThan(start);
    // The page's keys do not fire while a button has focus (Space or an arrow belongs to it then).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    const fwd = await seqOf();
    expect(fwd).toBeGreaterThan(back);
    await page.keyboard.press('ArrowLeft');
    expect(await seqOf()).toBe(back);
    await app.shot('06-stepped');
  });

  it('the event list fills its panel and shows earlier events on request', async () => {
    await page.click('[data-testid=tab-events]');
    const seqs = () => page.$$eval('[data-testid=event-list] li.ev', (els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    const first = await seqs();
    // Newest first, and the panel is filled: the last row drawn lies below the panel's bottom.
    expect(first).toEqual([...first].sort((a, b) => b - a));
    const [rowBottom, panelBottom] = await page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid=event-list] li.ev');
      const panel = document.querySelector('[data-testid=event-list]')!.parentElement!;
      return [rows[rows.length - 1].getBoundingClientRect().bottom, panel.getBoundingClientRect().bottom];
    });
    expect(rowBottom).toBeGreaterThan(panelBottom);
    // Earlier events continue the list below the rows already drawn.
    await page.click('[data-testid=events-earlier]');
    const more = await seqs();
    expect(more.length).toBeGreaterThan(first.length);
    expect(more.slice(0, first.length)).toEqual(first);
    expect(more).toEqual([...more].sort((a, b) => b - a));
  });

  it('scrubs the timeline to an earlier moment and forks from it', async () => {
    const box = (await page.locator('[data-testid=timeline] svg.timeline-marks').boundingBox())!;
    const before = await seqOf();
    await page.mouse.click(box.x + 3, box.y + box.height / 2);
    const early = await seqOf();
    expect(early).toBeLessThan(before);
    const clock = await page.innerText('[data-testid=clock]');
    await app.shot('07-scrubbed');
    // Acting in the past replays up to here and throws the old future away.
    await page.click('[data-testid=tab-network]');
    await page.click('[data-testid=net-split]');
    await page.waitForSelector('[data-testid^=cut-]');
    expect(await page.innerText('[data-testid=clock]')).toBe(clock);
    await page.click('[data-testid=play]');
    await page.waitForTimeout(500);
    await page.click('[data-testid=net-heal]');
    await app.shot('08-forked');
    expect(app.pageErrors).toEqual([]);
  });

  it('a first visit points at the first tour; dismissed, the hint stays away after a reload', async () => {
    expect(await page.innerText('[data-testid=welcome-hint]')).toContain('New to Raft?');
    await page.click('[data-testid=welcome-dismiss]');
    expect(await page.locator('[data-testid=welcome-hint]').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.locator('[data-testid=welcome-hint]').count()).toBe(0);
  });
});
