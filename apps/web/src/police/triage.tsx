// The queue in priority order, each item with the reasons for its priority: open cases (choosing one
// opens its address), and what no case holds yet, serial-offender flags and serious reports, each
// with "Open a case" straight from the queue.
import { useState } from 'preact/hooks';
import type { Session } from '../api/client';
import type { PoliceCase, PriorityReason, TriageItem } from '../api/types';
import { LoadStatus } from '../ui/data';
import { Select } from '../ui/fields';
import { injuryLabel, pounds, typeLabel, weaponLabel, when } from '../ui/labels';
import { navigate } from '../ui/route';
import { CASE_STATUS, TRIAGE_FLAG_STATE } from './labels';
import { useOfficerNames } from './officer-names';
import { OpenCaseForm } from './open-case';

const SHOWN = [
  ['', 'Everything open: cases, flags and reports'],
  ['me', 'Cases assigned to me'],
  ['unassigned', 'Not yet assigned: cases, flags and reports'],
] as const;

export function TriageQueue({
  queue,
  officer,
  onOfficer,
  openId,
  session,
  onOpened,
}: {
  queue: { data: { items: TriageItem[] } | null; error: string | null };
  officer: string;
  onOfficer: (v: string) => void;
  openId: string | null;
  session: Session;
  onOpened: (c: PoliceCase) => void;
}) {
  const items = queue.data?.items ?? [];
  const officerName = useOfficerNames(
    items.some((t) => t.case?.assignedOfficerId && t.case.assignedOfficerId !== session.actor.id),
  );
  return (
    <>
      <Select id="q-officer" label="Show" inline value={officer} options={SHOWN} onChange={onOfficer} />
      <LoadStatus load={queue} empty="Nothing to triage." alert />
      <ol class="triage" aria-label="Triage queue in priority order">
        {items.map((t, n) =>
          t.case ? (
            <li
              key={t.id}
              class={openId === t.case.id ? 'sel' : ''}
              data-testid="triage-item"
              data-kind="case"
            >
              <CaseItem
                item={t}
                c={t.case}
                rank={n + 1}
                open={openId === t.case.id}
                session={session}
                officerName={officerName}
              />
            </li>
          ) : (
            <li key={t.id} data-testid="triage-item" data-kind={t.kind} data-id={t.id}>
              <UncasedItem item={t} rank={n + 1} onOpened={onOpened} />
            </li>
          ),
        )}
      </ol>
    </>
  );
}

function CaseItem({
  item: t,
  c,
  rank,
  open,
  session,
  officerName,
}: {
  item: TriageItem;
  c: PoliceCase;
  rank: number;
  open: boolean;
  session: Session;
  officerName: (id: string) => string;
}) {
  return (
    <button
      type="button"
      class="triage-row"
      aria-pressed={open}
      onClick={() => navigate('police', 'cases', c.id)}
    >
      <span class="rank">{rank}</span>
      <span>
        <strong>
          {c.reference} · {c.title}
        </strong>
        <span class="meta">
          {CASE_STATUS[c.status]} · priority {t.score} · {t.incidentCount} report
          {t.incidentCount === 1 ? '' : 's'}
          {t.totalValuePence > 0 && ` · ${pounds(t.totalValuePence)}`}
          {c.assignedOfficerId
            ? c.assignedOfficerId === session.actor.id
              ? ' · yours'
              : ` · assigned to ${officerName(c.assignedOfficerId)}`
            : ' · unassigned'}
        </span>
        <Reasons reasons={t.reasons} />
      </span>
    </button>
  );
}

/** A serial flag or a report no case holds yet: what it is, why it ranks there, and opening a case. */
function UncasedItem({
  item: t,
  rank,
  onOpened,
}: {
  item: TriageItem;
  rank: number;
  onOpened: (c: PoliceCase) => void;
}) {
  const [opening, setOpening] = useState(false);
  const f = t.serialFlag;
  const r = t.report;
  const formId = `triage-open-${t.id}`;
  const what = f
    ? `serial flag ${f.subjectReference}`
    : r
      ? `the report of ${when(r.occurredAt)} at ${r.storeName}`
      : 'this item';
  return (
    <div class="triage-row uncased">
      <span class="rank">{rank}</span>
      <span>
        {f && (
          <>
            <strong>
              <span class="status-tag">Serial-offender flag</span> Subject {f.subjectReference}
            </strong>
            <span class="meta">
              {TRIAGE_FLAG_STATE[f.state] ?? f.state} · priority {t.score} · {f.theftCount} theft
              {f.theftCount === 1 ? '' : 's'} · together {pounds(f.totalPence)} · {f.storeIds.length} store
              {f.storeIds.length === 1 ? '' : 's'} · flagged {when(f.flaggedAt)}
            </span>
          </>
        )}
        {r && (
          <>
            <strong>
              <span class="status-tag">Report, no case yet</span> {r.types.map(typeLabel).join(', ')}
            </strong>
            <span class="meta">
              {when(r.occurredAt)} · {r.storeName} · priority {t.score}
              {r.weapon !== 'none' && ` · weapon: ${weaponLabel(r.weapon)}`}
              {r.injury !== 'none' && ` · injury: ${injuryLabel(r.injury)}`}
              {r.valuePence > 0 && ` · ${pounds(r.valuePence)}`}
            </span>
          </>
        )}
        <Reasons reasons={t.reasons} />
        <button
          type="button"
          class="secondary"
          aria-expanded={opening}
          aria-controls={formId}
          aria-label={`Open a case from ${what}`}
          onClick={() => setOpening((o) => !o)}
        >
          Open a case
        </button>
        <div class="drawer" id={formId} hidden={!opening}>
          {opening && (
            <OpenCaseForm
              source={f ? { serialFlagId: f.id } : { incidentId: t.id }}
              idPrefix={formId}
              label={`Open a case from ${what}`}
              onOpened={(c) => {
                setOpening(false);
                onOpened(c);
              }}
            />
          )}
        </div>
      </span>
    </div>
  );
}

function Reasons({ reasons }: { reasons: PriorityReason[] }) {
  return (
    <ul class="reasons" aria-label="Why this priority">
      {reasons.map((r) => (
        <li key={r.factor}>
          {r.text} <span class="points">(+{r.points})</span>
        </li>
      ))}
      {!reasons.length && <li>No aggravating factor reported</li>}
    </ul>
  );
}
