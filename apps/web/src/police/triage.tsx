// The queue in priority order, each with the reasons for its priority; choosing one opens its address.
import type { Session } from '../api/client';
import type { Page, TriageItem } from '../api/types';
import { LoadStatus } from '../ui/data';
import { Select } from '../ui/fields';
import { pounds } from '../ui/labels';
import { navigate } from '../ui/route';
import { CASE_STATUS } from './labels';

const SHOWN = [
  ['', 'All open cases'],
  ['me', 'Assigned to me'],
  ['unassigned', 'Unassigned'],
] as const;

export function TriageQueue({
  queue,
  officer,
  onOfficer,
  openId,
  session,
}: {
  queue: { data: Page<TriageItem> | null; error: string | null };
  officer: string;
  onOfficer: (v: string) => void;
  openId: string | null;
  session: Session;
}) {
  return (
    <>
      <Select id="q-officer" label="Show" inline value={officer} options={SHOWN} onChange={onOfficer} />
      <LoadStatus load={queue} empty="No open cases." alert />
      <ol class="triage" aria-label="Cases in priority order">
        {(queue.data?.items ?? [])
          .flatMap((item, n) => (item.case ? [{ ...item, case: item.case, n }] : []))
          .map((t) => (
            <li key={t.case.id} class={openId === t.case.id ? 'sel' : ''} data-testid="triage-item">
              <button
                type="button"
                class="triage-row"
                aria-pressed={openId === t.case.id}
                onClick={() => navigate('police', 'cases', t.case.id)}
              >
                <span class="rank">{t.n + 1}</span>
                <span>
                  <strong>
                    {t.case.reference} · {t.case.title}
                  </strong>
                  <span class="meta">
                    {CASE_STATUS[t.case.status]} · priority {t.score} · {t.incidentCount} report
                    {t.incidentCount === 1 ? '' : 's'}
                    {t.totalValuePence > 0 && ` · ${pounds(t.totalValuePence)}`}
                    {t.case.assignedOfficerId
                      ? t.case.assignedOfficerId === session.actor.id
                        ? ' · yours'
                        : ' · assigned'
                      : ' · unassigned'}
                  </span>
                  <ul class="reasons" aria-label="Why this priority">
                    {t.reasons.map((r) => (
                      <li key={r.factor}>
                        {r.text} <span class="points">(+{r.points})</span>
                      </li>
                    ))}
                    {!t.reasons.length && <li>No aggravating factor reported</li>}
                  </ul>
                </span>
              </button>
            </li>
          ))}
      </ol>
    </>
  );
}
