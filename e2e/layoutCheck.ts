import type { Page } from 'playwright-core';

/**
 * What the layout checker finds wrong with the page as it is on screen, measured from bounding
 * boxes in the page itself:
 *  - `scroll`: the document is wider than the window (it would scroll sideways);
 *  - `clip`: a piece of visible text is cut by an ancestor that hides its overflow (an SVG's edge,
 *    a panel with overflow: hidden), or runs past the visible bottom of a panel that scrolls (the
 *    page's columns, a tour's card, a dialog: they should hold what they show, a half line at
 *    their foot is text nobody can read without knowing to scroll). Text a scrolling panel has
 *    scrolled away entirely is not counted, nor a row cut at the foot of a list that grows without
 *    end (SCROLLING_LISTS: the event list, the console's answers, the editor);
 *  - `overlap`: two pieces of visible text cover each other. Text in a layer over the page (a
 *    dialog, the tour's bottom sheet, a popover: anything fixed) is only compared with text in the
 *    same layer; messages in flight are left out (they pass over labels by design);
 *  - `target`: with `minTarget`, a control smaller than that in either direction (marks of data
 *    drawn densely, like log cells, are left out).
 */
export interface LayoutProblem {
  kind: 'scroll' | 'clip' | 'overlap' | 'target';
  what: string;
}

export interface LayoutOptions {
  /** Smallest width and height of a button, select, tab or checkbox label (touch screens). */
  minTarget?: number;
}

/** Scrolling is these containers' design: their content grows with the run, a row cut at the foot says "more below". */
const SCROLLING_LISTS = '.tab-body, .console-results, .sql-editor, .cm-scroller, pre';

export async function checkLayout(page: Page, options: LayoutOptions = {}): Promise<LayoutProblem[]> {
  return page.evaluate(([opts, lists]) => {
    const problems: { kind: 'scroll' | 'clip' | 'overlap' | 'target'; what: string }[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) problems.push({ kind: 'scroll', what: `document is ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window` });

    const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'SELECT', 'TEXTAREA', 'title']);
    const name = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' ? el.className : (el.getAttribute('class') ?? '');
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''}`;
    };
    const visible = (el: Element) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });

    interface TextBox {
      text: string;
      el: Element;
      layer: Element | null;
      r: DOMRect;
    }
    const boxes: TextBox[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim() ?? '';
      const el = n.parentElement;
      if (!text || !el || SKIP.has(el.tagName)) continue;
      if (el.closest('.msg, .sr-only, [hidden], .cm-gutters')) continue;
      if (!visible(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = [...range.getClientRects()].filter((r) => r.width >= 1 && r.height >= 1);
      // The layer: the nearest fixed ancestor (dialogs, sheets, popovers), else the page.
      let layer: Element | null = null;
      let hidden = false;
      let clipped = '';
      for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (!layer && (cs.position === 'fixed' || (cs.position === 'absolute' && a.classList.contains('session-popover')))) layer = a;
        if (a === el && a.tagName !== 'svg') continue;
        const ox = cs.overflowX;
        const oy = cs.overflowY;
        if (ox === 'visible' && oy === 'visible') {
          if (cs.position === 'fixed') break;
          continue;
        }
        const box = a.getBoundingClientRect();
        const bx = parseFloat(cs.borderLeftWidth) || 0;
        const by = parseFloat(cs.borderTopWidth) || 0;
        const inner = { left: box.left + bx, top: box.top + by, right: box.left + bx + (a.clientWidth || box.width), bottom: box.top + by + (a.clientHeight || box.height) };
        for (const r of rects) {
          const outside = r.right <= inner.left || r.left >= inner.right || r.bottom <= inner.top || r.top >= inner.bottom;
          const scrolls = (o: string) => o === 'auto' || o === 'scroll';
          const cutX = r.left < inner.left - 1 || r.right > inner.right + 1;
          const cutY = r.top < inner.top - 1 || r.bottom > inner.bottom + 1;
          // Past the foot of a scrolling panel that is not a list: cut, though the panel scrolls.
          const pastFoot = scrolls(oy) && r.top < inner.bottom - 1 && r.bottom > inner.bottom + 1 && !a.matches(lists);
          if (outside && (scrolls(ox) || scrolls(oy))) hidden = true;
          else if ((cutX && !scrolls(ox)) || (cutY && !scrolls(oy))) clipped ||= name(a);
          else if (pastFoot) clipped ||= `the foot of ${name(a)} (it scrolls, ${a.scrollHeight - a.clientHeight} px more)`;
        }
        if (cs.position === 'fixed') break;
      }
      if (hidden) continue;
      if (clipped) problems.push({ kind: 'clip', what: `"${text.slice(0, 40)}" (${name(el)}) is cut by ${clipped}` });
      for (const r of rects) boxes.push({ text, el, layer, r });
    }

    // Sorted by left edge, each box is compared with those that start before it ends.
    boxes.sort((a, b) => a.r.left - b.r.left);
    const seen = new Set<string>();
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length && boxes[j].r.left < a.r.right - 2; j++) {
        const b = boxes[j];
        if (a.el === b.el || a.layer !== b.layer) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        // Line boxes of neighbouring lines may touch; real overlaps cover a few pixels both ways.
        if (w > 2 && h > 3) {
          const key = `${a.text}|${b.text}`;
          if (seen.has(key)) continue;
          seen.add(key);
          problems.push({ kind: 'overlap', what: `"${a.text.slice(0, 30)}" (${name(a.el)}) overlaps "${b.text.slice(0, 30)}" (${name(b.el)})` });
        }
      }
    }

    if (opts.minTarget) {
      // Marks of data drawn densely (messages in flight, log cells, the timeline's marks) are not
      // held to it: a log shows dozens of entries in a row, and the timeline seeks by a tap anywhere.
      const controls = document.querySelectorAll('button, select, [role=tab], input[type=number], label.check, [role=button]:not(.msg, .cell, .marker)');
      for (const c of controls) {
        if (!visible(c) || c.closest('.cm-editor, [hidden]')) continue;
        const r = c.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.width < opts.minTarget - 0.5 || r.height < opts.minTarget - 0.5)
          problems.push({ kind: 'target', what: `${name(c)} "${(c.textContent ?? '').trim().slice(0, 20)}" is ${Math.round(r.width)}×${Math.round(r.height)}` });
      }
    }
    return problems;
  }, [options, SCROLLING_LISTS] as const);
}
