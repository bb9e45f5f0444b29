// Exclusion notices: those in force, proof of service and appeals, and issuing one from a subject.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ExclusionNotice, Store, Subject, SubjectLink } from '../api/types';
import { ApiForm, FileUploadForm, LoadStatus, optionalText, PdfButton, useFormValues } from '../ui/data';
import { CheckGroup, Select, TextArea, TextField } from '../ui/fields';
import { when } from '../ui/labels';
import { LoadMore, usePaged } from '../ui/paged';
import { subjectName, useSubjects } from './subjects/use-subjects';

export function Exclusions({ stores }: { stores: Map<string, Store> }) {
  const notices = usePaged<ExclusionNotice>('/exclusion-notices');
  return (
    <div>
      <p class="hint">Notices in force now, newest first. Issue a new notice from a subject’s page.</p>
      <LoadStatus load={notices} />
      {notices.data && <NoticeList notices={notices.data.items} stores={stores} onDone={notices.reload} />}
      <LoadMore list={notices} what={['notice', 'notices']} />
    </div>
  );
}

export function NoticeList({
  notices,
  stores,
  onDone,
}: {
  notices: ExclusionNotice[];
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const subjects = useSubjects();
  if (!notices.length) {
    return <p class="empty">No notices.</p>;
  }
  return (
    <ul class="cards">
      {notices.map((n) => (
        <li key={n.id} class="notice-card" data-testid="exclusion">
          <strong>{subjectName(subjects.map.get(n.subjectId))}</strong> ·{' '}
          {n.applies ? 'in force' : 'not in force'} until {when(n.expiresAt)}
          <p>
            {n.area ?? n.storeIds.map((s) => stores.get(s)?.name ?? 'store').join(', ')} · served{' '}
            {when(n.servedAt)} by {n.servedByName} ({n.serviceMethod.replace('_', ' ')})
          </p>
          <p class="meta">
            {n.proofSha256
              ? `Proof of service on file (${n.proofSha256.slice(0, 12)}…)`
              : 'No proof of service yet'}{' '}
            · appeal: {n.appealStatus}
            {n.appealOutcome && ` (${n.appealOutcome})`}
          </p>
          <PdfButton
            label={`Print the letter for ${subjectName(subjects.map.get(n.subjectId))}`}
            text="Print letter (PDF)"
            path={`/exclusion-notices/${n.id}/letter.pdf`}
            hint="The served copy to hand to the person: premises, reason, term, how to appeal. Recorded in the access log."
          />
          <NoticeActions n={n} onDone={onDone} />
        </li>
      ))}
    </ul>
  );
}

const APPEAL_STATUS = [
  ['lodged', 'Lodged'],
  ['decided', 'Decided'],
] as const;
const APPEAL_OUTCOME = [
  ['upheld', 'Upheld (the notice stands)'],
  ['varied', 'Varied'],
  ['overturned', 'Overturned (the notice stops applying)'],
] as const;

function NoticeActions({ n, onDone }: { n: ExclusionNotice; onDone: () => void }) {
  const [status, setStatus] = useState<'lodged' | 'decided'>(
    n.appealStatus === 'lodged' ? 'decided' : 'lodged',
  );
  const [outcome, setOutcome] = useState<string>('upheld');
  const text = useFormValues({ note: '' });
  return (
    <details class="more">
      <summary>Proof of service and appeal</summary>
      <FileUploadForm
        label="Upload proof of service"
        submitText="Upload proof"
        path={`/exclusion-notices/${n.id}/proof`}
        inputId={`pf-${n.id}`}
        inputLabel="Photo or scan of the served notice"
        accept="image/jpeg,image/png,application/pdf"
        noFile="Choose the photo or scan of the served notice"
        onDone={onDone}
      />
      {n.appealStatus !== 'decided' && (
        <ApiForm
          label="Appeal"
          submitText={status === 'lodged' ? 'Record appeal lodged' : 'Record appeal outcome'}
          fieldIds={{ outcome: `ap-o-${n.id}`, note: `ap-n-${n.id}` }}
          submit={() =>
            api.post(`/exclusion-notices/${n.id}/appeal`, {
              status,
              ...(status === 'decided' ? { outcome } : {}),
              ...optionalText('note', text.values.note),
            })
          }
          onDone={onDone}
        >
          {(p) => (
            <>
              <Select
                id={`ap-s-${n.id}`}
                label="Appeal"
                value={status}
                options={APPEAL_STATUS}
                onChange={setStatus}
              />
              {status === 'decided' && (
                <Select
                  id={`ap-o-${n.id}`}
                  label="Outcome"
                  value={outcome}
                  options={APPEAL_OUTCOME}
                  onChange={setOutcome}
                  error={p.outcome}
                />
              )}
              <TextField id={`ap-n-${n.id}`} label="Note" {...text.field('note', p)} />
            </>
          )}
        </ApiForm>
      )}
    </details>
  );
}

const SERVICE_METHODS = [
  ['in_person', 'In person'],
  ['post', 'By post'],
  ['email', 'By email'],
  ['other', 'Other'],
] as const;

export function IssueNotice({
  subject,
  linked,
  stores,
  onDone,
}: {
  subject: Subject;
  linked: SubjectLink[];
  stores: Map<string, Store>;
  onDone: () => void;
}) {
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const [method, setMethod] = useState<string>('in_person');
  const text = useFormValues({ reason: '', servedAt: '', servedByName: '' });
  const fid = `in-${subject.id}`;
  return (
    <details class="more">
      <summary>Issue an exclusion notice</summary>
      <ApiForm
        label="Issue an exclusion notice"
        submitText="Record notice served"
        fieldIds={{
          storeIds: `${fid}-stores`,
          reason: `${fid}-reason`,
          servedAt: `${fid}-at`,
          servedByName: `${fid}-by`,
        }}
        submit={() => {
          const { reason, servedAt, servedByName } = text.values;
          return api.post(`/subjects/${subject.id}/exclusion-notices`, {
            storeIds,
            reason: reason.trim(),
            incidentIds: linked.map((l) => l.incidentId),
            servedAt: servedAt ? new Date(servedAt).toISOString() : '',
            servedByName: servedByName.trim(),
            serviceMethod: method,
          });
        }}
        onDone={() => {
          text.clear('reason');
          onDone();
        }}
      >
        {(p) => (
          <>
            <CheckGroup
              id={`${fid}-stores`}
              legend="Stores the person is excluded from"
              options={[...stores.values()].map((s) => [s.id, s.name])}
              selected={storeIds}
              onChange={setStoreIds}
              error={p.storeIds}
            />
            <TextArea id={`${fid}-reason`} label="Reason" {...text.field('reason', p)} rows={2} required />
            <TextField
              id={`${fid}-at`}
              type="datetime-local"
              label="Served at"
              {...text.field('servedAt', p)}
              required
            />
            <TextField
              id={`${fid}-by`}
              label="Served by (name)"
              {...text.field('servedByName', p)}
              required
            />
            <Select
              id={`${fid}-m`}
              label="How it was served"
              value={method}
              options={SERVICE_METHODS}
              onChange={setMethod}
            />
          </>
        )}
      </ApiForm>
    </details>
  );
}
