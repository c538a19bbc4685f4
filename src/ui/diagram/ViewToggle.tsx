import { useDiagram, type ClusterLayout } from '../../store/diagram';

const CHOICES: { id: ClusterLayout; name: string }[] = [
  { id: 'ring', name: 'Ring' },
  { id: 'diagram', name: 'Diagram' },
  { id: 'both', name: 'Both' },
];

/** Ring, space-time diagram, or both: the choice is remembered in this browser. */
export function ViewToggle() {
  const layout = useDiagram((s) => s.layout);
  const setLayout = useDiagram((s) => s.setLayout);
  return (
    <div className="view-toggle" role="group" aria-label="Cluster view" data-testid="view-toggle">
      <span className="view-toggle-label" aria-hidden="true">
        View
      </span>
      {CHOICES.map((c) => (
        <button key={c.id} aria-pressed={layout === c.id} onClick={() => setLayout(c.id)} data-testid={`view-${c.id}`}>
          {c.name}
        </button>
      ))}
    </div>
  );
}
