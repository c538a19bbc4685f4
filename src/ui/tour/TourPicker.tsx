import { TOUR_LIST } from '../../store/tours/list';
import { useTour } from '../../store/tours/runner';

/** The header's list of guided tours; choosing one starts it on a fresh cluster. */
export function TourPicker() {
  const current = useTour((s) => s.tour?.id ?? '');
  const start = useTour((s) => s.start);
  return (
    <label className="tour-picker" title="Guided tours: a narrated walk through one idea of Raft">
      <select value={current} onChange={(e) => e.target.value && start(e.target.value)} data-testid="tour-picker">
        <option value="">Guided tours…</option>
        {TOUR_LIST.map((t) => (
          <option key={t.id} value={t.id} title={t.summary}>
            {t.title}
          </option>
        ))}
      </select>
    </label>
  );
}
