/** Transport icons drawn in SVG: the emoji media symbols are missing from many system fonts. */
export function Icon({ name }: { name: 'play' | 'pause' | 'back' | 'forward' }) {
  const paths = {
    play: 'M4 2 L13 8 L4 14 Z',
    pause: 'M3 2 H7 V14 H3 Z M9 2 H13 V14 H9 Z',
    back: 'M2 2 H4 V14 H2 Z M14 2 L5 8 L14 14 Z',
    forward: 'M12 2 H14 V14 H12 Z M2 2 L11 8 L2 14 Z',
  };
  return (
    <svg className="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}
