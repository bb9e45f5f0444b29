// Opening a police case, from one report or from a serial-offender flag: why, and (for a report)
// what the officer knows of the circumstances.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { PoliceCase } from '../api/types';
import { ApiForm, useFormValues } from '../ui/data';
import { Check, TextArea } from '../ui/fields';

export type CaseSource = { incidentId: string } | { serialFlagId: string };

export function OpenCaseForm({
  source,
  idPrefix,
  label,
  onOpened,
}: {
  source: CaseSource;
  /** makes the field ids unique on the page */
  idPrefix: string;
  /** the form's accessible name, e.g. "Open a case from serial flag S-7F3A" */
  label: string;
  onOpened: (c: PoliceCase) => void;
}) {
  const text = useFormValues({ reason: '' });
  const [detained, setDetained] = useState(false);
  const [vulnerable, setVulnerable] = useState(false);
  const fromReport = 'incidentId' in source;
  const reasonId = `${idPrefix}-reason`;
  return (
    <ApiForm
      label={label}
      submitText="Open a case"
      busyText="Opening…"
      submit={async () => {
        const c = await api.post<PoliceCase>('/cases', {
          ...source,
          reason: text.values.reason.trim(),
          ...(fromReport ? { offenderDetained: detained, victimVulnerable: vulnerable } : {}),
        });
        text.clear('reason');
        onOpened(c);
      }}
      fieldIds={{ reason: reasonId }}
    >
      {(p) => (
        <>
          <TextArea id={reasonId} label="Why open a case" {...text.field('reason', p)} rows={2} required />
          {fromReport && (
            <>
              <Check
                id={`${idPrefix}-detained`}
                label="Offender detained"
                checked={detained}
                onChange={setDetained}
              />
              <Check
                id={`${idPrefix}-vulnerable`}
                label="Victim is vulnerable"
                checked={vulnerable}
                onChange={setVulnerable}
              />
            </>
          )}
        </>
      )}
    </ApiForm>
  );
}
