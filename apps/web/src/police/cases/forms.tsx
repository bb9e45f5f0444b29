// A case's status change and assignment, each with the reason kept in the case history.
import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../../api/client';
import type { CaseStatus, Officer, Page, PoliceCase } from '../../api/types';
import { ApiForm, LoadStatus, useFormValues, useLoad } from '../../ui/data';
import { Select, TextArea, TextField } from '../../ui/fields';
import { CASE_STATUS } from '../labels';

/** The api's allowed status changes (CASE_TRANSITIONS); the api checks them again. */
const NEXT: Record<CaseStatus, CaseStatus[]> = {
  new: ['in_triage', 'evidence_requested', 'no_further_action'],
  in_triage: ['evidence_requested', 'ready_for_cps', 'charged', 'no_further_action', 'community_resolution'],
  evidence_requested: ['in_triage', 'ready_for_cps', 'charged', 'no_further_action', 'community_resolution'],
  ready_for_cps: ['evidence_requested', 'charged', 'no_further_action'],
  charged: ['court_outcome', 'no_further_action'],
  no_further_action: [],
  community_resolution: [],
  court_outcome: [],
};

export function StatusForm({ c, onDone }: { c: PoliceCase; onDone: () => void }) {
  const next = NEXT[c.status];
  const [to, setTo] = useState<CaseStatus | ''>(next[0] ?? '');
  const text = useFormValues({ reason: '', outcome: '', proceedingsDate: '' });
  useEffect(() => setTo(next[0] ?? ''), [c.status]);
  if (!next.length) {
    return <p class="empty">This case is closed: {CASE_STATUS[c.status]}.</p>;
  }
  const final = to === 'no_further_action' || to === 'community_resolution' || to === 'court_outcome';
  return (
    <ApiForm
      label="Change status"
      submitText="Change status"
      fieldIds={{ status: 'cs-to', reason: 'cs-reason', outcome: 'cs-outcome', proceedingsDate: 'cs-date' }}
      submit={() => {
        const { reason, outcome, proceedingsDate } = text.values;
        return api.post(`/cases/${c.id}/transitions`, {
          status: to,
          reason: reason.trim(),
          ...(final && outcome.trim() ? { outcome: outcome.trim() } : {}),
          ...(to === 'charged' && proceedingsDate ? { proceedingsDate } : {}),
        });
      }}
      onDone={() => {
        text.clear('reason', 'outcome');
        onDone();
      }}
    >
      {(p) => (
        <>
          <Select
            id="cs-to"
            label="New status"
            value={to}
            options={next.map((s) => [s, CASE_STATUS[s]] as const)}
            onChange={setTo}
            error={p.status}
          />
          <TextArea
            id="cs-reason"
            label="Reason (kept in the case history)"
            {...text.field('reason', p)}
            rows={2}
            required
          />
          {final && (
            <TextArea
              id="cs-outcome"
              label="Outcome in plain words for the store and the victim"
              {...text.field('outcome', p)}
              rows={2}
            />
          )}
          {to === 'charged' && (
            <TextField
              id="cs-date"
              type="date"
              label="Charge or first-appearance date"
              {...text.field('proceedingsDate', p)}
            />
          )}
        </>
      )}
    </ApiForm>
  );
}

/** Hands the case to an officer of the partnership, picked by name (GET /officers). */
export function AssignForm({ c, session, onDone }: { c: PoliceCase; session: Session; onDone: () => void }) {
  const officers = useLoad<Page<Officer>>('/officers?limit=100');
  const [officerId, setOfficerId] = useState(session.actor.id);
  const text = useFormValues({ reason: '' });
  const { reason } = text.values;
  const options = (officers.data?.items ?? [])
    .map((o) => [o.id, o.id === session.actor.id ? `${o.displayName} (you)` : o.displayName] as const)
    .sort((a, b) =>
      a[0] === session.actor.id ? -1 : b[0] === session.actor.id ? 1 : a[1].localeCompare(b[1]),
    );
  return (
    <ApiForm
      label="Assign the case"
      submitText={officerId === session.actor.id ? 'Assign to me' : 'Assign'}
      fieldIds={{ officerId: 'as-officer', reason: 'as-reason' }}
      submit={() => api.post(`/cases/${c.id}/assignment`, { officerId, reason: reason.trim() })}
      onDone={() => {
        text.clear('reason');
        onDone();
      }}
    >
      {(p) => (
        <>
          <LoadStatus load={officers} />
          <Select
            id="as-officer"
            label="Officer"
            value={officerId}
            options={options.length ? options : [[session.actor.id, 'You'] as const]}
            onChange={setOfficerId}
            error={p.officerId}
          />
          <TextArea
            id="as-reason"
            label="Reason for the assignment"
            {...text.field('reason', p)}
            rows={2}
            required
          />
        </>
      )}
    </ApiForm>
  );
}
