// Police triage: the cases api's queue (open cases, serial flags and serious reports no case holds
// yet) with the reasons for each priority, opening a case from a flag or a report, and the case
// chosen, at its own address (#/police/cases/<id>).
import { useState } from 'preact/hooks';
import type { Session } from '../api/client';
import type { Page, PoliceCase, TriageItem } from '../api/types';
import { useStores } from '../coordinator/console';
import { useLoad } from '../ui/data';
import { navigate, useRouteId } from '../ui/route';
import { CaseView } from './cases/detail';
import { NewReports } from './new-reports';
import { TriageQueue } from './triage';

export function PoliceScreen({ session }: { session: Session }) {
  const openId = useRouteId('police', 'cases');
  const [officer, setOfficer] = useState('');
  const queue = useLoad<Page<TriageItem>>(`/cases?limit=50${officer ? `&officer=${officer}` : ''}`);
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
          <TriageQueue
            queue={queue}
            officer={officer}
            onOfficer={setOfficer}
            openId={openId}
            session={session}
            onOpened={opened}
          />
          <NewReports stores={stores} onOpened={opened} />
        </div>
        <section class="panel case" aria-label="Case">
          {openId ? (
            <CaseView key={openId} id={openId} session={session} stores={stores} onChanged={queue.reload} />
          ) : (
            <p class="empty">Choose a case to see it.</p>
          )}
        </section>
      </div>
    </div>
  );
}
