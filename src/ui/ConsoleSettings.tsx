import { memo } from 'react';
import type { ReadLevel } from '../cluster/types';
import { useStore } from '../store/store';

const LEVELS: ReadLevel[] = ['none', 'weak', 'strong', 'linearizable'];

interface Props {
  ids: readonly string[];
  leader: string | null;
}

/**
 * Where the console's requests go and with which options. Memoised apart from the console, which
 * draws again whenever a request is sent or answered (every animation frame at 50 writes/s): React
 * writes an input's `name` and `type` again each time it draws one (three attribute changes the
 * browser restyles for), and nothing here changes with the answers.
 */
export const ConsoleSettings = memo(function ConsoleSettings({ ids, leader }: Props) {
  const settings = useStore((s) => s.settings);
  const setSettings = useStore((s) => s.setSettings);
  return (
    <div className="console-settings">
      <label>
        to
        <select value={settings.node} onChange={(e) => setSettings({ node: e.target.value })} data-testid="sql-node">
          {ids.map((id) => (
            <option key={id} value={id}>
              {id}
              {id === leader ? ' (leader)' : ''}
            </option>
          ))}
        </select>
      </label>
      <label title="Read consistency for SELECT">
        reads
        <select value={settings.level} onChange={(e) => setSettings({ level: e.target.value as ReadLevel })} data-testid="sql-level">
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label className="check" title="All statements of this request in one transaction: if one fails, none of them takes effect">
        <input type="checkbox" checked={settings.transaction} onChange={(e) => setSettings({ transaction: e.target.checked })} /> transaction
      </label>
      <label
        className="check"
        title="rqlite's queued writes: acknowledged at once and sent to the leader in a batch about 50 ms later. Fast, but a write can be lost if the leader fails or is cut off before the batch commits — the acknowledgement only says it was queued."
      >
        <input type="checkbox" checked={settings.queue} onChange={(e) => setSettings({ queue: e.target.checked })} /> queue
      </label>
    </div>
  );
});
