import { useEffect, useState } from 'preact/hooks';
import { api } from './api/client';
import { useFormValues, useSubmit } from './ui/data';
import { ErrorSummary, TextField } from './ui/fields';

/** [name, label, autocomplete]: each name is also the input's id and type. */
const PERSON_FIELDS = [
  ['email', 'Email', 'username'],
  ['password', 'Password', 'current-password'],
] as const;

const ENROL = '#enrol=';

/** The address a tablet's QR code opens: the hub, with the enrolment code in the fragment (never sent to a server). */
export const enrolmentLink = (code: string) => `${location.origin}/${ENROL}${encodeURIComponent(code)}`;

/** Whether the page was opened from an enrolment QR code (the sign-in screen then takes over). */
export const openedFromEnrolmentLink = () => location.hash.startsWith(ENROL);

/** The code in the address, removed from the address bar and history at once. */
function takeEnrolmentCode(): string | null {
  if (!openedFromEnrolmentLink()) {
    return null;
  }
  const code = decodeURIComponent(location.hash.slice(ENROL.length));
  history.replaceState(null, '', `${location.pathname}${location.search}#/till`);
  return code;
}

export function LoginScreen() {
  const text = useFormValues({ email: '', password: '', credential: '' });
  const [mode, setMode] = useState<'person' | 'tablet'>(openedFromEnrolmentLink() ? 'tablet' : 'person');
  const submission = useSubmit();
  const { email, password, credential } = text.values;
  const fields = submission.problems;

  // opened from the QR code on the admin screen: sign the tablet in with the code it carries
  useEffect(() => {
    const code = takeEnrolmentCode();
    if (code) {
      void submission.run(() => api.deviceLogin(code));
    }
  }, []);

  // the address is kept: a link opened while signed out opens once signed in
  const submit = async (e: Event) => {
    e.preventDefault();
    await submission.run(() =>
      mode === 'person' ? api.login(email.trim(), password) : api.deviceLogin(credential.trim()),
    );
  };

  return (
    <main class="login" id="main">
      <div class="login-card">
        <h1>Retail crime hub</h1>
        <p class="lead">Report an incident, send an alert, triage cases or see the figures.</p>
        <ErrorSummary message={submission.error} errors={{}} />
        <form onSubmit={(e) => void submit(e)} noValidate>
          {mode === 'person' ? (
            PERSON_FIELDS.map(([name, label, autocomplete]) => (
              <TextField
                key={name}
                id={name}
                label={label}
                type={name}
                autocomplete={autocomplete}
                inputMode={name === 'email' ? 'email' : undefined}
                {...text.field(name, fields)}
                required
              />
            ))
          ) : (
            <TextField
              id="credential"
              label="Enrolment code"
              hint="Shown once on the Admin screen when this tablet was enrolled (or scan its QR code)."
              type="password"
              {...text.field('credential', fields)}
              required
            />
          )}
          <button type="submit" class="primary big" disabled={submission.busy}>
            {submission.busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <button type="button" class="link" onClick={() => setMode(mode === 'person' ? 'tablet' : 'person')}>
          {mode === 'person' ? 'Set up this till tablet instead' : 'Sign in as a person instead'}
        </button>
      </div>
    </main>
  );
}
