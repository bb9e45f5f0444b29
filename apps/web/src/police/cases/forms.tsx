// A case's status change and assignment, each with the reason kept in the case history.
import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../../api/client';
import type { CaseStatus, PoliceCase } from '../../api/types';
import { ApiForm, useFormValues } from '../../ui/data';
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

export function AssignForm({ c, session, onDone }: { c: PoliceCase; session: Session; onDone: () => void }) {
  const text = useFormValues({ officerId: session.actor.id, reason: '' });
  const { officerId, reason } = text.values;
  return (
    <ApiForm
      label="Assign the case"
      submitText={officerId === session.actor.id ? 'Assign to me' : 'Assign'}
      fieldIds={{ officerId: 'as-officer', reason: 'as-reason' }}
      submit={() =>
        api.post(`/cases/${c.id}/assignment`, { officerId: officerId.trim(), reason: reason.trim() })
      }
      onDone={() => {
        text.clear('reason');
        onDone();
      }}
    >
      {(p) => (
        <>
          <TextField
            id="as-officer"
            label="Officer's user id"
            hint="Your own id is filled in; paste a colleague's to hand the case over."
            {...text.field('officerId', p)}
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
