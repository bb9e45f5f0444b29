// Police triage: the queue with the reasons for each priority, the case view, evidence requests and
// packs. Until the cases api lands, a provisional queue over the partnership's reports, ordered by
// the same signals (violence, weapon, injury, evidence at risk) and saying so.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type Session } from '../api/client';
import { capabilities, type Capabilities } from '../api/capabilities';
import type { Incident, Page } from '../api/types';
import { useStores } from '../coordinator/console';
import { NotAvailable } from '../ui/fields';
import { IncidentDetail } from '../ui/incident-detail';
import { typeLabel, when } from '../ui/labels';

const DAY = 24 * 3600 * 1000;

/** Reasons this report matters, most serious first, and a score to order by. */
export function reasonsFor(i: Incident, now = Date.now()): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  if (i.cctvAvailable && i.cctvOverwriteOn) {
    const days = Math.ceil((Date.parse(i.cctvOverwriteOn) - now) / DAY);
    if (days <= 7) {
      reasons.push(days < 0 ? 'CCTV already overwritten' : `Evidence at risk: CCTV overwritten in ${days} day${days === 1 ? '' : 's'}`);
      score += days < 0 ? 0 : 40 - days;
    }
  }
  if (i.weapon !== 'none') {
    reasons.push(`Weapon: ${i.weapon.replace('_', ' ')}`);
    score += 50;
  }
  if (!['none', 'minor'].includes(i.injury)) {
    reasons.push(`Injury: ${i.injury.replace('_', ' ')}`);
    score += 40;
  }
  if (i.types.some((t) => ['robbery', 'violence_injury', 'violence_no_injury', 'sexual_harassment', 'hate_aggravated_abuse'].includes(t))) {
    reasons.push('Violence, robbery, sexual or hate offence');
    score += 30;
  }
  if (i.types.includes('threat')) {
    reasons.push('Threats to staff');
    score += 15;
  }
  if (!reasons.length) {
    reasons.push('No aggravating factor reported');
  }
  return { score, reasons };
}

export function PoliceScreen(_: { session: Session }) {
  const [caps, setCaps] = useState<Capabilities | null>(null);
  const [items, setItems] = useState<Incident[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Incident | null>(null);
  const stores = useStores();
  useEffect(() => {
    void capabilities().then(setCaps);
    api.get<Page<Incident>>('/incidents?limit=100&status=submitted').then(
      (p) => setItems(p.items),
      (err: unknown) => setError(describeError(err)),
    );
  }, []);
  const casesRoute = caps?.first('GET', '/cases', '/triage', '/cases/queue');
  const ranked = (items ?? [])
    .map((i) => ({ i, ...reasonsFor(i) }))
    .sort((a, b) => b.score - a.score || b.i.occurredAt.localeCompare(a.i.occurredAt));

  return (
    <div class="police">
      <h1>Triage queue</h1>
      {caps && !casesRoute && (
        <NotAvailable what="The RCAP triage service">
          Below is a provisional order of the partnership’s new reports by violence, weapon, injury and evidence at risk.
        </NotAvailable>
      )}
      {error && <p class="field-error" role="alert">{error}</p>}
      {items && !items.length && <p class="empty">No reports waiting.</p>}
      <div class="split">
        <ol class="triage" aria-label="Reports in priority order">
          {ranked.map(({ i, reasons }, n) => (
            <li key={i.id} class={open?.id === i.id ? 'sel' : ''} data-testid="triage-item">
              <button type="button" class="triage-row" aria-pressed={open?.id === i.id} onClick={() => setOpen(i)}>
                <span class="rank">{n + 1}</span>
                <span>
                  <strong>{i.types.map(typeLabel).join(', ')}</strong>
                  <span class="meta">
                    {when(i.occurredAt)} · {stores.get(i.storeId)?.name ?? 'store'}
                  </span>
                  <ul class="reasons">
                    {reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </span>
              </button>
            </li>
          ))}
        </ol>
        <section class="panel case" aria-label="Case">
          {open ? (
            <>
              <h2>Report</h2>
              <IncidentDetail incident={open} stores={stores} />
              {caps && !caps.first('POST', '/cases', '/cases/:id/accept') && <NotAvailable what="Accepting with a crime reference" />}
              {caps && !caps.first('POST', '/evidence-requests', '/cases/:id/evidence-requests') && <NotAvailable what="Evidence requests" />}
              {caps && !caps.first('POST', '/packs', '/cases/:id/packs', '/evidence/packs') && <NotAvailable what="Evidence packs (build and download)" />}
            </>
          ) : (
            <p class="empty">Choose a report to see it.</p>
          )}
        </section>
      </div>
    </div>
  );
}
