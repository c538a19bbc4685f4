import { describe, expect, it } from 'vitest';
import { alongStrip, nearest } from '../../src/ui/roving';

describe('a roving tab stop', () => {
  const items = ['a', 'b', 'c', 'd'];

  it('moves one along with the arrows and stops at either end', () => {
    expect(alongStrip('ArrowRight', items, 'b')).toBe('c');
    expect(alongStrip('ArrowLeft', items, 'b')).toBe('a');
    expect(alongStrip('ArrowRight', items, 'd')).toBe('d');
    expect(alongStrip('ArrowLeft', items, 'a')).toBe('a');
  });

  it('jumps to the ends with Home and End', () => {
    expect(alongStrip('Home', items, 'c')).toBe('a');
    expect(alongStrip('End', items, 'b')).toBe('d');
  });

  it('leaves other keys, and an item not in the strip, alone', () => {
    expect(alongStrip('Enter', items, 'b')).toBeNull();
    expect(alongStrip('ArrowUp', items, 'b')).toBeNull();
    expect(alongStrip('ArrowRight', items, 'z')).toBeNull();
  });

  it('finds the same index in the next strip, else the nearest, else nothing', () => {
    const cells = [{ i: 3 }, { i: 4 }, { i: 7 }];
    expect(nearest(cells, 4, (c) => c.i)).toEqual({ i: 4 });
    expect(nearest(cells, 6, (c) => c.i)).toEqual({ i: 7 });
    expect(nearest(cells, 1, (c) => c.i)).toEqual({ i: 3 });
    expect(nearest([], 1, (c: { i: number }) => c.i)).toBeNull();
  });
});
