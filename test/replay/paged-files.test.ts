import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withSettings } from '../../src/db/settings';
import { PageTable, PagedFile, sameFile } from '../../src/replay/pagedFiles';

/** A SQLite-like file: `pages` pages of `size` bytes, the header declaring that size, each page's bytes from `seed`. */
function file(pages: number, size: number, seed: number): Uint8Array {
  const f = new Uint8Array(pages * size);
  for (let i = 0; i < f.length; i++) f[i] = (Math.imul(i + 1, 2654435761) ^ seed) >>> 24;
  f[16] = size === 65536 ? 0 : size >> 8;
  f[17] = size === 65536 ? 1 : size & 0xff;
  return f;
}

describe('a file kept as pages (checkpoint images, pagedFiles.ts)', () => {
  it('reads back byte for byte, at any length and settings header, and a change anywhere is kept', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.constantFrom(512, 1024, 4096), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 9 })), fc.nat(), fc.nat(), (pages, size, settings, where, tail) => {
        const bare = file(pages, size, 7);
        const bytes = tail % 3 === 0 ? bare : withSettings(bare.subarray(0, Math.max(0, bare.length - (tail % size))), settings);
        const t = new PageTable();
        const kept = t.keep(bytes);
        expect(kept.length).toBe(bytes.length);
        expect([...kept.read()]).toEqual([...bytes]);
        if (bytes.length === 0) return;
        const changed = bytes.slice();
        changed[where % bytes.length] ^= 0x5a;
        t.hold(kept, 1);
        const next = t.keep(changed);
        expect([...next.read()]).toEqual([...changed]);
        expect(sameFile(kept, next)).toBe(false);
        expect(sameFile(kept, t.keep(bytes.slice()))).toBe(true);
      }),
    );
  });

  it('shares every page two files have in common, and counts each held page once', () => {
    const t = new PageTable();
    const a = withSettings(file(40, 4096, 1), { foreign_keys: 1 });
    const b = a.slice();
    b[a.length - 100] ^= 1;
    const [ka, kb] = [t.keep(a), t.keep(b)];
    // The header, then 40 pages: the last differs.
    expect(ka.chunks).toHaveLength(41);
    expect(ka.chunks.filter((c, i) => c === kb.chunks[i])).toHaveLength(40);
    t.hold(ka, 1);
    t.hold(kb, 1);
    t.settle();
    expect(t.chunks).toBe(42);
    expect(t.bytes).toBe(a.length + 4096);
    t.hold(ka, 1);
    t.hold(ka, -1);
    t.hold(ka, -1);
    // The first file's last page is let go; what the second holds stays.
    expect(t.bytes).toBe(b.length);
    t.hold(kb, -1);
    expect([t.bytes, t.chunks]).toEqual([0, 0]);
  });

  it('forgets the pages of a file kept and never held, and finds a held file again once held anew', () => {
    const t = new PageTable();
    const a = file(8, 1024, 3);
    const first = t.keep(a);
    t.settle();
    // Not held: a second keep of the same bytes finds nothing, and copies.
    const second = t.keep(a.slice());
    expect(second.chunks[0]).not.toBe(first.chunks[0]);
    t.hold(second, 1);
    t.hold(second, -1);
    t.settle();
    expect(t.chunks).toBe(0);
    t.hold(second, 1);
    // Held again, its pages are found again.
    expect(t.keep(a.slice()).chunks).toEqual(second.chunks);
  });

  it('holds a plain array as one chunk of its own', () => {
    const t = new PageTable();
    const plain = new Uint8Array(300);
    t.hold(plain, 1);
    t.hold(plain, 1);
    expect([t.bytes, t.chunks]).toEqual([300, 1]);
    t.hold(plain, -1);
    t.hold(plain, -1);
    expect([t.bytes, t.chunks]).toEqual([0, 0]);
    expect(sameFile(plain, new Uint8Array(300))).toBe(true);
    expect(sameFile(plain, new PagedFile([new Uint8Array(300)], 300))).toBe(false);
  });

  it('of a fork: the files it inherits are held in its own table, and its new files share their pages', () => {
    const parent = new PageTable();
    const bytes = withSettings(file(30, 4096, 9), {});
    const inherited = parent.keep(bytes);
    parent.hold(inherited, 1);
    parent.settle();
    const fork = new PageTable();
    fork.hold(inherited, 1);
    expect(fork.bytes).toBe(parent.bytes);
    const next = bytes.slice();
    next[next.length - 1] ^= 1;
    const own = fork.keep(next);
    expect(own.chunks.filter((c, i) => c === inherited.chunks[i])).toHaveLength(inherited.chunks.length - 1);
    // The parent lets its file go: the fork still holds it, and counts it.
    parent.hold(inherited, -1);
    expect(parent.bytes).toBe(0);
    fork.hold(own, 1);
    expect(fork.bytes).toBe(bytes.length + 4096);
    expect([...own.read()]).toEqual([...next]);
  });
});
