// Police triage: the cases api's queue (open cases, serial flags and serious reports no case holds
// yet) with the reasons for each priority, opening a case from a flag or a report, and the case
// chosen, at its own address (#/police/cases/<id>).
import { useState } from 'preact/hooks';
import type { Session } from '../api/client';
import type { PoliceCase, TriageItem } from '../api/types';
import { useStores } from '../coordinator/console';
import { listPath, LoadMore, SearchBox, usePaged } from '../ui/paged';
import { navigate, useRouteId } from '../ui/route';
import { ScrollIntoView } from '../ui/scroll';
import { CaseView } from './cases/detail';
import { NewReports } from './new-reports';
import { TriageQueue } from './triage';

export function PoliceScreen({ session }: { session: Session }) {
  const openId = useRouteId('police', 'cases');
  const [officer, setOfficer] = useState('');
  const [q, setQ] = useState('');
  const queue = usePaged<TriageItem>(listPath('/cases', { limit: 50, officer, q }));
  const stores = useStores();
  const opened = (c: PoliceCase) => {
    queue.reload();
    navigate('police', 'cases', c.id);
  };

  return (
    <div class="police">
      <h1>Triage queue</h1>
      <div class="split">
        <div>
          <SearchBox
            id="q-search"
            label="Search cases"
            hint="A case reference such as C-7F3A09B2, or words of its title (lists cases only)"
            value={q}
            error={queue.problems.q}
            onSearch={setQ}
          />
          <TriageQueue
            queue={queue}
            officer={officer}
            onOfficer={setOfficer}
            openId={openId}
            session={session}
            onOpened={opened}
          />
          <LoadMore list={queue} what={['queue item', 'queue items']} />
          <NewReports stores={stores} onOpened={opened} />
        </div>
        <section class="panel case" aria-label="Case">
          {openId ? (
            <>
              <ScrollIntoView />
              <CaseView key={openId} id={openId} session={session} stores={stores} onChanged={queue.reload} />
            </>
          ) : (
            <p class="empty">Choose a case to see it.</p>
          )}
        </section>
      </div>
    </div>
  );
}
