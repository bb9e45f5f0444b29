import { useState } from 'preact/hooks';
import { api, ApiError, describeError } from './api/client';
import { ErrorSummary, TextField } from './ui/fields';

export function LoginScreen() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [credential, setCredential] = useState('');
  const [mode, setMode] = useState<'person' | 'tablet'>('person');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      if (mode === 'person') {
        await api.login(email.trim(), password);
      } else {
        await api.deviceLogin(credential.trim());
      }
      location.hash = '';
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError) {
        setFields(err.fieldProblems());
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <div class="login-card">
        <h1>Retail crime hub</h1>
        <p class="lead">Report an incident, send an alert, triage cases or see the figures.</p>
        <ErrorSummary message={error} errors={{}} />
        <form onSubmit={(e) => void submit(e)} noValidate>
          {mode === 'person' ? (
            <>
              <TextField
                id="email"
                label="Email"
                type="email"
                autocomplete="username"
                inputMode="email"
                value={email}
                onInput={setEmail}
                error={fields.email}
                required
              />
              <TextField
                id="password"
                label="Password"
                type="password"
                autocomplete="current-password"
                value={password}
                onInput={setPassword}
                error={fields.password}
                required
              />
            </>
          ) : (
            <TextField
              id="credential"
              label="Tablet credential"
              hint="Shown once when a manager enrolled this tablet."
              type="password"
              value={credential}
              onInput={setCredential}
              error={fields.credential}
              required
            />
          )}
          <button type="submit" class="primary big" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <button type="button" class="link" onClick={() => setMode(mode === 'person' ? 'tablet' : 'person')}>
          {mode === 'person' ? 'Set up this till tablet instead' : 'Sign in as a person instead'}
        </button>
      </div>
    </main>
  );
}
