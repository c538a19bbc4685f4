/**
 * A roving tab stop (WAI-ARIA's "roving tabindex"): a strip of many small targets (a node's log
 * cells, the timeline's marks) is one stop for Tab, and the arrow keys move along it. Only the
 * target that last had the focus (or a default one) has tabIndex 0, the rest -1.
 */

/** Where an arrow, Home or End moves the focus along `items` from `current`; null for any other key. */
export function alongStrip<T>(key: string, items: readonly T[], current: T): T | null {
  const i = items.indexOf(current);
  if (i < 0) return null;
  switch (key) {
    case 'ArrowLeft':
      return items[Math.max(0, i - 1)];
    case 'ArrowRight':
      return items[Math.min(items.length - 1, i + 1)];
    case 'Home':
      return items[0];
    case 'End':
      return items[items.length - 1];
    default:
      return null;
  }
}
