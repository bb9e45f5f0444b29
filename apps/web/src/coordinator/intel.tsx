// Offender intelligence for coordinators: subjects (with images, links and suggestions that a person
// accepts one by one), galleries and listings, exclusion notices and serial-offender flags.
import { useEffect, useState } from 'preact/hooks';
import type { Store } from '../api/types';
import { useRouteId } from '../ui/route';
import { Tabs } from '../ui/tabs';
import { Exclusions } from './exclusions';
import { Galleries } from './galleries';
import { Flags } from './serial-flags';
import { Subjects } from './subjects/list';

type Tab = 'subjects' | 'galleries' | 'exclusions' | 'flags';
const TABS: [Tab, string][] = [
  ['subjects', 'Subjects'],
  ['galleries', 'Galleries'],
  ['exclusions', 'Exclusion notices'],
  ['flags', 'Serial-offender flags'],
];

export function Intelligence({ stores }: { stores: Map<string, Store> }) {
  const [tab, setTab] = useState<Tab>('subjects');
  const subjectId = useRouteId('console', 'subjects');
  // a subject's address shows that subject whichever tab was open
  useEffect(() => {
    if (subjectId) {
      setTab('subjects');
    }
  }, [subjectId]);
  return (
    <div class="intel">
      <Tabs label="Intelligence" prefix="i" tabs={TABS} current={tab} onChange={setTab}>
        {tab === 'subjects' && <Subjects stores={stores} openId={subjectId} />}
        {tab === 'galleries' && <Galleries />}
        {tab === 'exclusions' && <Exclusions stores={stores} />}
        {tab === 'flags' && <Flags stores={stores} />}
      </Tabs>
    </div>
  );
}
