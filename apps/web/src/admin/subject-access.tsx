// Subject access requests: everything the partnership holds about one person (third parties
// redacted), saved as a file to send to them. Each export is logged as a disclosure.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ApiForm, optionalText, saveBlob, useFormValues } from '../ui/data';
import { TextArea, TextField } from '../ui/fields';
import type { SubjectAccessExport } from './types';

const IDS = { email: 'sar-email', name: 'sar-name', justification: 'sar-why' };

export function SubjectAccessPage() {
  const text = useFormValues({ email: '', name: '', justification: '' });
  const [made, setMade] = useState<SubjectAccessExport | null>(null);
  const v = text.values;
  return (
    <>
      <p class="hint">
        Answer within one month. Give the person’s account email, the name they appear under in reports and statements, or
        both.
      </p>
      <ApiForm
        label="Subject access export"
        submitText="Make the export"
        busyText="Gathering…"
        fieldIds={IDS}
        submit={async () => {
          const out = await api.post<SubjectAccessExport>('/privacy/subject-access', {
            ...optionalText('email', v.email),
            ...optionalText('name', v.name),
            ...optionalText('justification', v.justification),
          });
          setMade(out);
          const file = new Blob([JSON.stringify(out, null, 2)], { type: 'application/json' });
          saveBlob(file, `subject-access-${out.generatedAt.slice(0, 10)}.json`);
        }}
      >
        {(problems) => (
          <>
            <div class="grid-2">
              <TextField id={IDS.email} label="Email" type="email" autocomplete="off" {...text.field('email', problems)} />
              <TextField id={IDS.name} label="Name" autocomplete="off" {...text.field('name', problems)} />
            </div>
            <TextArea id={IDS.justification} label="Note for the access log (optional)" rows={2} {...text.field('justification', problems)} />
          </>
        )}
      </ApiForm>
      {made && (
        <div class="shown-once" role="status" data-testid="sar-export">
          <h2>Export saved</h2>
          <p>The file has been downloaded. It holds:</p>
          <ul>
            {Object.entries(made.sections).map(([section, rows]) => (
              <li key={section}>
                {section}: {rows.length}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
