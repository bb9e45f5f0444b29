// One case at its own address: its reports, status, assignment, evidence requests, pack and history.
import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../../api/client';
import type { CaseHistoryEntry, Incident, PoliceCase } from '../../api/types';
import { NotLoaded, useLoad } from '../../ui/data';
import { IncidentDetail } from '../../ui/incident-detail';
import { when } from '../../ui/labels';
import { href, type OpenedObject } from '../../ui/route';
import { CASE_STATUS } from '../labels';
import { useOfficerNames } from '../officer-names';
import { Packs } from '../packs';
import { EvidenceRequests } from '../requests';
import { AssignForm, StatusForm } from './forms';

export function CaseView({ id, session, stores, onChanged }: OpenedObject & { session: Session }) {
  const kase = useLoad<PoliceCase>(`/cases/${id}`);
  const history = useLoad<{ items: CaseHistoryEntry[] }>(`/cases/${id}/history`);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const ids = kase.data?.incidentIds ?? [];
  useEffect(() => {
    void Promise.all(ids.map((i) => api.get<Incident>(`/incidents/${i}`).catch(() => null))).then((rows) =>
      setIncidents(rows.filter((r): r is Incident => !!r)),
    );
  }, [ids.join()]);
  const assigned = kase.data?.assignedOfficerId;
  const officerName = useOfficerNames(!!assigned && assigned !== session.actor.id);
  const changed = () => {
    kase.reload();
    history.reload();
    onChanged();
  };
  const c = kase.data;
  if (!c) {
    return <NotLoaded load={kase} what="case" listHref={href('police')} />;
  }
  return (
    <div class="case-view" data-testid="case-view">
      <h2>
        Case {c.reference}
        <span class="status-tag">{CASE_STATUS[c.status]}</span>
      </h2>
      <p class="meta">
        {c.title} · opened {when(c.createdAt)} ·{' '}
        {c.assignedOfficerId
          ? c.assignedOfficerId === session.actor.id
            ? 'assigned to you'
            : `assigned to ${officerName(c.assignedOfficerId)}`
          : 'unassigned'}
      </p>
      {c.outcomePlain && <p class="notice">{c.outcomePlain}</p>}

      <details class="more" open>
        <summary>
          Reports ({incidents.length} of {ids.length})
        </summary>
        {incidents.map((i) => (
          <div key={i.id} class="case-incident">
            <IncidentDetail incident={i} stores={stores} />
          </div>
        ))}
      </details>

      <details class="more">
        <summary>Change status</summary>
        <StatusForm c={c} onDone={changed} />
      </details>
      <details class="more">
        <summary>Assignment</summary>
        <AssignForm c={c} session={session} onDone={changed} />
      </details>
      <details class="more" open>
        <summary>Evidence requests</summary>
        <EvidenceRequests c={c} incidents={incidents} stores={stores} onDone={changed} />
      </details>
      <details class="more" open>
        <summary>Evidence pack</summary>
        <Packs c={c} />
      </details>
      <details class="more">
        <summary>History ({history.data?.items.length ?? 0})</summary>
        <ol class="history">
          {(history.data?.items ?? []).map((h) => (
            <li key={h.id}>
              <strong>{when(h.at)}</strong> · {h.fromStatus ? `${CASE_STATUS[h.fromStatus]} → ` : ''}
              {CASE_STATUS[h.toStatus]} {h.kind !== 'status' && `(${h.kind})`}
              <div>Reason: {h.reason}</div>
              {h.plainWords && <div class="meta">Store told: “{h.plainWords}”</div>}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
