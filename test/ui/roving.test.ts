import { describe, expect, it } from 'vitest';
import { alongStrip } from '../../src/ui/roving';

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
});
