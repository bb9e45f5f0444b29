// The partnership's settings: the published fingerprints of the keys that sign evidence packs
// (GET /.well-known/evidence-signing-keys, public), so staff can tell a reviewing lawyer which key
// to pin when checking a pack with its verify.mjs.
import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api/client';
import type { SigningKeys as Keys } from '../api/types';
import { when } from '../ui/labels';

export const SIGNING_KEYS_PATH = '/.well-known/evidence-signing-keys';

export function SigningKeys() {
  const [keys, setKeys] = useState<Keys | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.get<Keys>(SIGNING_KEYS_PATH, { anonymous: true, root: true }).then(
      (k) => {
        if (live) {
          setKeys(k);
          setError(null);
        }
      },
      (err: unknown) => {
        if (live) {
          setError(describeError(err));
        }
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (error) {
    return (
      <p class="field-error" role="alert">
        The signing keys could not be read: {error}
      </p>
    );
  }
  if (!keys) {
    return <p aria-busy="true">Loading…</p>;
  }
  const current = keys.keys.find((k) => k.current) ?? keys.keys[keys.keys.length - 1];
  return (
    <div class="signing-keys" data-testid="signing-keys">
      <p class="hint">
        Every evidence pack is signed ({keys.algorithm}). These are the fingerprints of the keys that have signed this
        hub’s packs, also published at <code>{SIGNING_KEYS_PATH}</code>.
      </p>
      {keys.keys.length === 0 ? (
        <p class="empty" data-testid="signing-keys-empty">
          No pack has been signed yet. The key is made when the first evidence pack is built, and its fingerprint will be
          shown here.
        </p>
      ) : (
        <ul class="key-list" aria-label="Evidence signing keys, oldest first">
          {keys.keys.map((k) => (
            <li key={k.fingerprint} data-testid="signing-key" data-current={k.current ? 'true' : 'false'}>
              <div class="key-head">
                <strong>{k.current ? 'Current key' : 'Earlier key'}</strong>
                {k.current && <span class="key-current">Signed the latest pack</span>}
              </div>
              <dl>
                <dt>Fingerprint (SHA-256)</dt>
                <dd>
                  <code class="fingerprint" data-testid="signing-key-fingerprint">
                    {k.fingerprint}
                  </code>
                </dd>
                <dt>First used</dt>
                <dd>{when(k.firstUsedAt)}</dd>
                <dt>Last used</dt>
                <dd>{when(k.lastUsedAt)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">
        Reviewing lawyers compare this fingerprint with the one in a pack’s VERIFY.md, and check the pack with{' '}
        <code class="fingerprint">node verify.mjs . --fingerprint {current?.fingerprint ?? '<fingerprint>'}</code>.
      </p>
    </div>
  );
}
