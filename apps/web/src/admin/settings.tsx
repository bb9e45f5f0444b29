// The partnership's settings: the serial-offender rule and exclusion term, the appeal contact
// printed on exclusion letters, whether shops may raise alerts, and the legal rules in force
// (set by the operator per jurisdiction, shown here read-only).
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ApiForm, TableWrap, useFormValues, useLoad } from '../ui/data';
import { Check, TextArea, TextField } from '../ui/fields';
import type { LegalRule, OffenderSettings, RadioSettings } from './types';

export function SettingsPage() {
  const offender = useLoad<OffenderSettings>('/offender-settings');
  const radio = useLoad<RadioSettings>('/radio-settings');
  const rules = useLoad<{ items: LegalRule[] }>('/legal-rules');
  return (
    <>
      <h2>Serial offenders and exclusions</h2>
      {offender.error && <p class="field-error">{offender.error}</p>}
      {offender.data && <OffenderForm settings={offender.data} onDone={offender.reload} />}
      <h2>Radio</h2>
      {radio.data && <RadioForm settings={radio.data} onDone={radio.reload} />}
      <h2>Legal rules in force</h2>
      <p class="hint">Commencement dates are set by the hub’s operator for each jurisdiction.</p>
      {rules.error && <p class="field-error">{rules.error}</p>}
      <TableWrap label="Legal rules">
        <table class="table" data-testid="legal-rules">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rules.data?.items.map((r) => (
              <tr key={r.id}>
                <td>{r.key}</td>
                <td>{r.effectiveFrom ?? 'not commenced'}</td>
                <td>{r.effectiveTo ?? '—'}</td>
                <td>{r.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

const IDS = {
  thresholdPence: 'o-threshold',
  windowDays: 'o-window',
  minIncidents: 'o-min',
  exclusionMonths: 'o-months',
  appealContact: 'o-appeal',
};

function OffenderForm({ settings, onDone }: { settings: OffenderSettings; onDone: () => void }) {
  const text = useFormValues({
    thresholdPence: (settings.thresholdPence / 100).toFixed(2),
    windowDays: String(settings.windowDays),
    minIncidents: String(settings.minIncidents),
    exclusionMonths: String(settings.exclusionMonths),
    appealContact: settings.appealContact ?? '',
  });
  const v = text.values;
  // a number the api can judge: what cannot be read is sent as is, so the 400 names the field
  const num = (s: string) => (s.trim() && Number.isFinite(Number(s)) ? Number(s) : s);
  const pence = Number.isFinite(Number(v.thresholdPence)) ? Math.round(Number(v.thresholdPence) * 100) : v.thresholdPence;
  return (
    <ApiForm
      label="Serial offender settings"
      submitText="Save settings"
      fieldIds={IDS}
      submit={() =>
        api.post('/offender-settings', {
          thresholdPence: pence,
          windowDays: num(v.windowDays),
          minIncidents: num(v.minIncidents),
          exclusionMonths: num(v.exclusionMonths),
          appealContact: v.appealContact.trim() || null,
        })
      }
      onDone={onDone}
    >
      {(problems) => (
        <>
          <div class="grid-2">
            <TextField id={IDS.thresholdPence} label="Theft value threshold (£)" inputMode="decimal" {...text.field('thresholdPence', problems)} required />
            <TextField id={IDS.windowDays} label="Window (days)" inputMode="numeric" {...text.field('windowDays', problems)} required />
            <TextField id={IDS.minIncidents} label="Thefts in the window to flag" inputMode="numeric" {...text.field('minIncidents', problems)} required />
            <TextField id={IDS.exclusionMonths} label="Exclusion term (months)" inputMode="numeric" {...text.field('exclusionMonths', problems)} required />
          </div>
          <TextArea
            id={IDS.appealContact}
            label="Appeal contact"
            hint="Printed on every exclusion letter: who to contact for a review, and how."
            rows={3}
            {...text.field('appealContact', problems)}
          />
        </>
      )}
    </ApiForm>
  );
}

function RadioForm({ settings, onDone }: { settings: RadioSettings; onDone: () => void }) {
  const [shopsMayRaise, setShopsMayRaise] = useState(settings.shopsMayRaise);
  return (
    <ApiForm
      label="Radio settings"
      submitText="Save radio settings"
      submit={() => api.request('PUT', '/radio-settings', { body: { shopsMayRaise } })}
      onDone={onDone}
    >
      {() => <Check id="r-shops" label="Shops may raise alerts to their talk groups" checked={shopsMayRaise} onChange={setShopsMayRaise} />}
    </ApiForm>
  );
}
