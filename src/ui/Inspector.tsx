import { INSPECTOR_TABS as TABS, useInspectorTab, type InspectorTab as Tab } from '../store/inspectorTab';
import { EventList } from './EventList';
import { MessageInspector } from './MessageInspector';
import { NetworkPanel } from './NetworkPanel';
import { NodePanel } from './NodePanel';
import { SafetyPanel } from './SafetyPanel';
import { TableBrowser } from './TableBrowser';
import { WhyPanel } from './why/WhyPanel';
import './Inspector.css';

const TAB_NAMES: Record<Tab, string> = { node: 'Node', network: 'Network', events: 'Events', tables: 'Tables', safety: 'Safety' };

/** The tabbed panel under the console: node state, network faults, event list, databases. */
export function Inspector() {
  const tab = useInspectorTab((s) => s.tab);
  const setTab = useInspectorTab((s) => s.show);
  return (
    <section className="inspector">
      <nav className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {TAB_NAMES[t]}
          </button>
        ))}
      </nav>
      <div className="tab-body">
        <WhyPanel />
        <MessageInspector />
        {tab === 'node' && <NodePanel />}
        {tab === 'network' && <NetworkPanel />}
        {tab === 'events' && <EventList />}
        {tab === 'tables' && <TableBrowser />}
        {tab === 'safety' && <SafetyPanel />}
      </div>
    </section>
  );
}
