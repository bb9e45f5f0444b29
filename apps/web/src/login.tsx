import { useState } from 'preact/hooks';
import { api } from './api/client';
import { useFormValues, useSubmit } from './ui/data';
import { ErrorSummary, TextField } from './ui/fields';

/** [name, label, autocomplete]: each name is also the input's id and type. */
const PERSON_FIELDS = [
  ['email', 'Email', 'username'],
  ['password', 'Password', 'current-password'],
] as const;

export function LoginScreen() {
  const text = useFormValues({ email: '', password: '', credential: '' });
  const [mode, setMode] = useState<'person' | 'tablet'>('person');
  const submission = useSubmit();
  const { email, password, credential } = text.values;
  const fields = submission.problems;

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
              label="Tablet credential"
              hint="Shown once when a manager enrolled this tablet."
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
