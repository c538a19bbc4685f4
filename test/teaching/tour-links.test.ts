import { describe, expect, it } from 'vitest';
import { TOURS } from '../../src/store/tours/catalog';
import { citationHref, PAPER_PAGES, PAPER_URL, THESIS_SECTIONS, THESIS_URL, thesisDestination } from '../../src/store/tours/paper';
import type { Ref } from '../../src/store/tours/types';

const refs: { where: string; ref: Ref }[] = TOURS.flatMap((t) => t.steps.flatMap((s, i) => (s.refs ?? []).map((ref) => ({ where: `${t.id} step ${i + 1}`, ref }))));

describe('links into the paper and the dissertation', () => {
  it('every one names a part of one table and opens it there', () => {
    const cited = refs.filter(({ ref }) => ref.href.startsWith(PAPER_URL) || ref.href.startsWith(THESIS_URL));
    expect(cited.length).toBeGreaterThan(20);
    for (const { where, ref } of cited) {
      const c = ref.cites;
      expect(c, `${where}: ${ref.label} says which part it cites`).toBeDefined();
      if (c!.doc === 'paper') {
        expect(Object.keys(PAPER_PAGES), where).toContain(c!.part);
        expect(c!.page, `${where}: ${ref.label}`).toBe(PAPER_PAGES[c!.part as keyof typeof PAPER_PAGES]);
        expect(ref.href).toBe(`${PAPER_URL}#page=${c!.page}`);
      } else {
        expect(Object.keys(THESIS_SECTIONS), where).toContain(c!.part);
        expect(c!.page, `${where}: no unverified page`).toBeUndefined();
      }
      expect(ref.href).toBe(citationHref(c!));
      expect(ref.label, `${where}: the label names the part it links to`).toContain(c!.part);
    }
  });

  it('the pages are where the extended paper puts each part', () => {
    // Read from raft.pdf (18 pages): §5.4.2 and Figure 8 share page 8, §7 starts on page 11.
    expect(PAPER_PAGES).toMatchObject({ '§2': 1, 'Figure 2': 4, '§5.2': 5, '§5.3': 6, '§5.4.1': 8, '§5.4.2': 8, '§5.4.3': 9, '§5.6': 10, '§6': 10, '§7': 11, '§8': 13 });
  });

  it('the dissertation opens at the section, named as hyperref names it', () => {
    expect(thesisDestination('§3.10')).toBe('section.3.10');
    expect(thesisDestination('§4.2.3')).toBe('subsection.4.2.3');
    expect(citationHref({ doc: 'thesis', part: '§9.6' })).toBe(`${THESIS_URL}#nameddest=section.9.6`);
  });

  it('the tours cite leadership transfer and the timing requirement', () => {
    const parts = new Set(refs.map(({ ref }) => ref.cites?.part));
    for (const p of ['§3.10', '§5.6', '§6.2', '§9.6']) expect(parts, p).toContain(p);
  });
});
