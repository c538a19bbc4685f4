import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tourSteps } from './tourSteps';
import { runSql, startApp, type App } from './harness';

/**
 * Membership changes, snapshots, dropped messages and partitions made by hand in the page, and
 * tour 10 walked to its end.
 */

let app: App;
let page: Page;
const { waitForPaused, nextStep } = tourSteps(() => page);

const membership = (id: string) => page.getAttribute(`[data-testid=node-${id}]`, 'data-membership');

async function waitForStep(k: number): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === String(s),
    k,
    { timeout: 30_000 },
  );
}

async function waitForMembership(id: string, want: string): Promise<void> {
  await page.waitForFunction(
    ([n, w]) => document.querySelector(`[data-testid=node-${n}]`)?.getAttribute('data-membership') === w,
    [id, want] as const,
    { timeout: 30_000 },
  );
}

async function ensurePlaying(): Promise<void> {
  if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
}

async function ensurePaused(): Promise<void> {
  if ((await page.innerText('[data-testid=play]')).includes('Pause')) await page.click('[data-testid=play]');
}

async function waitForLeader(): Promise<string> {
  await page.waitForFunction(
    () => !!document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader'),
    null,
    { timeout: 30_000 },
  );
  return (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
}


/** Drag node `id` in the cluster view to (x, y) in the view's own coordinates (640 × 420). */
async function dragNode(id: string, x: number, y: number, shotMidway?: string): Promise<void> {
  // The drawing may be taller than its panel (it keeps its shape): bring the node into view first.
  await page.locator(`[data-testid=node-${id}] .body`).scrollIntoViewIfNeeded();
  const node = (await page.locator(`[data-testid=node-${id}] .body`).boundingBox())!;
  const to = await page.evaluate(
    ([vx, vy]) => {
      const svg = document.querySelector<SVGSVGElement>('[data-testid=cluster-view] svg')!;
      const p = new DOMPoint(vx, vy).matrixTransform(svg.getScreenCTM()!);
      return { x: p.x, y: p.y };
    },
    [x, y] as const,
  );
  await page.mouse.move(node.x + node.width / 2, node.y + node.height / 2);
  await page.mouse.down();
  await page.mouse.move((node.x + to.x) / 2, (node.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  if (shotMidway) await app.shot(shotMidway);
  await page.mouse.up();
}

/** The leader has committed an entry of its term, so it accepts a configuration change. */
async function waitForAddable(): Promise<void> {
  await page.waitForSelector('[data-testid=add-node-button]:not([disabled])', { timeout: 30_000 });
}

/** Each node's database hash, read from the Share popover (opened and closed again). */
async function fingerprint(p: Page): Promise<Record<string, string>> {
  await p.click('[data-testid=share]');
  const cells = await p
    .locator('[data-testid^=db-hash-]')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid')!.slice(8), e.textContent ?? '']));
  await p.click('[data-testid=share]');
  return Object.fromEntries(cells);
}

async function newCluster(nodes: number, seed: number): Promise<void> {
  await page.click('[data-testid=new-cluster]');
  await page.fill('[data-testid=nc-nodes]', String(nodes));
  await page.fill('[data-testid=nc-seed]', String(seed));
  await page.click('[data-testid=nc-create]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^=node-n]').length === n, nodes);
}

describe('membership, snapshots and partitions in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });

  afterAll(() => app?.close());

  it('tour 10: adding and removing a node, walked to the end through the page', async () => {
    await page.selectOption('[data-testid=tour-picker]', 'members');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=members]');
    await page.selectOption('[data-testid=speed]', '5');
    await waitForPaused();
    await app.shot('tour10-1-three-servers');
    await nextStep();

    // The learner adds n4 with the control in the cluster view.
    expect(await page.getAttribute('[data-testid=tour-task]', 'data-done')).toBe('false');
    await page.click('[data-testid=add-node-button]');
    await waitForStep(2);
    await page.waitForSelector('[data-testid=node-n4]');
    await waitForPaused();
    expect(await membership('n4')).toBe('voter');
    await app.shot('tour10-2-n4-voter');
    await nextStep();
    // "One change at a time", then n5 joins as a read-only non-voter.
    await waitForPaused();
    await nextStep();
    await waitForPaused();
    expect(await membership('n5')).toBe('non-voter');
    await app.shot('tour10-3-read-only-n5');
    await nextStep();

    // Remove a voting follower through the node panel.
    const leader = await page.getAttribute('[data-testid=status-line]', 'data-leader');
    const follower = ['n1', 'n2', 'n3', 'n4'].find((n) => n !== leader)!;
    await page.click(`[data-testid=node-${follower}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-remove]');
    await waitForStep(6);
    await waitForPaused();
    expect(await membership(follower)).toBe('removed');
    await app.shot('tour10-4-removed');
    // "A removed server cannot disrupt", then the leader removes itself.
    await nextStep();
    await waitForPaused();
    await nextStep();
    await waitForPaused();
    await app.shot('tour10-5-leader-removed-itself');
    expect(await membership(leader!)).toBe('removed');
    expect(await page.getAttribute('[data-testid=status-line]', 'data-leader')).not.toBe(leader);
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 9: snapshots and InstallSnapshot, walked to the end through the page', async () => {
    await page.selectOption('[data-testid=tour-picker]', 'snapshots');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=snapshots]');
    await page.selectOption('[data-testid=speed]', '5');
    await waitForPaused();
    await app.shot('tour9-1-log-grows');
    await nextStep();
    // The tour selected the leader: take its snapshot from the Node tab.
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-snapshot]');
    await waitForStep(2);
    const leader = await page.getAttribute('[data-testid=status-line]', 'data-leader');
    expect(await page.getAttribute(`[data-testid=snap-${leader}]`, 'data-index')).toBe('6');
    await app.shot('tour9-2-snapshot-taken');
    await nextStep();
    await waitForPaused();
    await app.shot('tour9-3-n1-behind');
    await nextStep();
    await page.click('[data-testid=np-restart]');
    await waitForStep(5);
    await waitForPaused();
    await app.shot('tour9-4-install-snapshot');
    await nextStep();
    await waitForPaused();
    expect(Number(await page.getAttribute('[data-testid=snap-n1]', 'data-index'))).toBeGreaterThanOrEqual(18);
    await app.shot('tour9-5-caught-up');
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('adds a node that becomes a voter, removes it again', async () => {
    await newCluster(3, 5);
    await ensurePlaying();
    await waitForLeader();
    await waitForAddable();
    await ensurePaused();
    await page.click('[data-testid=add-node-button]');
    await page.waitForSelector('[data-testid=node-n4]');
    // A voter-to-be is first a non-voter that copies the log.
    expect(await membership('n4')).toBe('joining');
    for (let i = 0; i < 3; i++) await page.click('[data-testid=step-forward]');
    await app.shot('members-0-joining-n4');
    await ensurePlaying();
    await waitForMembership('n4', 'voter');
    await app.shot('members-1-added-n4');
    await ensurePaused();
    await page.click('[data-testid=node-n4]');
    await page.click('[data-testid=tab-node]');
    expect(await page.innerText('[data-testid=np-membership]')).toBe('voter');
    await page.click('[data-testid=np-remove]');
    await ensurePlaying();
    await waitForMembership('n4', 'removed');
    await app.shot('members-2-removed-n4');
    // A non-voter stays one.
    await page.selectOption('[data-testid=add-node-kind]', 'non-voter');
    await waitForAddable();
    await page.click('[data-testid=add-node-button]');
    await page.waitForSelector('[data-testid=node-n5]');
    await waitForMembership('n5', 'non-voter');
  });

  it('takes a snapshot on the leader and shows its boundary in the log strip', async () => {
    await runSql(page, 'CREATE TABLE t(v)');
    for (let i = 0; i < 3; i++) await runSql(page, `INSERT INTO t VALUES(${i})`);
    const leader = await waitForLeader();
    await ensurePaused();
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-snapshot]');
    const snap = page.locator(`[data-testid=snap-${leader}]`);
    await snap.waitFor();
    const index = Number(await snap.getAttribute('data-index'));
    expect(index).toBeGreaterThanOrEqual(6);
    expect(await snap.innerText()).toContain(`snapshot ≤ ${index}`);
    await app.shot('members-3-snapshot');
    await page.click('[data-testid=theme]');
    await app.shot('members-3-snapshot-dark');
    await page.click('[data-testid=theme]');
  });

  it('drops a message in flight', async () => {
    await ensurePaused();
    // Step until a message that is still travelling at the moment on screen has been clicked.
    for (let i = 0; i < 100 && (await page.locator('[data-testid=drop-msg]').count()) === 0; i++) {
      await page.click('[data-testid=step-forward]');
      const travelling = page.locator('[data-testid=messages] .msg:not(.falling)');
      if ((await travelling.count()) > 0) await travelling.first().click({ force: true });
    }
    await page.click('[data-testid=drop-msg]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=msg-inspector]')?.textContent?.includes('dropped by the user'),
    );
    // Step until it falls away on screen.
    for (let i = 0; i < 6; i++) await page.click('[data-testid=step-forward]');
    await app.shot('members-4-dropped');
    expect(await page.innerText('[data-testid=msg-inspector]')).toContain('lost at');
    await page.click('[data-testid=msg-inspector] .link-button');
  });

  it('a shared link replays the joins, removal, snapshot and dropped message to the same databases', async () => {
    await ensurePaused();
    const original = await fingerprint(page);
    // n1–n3 voters, n4 removed, n5 a non-voter: five databases, all up.
    expect(Object.keys(original).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    await page.click('[data-testid=share]');
    const url = await page.inputValue('[data-testid=share-url]');
    await page.click('[data-testid=share]');
    const other = await app.newPage();
    await other.goto(url);
    await other.waitForSelector('[data-testid=node-n5]');
    expect(await fingerprint(other)).toEqual(original);
    expect(await other.getAttribute('[data-testid=node-n4]', 'data-membership')).toBe('removed');
    expect(await other.getAttribute('[data-testid=node-n5]', 'data-membership')).toBe('non-voter');
    expect(await other.locator('[data-testid^=snap-]').count()).toBeGreaterThan(0);
    await app.shot('members-4b-opened-link', other);
    await other.close();
  });

  it('partitions by dragging a node and by a preset, and heals with one click', async () => {
    await newCluster(5, 2);
    await ensurePlaying();
    const leader = await waitForLeader();
    // Drag the leader to the cut-off zone at the right edge.
    await dragNode(leader, 590, 210, 'members-5a-dragging-to-cut-zone');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 4);
    const cutFromLeader = await page.locator(`[data-testid^=cut-][data-testid*=${leader}]`).count();
    expect(cutFromLeader).toBe(4);
    await app.shot('members-5-dragged-leader-off');
    // Drag another node across the dashed line into the leader's group: a 3 | 2 split.
    const other = ['n1', 'n2', 'n3', 'n4', 'n5'].find((n) => n !== leader)!;
    await dragNode(other, 560, 120, 'members-6a-dragging-across-the-line');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 6);
    await app.shot('members-6-dragged-two-three');
    await page.click('[data-testid=tab-network]');
    await page.click('[data-testid=net-heal]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 0);
    // A preset from the Network tab.
    await page.click('[data-testid=net-leader-minority]');
    // Counted, not waited on as visible: a level cut link has a box of zero height.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 6);
    await app.shot('members-7-preset-leader-minority');
    await page.click('[data-testid=net-heal]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 0);
  });

  it('transfers leadership to the node chosen in the node panel', async () => {
    await ensurePlaying();
    const leader = await waitForLeader();
    const target = ['n1', 'n2', 'n3', 'n4', 'n5'].find((n) => n !== leader)!;
    await ensurePaused();
    await page.click(`[data-testid=node-${target}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-transfer]');
    await ensurePlaying();
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader') === t,
      target,
      { timeout: 30_000 },
    );
    await app.shot('members-10-transferred');
  });

  it('grows to nine servers and draws a three-way partition as three columns', async () => {
    await newCluster(7, 3);
    await ensurePlaying();
    await waitForLeader();
    await page.selectOption('[data-testid=add-node-kind]', 'voter');
    await waitForAddable();
    await page.click('[data-testid=add-node-button]');
    await waitForMembership('n8', 'voter');
    await waitForAddable();
    await page.click('[data-testid=add-node-button]');
    await waitForMembership('n9', 'voter');
    expect(await page.getAttribute('[data-testid=add-node-button]', 'disabled')).not.toBeNull();
    await app.shot('members-8-nine-servers');
    await dragNode('n9', 590, 210);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 8);
    await page.click('[data-testid=tab-network]');
    await page.click('[data-testid=net-isolate-leader]');
    await page.waitForFunction(() => document.querySelectorAll('.partition-divider').length === 2);
    await app.shot('members-9-three-groups');
    await page.click('[data-testid=net-heal]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^=cut-]').length === 0);
    expect(app.pageErrors).toEqual([]);
  });
});
