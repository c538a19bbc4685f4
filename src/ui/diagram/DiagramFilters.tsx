import { summarizeSql } from '../../replay/describe';
import { MESSAGE_FAMILIES, type MessageFamily } from '../../replay/diagram/filters';
import { diagramModelOf, useDiagram } from '../../store/diagram';
import { useFrame } from '../hooks';

const FAMILY_NAMES: Record<MessageFamily, string> = {
  heartbeat: 'heartbeats and their acks',
  vote: 'votes',
  append: 'appends and acks',
  snapshot: 'snapshots',
  transfer: 'leadership transfer',
  client: 'forwarded client requests',
};

/** Which messages, which servers, or only one client request's exchange. */
export function DiagramFilters() {
  const f = useFrame();
  const hiddenFamilies = useDiagram((s) => s.hiddenFamilies);
  const hiddenLanes = useDiagram((s) => s.hiddenLanes);
  const exchange = useDiagram((s) => s.exchange);
  const { toggleFamily, toggleLane, setExchange } = useDiagram.getState();
  if (!f) return null;
  const model = diagramModelOf(f.sim);
  const calls = [...model.calls.values()].filter((c) => c.request.frame <= f.index);
  return (
    <details className="diagram-filters" data-testid="diagram-filters">
      <summary>Filters</summary>
      <div className="diagram-filter-body">
        <fieldset>
          <legend>Messages</legend>
          {MESSAGE_FAMILIES.map((fam) => (
            <label key={fam} className="check">
              <input type="checkbox" checked={!hiddenFamilies.has(fam)} onChange={() => toggleFamily(fam)} data-testid={`diagram-family-${fam}`} /> {FAMILY_NAMES[fam]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Servers</legend>
          {model.lanes.map((l) => (
            <label key={l.id} className="check">
              <input type="checkbox" checked={!hiddenLanes.has(l.id)} onChange={() => toggleLane(l.id)} data-testid={`diagram-lane-${l.id}`} /> {l.id}
            </label>
          ))}
        </fieldset>
        <label className="diagram-exchange">
          Only the exchange of
          <select value={exchange ?? ''} onChange={(e) => setExchange(e.target.value === '' ? null : Number(e.target.value))} data-testid="diagram-exchange">
            <option value="">every request</option>
            {calls.map((c) => (
              <option key={c.call} value={c.call}>
                #{c.call} {c.request.detail.kind === 'client' ? summarizeSql(c.request.detail.sql) : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
    </details>
  );
}
