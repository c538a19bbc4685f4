import { useState } from 'react';
import { EventList } from './EventList';
import { MessageInspector } from './MessageInspector';
import { NetworkPanel } from './NetworkPanel';
import { NodePanel } from './NodePanel';
import { TableBrowser } from './TableBrowser';

const TABS = ['node', 'network', 'events', 'tables'] as const;
type Tab = (typeof TABS)[number];
const TAB_NAMES: Record<Tab, string> = { node: 'Node', network: 'Network', events: 'Events', tables: 'Tables' };

/** The tabbed panel under the console: node state, network faults, event list, databases. */
export function Inspector() {
  const [tab, setTab] = useState<Tab>('events');
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
        <MessageInspector />
        {tab === 'node' && <NodePanel />}
        {tab === 'network' && <NetworkPanel />}
        {tab === 'events' && <EventList />}
        {tab === 'tables' && <TableBrowser />}
      </div>
    </section>
  );
}
